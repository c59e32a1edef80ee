"""Every page the e2e sweeps know: public pages found by walking the URLconf, plus pages that
need a signed-in user, earlier steps of a journey, a form in error, or DEBUG. New public pages
join the sweep by themselves; the others are listed in EXTRA_PAGES."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.urls import get_resolver, reverse
from django.utils import translation

from guichet.accounts.models import Role
from guichet.accounts.tests.routes import walk
from guichet.core.access import is_self_guarded, policy_of
from guichet.employers.tests.factories import RECOVERY_FORM
from guichet.employers.views.registration import STEPS

LANGUAGES = ["fr", "en"]

PROFILE_STEP1 = {
    "user_code": "BrAnDfOrD04",
    "user_code_confirm": "BrAnDfOrD04",
    "password": "Lecture2026",
    "password_confirm": "Lecture2026",
}
PROFILE_STEP2 = {
    "email": "requerant@example.org",
    "email_confirm": "requerant@example.org",
    "question_1": "first_flight",
    "answer_1": "Nairobi Kenya",
    "question_2": "hobby",
    "answer_2": "Lecture",
}


@dataclass(frozen=True)
class PageSpec:
    key: str
    url_name: str
    role: Role | None = None
    debug: bool = False
    kwargs: Callable[[], dict[str, Any]] | None = None
    # Forms to submit first, in order (url name, data): earlier steps of a journey.
    before: tuple[tuple[str, dict[str, Any]], ...] = ()
    post: dict[str, Any] | None = None  # submit this form data and check the result page
    expected_status: int = 200
    raw_path: dict[str, str] = field(default_factory=dict)  # language -> path, for non-routes
    setup: Callable[[Any], None] | None = None  # run with the signed-in user before the visit
    query: Callable[[], str] | None = None  # a query string computed when the test runs
    # The value of the submit button the browser clicks first (the Django client sends it too).
    action: str = "next"

    def url(self, language: str) -> str:
        if self.raw_path:
            return self.raw_path[language]
        url = route_url(self.url_name, language, self.kwargs() if self.kwargs else None)
        return f"{url}?{self.query()}" if self.query else url


def route_url(name: str, language: str, kwargs: dict[str, Any] | None = None) -> str:
    if ":" in name and "#" in name:  # "clients:registration_step#3": a step number
        name, number = name.split("#")
        kwargs = {"number": int(number)}
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def resolve(data: dict[str, Any]) -> dict[str, str]:
    """Form data whose values may be computed when the test runs (database ids)."""
    return {k: str(v() if callable(v) else v) for k, v in data.items()}


def _status_id(code: str) -> Callable[[], int]:
    def get() -> int:
        from guichet.clients.models import ImmigrationStatus

        return ImmigrationStatus.objects.get(code=code).pk

    return get


def _locality_id() -> int:
    from guichet.clients.models import Locality

    return Locality.objects.get(name="Québec").pk


def _registered(user: Any) -> None:
    from guichet.clients.tests.factories import ClientFactory

    ClientFactory.create(user=user, email=user.email)


KNOWN_CODE = "ABCD-EFGH-JKMN"


def _with_bookings(user: Any) -> None:
    from guichet.appointments.models import Booking, BookingStatus, SessionModule
    from guichet.appointments.services import book
    from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
    from guichet.clients.tests.factories import ClientFactory

    registered = ClientFactory.create(user=user, email=user.email, french_sufficient=True)
    upcoming = book(
        client=registered,
        session=SessionFactory.create(
            appointment_type=AppointmentTypeFactory.create(slug="objectif-integration")
        ),
        actor=user,
    )
    SessionModule.objects.create(
        session=upcoming.session,
        position=1,
        starts_at=upcoming.session.starts_at,
        duration_minutes=180,
    )
    later = upcoming.session.starts_at + timedelta(days=2)  # never two at the same time
    cancelled = book(client=registered, session=SessionFactory.create(starts_at=later), actor=user)
    Booking.objects.filter(pk=cancelled.pk).update(status=BookingStatus.CANCELLED)


def _bookable(user: Any) -> None:
    from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
    from guichet.clients.tests.factories import ClientFactory

    ClientFactory.create(user=user, email=user.email, french_sufficient=True)
    SessionFactory.create(
        appointment_type=AppointmentTypeFactory.create(slug="premieres-demarches")
    )


def _reschedulable(user: Any) -> None:
    from guichet.appointments.services import book
    from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
    from guichet.clients.tests.factories import ClientFactory

    registered = ClientFactory.create(user=user, email=user.email, french_sufficient=True)
    first = SessionFactory.create(
        appointment_type=AppointmentTypeFactory.create(slug="premieres-demarches")
    )
    SessionFactory.create(
        appointment_type=first.appointment_type,
        place=first.place,
        starts_at=first.starts_at + timedelta(days=7),
    )
    book(client=registered, session=first, actor=user)


def _full_with_waitlist(user: Any) -> None:
    """A search with one full session (waitlist button) and, in the list, an offered seat."""
    from guichet.appointments.services import book, cancel, join_waitlist
    from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
    from guichet.clients.tests.factories import ClientFactory

    registered = ClientFactory.create(user=user, email=user.email, french_sufficient=True)
    kind = AppointmentTypeFactory.create(slug="premieres-demarches")
    full = SessionFactory.create(appointment_type=kind, capacity=1)
    other = ClientFactory.create(cic_client_id="99999999", french_sufficient=True)
    held = book(client=other, session=full, actor=user)
    join_waitlist(client=registered, session=full, actor=user)
    SessionFactory.create(appointment_type=kind, place=full.place, capacity=1)
    cancel(booking=held, actor=user)


def _full_session(user: Any) -> None:
    from guichet.appointments.services import book
    from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
    from guichet.clients.tests.factories import ClientFactory

    ClientFactory.create(user=user, email=user.email, french_sufficient=True)
    kind = AppointmentTypeFactory.create(slug="premieres-demarches")
    full = SessionFactory.create(appointment_type=kind, capacity=1)
    other = ClientFactory.create(cic_client_id="99999999", french_sufficient=True)
    book(client=other, session=full, actor=user)
    SessionFactory.create(
        appointment_type=kind, place=full.place, starts_at=full.starts_at + timedelta(days=1)
    )


def _needs_information(user: Any) -> None:
    from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
    from guichet.clients.tests.factories import ClientFactory

    ClientFactory.create(user=user, email=user.email, french_sufficient=True)
    SessionFactory.create(
        appointment_type=AppointmentTypeFactory.create(
            slug="objectif-integration",
            required_information=["informed_by", "professional_domain", "schooling"],
        )
    )


def _session_id() -> int:
    from guichet.appointments.models import Session

    return Session.objects.get().pk


def _offered_entry() -> dict[str, Any]:
    from guichet.appointments.models import WaitlistEntry, WaitlistStatus

    return {"entry_id": WaitlistEntry.objects.get(status=WaitlistStatus.OFFERED).pk}


def _complaint_author(user: Any) -> None:
    """A client with appointments who wrote to the commissioner about one of them."""
    from guichet.appointments.models import Booking
    from guichet.complaints import services

    _with_bookings(user)
    services.submit(
        actor=user,
        kind="complaint",
        subject="Séance annulée sans préavis",
        body="La salle était fermée.",
        about=Booking.objects.filter(client__user=user).first(),
    )


def _latest_complaint() -> dict[str, Any]:
    from guichet.complaints.models import Complaint

    return {"complaint_number": Complaint.objects.order_by("-pk").first().number}  # type: ignore[union-attr]


def _anonymous_complaint(user: Any) -> None:
    """A suggestion sent without an account, acknowledged by the commissioner."""
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import UserFactory
    from guichet.complaints import services

    member = UserFactory.create(role=Role.MINISTRY_STAFF)
    User.objects.filter(pk=member.pk).update(handles_complaints=True)
    member.refresh_from_db()
    suggestion = services.submit(
        actor=None,
        kind="suggestion",
        subject="Horaire du soir",
        body="Des séances en soirée, s'il vous plaît.",
        name="Paul Nguyen",
        email="paul@example.org",
    )
    suggestion = services.confirm_email(actor=None, complaint=suggestion)
    services.acknowledge(actor=member, complaint=suggestion, body="Nous avons bien reçu.")


def _unconfirmed_complaint(user: Any) -> None:
    """A message sent without an account whose email is not confirmed yet."""
    from guichet.complaints import services

    services.submit(
        actor=None,
        kind="comment",
        subject="Accueil",
        body="Un accueil chaleureux.",
        email="lea@example.org",
    )


def _expired_follow_key() -> dict[str, Any]:
    """The follow-up key of the latest message, then a fresh link sent: it no longer works."""
    from django.db.models import F

    from guichet.complaints.models import Complaint

    key = _follow_key()
    Complaint.objects.filter(author__isnull=True).update(link_version=F("link_version") + 1)
    return key


def _follow_key() -> dict[str, Any]:
    from guichet.complaints.models import Complaint
    from guichet.complaints.selectors import follow_key

    return {"key": follow_key(Complaint.objects.filter(author__isnull=True).latest("pk"))}


def _commissioner(user: Any) -> None:
    """A member of the commissioner's office; a complaint about an appointment waiting and an
    acknowledged suggestion."""
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import UserFactory, with_two_factor

    with_two_factor(user)
    User.objects.filter(pk=user.pk).update(handles_complaints=True)
    _anonymous_complaint(None)
    _complaint_author(UserFactory.create(role=Role.CLIENT))


def _commitment_figures(user: Any) -> None:
    """A ministry agent; answers to messages in the last weeks, one late, one still running."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import with_two_factor
    from guichet.commitments.models import Clock, Commitment

    if user is not None:
        with_two_factor(user)
    today = timezone.localdate()
    answer = Commitment.objects.get(code="email-answer")
    kind = ContentType.objects.get_for_model(User)
    for n, taken in enumerate([1, 3, 4, 9], start=1):
        received = today - timedelta(days=30)
        Clock.objects.create(
            commitment=answer,
            target_type=kind,
            target_id=n,
            received_on=received,
            due_on=received + timedelta(days=7),
            stopped_on=received + timedelta(days=taken),
            breached_on=received + timedelta(days=taken) if taken > 7 else None,
        )
    Clock.objects.create(
        commitment=answer,
        target_type=kind,
        target_id=99,
        received_on=today - timedelta(days=2),
        due_on=today + timedelta(days=5),
    )


