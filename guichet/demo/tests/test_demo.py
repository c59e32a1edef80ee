import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from guichet.accounts.models import Role, User
from guichet.clients.models import Client
from guichet.demo.services import ACCOUNTS
from guichet.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_data_loads_twice_without_duplicates(settings) -> None:
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert User.objects.count() == len(ACCOUNTS)
    assert Organisation.objects.exclude(kind="employer").count() == 6
    assert set(User.objects.values_list("role", flat=True)) == set(Role)
    for account in ACCOUNTS:
        assert authenticate(username=account.username, password=account.password) is not None
    # The seed's people: Bernard Brandford registered, Draco Diablos known with no profile.
    assert Client.objects.count() == 3
    brandford = Client.objects.get(cic_client_id="58200462")
    assert brandford.user is not None and brandford.user.username == "BrAnDfOrD04"
    draco = Client.objects.get(reference_number="C3333726")
    assert draco.user is None
    assert brandford.client_number != draco.client_number
    # Appointment reference data and Bernard Brandford's upcoming appointment, loaded once.
    from guichet.appointments.models import AppointmentType, Booking, SessionModule

    assert AppointmentType.objects.count() == 9  # seed 000's eight and seed 003's session
    assert SessionModule.objects.filter(
        session__appointment_type__slug="objectif-integration"
    ).exists()
    # One upcoming, one held ten days ago (« Donner mon avis », seed 003's survey).
    assert Booking.objects.filter(client=brandford).count() == 2
    # The fee schedule: seed 004's 230 $, and the CSQ's example values across 1 January 2027.
    from datetime import date

    from guichet.payments.models import Fee
    from guichet.payments.services import rate_on

    permit = Fee.objects.get(code="permis-travail-sans-eimt")
    rate = rate_on(permit, date(2026, 12, 2))
    assert rate is not None and rate.amount_cents == 23000 and not rate.is_example
    csq = Fee.objects.get(code="csq-requerant-principal")
    december, january = rate_on(csq, date(2026, 12, 31)), rate_on(csq, date(2027, 1, 1))
    assert december is not None and january is not None and december.is_example
    assert december.amount_cents != january.amount_cents


def test_the_demo_has_a_registered_company_and_a_registration_to_verify(settings) -> None:
    from guichet.accounts.services import sign_in_question
    from guichet.employers.models import Company, Registration, RegistrationStatus

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    company = Company.objects.get()
    primary = User.objects.get(username="demoEmploy1")
    assert company.primary_user == primary and primary.organisation == company.organisation
    assert company.ministry_number.startswith("E") and len(company.ministry_number) == 9
    assert primary.security_answers.count() == 4 and sign_in_question(primary)
    waiting = Registration.objects.get(user__username="demoEmploy2")
    assert waiting.status == RegistrationStatus.PENDING
    assert User.objects.get(username="demoEmploy2").organisation is None
    assert User.objects.get(username="demoAgent001").handles_employer_files
    # One offer submitted (its fee paid by mail), one draft.
    from guichet.dossiers.models import Dossier, DossierStatus
    from guichet.payments.models import Payment, PaymentStatus

    offers = Dossier.objects.filter(kind="offre-emploi").order_by("number")
    assert [o.status for o in offers] == [DossierStatus.SUBMITTED, DossierStatus.DRAFT]
    assert Payment.objects.get(purpose="offre-emploi").status == PaymentStatus.SUCCESS


def test_demo_data_refuses_to_load_outside_debug(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", verbosity=0)


def test_the_catalogue_has_every_type_of_the_seed_each_with_its_organisations(settings) -> None:
    """Issue 13 #4: « VIVRE EN RÉGION - CENTRE-DU-QUÉBEC » was missing (seed 000 §2.3)."""
    from django.test import Client as HttpClient
    from django.urls import reverse

    from guichet.appointments.selectors import catalogue

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    seed = [
        "DÉPÔT D'UNE DEMANDE D'ÉVALUATION COMPARATIVE",
        "ÉVALUATION LINGUISTIQUE - FRANCISATION",
        "Objectif Intégration",
        "Session Premières démarches d'installation",
        "VIVRE EN RÉGION - ABITIBI-TÉMISCAMINGUE",
        "VIVRE EN RÉGION - BAS-SAINT-LAURENT",
        "VIVRE EN RÉGION - CAPITALE-NATIONALE",
        "VIVRE EN RÉGION - CENTRE-DU-QUÉBEC",
        # Seed 003 (« S'adapter au monde du travail québécois », within 15 business days).
        "Session de formation S'adapter au monde du travail québécois",
    ]
    types = list(catalogue())
    assert [t.title_fr for t in types] == seed
    assert all(getattr(t, "offering", None) for t in types)
    html = HttpClient().get(reverse("appointments:catalogue")).content.decode()
    assert "Aucun organisme n'offre ce service" not in html


def test_the_demo_has_a_session_under_way_to_try_attendance(settings) -> None:
    """Issue 13 #12: no session had begun with participants, so « Présence » could not be
    tried in the demo."""
    from django.utils import timezone

    from guichet.appointments.models import Session

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # twice: still one, with the same participants
    now = timezone.now()
    under_way = [
        s
        for s in Session.objects.filter(starts_at__lte=now, organisation__code="carrefour-montreal")
        if s.ends_at > now
    ]
    assert len(under_way) == 1
    assert under_way[0].bookings.count() == 2 == under_way[0].seats_taken


def test_the_demo_shows_a_seat_alert_and_a_commissioner(settings) -> None:
    """Seed 003 in the demo: Sherbrooke's first-steps seat comes too late (an alert in « Places
    dans les délais »), the commissioner has complaints to handle, and answers to the survey
    fill « Engagements »."""
    from django.utils import timezone

    from guichet.commitments.capacity import capacity
    from guichet.complaints.models import Complaint, Status, SurveyResponse

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    agent = User.objects.get(username="demoAgent001")
    first_steps = capacity(agent, timezone.localdate())[0]
    alerts = {offer.city.name for offer in first_steps.cities if offer.alert}
    assert "Sherbrooke" in alerts and "Montréal" not in alerts
    assert User.objects.get(username="demoCommissaire").handles_complaints
    assert not agent.handles_complaints
    assert Complaint.objects.exclude(status=Status.CLOSED).count() == 2
    assert SurveyResponse.objects.count() >= 10
