"""Someone else's objects answer 404, for every URL that takes an object's id (ISSUE 14 §5).

A client asks for another client's appointments, waitlist entries, messages, documents and
dossiers; partner staff ask for another organisation's places, sessions, appointments and a
client they may not see; an employer's user asks for another company's messages, documents
and payment slips, and ministry staff without the employer-files role for a registration.
Each URL is asked with GET and with POST. The owner's own GET is the
control: the same ids are real, so the 404 comes from the scoping, not from a wrong id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import get_resolver, reverse
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import OrganisationFactory, UserFactory, staff
from guichet.accounts.tests.routes import walk
from guichet.appointments.models import Booking, SessionModule, WaitlistEntry
from guichet.appointments.tests.factories import PlaceFactory, SessionFactory
from guichet.clients.tests.factories import ClientFactory
from guichet.core.access import is_self_guarded, policy_of
from guichet.documents.models import Document
from guichet.dossiers.kinds.accompagnement import casework
from guichet.dossiers.models import AgentAppointment
from guichet.dossiers.tests.factories import agent, submitted, with_profile

pytestmark = pytest.mark.django_db

ROUTES = [r for r in walk(get_resolver().url_patterns) if not is_self_guarded(r.view)]


def _client_world() -> dict[str, Any]:
    """Another client's records, one of each."""
    owner = with_profile(UserFactory.create(role=Role.CLIENT))
    record = ClientFactory.create(user=owner, cic_client_id="30000077", french_sufficient=True)
    session = SessionFactory.create()
    booking = Booking.objects.create(client=record, session=session, source="client")
    entry = WaitlistEntry.objects.create(client=record, session=SessionFactory.create())
    dossier = submitted(owner)
    worker = agent()
    action = casework.add_action(
        dossier=dossier, title="Ouvrir un compte", description="", due_date=None, actor=worker
    )
    casework.message_client(dossier=dossier, body="Bonjour", actor=worker)
    meeting = AgentAppointment.objects.create(
        dossier=dossier, starts_at=timezone.now() + timedelta(days=3), mode="virtual", agent=worker
    )
    document = Document.objects.create(
        owner=owner,
        dossier=dossier,
        kind="recap",
        title="Récapitulatif",
        filename="r.pdf",
        content=b"%PDF-1.7",
    )
    dossier.refresh_from_db()
    slip = _mail_payment(owner)
    return {
        "owner": owner,
        "ids": {
            "reference": slip.reference,
            "booking_id": booking.pk,
            "entry_id": entry.pk,
            "thread_id": dossier.thread.pk,
            "document_id": document.pk,
            "dossier_id": dossier.pk,
            "action_id": action.pk,
            "appointment_id": meeting.pk,
            "key": "identification",
        },
    }


def _mail_payment(owner: User) -> Any:
    """A payment by mail the owner chose (its slip is theirs only)."""
    from guichet.payments.models import Method, Payment

    return Payment.objects.create(
        reference="P269999999",
        purpose="essai",
        object_id=str(owner.pk),
        payer=owner,
        method=Method.MAIL,
        amount_cents=23000,
        idempotency_key="scoping",
        return_token="s" * 43,
        expires_at=timezone.now() + timedelta(days=30),
        status="started",
    )


def _organisation_world() -> dict[str, Any]:
    """Another organisation's place, session (with a module), appointment, and a client it
    registered who did not consent to partner access."""
    organisation = OrganisationFactory.create()
    place = PlaceFactory.create(organisation=organisation)
    session = SessionFactory.create(place=place)
    SessionModule.objects.create(
        session=session, position=1, starts_at=session.starts_at, duration_minutes=60
    )
    hidden = ClientFactory.create(
        consents_to_partner_access=False, registered_by_organisation=organisation
    )
    booking = Booking.objects.create(client=hidden, session=session, source="partner")
    owner = staff(Role.PARTNER_STAFF, organisation)
    return {
        "owner": owner,
        "ids": {
            "place_id": place.pk,
            "session_id": session.pk,
            "booking_id": booking.pk,
            "client_id": hidden.pk,
            "position": 1,
        },
    }