def _seats_in_time(user: Any) -> None:
    """A ministry agent; first-steps sessions: one in Montréal within the 5 business days,
    Québec's only later (an alert)."""
    from datetime import datetime, time

    from django.utils import timezone

    from guichet.accounts.tests.factories import with_two_factor
    from guichet.appointments.tests.factories import (
        AppointmentTypeFactory,
        PlaceFactory,
        SessionFactory,
    )
    from guichet.clients.models import Locality
    from guichet.core.dates import Calendar

    with_two_factor(user)
    kind = AppointmentTypeFactory.create(slug="premieres-demarches", min_notice_hours=0)
    montreal = PlaceFactory.create(name="Carrefour d'intégration")
    quebec = PlaceFactory.create(
        name="Accueil de Québec", locality=Locality.objects.get(name="Québec")
    )
    kind.organisations.set([montreal.organisation, quebec.organisation])
    today = timezone.localdate()
    calendar = Calendar.around(today)
    for place, days in ((montreal, 2), (quebec, 9)):
        day = calendar.add_business_days(today, days)
        SessionFactory.create(
            appointment_type=kind,
            place=place,
            starts_at=timezone.make_aware(datetime.combine(day, time(9, 0))),
        )


def _held_appointment(user: Any) -> None:
    """A client whose first-steps session was held (« Complété »)."""
    from guichet.appointments.models import Booking, BookingStatus

    _with_bookings(user)
    Booking.objects.filter(client__user=user).update(status=BookingStatus.COMPLETED)


def _held_booking_id() -> dict[str, Any]:
    from guichet.appointments.models import Booking, BookingStatus

    held = Booking.objects.filter(status=BookingStatus.COMPLETED).latest("pk")
    return {"subject": "appointment", "subject_id": held.pk}


def _closure_days(user: Any) -> None:
    """A ministry agent; a closure day already kept this year and one next year."""
    from datetime import date

    from django.utils import timezone

    from guichet.accounts.tests.factories import with_two_factor
    from guichet.core.models import ClosureDay

    with_two_factor(user)
    year = timezone.localdate().year
    for day in (date(year, 3, 11), date(year + 1, 11, 17)):
        while day.weekday() >= 5:
            day = day.replace(day=day.day + 1)
        ClosureDay.objects.get_or_create(
            day=day, defaults={"reason_fr": "Tempête de neige", "reason_en": "Snowstorm"}
        )


def _staff_session(user: Any) -> None:
    """A staff member (second factor set up) with a session of their organisation: one upcoming
    booking and, for the roster's attendance buttons, the session already begun."""
    from django.utils import timezone

    from guichet.accounts.tests.factories import OrganisationFactory, with_two_factor
    from guichet.appointments.models import Session
    from guichet.appointments.services import book
    from guichet.appointments.tests.factories import (
        AppointmentTypeFactory,
        PlaceFactory,
        SessionFactory,
    )
    from guichet.clients.tests.factories import ClientFactory

    with_two_factor(user)
    organisation = user.organisation or OrganisationFactory.create()
    kind = AppointmentTypeFactory.create(slug="premieres-demarches")
    kind.organisations.add(organisation)
    session = SessionFactory.create(
        appointment_type=kind, place=PlaceFactory.create(organisation=organisation)
    )
    person = ClientFactory.create(cic_client_id="99999998", french_sufficient=True)
    book(client=person, session=session, actor=user)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))


def _staff_modules(user: Any) -> None:
    """A staff session with two modules, the first one over, and one participant."""
    from django.utils import timezone

    from guichet.appointments.models import Session, SessionModule

    _staff_session(user)
    session = Session.objects.get()
    for position, days in ((1, -1), (2, 1)):
        SessionModule.objects.create(
            session=session,
            position=position,
            starts_at=timezone.now() + timedelta(days=days),
            duration_minutes=180,
        )


def _staff_place_id() -> dict[str, Any]:
    from guichet.appointments.models import Place

    return {"place_id": Place.objects.get().pk}


def _staff_session_id() -> dict[str, Any]:
    from guichet.appointments.models import Session

    return {"session_id": Session.objects.get().pk}


def _staff_client(user: Any) -> None:
    """Staff with an upcoming session of their organisation and a consenting client booked in it."""
    from guichet.accounts.tests.factories import OrganisationFactory, with_two_factor
    from guichet.appointments.services import book
    from guichet.appointments.tests.factories import PlaceFactory, SessionFactory
    from guichet.clients.tests.factories import ClientFactory

    with_two_factor(user)
    organisation = user.organisation or OrganisationFactory.create()
    session = SessionFactory.create(place=PlaceFactory.create(organisation=organisation))
    person = ClientFactory.create(
        cic_client_id="99999997", french_sufficient=True, consents_to_partner_access=True
    )
    book(client=person, session=session, actor=user)


def _staff_client_id() -> dict[str, Any]:
    from guichet.clients.models import Client

    return {"client_id": Client.objects.get(cic_client_id="99999997").pk}


def _staff_booking_id() -> dict[str, Any]:
    from guichet.appointments.models import Booking

    return {"booking_id": Booking.objects.get().pk}


def _search_query() -> str:
    from guichet.appointments.models import Session

    session = Session.objects.select_related("place").first()
    assert session is not None
    return f"type={session.appointment_type_id}&ville={session.place.locality_id}&rechercher=1"


def _first_booking() -> dict[str, Any]:
    from guichet.appointments.models import Booking, BookingStatus

    return {"booking_id": Booking.objects.filter(status=BookingStatus.BOOKED).first().pk}  # type: ignore[union-attr]


def _appointment_type(user: Any) -> None:
    from guichet.accounts.tests.factories import OrganisationFactory
    from guichet.appointments.tests.factories import AppointmentTypeFactory

    kind = AppointmentTypeFactory.create(slug="premieres-demarches")
    kind.organisations.add(
        OrganisationFactory.create(name="Carrefour d'aide aux nouveaux arrivants")
    )


def _two_factor_user(user: Any) -> None:
    from guichet.accounts.tests.factories import UserFactory, with_two_factor

    with_two_factor(UserFactory.create(username="DeuxFacteurs1"))


def _with_device(user: Any) -> None:
    from guichet.accounts.tests.factories import with_two_factor

    with_two_factor(user)


