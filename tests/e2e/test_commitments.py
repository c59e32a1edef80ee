"""Seed 003 in the browser, in French and English: a person writes to the complaints
commissioner about an appointment, the commissioner acknowledges and answers, the person reads
both; the public « Déclaration de services à la clientèle » and its current processing
times."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from guichet.accounts.models import Role, User
from guichet.accounts.tests.factories import UserFactory, with_two_factor
from guichet.appointments.services import book
from guichet.appointments.tests.factories import AppointmentTypeFactory, SessionFactory
from guichet.clients.tests.factories import ClientFactory
from guichet.commitments.tests.test_declaration import CLOSING_LINES, seed_items
from guichet.complaints.models import Complaint, Status

from .test_payments import _sign_in, _t

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_complaint_about_an_appointment_is_acknowledged_and_answered(
    browser: Any, live_server: Any, language: str
) -> None:
    def t(text: str) -> str:
        return _t(text, language)

    person = UserFactory.create(preferred_language=language)
    registered = ClientFactory.create(user=person, cic_client_id="40000031")
    booking = book(
        client=registered,
        session=SessionFactory.create(
            appointment_type=AppointmentTypeFactory.create(
                title_fr="Objectif Intégration", title_en="Objectif Intégration"
            )
        ),
        actor=person,
    )
    member = with_two_factor(UserFactory.create(role=Role.MINISTRY_STAFF))
    User.objects.filter(pk=member.pk).update(handles_complaints=True)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = _sign_in(context, live_server, person)
    page.goto(f"{live_server.url}/{language}/")
    page.locator("footer").get_by_role("link", name=t("Vos commentaires sont précieux")).click()
    page.get_by_label(t("Plainte"), exact=True).check()
    page.get_by_label(t("Votre message concerne (facultatif)")).select_option(
        f"booking-{booking.pk}"
    )
    page.get_by_label(t("Objet")).fill("Séance annulée sans préavis")
    page.get_by_role("textbox", name=t("Votre message")).fill("La salle était fermée.")
    with page.expect_navigation():
        page.get_by_role("button", name=t("Envoyer au Commissaire")).click()
    complaint = Complaint.objects.get()
    expect(page.locator("h1")).to_contain_text(complaint.number)
    expect(page.get_by_text("Objectif Intégration")).to_be_visible()

    office = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = _sign_in(office, live_server, member)
    staff.goto(f"{live_server.url}/{language}/")
    staff.locator(".main-nav").get_by_role("link", name=t("Bureau"), exact=True).click()
    staff.get_by_role("link", name=t("Plaintes et commentaires"), exact=True).click()
    staff.get_by_role("link", name=complaint.number).click()
    expect(staff.get_by_text("La salle était fermée.")).to_be_visible()
    staff.get_by_role("button", name=t("Envoyer l'accusé de réception")).click()
    expect(staff.locator("[data-message-kind=acknowledgement]")).to_be_visible()
    staff.locator("[name=answer-body]").fill(
        "Nous avons parlé à l'organisme : la séance est reprise."
    )
    with staff.expect_navigation():
        staff.get_by_role("button", name=t("Envoyer la réponse")).click()
    expect(staff.locator("[data-message-kind=answer]")).to_be_visible()
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED

    page.locator(".main-nav").get_by_role("link", name=t("Centre des messages")).click()
    page.get_by_role("link", name=t("Vos plaintes et commentaires")).click()
    page.goto(f"{live_server.url}/{language}/")
    page.locator("footer").get_by_role("link", name=t("Vos commentaires sont précieux")).click()
    page.get_by_role("link", name=t("Suivre mes plaintes et commentaires")).click()
    page.get_by_role("link", name=complaint.number).click()
    expect(page.get_by_text(t("Accusé de réception"), exact=True).first).to_be_visible()
    expect(page.get_by_text("la séance est reprise")).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text(t("Réponse envoyée"))
    context.close()
    office.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_declaration_is_reached_from_every_page(
    page: Any, live_server: Any, language: str
) -> None:
    def t(text: str) -> str:
        return _t(text, language)

    page.goto(f"{live_server.url}/{language}/")
    page.locator("footer").get_by_role(
        "link", name=t("Déclaration de services à la clientèle")
    ).click()
    expect(page.locator("h1")).to_have_text(t("Déclaration de services à la clientèle"))
    expect(page.get_by_text("514 864-9191").first).to_be_visible()
    expect(page.get_by_text("1 866 227-5968").first).to_be_visible()
    page.get_by_role("link", name=t("Consultez le délai de traitement qui a cours")).click()
    expect(page.locator("h1")).to_have_text(t("Délais de traitement actuels"))
    expect(page.get_by_role("columnheader", name=t("Médiane"))).to_be_visible()
    expect(page.get_by_role("columnheader", name=t("90e centile"))).to_be_visible()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_whole_declaration_reads_in_the_browser(
    page: Any, live_server: Any, language: str
) -> None:
    """Issue 31.2: the page holds the whole seed 003 text — every item of every list, « Nos
    principaux services » and the closing lines — as a person reads it; the English page has
    as many items, and no French one left."""
    page.goto(f"{live_server.url}/fr/")
    page.locator("footer").get_by_role(
        "link", name="Déclaration de services à la clientèle"
    ).click()
    french = " ".join(page.locator("main").inner_text().replace("\u2019", "'").split()).casefold()
    missing = [item for item in seed_items() if item not in french]
    assert missing == []
    assert all(line.casefold() in french for line in CLOSING_LINES)
    items = page.locator("main li").count()
    if language == "en":
        page.locator("a[hreflang=en]").first.click()
        expect(page.locator("h1")).to_have_text(_t("Déclaration de services à la clientèle", "en"))
        expect(
            page.get_by_role("heading", name=_t("Nos principaux services", "en"), exact=True)
        ).to_be_visible()
        assert page.locator("main li").count() == items
        english = page.locator("main").inner_text()
        assert "Nos principaux services" not in english