def _walk_as(
    browser: Browser, user: User, ids: dict[str, Any], role: str
) -> tuple[list[str], list[str]]:
    """(routes that did not answer 404, routes asked) for `user` with someone else's ids."""
    browser.force_login(user)
    wrong, asked = [], []
    for route in ROUTES:
        policy = policy_of(route.view)
        if policy is None or not policy.allows_role(role) or policy.public:
            continue
        if not route.kwargs or not set(route.kwargs) <= set(ids):
            continue
        url = reverse(route.name, kwargs={k: ids[k] for k in route.kwargs})
        answers = {browser.get(url).status_code, browser.post(url, {}).status_code}
        asked.append(route.name)
        if not answers <= {404, 405} or 404 not in answers:
            wrong.append(f"{route.name} {sorted(answers)}")
    return wrong, asked


def _owner_sees(browser: Browser, owner: User, ids: dict[str, Any], names: list[str]) -> list[str]:
    browser.force_login(owner)
    found = {r.name: r for r in ROUTES}
    missing = []
    for name in names:
        route = found[name]
        url = reverse(name, kwargs={k: ids[k] for k in route.kwargs})
        if browser.get(url).status_code == 404:
            missing.append(name)
    return missing


def _employer_world() -> dict[str, Any]:
    """Another company's primary user: a message in its account, a document, a mail slip."""
    from guichet.employers.tests.factories import company, gckey_holder
    from guichet.messaging.models import Sender
    from guichet.messaging.services import post, topic_thread

    owner = gckey_holder()
    company(owner)
    thread = topic_thread(owner=owner, topic="employeurs", subject="Votre offre d'emploi")
    post(thread=thread, body="Bonjour", sender=Sender.MINISTRY)
    document = Document.objects.create(
        owner=owner, kind="recap", title="Offre", filename="o.pdf", content=b"%PDF-1.7"
    )
    slip = _mail_payment(owner)
    from guichet.employers.tests.factories import fee_schedule, offer, signed

    fee_schedule()
    draft = signed(offer(owner), owner)
    return {
        "owner": owner,
        "ids": {
            "reference": slip.reference,
            "thread_id": thread.pk,
            "document_id": document.pk,
            "dossier_id": draft.pk,
            "key": "emploi",
        },
    }


def _check(
    make_world: Callable[[], dict[str, Any]], intruder: User, role: str, *, at_least: int = 12
) -> None:
    world = make_world()
    browser = Browser()
    wrong, asked = _walk_as(browser, intruder, world["ids"], role)
    assert wrong == []
    assert len(asked) >= at_least, asked  # every URL that takes an id of these kinds
    assert _owner_sees(browser, world["owner"], world["ids"], asked) == []


def test_a_client_never_reaches_another_clients_records() -> None:
    intruder = with_profile(UserFactory.create(role=Role.CLIENT))
    ClientFactory.create(user=intruder, cic_client_id="30000078")
    _check(_client_world, intruder, Role.CLIENT)


def test_partner_staff_never_reach_another_organisations_records() -> None:
    intruder = staff(Role.PARTNER_STAFF, OrganisationFactory.create())
    _check(_organisation_world, intruder, Role.PARTNER_STAFF)


def test_an_employers_user_never_reaches_another_companys_records() -> None:
    from guichet.employers.tests.factories import company, gckey_holder, submitted_offer

    intruder = gckey_holder()
    company(intruder)
    world = _employer_world()
    browser = Browser()
    wrong, asked = _walk_as(browser, intruder, world["ids"], Role.EMPLOYER)
    assert wrong == [] and len(asked) >= 10, asked
    # The draft's owner reaches its pages; the worker's pages come once it is submitted.
    drafts = [name for name in asked if "worker" not in name]
    assert _owner_sees(browser, world["owner"], world["ids"], drafts) == []
    ids = {**world["ids"], "dossier_id": submitted_offer(world["owner"]).pk}
    wrong, asked = _walk_as(browser, intruder, ids, Role.EMPLOYER)
    assert wrong == []
    workers = ["employers:offer_worker", "employers:offer_worker_pdf", "employers:offer_view"]
    assert _owner_sees(browser, world["owner"], ids, workers) == []


