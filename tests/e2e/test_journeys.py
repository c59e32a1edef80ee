"""Journeys a person makes in the browser (seed 000 §3, §4): create a profile, log in, register
through the six steps, see the client number, log out; recover a forgotten user code and password
through a real SMTP server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from guichet.accounts.models import User
from guichet.clients.models import Client, ImmigrationStatus

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "fr": {
        "create": "Créer son profil de consultation",
        "without_code": "Créer son profil de consultation (sans code d'autorisation)",
        "continue": "Continuer",
        "save": "Sauvegarder",
        "close": "Fermer",
        "register": "S'inscrire au Service",
        "next": "Suivant",
        "logout": "Quitter",
        "number": "Votre numéro de client rendez-vous est :",
        "forgot_code": "J'ai oublié mon code d'utilisateur",
        "forgot_password": "J'ai oublié mon mot de passe",
        "temporary": "Mot de passe temporaire :",
    },
    "en": {
        "create": "Create your consultation profile",
        "without_code": "Create your consultation profile (without an authorization code)",
        "continue": "Continue",
        "save": "Save",
        "close": "Close",
        "register": "Register for the Service",
        "next": "Next",
        "logout": "Log out",
        "number": "Your appointment client number is:",
        "forgot_code": "I forgot my user code",
        "forgot_password": "I forgot my password",
        "temporary": "Temporary password:",
    },
}


def click(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).or_(
        page.get_by_role("link", name=name, exact=True)
    ).first.click()


def create_profile_with_code(
    page: Any,
    base: str,
    *,
    code: str,
    birth_date: str,
    sex: str,
    identifier: tuple[str, str],
    user_code: str,
    password: str,
    email: str,
) -> None:
    """« Créer son profil de consultation avec un code d'autorisation », then log in."""
    page.goto(f"{base}/fr/profil/nouveau/")
    page.get_by_role(
        "link", name="Créer son profil de consultation avec un code d'autorisation"
    ).click()
    page.fill("[name=code]", code)
    page.fill("[name=birth_date]", birth_date)
    page.check(f"[name=sex][value={sex}]")
    click(page, "Continuer")
    page.fill(f"[name={identifier[0]}]", identifier[1])
    click(page, "Continuer")
    assert page.get_by_text("sera relié à votre inscription").is_visible()
    page.fill("[name=user_code]", user_code)
    page.fill("[name=user_code_confirm]", user_code)
    page.fill("[name=password]", password)
    page.fill("[name=password_confirm]", password)
    click(page, "Continuer")
    page.fill("[name=email]", email)
    page.fill("[name=email_confirm]", email)
    page.select_option("[name=question_1]", "first_flight")
    page.fill("[name=answer_1]", "Paris")
    page.select_option("[name=question_2]", "hobby")
    page.fill("[name=answer_2]", "Échecs")
    click(page, "Sauvegarder")
    click(page, "Fermer")
    page.fill("[name=username]", user_code)
    page.fill("[name=password]", password)
    click(page, "Continuer")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_create_a_profile_register_and_log_out(live_server: Any, page: Any, language: str) -> None:
    t = TEXT[language]
    user_code = "BrAnDfOrD04" if language == "fr" else "BrAnDfOrD05"
    page.goto(f"{live_server.url}/{language}/")
    page.get_by_role("link", name=t["create"]).first.click()
    page.get_by_role("link", name=t["without_code"]).click()
    # Sous-étape 1 de 2
    page.fill("[name=user_code]", user_code)
    page.fill("[name=user_code_confirm]", user_code)
    page.fill("[name=password]", "Lecture2026")
    page.fill("[name=password_confirm]", "Lecture2026")
    click(page, t["continue"])
    # Sous-étape 2 de 2
    page.fill("[name=email]", f"{user_code.lower()}@example.org")
    page.fill("[name=email_confirm]", f"{user_code.lower()}@example.org")
    page.select_option("[name=question_1]", "first_flight")
    page.fill("[name=answer_1]", "Nairobi Kenya")
    page.select_option("[name=question_2]", "hobby")
    page.fill("[name=answer_2]", "Lecture")
    click(page, t["save"])
    assert page.locator("main strong", has_text=user_code).is_visible()
    click(page, t["close"])
    # S'authentifier
    page.fill("[name=username]", user_code)
    page.fill("[name=password]", "Lecture2026")
    click(page, t["continue"])
    click(page, t["register"])
    click(page, t["next"])
    # Étape 1 — Statut
    resident = ImmigrationStatus.objects.get(code="permanent_resident")
    page.check(f"[name=status][value='{resident.pk}']")
    page.fill("[name=status_granted_on]", "2012-09-13")
    click(page, t["next"])
    # Étape 2 — Identité (the seed's Bernard Brandford)
    page.check("[name=existing_client][value=non]")
    page.fill("[name=last_name]", "Brandford")
    page.fill("[name=first_name]", "Bernard" if language == "fr" else "Bernadette")
    page.fill("[name=birth_date]", "1978-05-05")
    page.check("[name=sex][value=M]")
    page.fill("[name=cic_client_id]", "58200462" if language == "fr" else "58200463")
    page.fill("[name=email_confirm]", f"{user_code.lower()}@example.org")
    click(page, t["next"])
    # Étape 3 — Coordonnées
    page.fill("[name=street_number]", "600")
    page.fill("[name=street]", "10e Rue")
    page.fill("[name=locality]", "quebec")  # typed without its accent: found all the same
    page.fill("[name=postal_code]", "g1j 2n7")
    page.fill("[name=phone_home]", "4188324444")
    click(page, t["next"])
    # Étape 4 — Information complémentaire
    page.check("[name=french_sufficient][value=oui]")
    page.select_option("[name=schooling]", "15-16")
    click(page, t["next"])
    # Étape 5 — Déclaration
    page.check("[name=accept]")
    click(page, t["next"])
    # Étape 6 — Vérification
    assert page.get_by_text("G1J 2N7").is_visible()
    assert page.get_by_text("418 832-4444").is_visible()
    click(page, t["next"])
    client = Client.objects.get(user__username=user_code)
    assert page.get_by_text(t["number"]).is_visible()
    assert page.locator("main strong", has_text=client.client_number).is_visible()
    # Quitter
    page.get_by_role("link", name=t["logout"], exact=True).first.click()
    page.locator("main").get_by_role("button", name=t["logout"]).click()
    assert page.get_by_role(
        "link", name="Se connecter" if language == "fr" else "Log in", exact=True
    ).is_visible()