def _code_issued(user: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from guichet.clients.authorization import digest
    from guichet.clients.models import AuthorizationCode
    from guichet.clients.tests.factories import ClientFactory

    draco = ClientFactory.create(user=None, reference_number="C3333726")
    AuthorizationCode.objects.create(
        client=draco, digest=digest(KNOWN_CODE), expires_at=timezone.now() + timedelta(days=1)
    )


REGISTRATION: dict[int, dict[str, Any]] = {
    1: {"status": _status_id("permanent_resident"), "status_granted_on": "2012-09-13"},
    2: {
        "existing_client": "non",
        "last_name": "Brandford",
        "first_name": "Bernard",
        "birth_date": "1978-05-05",
        "sex": "M",
        "cic_client_id": "58200462",
        "email": "requerant@example.org",
        "email_confirm": "requerant@example.org",
    },
    3: {
        "street_number": "600",
        "street": "10e Rue",
        "locality": _locality_id,
        "postal_code": "G1J 2N7",
        "phone_home": "418 832-4444",
    },
    4: {"french_sufficient": "oui", "informed_by": "embassy", "schooling": "15-16"},
    5: {"accept": "on"},
}


def steps_before(number: int) -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple((f"clients:registration_step#{n}", REGISTRATION[n]) for n in range(1, number))


def _draco_on_file(user: Any) -> None:
    """The seed's Draco Diablos, known to the ministry with an address on file."""
    from guichet.clients.tests.factories import ClientFactory

    ClientFactory.create(
        user=None,
        reference_number="C3333726",
        last_name="Diablos",
        first_name="Draco",
        birth_date="1980-10-01",
        sex="M",
        email="draco@example.org",
    )


DRACO_STEP2 = {
    **REGISTRATION[2],
    "existing_client": "oui",
    "last_name": "Diablos",
    "first_name": "Draco",
    "birth_date": "1980-10-01",
    "cic_client_id": "",
    "reference_number": "C3333726",
}
# The six steps as Draco Diablos: step 6 asks for the code sent to his address on file.
DRACO_REGISTRATION = (
    ("clients:registration_step#1", REGISTRATION[1]),
    ("clients:registration_step#2", DRACO_STEP2),
    *((f"clients:registration_step#{n}", REGISTRATION[n]) for n in (3, 4, 5)),
    ("clients:registration_step#6", {}),
)
ACCESS_TOKEN = "jeton-de-demonstration-pour-les-tests-0001"


def _access_requested(user: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from guichet.accounts.tests.factories import OrganisationFactory
    from guichet.clients.models import PartnerAccess
    from guichet.clients.services import _access_digest
    from guichet.clients.tests.factories import ClientFactory

    PartnerAccess.objects.create(
        client=ClientFactory.create(),
        organisation=OrganisationFactory.create(name="Accueil Rive-Sud"),
        token_digest=_access_digest(ACCESS_TOKEN),
        expires_at=timezone.now() + timedelta(days=14),
    )


def _latest_mail() -> dict[str, Any]:
    from guichet.core.mail import stored_mails

    return {"name": stored_mails()[0].name}


BAD_LOGIN = {"username": "inconnu01", "password": "mauvais1"}

# --- Dossiers (issue 6) ----------------------------------------------------------------------


def _draft(user: Any) -> None:
    """A draft with an error kept in Identification and French not sufficient (languages)."""
    from guichet.dossiers import services
    from guichet.dossiers.tests.factories import IDENTIFICATION, draft, first_appointment

    dossier = draft(_with_profile(user))
    services.save_section(
        dossier=dossier,
        section_key="identification",
        raw=IDENTIFICATION | {"ircc_number": "12ab"},
        actor=user,
    )
    services.save_section(
        dossier=dossier,
        section_key="premier_rendez_vous",
        raw=first_appointment(french_sufficient="non", languages=["other"], other_language=""),
        actor=user,
    )


def _complete_draft(user: Any) -> None:
    from guichet.dossiers.tests.factories import complete, draft

    complete(draft(_with_profile(user)))


def _with_profile(user: Any) -> Any:
    from guichet.dossiers.tests.factories import with_profile

    return with_profile(user)


def _followed(user: Any) -> None:
    """A submitted dossier with an agent, an appointment, a plan action and notes."""
    from django.utils import timezone

    from guichet.dossiers import services
    from guichet.dossiers.kinds.accompagnement import casework
    from guichet.dossiers.tests.factories import agent, submitted

    dossier = submitted(_with_profile(user))
    # The HTML check runs setups inside a transaction it rolls back, where on-commit tasks never
    # run: make the recap PDF and the confirmation message here.
    services.after_submission.call(dossier_id=dossier.pk)
    aai = agent()
    casework.assign(dossier=dossier, agent=aai, actor=aai)
    casework.schedule_appointment(
        dossier=dossier,
        starts_at=timezone.now() + timedelta(days=2),
        mode="virtual",
        place=None,
        details="https://rencontre.example/abc",
        actor=aai,
    )
    casework.add_action(
        dossier=dossier,
        title="S'inscrire en francisation",
        description="",
        due_date=None,
        actor=aai,
    )
    casework.add_note(dossier=dossier, body="Bienvenue", visibility="client", actor=aai)


def _dossier_id() -> dict[str, Any]:
    from guichet.dossiers.models import Dossier

    return {"dossier_id": Dossier.objects.get().pk}


def _identification() -> dict[str, Any]:
    return _dossier_id() | {"key": "identification"}


def _first_appointment() -> dict[str, Any]:
    return _dossier_id() | {"key": "premier_rendez_vous"}


def _thread_id() -> dict[str, Any]:
    from guichet.messaging.models import Thread

    return {"thread_id": Thread.objects.get().pk}


def _agent_dossier(user: Any) -> None:
    """An agent (second factor set up), a submitted dossier with its history and messages, and
    an upcoming meeting."""
    from django.utils import timezone

    from guichet.accounts.tests.factories import with_two_factor
    from guichet.appointments.tests.factories import PlaceFactory
    from guichet.dossiers import services
    from guichet.dossiers.kinds.accompagnement import casework
    from guichet.dossiers.tests.factories import submitted

    with_two_factor(user)
    dossier = submitted()
    services.after_submission.call(dossier_id=dossier.pk)
    casework.add_note(dossier=dossier, body="Interne", visibility="internal", actor=user)
    casework.schedule_appointment(
        dossier=dossier,
        starts_at=timezone.now() + timedelta(days=1),
        mode="in_person",
        place=PlaceFactory.create(),
        details="",
        actor=user,
    )


def _payable(user: Any) -> None:
    """A made-up purpose the signed-in employer may pay (the job offer and the CSQ application
    come with issues 16 and 17), with its fee schedule."""
    from datetime import date

    from guichet.payments.models import Fee, FeeRate
    from guichet.payments.purposes import Owed, Purpose, register

    register(
        Purpose(
            code="essai",
            label="Demande d'essai",
            owed=lambda object_id: [Owed("frais-essai")],
            may_pay=lambda payer, object_id: str(payer.pk) == str(object_id),
            on_paid=lambda payment: None,
        )
    )
    fee, _ = Fee.objects.get_or_create(
        code="frais-essai", defaults={"label_fr": "Frais d'essai", "label_en": "Test fee"}
    )
    FeeRate.objects.get_or_create(
        fee=fee, valid_from=date(2020, 1, 1), defaults={"amount_cents": 23000}
    )


def _payable_id() -> dict[str, Any]:
    from guichet.accounts.models import User

    return {"purpose": "essai", "object_id": str(User.objects.get(role=Role.EMPLOYER).pk)}


def _mail_payment(user: Any) -> None:
    from guichet.payments import services
    from guichet.payments.purposes import get_purpose

    _payable(user)
    purpose = get_purpose("essai")
    assert purpose is not None
    services.start_mail_payment(purpose=purpose, object_id=str(user.pk), actor=user)


def _officer_with_mail_payment(user: Any) -> None:
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import UserFactory, with_two_factor

    with_two_factor(user)
    User.objects.filter(pk=user.pk).update(handles_payments=True)
    _mail_payment(UserFactory.create(role=Role.EMPLOYER, username="PayeurEssai01"))


def _payment_reference() -> dict[str, Any]:
    from guichet.payments.models import Payment

    return {"reference": Payment.objects.get().reference}


def _payment_token() -> dict[str, Any]:
    from guichet.payments.models import Payment

    return {"token": Payment.objects.get().return_token}


def _bank_payment(user: Any) -> None:
    from django.conf import settings

    from guichet.testbank.models import BankPayment

    settings.TESTBANK_ENABLED = True
    BankPayment.objects.create(
        idempotency_key="e2e",
        merchant_reference="P260000001",
        description="Demande d'essai",
        amount_cents=23000,
        currency="CAD",
        return_url="http://127.0.0.1/fr/paiements/retour/x/",
        notify_url="http://127.0.0.1/paiements/avis/banque_essai/",
    )


def _bank_payment_id() -> dict[str, Any]:
    from guichet.testbank.models import BankPayment

    return {"payment_id": str(BankPayment.objects.get().pk)}


# The employers' portal (seed 004): the CléGC, the registration screens, the account.
NEW_KEY_PASSWORD = {"password": "Portail2026Qc", "password_confirm": "Portail2026Qc"}
# A step's data may name the button its form is sent with ("action"; "next" by default).
ACCEPT = {"action": "accept"}
GCKEY_BEFORE_PASSWORD: tuple[tuple[str, dict[str, Any]], ...] = (
    ("employers:gckey_terms", ACCEPT),
    ("employers:gckey_username", {"username": "NouveauPatron"}),
)


def _key_holder(user: Any) -> None:
    from django.contrib.auth.hashers import make_password

    from guichet.employers.models import RecoveryAnswer
    from guichet.employers.tests.factories import company, gckey_holder

    holder = gckey_holder("PatronEssai")
    company(holder)
    # Whichever of the three recovery questions is asked, « Paris » answers it.
    RecoveryAnswer.objects.filter(credentials__user=holder).update(
        answer_hash=make_password("Paris")
    )


KEY_HOLDER_LOGIN = {"username": "PatronEssai", "password": "Portail2026Qc"}


def _registration_at(step: str) -> Callable[[Any], None]:
    def setup(user: Any) -> None:
        from guichet.employers.tests.factories import registration_at

        registration_at(user, step)

    return setup


def _latest_registration() -> dict[str, Any]:
    from guichet.employers.models import Registration

    latest = Registration.objects.latest("pk")
    return {"subject": "registration", "subject_id": latest.pk}


def _refused_registration(user: Any) -> None:
    from guichet.employers.models import RegistrationStatus
    from guichet.employers.tests.factories import registration_at

    registration = registration_at(user, "pending")
    registration.status = RegistrationStatus.REFUSED
    registration.started = False
    registration.refusal_reason = "Le numéro d'entreprise ne correspond à aucune entreprise."
    registration.save()


def _primary_with_pin(user: Any) -> None:
    from guichet.employers import services
    from guichet.employers.tests.factories import company, give_gckey, member

    give_gckey(user)
    made = company(user)
    member(made)
    services.issue_pin(actor=user, email="adjointe@exemple.ca")


def _employer_files_officer(user: Any) -> None:
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import UserFactory, with_two_factor
    from guichet.employers.tests.factories import registration_at

    with_two_factor(user)
    User.objects.filter(pk=user.pk).update(handles_employer_files=True)
    registration_at(UserFactory.create(role=Role.EMPLOYER), "pending")


def _registration_id() -> dict[str, Any]:
    from guichet.employers.models import Registration

    return {"registration_id": Registration.objects.get().pk}


def _employer_step(step: str, **extra: Any) -> PageSpec:
    fields: dict[str, Any] = {
        "key": f"employer_registration:{step}",
        "url_name": f"employer_registration:{step}",
        "role": Role.EMPLOYER,
        "setup": _registration_at(step),
    }
    return PageSpec(**{**fields, **extra})


EMPLOYER_PAGES = [
    PageSpec(
        key="employers:gckey_username",
        url_name="employers:gckey_username",
        before=(("employers:gckey_terms", ACCEPT),),
    ),
    PageSpec(
        key="employers:gckey_username (erreurs)",
        url_name="employers:gckey_username",
        before=(("employers:gckey_terms", ACCEPT),),
        post={"username": "ab#1"},
    ),
    PageSpec(
        key="employers:gckey_password",
        url_name="employers:gckey_password",
        before=GCKEY_BEFORE_PASSWORD,
    ),
    PageSpec(
        key="employers:gckey_password (erreurs)",
        url_name="employers:gckey_password",
        before=GCKEY_BEFORE_PASSWORD,
        post={"password": "court", "password_confirm": "autre"},
    ),
    PageSpec(
        key="employers:gckey_recovery",
        url_name="employers:gckey_recovery",
        before=(*GCKEY_BEFORE_PASSWORD, ("employers:gckey_password", NEW_KEY_PASSWORD)),
    ),
    PageSpec(
        key="employers:gckey_recovery (erreurs)",
        url_name="employers:gckey_recovery",
        before=(*GCKEY_BEFORE_PASSWORD, ("employers:gckey_password", NEW_KEY_PASSWORD)),
        post={
            **RECOVERY_FORM,
            "memorable_person_hint": "Tante Jeanne",
            "memorable_date": "demain",
        },
    ),
    PageSpec(
        key="employers:gckey_created",
        url_name="employers:gckey_created",
        before=(
            *GCKEY_BEFORE_PASSWORD,
            ("employers:gckey_password", NEW_KEY_PASSWORD),
            ("employers:gckey_recovery", RECOVERY_FORM),
        ),
    ),
    PageSpec(
        key="employers:gckey_forgot_answers",
        url_name="employers:gckey_forgot_answers",
        setup=_key_holder,
        before=(("employers:gckey_forgot", {"username": "PatronEssai"}),),
    ),
    PageSpec(
        key="employers:gckey_forgot_answers (indices)",
        url_name="employers:gckey_forgot_answers",
        setup=_key_holder,
        before=(
            ("employers:gckey_forgot", {"username": "PatronEssai"}),
            ("employers:gckey_forgot_answers", {"answer": "Paris"}),
        ),
    ),
    PageSpec(
        key="employers:gckey_forgot_password",
        url_name="employers:gckey_forgot_password",
        setup=_key_holder,
        before=(
            ("employers:gckey_forgot", {"username": "PatronEssai"}),
            ("employers:gckey_forgot_answers", {"answer": "Paris"}),
            (
                "employers:gckey_forgot_answers",
                {"memorable_person": "Tante Jeanne", "memorable_date": "1990-05-17"},
            ),
        ),
    ),
    PageSpec(
        key="employers:login (erreurs)",
        url_name="employers:login",
        post={"username": "PatronEssai", "password": "Mauvais2026"},
    ),
    PageSpec(
        key="accounts:login_question",
        url_name="accounts:login_question",
        setup=_key_holder,
        before=(("employers:login", KEY_HOLDER_LOGIN),),
    ),
    PageSpec(
        key="accounts:login_question (erreurs)",
        url_name="accounts:login_question",
        setup=_key_holder,
        before=(("employers:login", KEY_HOLDER_LOGIN),),
        post={"answer": "mauvaise"},
    ),
    *(_employer_step(step) for step in STEPS),
    _employer_step(
        "contact",
        key="employer_registration:contact (erreurs)",
        post={"last_name": "", "phone": "abc", "email": "pas-une-adresse"},
    ),
    _employer_step(
        "company",
        key="employer_registration:company (erreurs)",
        post={"business_number": "12345", "business_number_confirm": "54321"},
    ),
    _employer_step(
        "declaration",
        key="employer_registration:declaration (erreurs)",
        post={"last_name": "", "security_answer": "mauvaise"},
    ),
    PageSpec(
        key="employer_registration:status",
        url_name="employer_registration:status",
        role=Role.EMPLOYER,
        setup=_registration_at("pending"),
    ),
    PageSpec(
        key="employer_registration:status (refusée)",
        url_name="employer_registration:status",
        role=Role.EMPLOYER,
        setup=_refused_registration,
    ),
    PageSpec(
        key="employer_registration:done",
        url_name="employer_registration:done",
        role=Role.EMPLOYER,
        setup=_registration_at("pending"),
    ),
    PageSpec(
        key="complaints:satisfaction (inscription employeur)",
        url_name="complaints:satisfaction",
        role=Role.EMPLOYER,
        setup=_registration_at("pending"),
        kwargs=_latest_registration,
    ),
    PageSpec(
        key="employers:home", url_name="employers:home", role=Role.EMPLOYER, setup=_primary_with_pin
    ),
    PageSpec(
        key="employers:users",
        url_name="employers:users",
        role=Role.EMPLOYER,
        setup=_primary_with_pin,
    ),
    PageSpec(
        key="employers:users (NIP émis)",
        url_name="employers:users",
        role=Role.EMPLOYER,
        setup=_primary_with_pin,
        post={"email": "second@exemple.ca"},
    ),
    PageSpec(
        key="employers:logout",
        url_name="employers:logout",
        role=Role.EMPLOYER,
        setup=_primary_with_pin,
    ),
    PageSpec(
        key="backoffice:employer_registrations",
        url_name="backoffice:employer_registrations",
        role=Role.MINISTRY_STAFF,
        setup=_employer_files_officer,
    ),
    PageSpec(
        key="backoffice:employer_registration",
        url_name="backoffice:employer_registration",
        role=Role.MINISTRY_STAFF,
        setup=_employer_files_officer,
        kwargs=_registration_id,
    ),
]


def _company_with_offers(user: Any) -> None:
    """A company's primary user with a submitted offer, a complete draft and a signed one."""
    from guichet.employers.tests.factories import (
        company,
        fee_schedule,
        give_gckey,
        offer,
        signed,
    )

    give_gckey(user)
    company(user)
    fee_schedule()
    _quickly_submitted(signed(offer(user), user))
    offer(user)
    signed(offer(user), user)


def _quickly_submitted(dossier: Any) -> None:
    """A submitted offer for the pages to show, without the confirmation's PDF and email (their
    own tests make them): the sweep's setup stays cheap."""
    from django.utils import timezone

    from guichet.dossiers.models import Dossier, DossierStatus

    Dossier.objects.filter(pk=dossier.pk).update(
        status=DossierStatus.SUBMITTED, submitted_at=timezone.now()
    )


def _offer_id(position: int) -> Callable[[], dict[str, Any]]:
    """The offers made above: 0 submitted, 1 a complete draft, 2 signed."""

    def get() -> dict[str, Any]:
        from guichet.dossiers.models import Dossier

        return {"dossier_id": Dossier.objects.order_by("pk")[position].pk}

    return get


def _offer_section(key: str) -> Callable[[], dict[str, Any]]:
    def get() -> dict[str, Any]:
        return {**_offer_id(1)(), "key": key}

    return get


def _offer_officer(user: Any) -> None:
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import with_two_factor
    from guichet.employers.tests.factories import company, gckey_holder, offer, signed

    with_two_factor(user)
    User.objects.filter(pk=user.pk).update(handles_employer_files=True)
    employer = gckey_holder()
    company(employer)
    _quickly_submitted(signed(offer(employer), employer))


def _offer_page(key: str, url_name: str, position: int, **extra: Any) -> PageSpec:
    fields: dict[str, Any] = {
        "key": key,
        "url_name": url_name,
        "role": Role.EMPLOYER,
        "setup": _company_with_offers,
        "kwargs": _offer_id(position),
    }
    return PageSpec(**{**fields, **extra})


OFFER_PAGES = [
    PageSpec(
        key="employers:offers",
        url_name="employers:offers",
        role=Role.EMPLOYER,
        setup=_company_with_offers,
    ),
    PageSpec(
        key="employers:offers (vide)",
        url_name="employers:offers",
        role=Role.EMPLOYER,
        setup=_primary_with_pin,
    ),
    _offer_page("employers:offer", "employers:offer", 1),
    *(
        _offer_page(
            f"employers:offer_section {key}",
            "employers:offer_section",
            1,
            kwargs=_offer_section(key),
        )
        for key in ("entreprise", "travailleur", "emploi", "salaire")
    ),
    _offer_page(
        "employers:offer_section (erreurs)",
        "employers:offer_section",
        1,
        kwargs=_offer_section("salaire"),
        action="validate",
        post={"hours_per_week": "57", "wage_amount": "abc"},
        expected_status=422,
    ),
    _offer_page("employers:offer_checklist", "employers:offer_checklist", 1),
    _offer_page("employers:offer_declaration", "employers:offer_declaration", 1),
    _offer_page(
        "employers:offer_declaration (erreurs)",
        "employers:offer_declaration",
        1,
        post={"last_name": "", "security_answer": "mauvaise"},
        expected_status=422,
    ),
    _offer_page("employers:offer_transmit", "employers:offer_transmit", 2),
    _offer_page("employers:offer_view", "employers:offer_view", 0),
    _offer_page("employers:offer_withdraw", "employers:offer_withdraw", 0),
    _offer_page("employers:offer_worker", "employers:offer_worker", 0),
    PageSpec(
        key="backoffice:employer_offers",
        url_name="backoffice:employer_offers",
        role=Role.MINISTRY_STAFF,
        setup=_offer_officer,
    ),
    PageSpec(
        key="backoffice:employer_offer",
        url_name="backoffice:employer_offer",
        role=Role.MINISTRY_STAFF,
        setup=_offer_officer,
        kwargs=_offer_id(0),
    ),
    PageSpec(
        key="backoffice:employer_offer (erreurs)",
        url_name="backoffice:employer_offer",
        role=Role.MINISTRY_STAFF,
        setup=_offer_officer,
        kwargs=_offer_id(0),
        post={"message-body": ""},
        action="message",
    ),
]


def _csq_candidate(user: Any) -> None:
    """The signed-in client answers two security questions (asked again at submission); the
    link sent to their address was opened."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from guichet.accounts.models import SecurityAnswer
    from guichet.intake.tests.factories import ANSWERS, QUESTIONS

    SecurityAnswer.objects.bulk_create(
        SecurityAnswer(user=user, position=i, question=q, answer_hash=make_password(ANSWERS[q]))
        for i, q in enumerate(QUESTIONS, start=1)
    )
    user.email_verified_at = timezone.now()
    type(user).objects.filter(pk=user.pk).update(email_verified_at=user.email_verified_at)


def _csq_coming(user: Any) -> None:
    """A period opening in two days, one hour per visit; the candidate has begun nothing."""
    from django.utils import timezone

    from guichet.intake.tests.factories import period

    period(opens_at=timezone.now() + timedelta(days=2), quota=5000, visit_minutes=60)


def _csq_ready(user: Any) -> None:
    """An open period and a complete application, ready to submit."""
    from guichet.intake.tests.factories import application, period

    _csq_candidate(user)
    period(quota=3)
    application(user)


def _csq_with_errors(user: Any) -> None:
    """Rows saved with errors (a name missing, a birth date to come): shown next to them."""
    from guichet.dossiers.models import Dossier

    _csq_ready(user)
    dossier = Dossier.objects.get(owner=user, kind="csq")
    children = dossier.data["enfants"]["enfants"]
    children[0]["first_name"], children[1]["birth_date"] = "", "2099-01-01"
    dossier.save(update_fields=["data"])


def _csq_full(user: Any) -> None:
    """The quota is reached (a reservation holds the last place): submission cannot be
    activated."""
    from guichet.intake import quota
    from guichet.intake.tests.factories import application, candidate, period

    _csq_candidate(user)
    opened = period(quota=1)
    quota.reserve(period=opened, user=candidate())
    application(user)


def _csq_submitted(user: Any) -> None:
    """Submitted in the open period: its confirmation is in « Consultation des documents »."""
    from guichet.accounts.tests.factories import PASSWORD
    from guichet.intake import services
    from guichet.intake.tests.factories import ANSWERS, application, period

    _csq_candidate(user)
    period(quota=3)
    services.submit(
        dossier=application(user),
        actor=user,
        user_code=user.username,
        password=PASSWORD,
        answers=dict(ANSWERS),
    )


def _csq_paid(user: Any) -> None:
    """Submitted and paid: a modification may be asked."""
    _csq_submitted(user)
    from guichet.dossiers.models import Dossier

    Dossier.objects.filter(owner=user, kind="csq").update(status="paid")


def _csq_section(key: str) -> Callable[[], dict[str, Any]]:
    return lambda: {"section_key": key}


def _intake_officer(user: Any) -> None:
    """An intake officer (second factor set up), a period and one submitted application."""
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import with_two_factor
    from guichet.intake.tests.factories import period, submitted

    with_two_factor(user)
    User.objects.filter(pk=user.pk).update(handles_intake=True)
    period(quota=5)
    dossier = submitted()
    # Paid: the page offers the personalised list of required documents.
    type(dossier).objects.filter(pk=dossier.pk).update(status="paid")


def _intake_documents_requested(user: Any) -> None:
    """The list sent: the officer's checklist, a date to record for each document."""
    from guichet.intake import services
    from guichet.intake.models import Application

    _intake_officer(user)
    from guichet.intake.kinds.modification import kind as modifications

    owner = Application.objects.get().dossier.owner
    assert owner is not None
    modifications.request(
        actor=owner,
        raw={"change": "adresse", "changed_on": "2026-11-20", "details": "12, rue du Parc"},
    )
    services.request_documents(
        application=Application.objects.get(),
        standard=["passeport", "diplomes"],
        others=[],
        actor=type(user).objects.get(pk=user.pk),  # now an intake officer
    )


def _first(model: str, kwarg: str) -> Callable[[], dict[str, Any]]:
    def get() -> dict[str, Any]:
        from django.apps import apps

        return {kwarg: apps.get_model("intake", model).objects.order_by("pk").first().pk}

    return get


def _csq_expired_visit(user: Any) -> None:
    """Before an opening, the visit's hour is over (signed in 80 minutes ago)."""
    from django.utils import timezone

    from guichet.intake.tests.factories import application

    _csq_coming(user)
    application(user, complete=False)
    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(minutes=80))


INTAKE_PAGES = [
    PageSpec(key="intake:home", url_name="intake:home", role=Role.CLIENT, setup=_csq_coming),
    PageSpec(key="intake:home (prête)", url_name="intake:home", role=Role.CLIENT, setup=_csq_ready),
    PageSpec(
        key="intake:home (soumise)",
        url_name="intake:home",
        role=Role.CLIENT,
        setup=_csq_submitted,
    ),
    *(
        PageSpec(
            key=f"intake:section {key}",
            url_name="intake:section",
            role=Role.CLIENT,
            setup=_csq_ready,
            kwargs=_csq_section(key),
        )
        # The sections share one template: the principal applicant's fields, a group of rows,
        # and the language section's notices stand for the others.
        for key in ("requerant", "enfants", "langues")
    ),
    PageSpec(
        key="intake:section (erreurs)",
        url_name="intake:section",
        role=Role.CLIENT,
        setup=_csq_with_errors,
        kwargs=_csq_section("enfants"),
    ),
    PageSpec(
        key="intake:section (temps écoulé)",
        url_name="intake:section",
        role=Role.CLIENT,
        setup=_csq_expired_visit,
        kwargs=_csq_section("autonomie"),
    ),
    PageSpec(key="intake:submit", url_name="intake:submit", role=Role.CLIENT, setup=_csq_ready),
    PageSpec(
        key="intake:submit (erreurs)",
        url_name="intake:submit",
        role=Role.CLIENT,
        setup=_csq_ready,
        post={"user_code": "quelquun", "password": "mauvais", "answer_1": "x", "answer_2": ""},
        action="",
        expected_status=422,
    ),
    PageSpec(
        key="intake:submit (quota atteint)",
        url_name="intake:submit",
        role=Role.CLIENT,
        setup=_csq_full,
    ),
    PageSpec(
        key="intake:documents",
        url_name="intake:documents",
        role=Role.CLIENT,
        setup=_csq_submitted,
    ),
    PageSpec(
        key="intake:modification",
        url_name="intake:modification",
        role=Role.CLIENT,
        setup=_csq_paid,
    ),
    PageSpec(
        key="intake:modification (erreurs)",
        url_name="intake:modification",
        role=Role.CLIENT,
        setup=_csq_paid,
        post={"details": ""},
        action="",
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:intake_periods",
        url_name="backoffice:intake_periods",
        role=Role.MINISTRY_STAFF,
        setup=_intake_officer,
    ),
    PageSpec(
        key="backoffice:intake_period_new (erreurs)",
        url_name="backoffice:intake_period_new",
        role=Role.MINISTRY_STAFF,
        setup=_intake_officer,
        post={"opens_at": "2027-06-13T08:30", "closes_at": "2027-06-01T08:30", "quota": ""},
        action="",
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:intake_period",
        url_name="backoffice:intake_period",
        role=Role.MINISTRY_STAFF,
        setup=_intake_officer,
        kwargs=_first("IntakePeriod", "period_id"),
    ),
    PageSpec(
        key="backoffice:intake_applications",
        url_name="backoffice:intake_applications",
        role=Role.MINISTRY_STAFF,
        setup=_intake_officer,
    ),
    PageSpec(
        key="backoffice:intake_application",
        url_name="backoffice:intake_application",
        role=Role.MINISTRY_STAFF,
        setup=_intake_officer,
        kwargs=_first("Application", "application_id"),
    ),
    PageSpec(
        key="backoffice:intake_application (documents exigés)",
        url_name="backoffice:intake_application",
        role=Role.MINISTRY_STAFF,
        setup=_intake_documents_requested,
        kwargs=_first("Application", "application_id"),
    ),
]


def _room(*, status: str = "open", opens_in: timedelta | None = None, **kwargs: Any) -> Any:
    from django.utils import timezone

    from guichet.intake.tests.factories import period
    from guichet.waitingroom import services

    opens_at = timezone.now() + opens_in if opens_in else None
    room = services.room_of(period(quota=5000, waiting_room=True, opens_at=opens_at, **kwargs))
    type(room).objects.filter(pk=room.pk).update(status=status)
    room.refresh_from_db()
    return room


def _room_coming(user: Any) -> None:
    """The period opens in two hours: the countdown, no « Se connecter » yet."""
    from guichet.intake.tests.factories import application

    _csq_candidate(user)
    application(user)
    _room(status="ready", opens_in=timedelta(hours=2))


def _room_open(user: Any) -> None:
    """The room is open; the candidate (application ready) has not joined yet."""
    from guichet.intake.tests.factories import application

    _csq_candidate(user)
    application(user)
    _room()


def _room_waiting(user: Any) -> None:
    """The candidate is 4th in line (three people wait before them)."""
    from guichet.intake.tests.factories import queuer
    from guichet.waitingroom import services

    _room_open(user)
    from guichet.waitingroom.models import Room

    room = Room.objects.get()
    for _ in range(3):
        services.join(actor=queuer(), room=room)
    services.join(actor=user, room=room)


def _room_turn(user: Any) -> None:
    """The candidate's turn: the message, the link to sign in and submit, the time left."""
    from guichet.intake.models import IntakePeriod
    from guichet.waitingroom import services
    from guichet.waitingroom.models import Room

    _room_open(user)
    room = Room.objects.get()
    services.join(actor=user, room=room)
    services.admit(period=IntakePeriod.objects.get())


def _room_expired(user: Any) -> None:
    from django.utils import timezone

    from guichet.intake.models import IntakePeriod
    from guichet.waitingroom import services
    from guichet.waitingroom.models import Room, Ticket

    _room_turn(user)
    ticket = Ticket.objects.get(user=user)
    services.use_admission(ticket=ticket)
    services.admit(period=IntakePeriod.objects.get(), now=timezone.now() + timedelta(minutes=11))
    assert Ticket.objects.get(pk=ticket.pk).status == "expired"
    assert Room.objects.exists()


def _room_closed(user: Any) -> None:
    from guichet.intake.models import IntakePeriod
    from guichet.waitingroom import services
    from guichet.waitingroom.models import Room

    _room_waiting(user)
    IntakePeriod.objects.update(quota=0)
    services.admit(period=IntakePeriod.objects.get())
    assert Room.objects.get().status == "closed"


def _room_officer(user: Any) -> None:
    """An intake officer and a room ready to open, with candidates already waiting."""
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import with_two_factor

    with_two_factor(user)
    User.objects.filter(pk=user.pk).update(handles_intake=True)
    _room(status="ready")


def _room_officer_lottery(user: Any) -> None:
    """A lottery period opening in two days: the pre-queue's field and the seed's digest."""
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import with_two_factor
    from guichet.intake.models import Allocation

    with_two_factor(user)
    User.objects.filter(pk=user.pk).update(handles_intake=True)
    _room(status="ready", opens_in=timedelta(days=2), allocation=Allocation.LOTTERY)


def _room_officer_open(user: Any) -> None:
    from guichet.intake.tests.factories import queuer
    from guichet.waitingroom import services
    from guichet.waitingroom.models import Room

    _room_officer(user)
    Room.objects.update(status="open")
    room = Room.objects.get()
    for _ in range(3):
        services.join(actor=queuer(), room=room)
    services.admit(period=room.period)


def _room_missing(user: Any) -> None:
    """The email not confirmed and a section missing: said before « Se connecter »."""
    from guichet.intake.tests.factories import application

    _csq_candidate(user)
    user.email_verified_at = None
    type(user).objects.filter(pk=user.pk).update(email_verified_at=None)
    dossier = application(user)
    dossier.data = {**dossier.data, "autonomie": {}}
    dossier.save(update_fields=["data"])
    _room()


def _room_drawn(user: Any) -> None:
    """A lottery room drawn at the opening: the digest, the seed, the order recomputed."""
    from django.utils import timezone

    from guichet.intake.models import Allocation
    from guichet.intake.tests.factories import queuer
    from guichet.waitingroom import services
    from guichet.waitingroom.models import Room

    room = _room(status="ready", opens_in=timedelta(hours=1), allocation=Allocation.LOTTERY)
    Room.objects.filter(pk=room.pk).update(pre_queue_opens_at=timezone.now() - timedelta(hours=1))
    room.refresh_from_db()
    for _ in range(4):
        services.join(actor=queuer(), room=room)
    type(room.period).objects.filter(pk=room.pk).update(
        opens_at=timezone.now() - timedelta(minutes=1)
    )
    Room.objects.filter(pk=room.pk).update(status="open")
    services.admit(period=type(room.period).objects.get(pk=room.pk))


def _in_verification(user: Any) -> None:
    """A claim outside the quota no record confirms: « En vérification »."""
    from guichet.intake import eligibility
    from guichet.intake import services as intake
    from guichet.intake.tests.factories import application, credentials

    _csq_candidate(user)
    _room()
    dossier = application(user)
    dossier.data["offre"] = {
        "has_offer": "oui",
        "offer_number": "A0999999",
        "employer": "Érablière du Nord",
        "job_title": "Technicien agricole",
        "city": "Saint-Jérôme",
    }
    dossier.save(update_fields=["data"])
    eligibility.refresh(dossier)
    intake.submit(dossier=dossier, actor=user, **credentials(user), message="Numéro reçu.")


def _officer_verification(user: Any) -> None:
    from guichet.accounts.models import User
    from guichet.accounts.tests.factories import UserFactory, with_two_factor

    with_two_factor(user)
    User.objects.filter(pk=user.pk).update(handles_intake=True)
    _in_verification(UserFactory.create(role="client"))


WAITING_ROOM_PAGES = [
    PageSpec(
        key="waitingroom:room (il vous manque)",
        url_name="waitingroom:room",
        role=Role.CLIENT,
        setup=_room_missing,
    ),
    PageSpec(
        key="waitingroom:draw (tirage publié)",
        url_name="waitingroom:draw",
        setup=_room_drawn,
        kwargs=_first("IntakePeriod", "period_id"),
    ),
    PageSpec(
        key="waitingroom:live (ouverture en direct)",
        url_name="waitingroom:live",
        setup=_room_drawn,
        kwargs=_first("IntakePeriod", "period_id"),
    ),
    PageSpec(
        key="intake:home (en vérification)",
        url_name="intake:home",
        role=Role.CLIENT,
        setup=_in_verification,
    ),
    PageSpec(
        key="backoffice:intake_application (en vérification)",
        url_name="backoffice:intake_application",
        role=Role.MINISTRY_STAFF,
        setup=_officer_verification,
        kwargs=_first("Application", "application_id"),
    ),
    PageSpec(
        key="accounts:email_verification",
        url_name="accounts:email_verification",
        role=Role.CLIENT,
    ),
    PageSpec(
        key="accounts:verify_email",
        url_name="accounts:verify_email",
        kwargs=lambda: {"token": "lien-de-confirmation"},
    ),
    PageSpec(
        key="core:help (mon-projet-quebec)",
        url_name="core:help",
        kwargs=lambda: {"topic": "mon-projet-quebec"},
    ),
    PageSpec(
        key="waitingroom:room (avant l'ouverture)",
        url_name="waitingroom:room",
        role=Role.CLIENT,
        setup=_room_coming,
    ),
    PageSpec(
        key="waitingroom:room (se connecter)",
        url_name="waitingroom:room",
        role=Role.CLIENT,
        setup=_room_open,
    ),
    PageSpec(
        key="waitingroom:room (en attente)",
        url_name="waitingroom:room",
        role=Role.CLIENT,
        setup=_room_waiting,
    ),
    PageSpec(
        key="waitingroom:room (votre tour)",
        url_name="waitingroom:room",
        role=Role.CLIENT,
        setup=_room_turn,
    ),
    PageSpec(
        key="waitingroom:room (fenêtre expirée)",
        url_name="waitingroom:room",
        role=Role.CLIENT,
        setup=_room_expired,
    ),
    PageSpec(
        key="waitingroom:room (fermée)",
        url_name="waitingroom:room",
        role=Role.CLIENT,
        setup=_room_closed,
    ),
    PageSpec(
        key="backoffice:waiting_room",
        url_name="backoffice:waiting_room",
        role=Role.MINISTRY_STAFF,
        setup=_room_officer,
        kwargs=_first("IntakePeriod", "period_id"),
    ),
    PageSpec(
        key="backoffice:waiting_room (erreurs)",
        url_name="backoffice:waiting_room",
        role=Role.MINISTRY_STAFF,
        setup=_room_officer,
        kwargs=_first("IntakePeriod", "period_id"),
        post={"open-confirmation": "12"},
        action="open",
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:waiting_room (tirage, file préalable en erreur)",
        url_name="backoffice:waiting_room",
        role=Role.MINISTRY_STAFF,
        setup=_room_officer_lottery,
        kwargs=_first("IntakePeriod", "period_id"),
        post={"pre_queue-pre_queue_opens_at": "2099-01-01T10:00"},  # after the opening
        action="pre_queue",
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:waiting_room (ouverte)",
        url_name="backoffice:waiting_room",
        role=Role.MINISTRY_STAFF,
        setup=_room_officer_open,
        kwargs=_first("IntakePeriod", "period_id"),
    ),
]


EXTRA_PAGES = [
    PageSpec(key="accounts:login (erreurs)", url_name="accounts:login", post=BAD_LOGIN),
    PageSpec(
        key="accounts:login (verrouillé)",
        url_name="accounts:login",
        before=tuple(("accounts:login", BAD_LOGIN) for _ in range(4)),
        post=BAD_LOGIN,
        expected_status=429,
    ),
    PageSpec(
        key="accounts:profile_create (erreurs)",
        url_name="accounts:profile_create",
        post={**PROFILE_STEP1, "user_code_confirm": "autre", "password": "court"},
    ),
    PageSpec(
        key="accounts:profile_create_security",
        url_name="accounts:profile_create_security",
        before=(("accounts:profile_create", PROFILE_STEP1),),
    ),
    PageSpec(
        key="accounts:profile_create_security (erreurs)",
        url_name="accounts:profile_create_security",
        before=(("accounts:profile_create", PROFILE_STEP1),),
        post={**PROFILE_STEP2, "email_confirm": "x@example.org", "question_2": "first_flight"},
    ),
    PageSpec(
        key="accounts:profile_created",
        url_name="accounts:profile_created",
        before=(
            ("accounts:profile_create", PROFILE_STEP1),
            ("accounts:profile_create_security", PROFILE_STEP2),
        ),
    ),
    PageSpec(
        key="accounts:forgot_password (erreurs)",
        url_name="accounts:forgot_password",
        post={"user_code": "", "email": "pas-une-adresse"},
    ),
    PageSpec(key="accounts:logout (client)", url_name="accounts:logout", role=Role.CLIENT),
    PageSpec(key="core:home (client)", url_name="core:home", role=Role.CLIENT),
    PageSpec(key="accounts:profile_update", url_name="accounts:profile_update", role=Role.CLIENT),
    PageSpec(
        key="accounts:profile_update (erreurs)",
        url_name="accounts:profile_update",
        role=Role.CLIENT,
        post={
            "email": "x@example.org",
            "email_confirm": "y@example.org",
            "question_1": "hobby",
            "answer_1": "",
            "question_2": "hobby",
            "answer_2": "",
        },
    ),
    PageSpec(key="accounts:password_change", url_name="accounts:password_change", role=Role.CLIENT),
    PageSpec(
        key="accounts:password_change (erreurs)",
        url_name="accounts:password_change",
        role=Role.CLIENT,
        post={"old_password": "x", "new_password": "a", "new_password_confirm": "b"},
    ),
    PageSpec(key="core:dev_mail", url_name="core:dev_mail", debug=True, kwargs=_latest_mail),
    PageSpec(
        key="clients:registration_start", url_name="clients:registration_start", role=Role.CLIENT
    ),
    *[
        PageSpec(
            key=f"clients:registration_step {n}",
            url_name=f"clients:registration_step#{n}",
            role=Role.CLIENT,
            before=steps_before(n),
        )
        for n in range(1, 7)
    ],
    *[
        PageSpec(
            key=f"clients:registration_step {n} (erreurs)",
            url_name=f"clients:registration_step#{n}",
            role=Role.CLIENT,
            before=steps_before(n),
            post=bad,
        )
        for n, bad in [
            (1, {"status_granted_on": "13/09/2012"}),
            (2, {"cic_client_id": "12", "email_confirm": "x@example.org"}),
            (3, {"postal_code": "M5V 2T6", "phone_home": "555"}),
            (5, {"accept": ""}),
        ]
    ],
    PageSpec(
        key="clients:registration_step 1 (statut non admissible)",
        url_name="clients:registration_step#1",
        role=Role.CLIENT,
        post={"status": _status_id("other"), "status_granted_on": "2020-01-01"},
    ),
    PageSpec(
        key="clients:registration_confirm_record",
        url_name="clients:registration_confirm_record",
        role=Role.CLIENT,
        setup=_draco_on_file,
        before=DRACO_REGISTRATION,
    ),
    PageSpec(
        key="clients:registration_confirm_record (erreur)",
        url_name="clients:registration_confirm_record",
        role=Role.CLIENT,
        setup=_draco_on_file,
        before=DRACO_REGISTRATION,
        post={"code": "AAAA-BBBB-CCCC"},
        expected_status=422,
    ),
    PageSpec(
        key="clients:partner_access",
        url_name="clients:partner_access",
        setup=_access_requested,
        kwargs=lambda: {"token": ACCESS_TOKEN},
    ),
    PageSpec(
        key="clients:registration_done",
        url_name="clients:registration_done",
        role=Role.CLIENT,
        before=(*steps_before(6), ("clients:registration_step#6", {})),
    ),
    PageSpec(
        key="core:home (client inscrit)", url_name="core:home", role=Role.CLIENT, setup=_registered
    ),
    PageSpec(
        key="clients:status_update",
        url_name="clients:status_update",
        role=Role.CLIENT,
        setup=_registered,
    ),
    PageSpec(
        key="clients:contact_update",
        url_name="clients:contact_update",
        role=Role.CLIENT,
        setup=_registered,
    ),
    PageSpec(
        key="clients:contact_update (erreurs)",
        url_name="clients:contact_update",
        role=Role.CLIENT,
        setup=_registered,
        post={"postal_code": "123", "phone_home": ""},
    ),
    PageSpec(
        key="clients:authorization_code (erreurs)",
        url_name="clients:authorization_code",
        post={"code": "XXXX", "birth_date": "1980-10-01", "sex": "M"},
    ),
    PageSpec(
        key="clients:authorization_identifier",
        url_name="clients:authorization_identifier",
        setup=_code_issued,
        before=(
            (
                "clients:authorization_code",
                {"code": KNOWN_CODE, "birth_date": "1980-10-01", "sex": "M"},
            ),
        ),
    ),
    PageSpec(
        key="accounts:profile_create (avec code)",
        url_name="accounts:profile_create",
        setup=_code_issued,
        before=(
            (
                "clients:authorization_code",
                {"code": KNOWN_CODE, "birth_date": "1980-10-01", "sex": "M"},
            ),
            ("clients:authorization_identifier", {"reference_number": "C3333726"}),
        ),
    ),
    PageSpec(
        key="accounts:forgot_password_question (erreurs)",
        url_name="accounts:forgot_password_question",
        before=(
            ("accounts:forgot_password", {"user_code": "inconnu01", "email": "x@example.org"}),
        ),
        post={"answer": "Paris"},
    ),
    PageSpec(
        key="accounts:login_verify",
        url_name="accounts:login_verify",
        setup=_two_factor_user,
        before=(("accounts:login", {"username": "DeuxFacteurs1", "password": "Motdepasse2026"}),),
    ),
    PageSpec(
        key="accounts:login_verify (erreurs)",
        url_name="accounts:login_verify",
        setup=_two_factor_user,
        before=(("accounts:login", {"username": "DeuxFacteurs1", "password": "Motdepasse2026"}),),
        post={"code": "000000"},
    ),
    PageSpec(
        key="accounts:two_factor_setup", url_name="accounts:two_factor_setup", role=Role.CLIENT
    ),
    PageSpec(
        key="accounts:two_factor_setup (personnel)",
        url_name="accounts:two_factor_setup",
        role=Role.PARTNER_STAFF,
    ),
    PageSpec(
        key="accounts:two_factor_setup (activée)",
        url_name="accounts:two_factor_setup",
        role=Role.CLIENT,
        setup=_with_device,
    ),
    PageSpec(
        key="appointments:mine (aucun)",
        url_name="appointments:mine",
        role=Role.CLIENT,
        setup=_registered,
    ),
    PageSpec(
        key="appointments:mine",
        url_name="appointments:mine",
        role=Role.CLIENT,
        setup=_with_bookings,
    ),
    PageSpec(
        key="appointments:book", url_name="appointments:book", role=Role.CLIENT, setup=_bookable
    ),
    PageSpec(
        key="appointments:book (résultats)",
        url_name="appointments:book",
        role=Role.CLIENT,
        setup=_bookable,
        query=_search_query,
    ),
    PageSpec(
        key="appointments:cancel",
        url_name="appointments:cancel",
        role=Role.CLIENT,
        setup=_with_bookings,
        kwargs=_first_booking,
    ),
    PageSpec(
        key="appointments:book (séance complète)",
        url_name="appointments:book",
        role=Role.CLIENT,
        setup=_full_session,
        query=_search_query,
    ),
    PageSpec(
        key="appointments:book (information complémentaire)",
        url_name="appointments:book",
        role=Role.CLIENT,
        setup=_needs_information,
        query=_search_query,
        post={"session": _session_id},
    ),
    PageSpec(
        key="appointments:reschedule",
        url_name="appointments:reschedule",
        role=Role.CLIENT,
        setup=_reschedulable,
        kwargs=_first_booking,
    ),
    PageSpec(
        key="appointments:mine (liste d'attente)",
        url_name="appointments:mine",
        role=Role.CLIENT,
        setup=_full_with_waitlist,
    ),
    PageSpec(
        key="appointments:waitlist_claim",
        url_name="appointments:waitlist_claim",
        role=Role.CLIENT,
        setup=_full_with_waitlist,
        kwargs=_offered_entry,
    ),
    PageSpec(
        key="backoffice:calendar (partenaire)",
        url_name="backoffice:calendar",
        role=Role.PARTNER_STAFF,
        setup=_staff_session,
    ),
    PageSpec(
        key="backoffice:calendar (ministère)",
        url_name="backoffice:calendar",
        role=Role.MINISTRY_STAFF,
        setup=_staff_session,
    ),
    PageSpec(
        key="backoffice:dashboard",
        url_name="backoffice:dashboard",
        role=Role.MINISTRY_STAFF,
        setup=_staff_session,
    ),
    PageSpec(
        key="complaints:new (client)",
        url_name="complaints:new",
        role=Role.CLIENT,
        setup=_with_bookings,
    ),
    PageSpec(
        key="complaints:new (erreurs)",
        url_name="complaints:new",
        post={"subject": "", "body": "Gardé", "email": "pas-un-courriel"},
        expected_status=422,
    ),
    PageSpec(
        key="appointments:mine (complétés)",
        url_name="appointments:mine",
        role=Role.CLIENT,
        setup=_held_appointment,
    ),
    PageSpec(
        key="complaints:satisfaction",
        url_name="complaints:satisfaction",
        role=Role.CLIENT,
        setup=_held_appointment,
        kwargs=_held_booking_id,
    ),
    PageSpec(
        key="complaints:satisfaction (erreurs)",
        url_name="complaints:satisfaction",
        role=Role.CLIENT,
        setup=_held_appointment,
        kwargs=_held_booking_id,
        post={},
        expected_status=422,
    ),
    PageSpec(
        key="complaints:mine",
        url_name="complaints:mine",
        role=Role.CLIENT,
        setup=_complaint_author,
    ),
    PageSpec(
        key="complaints:detail",
        url_name="complaints:detail",
        role=Role.CLIENT,
        setup=_complaint_author,
        kwargs=_latest_complaint,
    ),
    PageSpec(
        key="complaints:follow",
        url_name="complaints:follow",
        setup=_anonymous_complaint,
        kwargs=_follow_key,
    ),
    PageSpec(
        key="complaints:follow (à confirmer)",
        url_name="complaints:follow",
        setup=_unconfirmed_complaint,
        kwargs=_follow_key,
    ),
    PageSpec(
        key="complaints:follow (lien expiré)",
        url_name="complaints:follow",
        setup=_unconfirmed_complaint,
        kwargs=_expired_follow_key,
        expected_status=410,
    ),
    PageSpec(
        key="complaints:new_link (erreurs)",
        url_name="complaints:new_link",
        post={"email": "pas-un-courriel"},
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:complaints",
        url_name="backoffice:complaints",
        role=Role.MINISTRY_STAFF,
        setup=_commissioner,
    ),
    PageSpec(
        key="backoffice:complaint",
        url_name="backoffice:complaint",
        role=Role.MINISTRY_STAFF,
        setup=_commissioner,
        kwargs=_latest_complaint,
    ),
    PageSpec(
        key="backoffice:complaint (erreurs)",
        url_name="backoffice:complaint",
        role=Role.MINISTRY_STAFF,
        setup=_commissioner,
        kwargs=_latest_complaint,
        post={"answer-body": ""},
        action="answer",
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:commitment_capacity",
        url_name="backoffice:commitment_capacity",
        role=Role.MINISTRY_STAFF,
        setup=_seats_in_time,
    ),
    PageSpec(
        key="backoffice:commitment_report",
        url_name="backoffice:commitment_report",
        role=Role.MINISTRY_STAFF,
        setup=_commitment_figures,
    ),
    PageSpec(
        key="backoffice:commitment_report (erreurs)",
        url_name="backoffice:commitment_report",
        role=Role.MINISTRY_STAFF,
        setup=_commitment_figures,
        query=lambda: "du=2026-03-31&au=2026-02-01",
        expected_status=422,
    ),
    PageSpec(
        key="commitments:processing_times (données)",
        url_name="commitments:processing_times",
        setup=_commitment_figures,
    ),
    PageSpec(
        key="backoffice:closure_days",
        url_name="backoffice:closure_days",
        role=Role.MINISTRY_STAFF,
        setup=_closure_days,
    ),
    PageSpec(
        key="backoffice:closure_days (erreurs)",
        url_name="backoffice:closure_days",
        role=Role.MINISTRY_STAFF,
        setup=_closure_days,
        post={"day": "", "reason_fr": "Tempête"},
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:audit",
        url_name="backoffice:audit",
        role=Role.MINISTRY_STAFF,
        setup=_staff_session,
    ),
    PageSpec(
        key="backoffice:audit (résultats)",
        url_name="backoffice:audit",
        role=Role.MINISTRY_STAFF,
        setup=_staff_session,
        query=lambda: f"seance={_staff_session_id()['session_id']}&source=",
    ),
    PageSpec(
        key="backoffice:audit (erreurs)",
        url_name="backoffice:audit",
        role=Role.MINISTRY_STAFF,
        setup=_staff_session,
        query=lambda: "client=&du=2026-99-99",
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:clients",
        url_name="backoffice:clients",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
    ),
    PageSpec(
        key="backoffice:clients (résultats)",
        url_name="backoffice:clients",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
        post={"last_name": "Diablos"},
    ),
    PageSpec(
        key="backoffice:clients (erreurs)",
        url_name="backoffice:clients",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
        post={"last_name": "", "birth_date": "1980-02-31"},
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:client",
        url_name="backoffice:client",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
        kwargs=_staff_client_id,
    ),
    PageSpec(
        key="backoffice:booking_cancel",
        url_name="backoffice:booking_cancel",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
        kwargs=_staff_booking_id,
    ),
    PageSpec(
        key="backoffice:register_client",
        url_name="backoffice:register_client",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
    ),
    PageSpec(
        key="backoffice:register_client (erreurs)",
        url_name="backoffice:register_client",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
        post={"last_name": "Flamenco", "birth_date": "1990-02-31", "postal_code": "12345"},
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:booking_reschedule",
        url_name="backoffice:booking_reschedule",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
        kwargs=_staff_booking_id,
    ),
    PageSpec(
        key="backoffice:add_participant",
        url_name="backoffice:add_participant",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
        kwargs=_staff_session_id,
    ),
    PageSpec(
        key="backoffice:add_participant (erreurs)",
        url_name="backoffice:add_participant",
        role=Role.PARTNER_STAFF,
        setup=_staff_client,
        kwargs=_staff_session_id,
        post={"client_number": "00000", "overbook": True},
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:create",
        url_name="backoffice:create",
        role=Role.PARTNER_STAFF,
        setup=_staff_session,
    ),
    PageSpec(
        key="backoffice:create (erreurs)",
        url_name="backoffice:create",
        role=Role.PARTNER_STAFF,
        setup=_staff_session,
        post={"first_date": "2026-13-45", "capacity": "0"},
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:session",
        url_name="backoffice:session",
        role=Role.PARTNER_STAFF,
        setup=_staff_session,
        kwargs=_staff_session_id,
    ),
    PageSpec(
        key="backoffice:session (modules)",
        url_name="backoffice:session",
        role=Role.PARTNER_STAFF,
        setup=_staff_modules,
        kwargs=_staff_session_id,
    ),
    PageSpec(
        key="backoffice:module_attendance",
        url_name="backoffice:module_attendance",
        role=Role.PARTNER_STAFF,
        setup=_staff_modules,
        kwargs=lambda: {**_staff_session_id(), "position": 1},
    ),
    PageSpec(
        key="backoffice:module_attendance (à venir)",
        url_name="backoffice:module_attendance",
        role=Role.PARTNER_STAFF,
        setup=_staff_modules,
        kwargs=lambda: {**_staff_session_id(), "position": 2},
    ),
    PageSpec(
        key="backoffice:places",
        url_name="backoffice:places",
        role=Role.PARTNER_STAFF,
        setup=_staff_session,
    ),
    PageSpec(
        key="backoffice:place_new (erreurs)",
        url_name="backoffice:place_new",
        role=Role.PARTNER_STAFF,
        setup=_staff_session,
        post={"name": "Nouveau lieu", "postal_code": "12345"},
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:place_edit",
        url_name="backoffice:place_edit",
        role=Role.PARTNER_STAFF,
        setup=_staff_session,
        kwargs=_staff_place_id,
    ),
    PageSpec(
        key="backoffice:offered_types (ministère)",
        url_name="backoffice:offered_types",
        role=Role.MINISTRY_STAFF,
        setup=_staff_session,
    ),
    PageSpec(
        key="backoffice:cancel",
        url_name="backoffice:cancel",
        role=Role.PARTNER_STAFF,
        setup=_staff_session,
        kwargs=_staff_session_id,
    ),
    PageSpec(
        key="appointments:catalogue (avec types)",
        url_name="appointments:catalogue",
        setup=_appointment_type,
    ),
    PageSpec(
        key="appointments:type_detail",
        url_name="appointments:type_detail",
        setup=_appointment_type,
        kwargs=lambda: {"slug": "premieres-demarches"},
    ),
    PageSpec(
        key="core:help",
        url_name="core:help",
        kwargs=lambda: {"topic": "rendez-vous"},
    ),
    PageSpec(
        key="core:help (profil)",
        url_name="core:help",
        kwargs=lambda: {"topic": "profil"},
    ),
    PageSpec(
        key="core:help (employeurs)",
        url_name="core:help",
        kwargs=lambda: {"topic": "employeurs"},
    ),
    PageSpec(
        key="clients:forgot_user_code (erreurs)",
        url_name="clients:forgot_user_code",
        post={"last_name": "Diablos", "first_name": "", "birth_date": "1980-13-01"},
    ),
    PageSpec(
        key="accounts:personal_profile",
        url_name="accounts:personal_profile",
        role=Role.CLIENT,
    ),
    PageSpec(
        key="accounts:personal_profile (erreurs)",
        url_name="accounts:personal_profile",
        role=Role.CLIENT,
        post={"passport_last_name": "Valdero", "birth_date": "2000-02-31", "home_phone": "12"},
    ),
    PageSpec(key="dossiers:mine", url_name="dossiers:mine", role=Role.CLIENT, setup=_draft),
    PageSpec(key="dossiers:mine (vide)", url_name="dossiers:mine", role=Role.CLIENT),
    PageSpec(key="dossiers:create", url_name="dossiers:create", role=Role.CLIENT),
    PageSpec(
        key="dossiers:create (erreurs)",
        url_name="dossiers:create",
        role=Role.CLIENT,
        post={"kind": ""},
    ),
    PageSpec(
        key="dossiers:conditions",
        url_name="dossiers:conditions",
        role=Role.CLIENT,
        setup=_with_profile,
        kwargs=lambda: {"kind": "accompagnement_quebec"},
    ),
    PageSpec(
        key="dossiers:conditions (profil à remplir)",
        url_name="dossiers:conditions",
        role=Role.CLIENT,
        kwargs=lambda: {"kind": "accompagnement_quebec"},
    ),
    PageSpec(
        key="dossiers:conditions (refus)",
        url_name="dossiers:conditions",
        role=Role.CLIENT,
        setup=_with_profile,
        kwargs=lambda: {"kind": "accompagnement_quebec"},
        post={"document": "none"},
        expected_status=422,
    ),
    PageSpec(
        key="dossiers:link",
        url_name="dossiers:link",
        role=Role.CLIENT,
        setup=_with_profile,
        kwargs=lambda: {"kind": "accompagnement_quebec"},
    ),
    PageSpec(
        key="dossiers:link (introuvable)",
        url_name="dossiers:link",
        role=Role.CLIENT,
        setup=_with_profile,
        kwargs=lambda: {"kind": "accompagnement_quebec"},
        post={"number": "G2600000999"},
        expected_status=422,
    ),
    PageSpec(
        key="dossiers:section (identification, erreurs)",
        url_name="dossiers:section",
        role=Role.CLIENT,
        setup=_draft,
        kwargs=_identification,
    ),
    PageSpec(
        key="dossiers:section (premier rendez-vous, langues)",
        url_name="dossiers:section",
        role=Role.CLIENT,
        setup=_draft,
        kwargs=_first_appointment,
    ),
    PageSpec(
        key="dossiers:section (quitter sans enregistrer?)",
        url_name="dossiers:section",
        role=Role.CLIENT,
        setup=_draft,
        kwargs=_identification,
        post={"mifi_number": "ABCDEFGH9"},
        action="quit",
    ),
    PageSpec(
        key="dossiers:recap",
        url_name="dossiers:recap",
        role=Role.CLIENT,
        setup=_draft,
        kwargs=_dossier_id,
    ),
    PageSpec(
        key="dossiers:submit (erreurs)",
        url_name="dossiers:submit",
        role=Role.CLIENT,
        setup=_draft,
        kwargs=_dossier_id,
    ),
    PageSpec(
        key="dossiers:submit (étape 1)",
        url_name="dossiers:submit",
        role=Role.CLIENT,
        setup=_complete_draft,
        kwargs=_dossier_id,
    ),
    PageSpec(
        key="dossiers:submit (étape 2)",
        url_name="dossiers:submit",
        role=Role.CLIENT,
        setup=_complete_draft,
        kwargs=_dossier_id,
        query=lambda: "etape=2",
    ),
    PageSpec(
        key="dossiers:submit (étape 3)",
        url_name="dossiers:submit",
        role=Role.CLIENT,
        setup=_complete_draft,
        kwargs=_dossier_id,
        query=lambda: "etape=3",
    ),
    PageSpec(
        key="dossiers:detail",
        url_name="dossiers:detail",
        role=Role.CLIENT,
        setup=_followed,
        kwargs=_dossier_id,
    ),
    PageSpec(key="documents:mine", url_name="documents:mine", role=Role.CLIENT, setup=_followed),
    PageSpec(key="documents:mine (vide)", url_name="documents:mine", role=Role.CLIENT),
    PageSpec(key="messaging:inbox", url_name="messaging:inbox", role=Role.CLIENT, setup=_followed),
    PageSpec(key="messaging:inbox (vide)", url_name="messaging:inbox", role=Role.CLIENT),
    PageSpec(
        key="messaging:thread",
        url_name="messaging:thread",
        role=Role.CLIENT,
        setup=_followed,
        kwargs=_thread_id,
    ),
    PageSpec(
        key="messaging:thread (erreurs)",
        url_name="messaging:thread",
        role=Role.CLIENT,
        setup=_followed,
        kwargs=_thread_id,
        post={"body": ""},
    ),
    PageSpec(
        key="backoffice:dossiers",
        url_name="backoffice:dossiers",
        role=Role.MINISTRY_STAFF,
        setup=_agent_dossier,
    ),
    PageSpec(
        key="backoffice:dossiers (filtres)",
        url_name="backoffice:dossiers",
        role=Role.MINISTRY_STAFF,
        setup=_agent_dossier,
        query=lambda: "status=closed&language=es",
    ),
    PageSpec(
        key="backoffice:dossier",
        url_name="backoffice:dossier",
        role=Role.MINISTRY_STAFF,
        setup=_agent_dossier,
        kwargs=_dossier_id,
    ),
    PageSpec(
        key="backoffice:dossier (erreurs)",
        url_name="backoffice:dossier",
        role=Role.MINISTRY_STAFF,
        setup=_agent_dossier,
        kwargs=_dossier_id,
        post={"appointment-date": "2020-01-01", "appointment-mode": "in_person"},
        action="appointment",
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:dossier_open",
        url_name="backoffice:dossier_open",
        role=Role.MINISTRY_STAFF,
        setup=_agent_dossier,
    ),
    PageSpec(
        key="backoffice:dossier_open (erreurs)",
        url_name="backoffice:dossier_open",
        role=Role.MINISTRY_STAFF,
        setup=_agent_dossier,
        post={"first_name": "", "birth_date": "1970-13-01"},
    ),
    PageSpec(
        key="payments:pay",
        url_name="payments:pay",
        role=Role.EMPLOYER,
        setup=_payable,
        kwargs=_payable_id,
    ),
    PageSpec(
        key="payments:slip",
        url_name="payments:slip",
        role=Role.EMPLOYER,
        setup=_mail_payment,
        kwargs=_payment_reference,
    ),
    PageSpec(
        key="payments:return",
        url_name="payments:return",
        role=Role.EMPLOYER,
        setup=_mail_payment,
        kwargs=_payment_token,
    ),
    PageSpec(
        key="testbank:pay",
        url_name="testbank:pay",
        setup=_bank_payment,
        kwargs=_bank_payment_id,
    ),
    PageSpec(
        key="testbank:pay (erreurs)",
        url_name="testbank:pay",
        setup=_bank_payment,
        kwargs=_bank_payment_id,
        post={"number": "1234", "expiry": "13/20", "cvc": "x", "name": ""},
        action="pay",
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:payments",
        url_name="backoffice:payments",
        role=Role.MINISTRY_STAFF,
        setup=_officer_with_mail_payment,
        query=lambda: "q=PayeurEssai01",
    ),
    PageSpec(
        key="backoffice:payment",
        url_name="backoffice:payment",
        role=Role.MINISTRY_STAFF,
        setup=_officer_with_mail_payment,
        kwargs=_payment_reference,
    ),
    PageSpec(
        key="backoffice:payment (erreurs)",
        url_name="backoffice:payment",
        role=Role.MINISTRY_STAFF,
        setup=_officer_with_mail_payment,
        kwargs=_payment_reference,
        post={
            "envelope-method": "money_order",
            "envelope-amount": "abc",
            "envelope-received_on": "2020-13-01",
        },
        action="envelope",
        expected_status=422,
    ),
    PageSpec(
        key="backoffice:payments_report",
        url_name="backoffice:payments_report",
        role=Role.MINISTRY_STAFF,
        setup=_officer_with_mail_payment,
    ),
    *EMPLOYER_PAGES,
    *OFFER_PAGES,
    *INTAKE_PAGES,
    *WAITING_ROOM_PAGES,
    PageSpec(
        key="404",
        url_name="",
        expected_status=404,
        raw_path={"fr": "/fr/nexiste-pas/", "en": "/en/does-not-exist/"},
    ),
]

# Public routes that only make sense after earlier steps (listed above with them).
NEEDS_SETUP = {
    "accounts:forgot_password_question",
    "accounts:login_verify",
    "accounts:profile_create_security",
    "accounts:profile_created",
    "clients:authorization_identifier",
    "accounts:login_question",
    "employers:gckey_username",
    "employers:gckey_password",
    "employers:gckey_recovery",
    "employers:gckey_created",
    "employers:gckey_forgot_answers",
    "employers:gckey_forgot_password",
}


# Public routes that answer a program, not a person (no HTML): probes, the waiting room's poll.
NOT_PAGES = {"healthz", "livez", "waitingroom:poll"}


def public_routes() -> list[PageSpec]:
    specs = []
    for route in walk(get_resolver().url_patterns):
        policy = policy_of(route.view)
        if is_self_guarded(route.view) or policy is None or not policy.public or route.kwargs:
            continue
        if policy.machine:  # another system's endpoint, not a page
            continue
        if route.name in NOT_PAGES or route.name in NEEDS_SETUP:
            continue
        specs.append(PageSpec(key=route.name, url_name=route.name, debug=policy.debug_only))
    return specs


def all_pages() -> list[PageSpec]:
    return public_routes() + EXTRA_PAGES
