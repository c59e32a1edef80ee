"""The waiting room in the browser (issue 18), French and English: two candidates get their
numbers, the intake officer opens the room, the first turns the sound alert on, hears the
turn (the audio element plays), sees the message and the title change, is taken to the
submission and submits within the window; the second is admitted next, lets the window run out,
and the page says so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from guichet.accounts.models import User
from guichet.intake.models import IntakePeriod
from guichet.intake.tests.factories import application, officer, period
from guichet.waitingroom import services
from guichet.waitingroom.models import Ticket, TicketStatus

from .test_intake import _candidate, _submit
from .test_payments import _t

pytestmark = pytest.mark.django_db


def _tab(browser: Any, server: Any, user: User, language: str) -> Any:
    from django.conf import settings as django_settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=language)
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": server.url}])
    return context.new_page()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_two_wait_the_officer_opens_the_first_hears_the_turn_and_submits_the_second_expires(
    shared_live_server: Any, browser: Any, settings: Any, language: str
) -> None:
    settings.WAITING_ROOM_ADMIT_ON_POLL = True
    server = shared_live_server

    def t(text: str) -> str:
        return _t(text, language)

    with server.lock:
        opened = period(quota=5, waiting_room=True)
        room = services.room_of(opened)
        type(room).objects.filter(pk=room.pk).update(capacity=1)
        first = _candidate(language, f"Premier{language}01")
        second = _candidate(language, f"Second{language}01")
        for n, user in enumerate((first, second)):
            application(
                user, passport=f"WR{language.upper()}{n:05d}", first_name=f"Camille{'AB'[n]}"
            )
        # A third whose application lacks a section: told so at the room's door.
        third = _candidate(language, f"Troisieme{language}01")
        incomplete = application(third, passport=f"WR{language.upper()}99999")
        incomplete.data = {**incomplete.data, "autonomie": {}}
        incomplete.save(update_fields=["data"])
        staff = officer()
        with override(language):
            from django.urls import reverse

            room_url = server.url + reverse("waitingroom:room")
            control_url = server.url + reverse(
                "backoffice:waiting_room", kwargs={"period_id": opened.pk}
            )
            submit_path = reverse("intake:submit")
            draw_url = server.url + reverse("waitingroom:draw", kwargs={"period_id": opened.pk})
    one, two = (_tab(browser, server, user, language) for user in (first, second))

    # The incomplete one is told what is missing, with a link, and gets no button.
    late = _tab(browser, server, third, language)
    late.goto(room_url)
    missing = late.locator("#missing")
    assert missing.get_by_text(t("Avant de vous connecter à la salle d'attente")).is_visible()
    section = missing.get_by_role(
        "link",
        name=t("Compléter la section « %(section)s »") % {"section": t("Autonomie financière")},
    )
    assert section.is_visible()
    assert late.locator("main").get_by_role("button", name=t("Se connecter")).count() == 0
    late.context.close()

    # Both « Se connecter » to the room before the officer opens it.
    for page in (one, two):
        page.goto(room_url)
        page.locator("main").get_by_role("button", name=t("Se connecter")).click()
    assert two.locator("main").get_by_text(t("Nombre de personnes qui attendent avant vous"))
    assert two.locator("[data-wr=ahead]").inner_text() == "1"
    assert one.locator("[data-wr=ahead]").inner_text() == "0"
    one.get_by_role("button", name=t("Activer l'alerte sonore")).click()
    sound_on = t(
        "L'alerte sonore est activée : un signal sonore vous avisera quand votre tour viendra."
    )
    assert one.get_by_text(sound_on).is_visible()
    one.evaluate(
        """() => { const a = document.querySelector('[data-turn-sound]');
        a.addEventListener('playing', () => { if (!a.muted) window.turnSoundPlayed = true; }); }"""
    )

    # The officer opens the room: typed confirmation first, a wrong number changes nothing.
    office = _tab(browser, server, staff, language)
    office.goto(control_url)
    office.get_by_label(t("Pour confirmer l'ouverture, tapez le nombre maximal de demandes")).fill(
        "5"
    )
    office.get_by_role("button", name=t("Ouvrir la salle d'attente")).click()
    assert office.get_by_text(t("Ouverte"), exact=True).first.is_visible()

    # The first one's next poll brings the turn: sound, message, title, then the submission.
    turn_title = "title => document.title.startsWith(title)"
    one.wait_for_function(turn_title, arg=t("C'est votre tour"))
    assert one.evaluate("() => window.turnSoundPlayed === true")
    assert one.locator("#wr-message").inner_text().startswith(t("C'est votre tour"))
    one.wait_for_url(f"**{submit_path}", timeout=15000)
    assert one.get_by_text(t("Temps restant pour soumettre"), exact=False).first.is_visible()
    _submit(one, first, language)
    one.wait_for_load_state()
    assert Ticket.objects.get(user=first).status in (TicketStatus.ADMITTED, TicketStatus.SUBMITTED)

    # The second is admitted once the first's window has ended with the submission.
    two.wait_for_function(turn_title, arg=t("C'est votre tour"), timeout=20000)
    with server.lock:
        ticket = Ticket.objects.get(user=second)
        assert ticket.status == TicketStatus.ADMITTED
        # The window runs out unused (ten minutes later).
        services.use_admission(ticket=ticket)
        services.admit(
            period=IntakePeriod.objects.get(), now=timezone.now() + timedelta(minutes=11)
        )
    two.goto(room_url)
    assert two.get_by_text(
        t("Votre fenêtre de 10 minutes est expirée"), exact=False
    ).first.is_visible()
    assert Ticket.objects.get(user=second).status == TicketStatus.EXPIRED

    # The public page of the order, reached from the room: the order recomputed from the log.
    two.get_by_role("link", name=t("Ordre de passage et journal public")).click()
    two.wait_for_url(draw_url)
    assert two.get_by_text(t("Aucun écart."), exact=False).first.is_visible()
    assert two.get_by_role("link", name=t("Télécharger le journal public (CSV)")).is_visible()
    for page in (one, two, office):
        page.context.close()