def test_ministry_staff_without_the_employer_files_role_never_see_a_registration_or_offer() -> None:
    from guichet.employers.tests.factories import (
        company,
        gckey_holder,
        registration_at,
        submitted_offer,
    )

    registration = registration_at(UserFactory.create(role=Role.EMPLOYER), "pending")
    employer = gckey_holder()
    company(employer)
    submitted = submitted_offer(employer)
    owner = staff(Role.MINISTRY_STAFF)
    User.objects.filter(pk=owner.pk).update(handles_employer_files=True)
    ids = {"registration_id": registration.pk, "dossier_id": submitted.pk}
    browser = Browser()
    wrong, asked = _walk_as(browser, staff(Role.MINISTRY_STAFF), ids, Role.MINISTRY_STAFF)
    # A company's offer is not an agent's dossier either: every dossier page answers 404.
    assert wrong == [] and {"backoffice:employer_registration", "backoffice:employer_offer"} <= set(
        asked
    )
    mine = ["backoffice:employer_registration", "backoffice:employer_offer"]
    assert _owner_sees(browser, owner, ids, mine) == []


def test_ministry_staff_without_the_intake_role_never_see_a_period_or_application() -> None:
    from guichet.intake.tests.factories import candidate, officer, period, submitted

    opened = period()
    applicant = candidate()
    submitted(applicant)
    application = applicant.dossiers.get().application
    ids = {"period_id": opened.pk, "application_id": application.pk}
    browser = Browser()
    mine = ["backoffice:intake_period", "backoffice:intake_application"]
    for intruder in (staff(Role.MINISTRY_STAFF), with_profile(UserFactory.create())):
        role = intruder.role
        wrong, asked = _walk_as(browser, intruder, ids, role)
        assert wrong == []
        if role == Role.MINISTRY_STAFF:
            assert set(mine) <= set(asked)
    assert _owner_sees(browser, officer(), ids, mine) == []
    # The candidate's own pages take no id: another candidate finds only their own (none).
    browser.force_login(candidate())
    for name in ("intake:submit", "intake:documents"):
        answer = browser.get(reverse(name))
        assert answer.status_code in (404, 200)
        assert application.dossier.number not in answer.content.decode()


def test_only_the_commissioner_and_the_author_ever_see_a_complaint() -> None:
    """Confidential (seed 003): the agents and partners concerned, other ministry staff, other
    clients and employers, administrators: 404 on every page of a complaint."""
    from guichet.complaints import services as complaints

    author = with_profile(UserFactory.create(role=Role.CLIENT))
    complaint = complaints.submit(actor=author, kind="complaint", subject="S", body="B")
    ids = {"complaint_number": complaint.number}
    browser = Browser()
    office = ["backoffice:complaint"]
    intruders = [
        with_profile(UserFactory.create(role=Role.CLIENT)),
        staff(Role.PARTNER_STAFF, OrganisationFactory.create()),
        agent(),
        UserFactory.create(role=Role.EMPLOYER),
        staff(Role.ADMIN),
    ]
    for intruder in intruders:
        wrong, asked = _walk_as(browser, intruder, ids, intruder.role)
        assert wrong == [] and {"backoffice:complaint", "complaints:detail"} <= set(asked)
    wrong, asked = _walk_as(browser, author, ids, Role.CLIENT)
    assert wrong == ["complaints:detail [200, 405]"] and "backoffice:complaint" in asked
    member = staff(Role.MINISTRY_STAFF)
    User.objects.filter(pk=member.pk).update(handles_complaints=True)
    member.refresh_from_db()
    assert _owner_sees(browser, member, ids, office) == []