def test_recover_user_code_and_password_through_smtp(
    live_server: Any, page: Any, smtp_sink: Any
) -> None:
    from guichet.accounts.tests.factories import UserFactory
    from guichet.clients.tests.factories import ClientFactory

    user = UserFactory.create(username="DracoD1980", email="draco@example.org")
    ClientFactory.create(user=user, reference_number="C3333726")

    page.goto(f"{live_server.url}/fr/connexion/")
    page.get_by_role("link", name=TEXT["fr"]["forgot_code"]).click()
    page.fill("[name=last_name]", "Diablos")
    page.fill("[name=first_name]", "Draco")
    page.fill("[name=birth_date]", "1980-10-01")
    page.check("[name=sex][value=M]")
    page.fill("[name=reference_number]", "C3333726")
    click(page, "Continuer")
    assert len(smtp_sink.messages) == 1
    body = smtp_sink.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert "DracoD1980" in body
    assert "DracoD1980" not in page.content()

    page.goto(f"{live_server.url}/fr/connexion/")
    page.get_by_role("link", name=TEXT["fr"]["forgot_password"]).click()
    page.fill("[name=user_code]", "DracoD1980")
    page.fill("[name=email]", "draco@example.org")
    click(page, "Continuer")
    assert len(smtp_sink.messages) == 2
    body = smtp_sink.messages[1].get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"Mot de passe temporaire : (\w+)", body)
    assert match is not None
    click(page, "Continuer")
    page.fill("[name=username]", "DracoD1980")
    page.fill("[name=password]", match.group(1))
    click(page, "Continuer")
    # The temporary password must be replaced at once.
    page.fill("[name=new_password]", "Nouveau2026")
    page.fill("[name=new_password_confirm]", "Nouveau2026")
    click(page, "Sauvegarder")
    user.refresh_from_db()
    assert user.check_password("Nouveau2026")
    assert not User.objects.get(pk=user.pk).must_change_password


def test_the_idle_warning_offers_to_stay_then_the_session_ends(
    live_server: Any, browser: Any, settings: Any
) -> None:
    from django.conf import settings as django_settings
    from django.test import Client as DjangoClient

    from guichet.accounts.tests.factories import UserFactory
    from tests.e2e.test_accessibility import axe_check

    settings.SESSION_COOKIE_AGE = 4  # the warning shows at once, the end comes 4 s later
    django_client = DjangoClient()
    django_client.force_login(UserFactory.create())
    cookie = django_client.cookies[django_settings.SESSION_COOKIE_NAME]
    context = browser.new_context()
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/")
    dialog = page.locator("#session-timeout")
    dialog.wait_for(state="visible", timeout=3000)
    results = axe_check(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Rester connecté"
    page.get_by_role("button", name="Rester connecté").click()
    page.wait_for_timeout(300)
    page.wait_for_url(f"{live_server.url}/fr/session/expiree/", timeout=8000)
    assert page.get_by_role("heading", name="Session expirée").is_visible()
    context.close()


def test_a_person_registered_by_a_partner_creates_a_profile_with_the_emailed_code(
    live_server: Any, page: Any, smtp_sink: Any
) -> None:
    from guichet.clients.authorization import issue_authorization_code
    from guichet.clients.tests.factories import ClientFactory

    draco = ClientFactory.create(user=None, reference_number="C3333726", email="draco@example.org")
    issue_authorization_code(client=draco, actor=None)  # on_commit runs at once here
    body = smtp_sink.messages[0].get_body(preferencelist=("plain",)).get_content()
    assert smtp_sink.messages[0]["Subject"] == "Créez votre profil de consultation"
    code = re.search(r"Code d'autorisation : ([A-Z0-9-]+)", body).group(1)  # type: ignore[union-attr]

    create_profile_with_code(
        page,
        live_server.url,
        code=code,
        birth_date="1980-10-01",
        sex="M",
        identifier=("reference_number", "C3333726"),
        user_code="DracoD1980",
        password="Dragon2026",
        email="draco@example.org",
    )
    # Already registered by the partner: he lands on « Sélectionner un rendez-vous », and the
    # home page shows his client number.
    draco.refresh_from_db()
    assert page.url.endswith("/fr/rendez-vous/")
    page.goto(f"{live_server.url}/fr/")
    assert page.locator("main strong", has_text=draco.client_number).is_visible()


def test_staff_set_up_the_second_factor_before_anything_else(live_server: Any, page: Any) -> None:
    import pyotp

    from guichet.accounts.models import Role
    from guichet.accounts.tests.factories import PASSWORD, UserFactory

    UserFactory.create(username="agent0000001", role=Role.MINISTRY_STAFF)
    page.goto(f"{live_server.url}/fr/connexion/")
    page.fill("[name=username]", "agent0000001")
    page.fill("[name=password]", PASSWORD)
    click(page, "Continuer")
    assert page.get_by_text("doivent utiliser l'authentification à deux facteurs").is_visible()
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.fill("[name=code]", pyotp.TOTP(secret).now())
    click(page, "Activer")
    assert page.locator(".recovery-codes li").count() == 10
    click(page, "Continuer")
    assert page.get_by_role("heading", name="Services en ligne").is_visible()


APPOINTMENTS = {
    "fr": {
        "premieres": "Session Premières démarches d'installation",
        "objectif": "Objectif Intégration",
        "continue": "Continuer",
        "search": "Rechercher",
        "save": "Sauvegarder",
        "saved": "Votre rendez-vous est enregistré.",
        "moved": "Votre rendez-vous a été déplacé.",
        "reschedule": "Reporter/Devancer",
        "cancel": "Annuler",
        "confirm_cancel": "Annuler le rendez-vous",
        "cancelled": "Annulé",
        "rescheduled": "Reporté",
        "modules": "8 modules",
        "subject": "Confirmation de votre rendez-vous",
    },
    "en": {
        "premieres": "First steps to settle in session",
        "objectif": "Objectif Intégration",
        "continue": "Continue",
        "search": "Search",
        "save": "Save",
        "saved": "Your appointment is saved.",
        "moved": "Your appointment has been moved.",
        "reschedule": "Postpone/Move forward",
        "cancel": "Cancel",
        "confirm_cancel": "Cancel the appointment",
        "cancelled": "Cancelled",
        "rescheduled": "Rescheduled",
        "modules": "8 modules",
        "subject": "Confirmation of your appointment",
    },
}


def _search(page: Any, t: dict[str, str], kind: str, city: str) -> None:
    page.get_by_label(re.compile("^(Type rendez-vous|Appointment type)")).select_option(label=kind)
    click(page, t["continue"])
    page.get_by_label(re.compile("^(Ville|City)")).select_option(label=city)
    click(page, t["search"])


def _row(page: Any, text: str) -> Any:
    return page.locator("table.appointments tbody tr", has_text=text)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_book_reschedule_and_cancel_then_book_a_multi_module_schedule(
    live_server: Any, page: Any, language: str, settings: Any
) -> None:
    """Seed 000 §5.2 to 5.5 as the demo client: Premières démarches in Montréal, booked, listed,
    moved to another date, cancelled; then Objectif Intégration (8 modules) booked as one."""
    import icalendar
    from django.core import mail

    from guichet.appointments.models import Booking, BookingStatus
    from guichet.demo.services import load_demo_data

    settings.DEBUG = True
    load_demo_data()
    user = User.objects.get(username="BrAnDfOrD04")
    if language == "en":
        user.preferred_language = "en"
        user.save()
    t = {**TEXT[language], **APPOINTMENTS[language]}
    mail.outbox.clear()

    page.goto(f"{live_server.url}/{language}/")
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        login, book, mine = (
            reverse(name) for name in ("accounts:login", "appointments:book", "appointments:mine")
        )
    page.goto(live_server.url + login)
    page.fill("[name=username]", "BrAnDfOrD04")
    page.fill("[name=password]", "Lecture2026")
    click(page, t["continue"])

    # Prendre un rendez-vous: type, city, search, first slot, save.
    page.goto(live_server.url + book)
    _search(page, t, t["premieres"], "Montréal")
    page.locator("input[name=session]").first.check()
    click(page, t["save"])
    assert page.url.endswith(mine)
    assert t["saved"] in page.locator("main").inner_text()
    row = _row(page, t["premieres"]).filter(has_text="Montréal")
    assert row.count() == 1
    first_date = row.locator("td").nth(1).inner_text()

    # The confirmation email carries the .ics.
    (confirmation,) = [m for m in mail.outbox if m.subject == t["subject"]]
    ics = icalendar.Calendar.from_ical(confirmation.attachments[0][1])
    assert ics["METHOD"] == "REQUEST" and len(list(ics.walk("VEVENT"))) == 1

    # Reporter/Devancer: another date, same organisation.
    row.get_by_role("link", name=t["reschedule"]).click()
    page.locator("input[name=session]").first.check()
    click(page, t["save"])
    assert t["moved"] in page.locator("main").inner_text()
    moved = _row(page, t["premieres"]).filter(has_text="Montréal")
    assert moved.count() == 2
    old = moved.filter(has_text=t["rescheduled"])
    assert old.count() == 1 and old.locator("td").nth(1).inner_text() == first_date
    upcoming = moved.filter(has_not_text=t["rescheduled"])
    assert upcoming.locator("td").nth(1).inner_text() != first_date

    # Annuler, with the confirmation page.
    upcoming.get_by_role("link", name=re.compile(f"^{t['cancel']}")).click()
    click(page, t["confirm_cancel"])
    assert _row(page, t["premieres"]).filter(has_text=t["cancelled"]).count() == 1
    assert not Booking.objects.filter(
        client__user=user,
        status=BookingStatus.BOOKED,
        session__appointment_type__slug="premieres-demarches",
    ).exists()

    # Objectif Intégration: a multi-module schedule, shown with its modules, booked as one.
    page.goto(live_server.url + book)
    _search(page, t, t["objectif"], "Montréal")
    details = page.locator("main table details summary", has_text=t["modules"]).first
    details.click()
    assert page.locator("main table details[open] li").count() == 8
    page.locator("input[name=session]").first.check()
    click(page, t["save"])
    assert t["saved"] in page.locator("main").inner_text()
    assert _row(page, t["objectif"]).filter(has_text=t["modules"]).count() == 1
    booking = Booking.objects.get(
        client__user=user, session__appointment_type__slug="objectif-integration"
    )
    assert booking.status == BookingStatus.BOOKED and booking.session.modules.count() == 8


BACK_OFFICE = {
    "fr": {
        "office": "Bureau",
        "clients": "Clients",
        "new_client": "Inscrire un nouveau client",
        "register": "Inscrire le client",
        "number": "numéro de client",
        "calendar": "Calendrier",
        "book_client": "Inscrire un client",
        "book": "Inscrire à la séance",
        "completed": "Complété",
        "subject_code": "Créez votre profil de consultation",
        "subject_booked": "Confirmation de votre rendez-vous",
        "code_label": "Code d'autorisation :",
    },
    "en": {
        "office": "Office",
        "clients": "Clients",
        "new_client": "Register a new client",
        "register": "Register the client",
        "number": "client number",
        "calendar": "Calendar",
        "book_client": "Book a client",
        "book": "Book in the session",
        "completed": "Completed",
        "subject_code": "Create your consultation profile",
        "subject_booked": "Confirmation of your appointment",
        "code_label": "Authorization code:",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_partner_registers_and_books_a_client_who_then_sees_it_and_its_attendance(
    live_server: Any, browser: Any, smtp_sink: Any, language: str
) -> None:
    """SPEC D3 to D5 end to end: partner staff register a new client and book them; the client
    creates a profile with the emailed authorization code and sees the appointment with Source
    « Partenaire »; staff mark it Complété; the client sees the status."""
    from datetime import timedelta

    import pyotp
    from django.utils import timezone

    from guichet.accounts.models import Role
    from guichet.accounts.tests.factories import (
        PASSWORD,
        TOTP_SECRET,
        OrganisationFactory,
        UserFactory,
        with_two_factor,
    )
    from guichet.appointments.models import Session
    from guichet.appointments.tests.factories import (
        AppointmentTypeFactory,
        PlaceFactory,
        SessionFactory,
    )

    organisation = OrganisationFactory.create(name="Carrefour d'aide aux nouveaux arrivants")
    kind = AppointmentTypeFactory.create(slug="premieres-demarches")
    kind.organisations.add(organisation)
    session = SessionFactory.create(
        appointment_type=kind, place=PlaceFactory.create(organisation=organisation)
    )
    with_two_factor(
        UserFactory.create(
            username="partenaire01", role=Role.PARTNER_STAFF, organisation=organisation
        )
    )
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = staff_context.new_page()
    t = BACK_OFFICE[language]
    staff.goto(f"{live_server.url}/fr/connexion/")
    staff.fill("[name=username]", "partenaire01")
    staff.fill("[name=password]", PASSWORD)
    click(staff, "Continuer")
    staff.fill("[name=code]", pyotp.TOTP(TOTP_SECRET).now())
    staff.locator("main form [type=submit]").first.click()
    if language == "en":
        staff.get_by_role("link", name="English").click()

    # Bureau → Clients → Inscrire un nouveau client.
    staff.get_by_role("link", name=t["office"], exact=True).click()
    staff.get_by_role("link", name=t["clients"], exact=True).click()
    staff.get_by_role("link", name=t["new_client"]).click()
    resident = ImmigrationStatus.objects.get(code="permanent_resident").pk
    staff.check(f"[name=status][value='{resident}']")
    staff.fill("[name=status_granted_on]", "2024-02-01")
    staff.fill("[name=last_name]", "Flamenco")
    staff.fill("[name=first_name]", "Fiona")
    staff.fill("[name=birth_date]", "1990-04-12")
    staff.check("[name=sex][value=F]")
    staff.fill("[name=email]", "fiona@example.org")
    staff.check(f"[name=language][value={language}]")
    staff.fill("[name=street_number]", "5960")
    staff.fill("[name=street]", "rue Jean-Talon")
    staff.fill("[name=locality]", "Montréal")
    staff.fill("[name=postal_code]", "H1S 1M2")
    staff.fill("[name=phone_home]", "514 864-9191")
    staff.check("[name=french_sufficient][value=oui]")
    click(staff, t["register"])
    fiona = Client.objects.get(last_name="Flamenco")
    assert staff.get_by_text(f"{t['number']} {fiona.client_number}").is_visible()

    # Calendrier → the session → Inscrire un client.
    staff.get_by_role("link", name=t["calendar"], exact=True).click()
    staff.locator("main table a").first.click()
    staff.get_by_role("link", name=t["book_client"]).click()
    staff.fill("[name=client_number]", fiona.client_number)
    click(staff, t["book"])
    assert staff.locator("main table", has_text=fiona.client_number).is_visible()

    # The client creates a profile with the emailed code.
    # Every message comes in the language of correspondence chosen by the staff member.
    subjects = {str(m["Subject"]) for m in smtp_sink.messages}
    assert t["subject_code"] in subjects and t["subject_booked"] in subjects
    mail = next(m for m in smtp_sink.messages if m["Subject"] == t["subject_code"])
    body = mail.get_body(preferencelist=("plain",)).get_content()
    found = re.search(re.escape(t["code_label"]) + r" ([A-Z0-9-]+)", body)
    assert found is not None
    code = found.group(1)
    client_context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = client_context.new_page()
    create_profile_with_code(
        page,
        live_server.url,
        code=code,
        birth_date="1990-04-12",
        sex="F",
        identifier=("client_number", fiona.client_number),
        user_code="FionaF1990",
        password="Flamenco2026",
        email="fiona@example.org",
    )
    page.get_by_role("link", name="Mes rendez-vous", exact=True).click()
    row = page.locator("table.appointments tbody tr", has_text=kind.title_fr)
    assert row.count() == 1 and "Partenaire" in row.inner_text()

    # The session has taken place: staff mark the attendance; the client sees « Complété ».
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    staff.reload()
    staff.get_by_role("button", name=f"{t['completed']} : Flamenco, Fiona").click()
    roster = staff.locator("main table", has_text=fiona.client_number).inner_text()
    assert t["completed"] in roster
    page.reload()
    row = page.locator("table.appointments tbody tr", has_text=kind.title_fr)
    assert "Complété" in row.inner_text()
    staff_context.close()
    client_context.close()


DOSSIERS = {
    "fr": {
        "continue": "Continuer",
        "my_files": "Mes dossiers",
        "new": "Créer un nouveau dossier",
        "create": "Créer",
        "save": "Enregistrer",
        "quit": "Quitter",
        "submit": "Soumettre",
        "next": "Suivant",
        "presented": "Présenté",
        "documents": "Mes documents",
        "download": "Télécharger",
        "messages": "Centre des messages",
        "office": "Bureau",
        "files": "Dossiers",
        "assign": "Attribuer",
        "add_action": "Ajouter l'action",
        "update": "Mettre à jour",
        "in_progress": "En cours",
        "subject": "Du nouveau sur le portail",
        "status": "Citoyenne ou citoyen canadien",
    },
    "en": {
        "continue": "Continue",
        "my_files": "My files",
        "new": "Create a new file",
        "create": "Create",
        "save": "Save",
        "quit": "Leave",
        "submit": "Submit",
        "next": "Next",
        "presented": "Submitted",
        "documents": "My documents",
        "download": "Download",
        "messages": "Message centre",
        "office": "Office",
        "files": "Files",
        "assign": "Assign",
        "add_action": "Add the action",
        "update": "Update",
        "in_progress": "In progress",
        "subject": "New on the portal",
        "status": "Canadian citizen",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_create_save_come_back_submit_an_aq_dossier_then_agent_and_client_work_the_plan(
    live_server: Any, browser: Any, smtp_sink: Any, language: str
) -> None:
    """Issue 6 end to end: create an Accompagnement Québec dossier, save half-way, come back,
    complete both sections (green checks), submit, see « Présenté », the message and the email
    notice, download the PDF; the agent assigns it and adds a PAI action; the client marks it
    En cours."""
    import pyotp

    from guichet.accounts.models import Role
    from guichet.accounts.tests.factories import PASSWORD, TOTP_SECRET, UserFactory, with_two_factor
    from guichet.dossiers.models import ActionStatus, Dossier, DossierStatus
    from guichet.dossiers.tests.factories import with_profile

    t = DOSSIERS[language]
    base = live_server.url
    person = UserFactory.create(username="valdero0001", preferred_language=language)
    with_profile(person)
    with_two_factor(
        UserFactory.create(
            username="agentaq00001",
            role=Role.MINISTRY_STAFF,
            first_name="Karim",
            last_name="Benali",
        )
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/{language}/")
    page.goto(f"{base}/fr/connexion/")
    page.fill("[name=username]", "valdero0001")
    page.fill("[name=password]", PASSWORD)
    click(page, "Continuer")
    if language == "en":
        page.get_by_role("link", name="English").click()

    page.locator(".main-nav").get_by_role("link", name=t["my_files"], exact=True).click()
    page.get_by_role("link", name=t["new"]).click()
    page.get_by_label(
        re.compile("^(Type de dossier à créer|Type of file to create)")
    ).select_option("accompagnement_quebec")
    page.check("[name=mode][value=new]")
    click(page, t["create"])
    page.check("[name=document][value=csq]")
    click(page, t["create"])
    dossier = Dossier.objects.get(owner=person)
    assert page.get_by_text(dossier.number).first.is_visible()

    # Identification, half done, saved; then leave and come back.
    page.select_option("[name=immigration_status]", "citizen")
    assert page.locator("[name=detail_citizen]").first.is_visible()
    assert not page.locator("[name=detail_permanent_resident]").first.is_visible()
    page.check("[name=detail_citizen][value=citizen_selected]")
    page.check("[name=has_mifi_number][value=oui]")
    page.fill("[name=mifi_number]", "8765A321")
    click(page, t["save"])
    page.get_by_role("button", name=t["quit"], exact=True).click()
    page.get_by_role("link", name=dossier.number, exact=True).click()
    assert page.locator("[name=mifi_number]").input_value() == "8765A321"
    page.check("[name=has_ircc_number][value=oui]")
    page.fill("[name=ircc_number]", "12345678")
    click(page, t["save"])
    assert page.locator(".section-status--complete").count() == 1

    page.locator(".section-nav a").nth(1).click()
    page.fill("[name=city]", "Montréal")
    page.check("[name=appointment_mode][value=virtual]")
    page.check("[name=french_sufficient][value=non]")
    assert page.locator("[name=languages]").first.is_visible()
    page.check("[name=languages][value=es]")
    page.check("[name=availability][value=mon_am]")
    click(page, t["save"])
    assert page.locator(".section-status--complete").count() == 2

    click(page, t["submit"])
    click(page, t["next"])
    assert page.get_by_text("8765A321").is_visible()
    click(page, t["next"])
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUBMITTED
    with page.expect_navigation():
        page.locator(".main-nav").get_by_role("link", name=t["my_files"], exact=True).click()
    expect(page.locator("table").get_by_text(t["presented"])).to_be_visible()

    # The message, the email notice (nothing personal in it), the PDF.
    assert page.locator(".badge").inner_text().startswith("1")
    page.get_by_role("link", name=re.compile(t["messages"])).click()
    page.locator("table a").first.click()
    assert page.get_by_text(dossier.number).first.is_visible()
    notices = [m for m in smtp_sink.messages if m["Subject"] == t["subject"]]
    assert len(notices) == 1 and notices[0]["To"] == person.email
    body = notices[0].get_body(preferencelist=("plain",)).get_content()
    assert dossier.number not in body and "Valdero" not in body
    page.locator(".main-nav").get_by_role("link", name=t["documents"], exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(t["download"])).click()
    assert download.value.suggested_filename == f"recapitulatif-{dossier.number}.pdf"

    # The agent assigns the dossier and adds an action to the plan.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = staff_context.new_page()
    staff.goto(f"{base}/fr/connexion/")
    staff.fill("[name=username]", "agentaq00001")
    staff.fill("[name=password]", PASSWORD)
    click(staff, "Continuer")
    staff.fill("[name=code]", pyotp.TOTP(TOTP_SECRET).now())
    staff.locator("main form [type=submit]").first.click()
    if language == "en":
        staff.get_by_role("link", name="English").click()
    staff.get_by_role("link", name=t["office"], exact=True).click()
    staff.get_by_role("link", name=t["files"], exact=True).click()
    staff.get_by_role("link", name=dossier.number, exact=True).click()
    staff.select_option("[name=assign-agent]", label="Karim Benali")
    click(staff, t["assign"])
    staff.fill("[name=action-title]", "S'inscrire en francisation")
    click(staff, t["add_action"])
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.IN_PROGRESS

    # The client marks the action En cours.
    page.locator(".main-nav").get_by_role("link", name=t["my_files"], exact=True).click()
    page.get_by_role("link", name=dossier.number, exact=True).click()
    expect(page.get_by_text("Karim Benali")).to_be_visible()
    page.locator("select[name=status]").select_option(ActionStatus.IN_PROGRESS)
    click(page, f"{t['update']} : S'inscrire en francisation")
    assert dossier.actions.get().status == ActionStatus.IN_PROGRESS
    context.close()
    staff_context.close()
