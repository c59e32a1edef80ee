"""Issue 29 items 7 to 14: what a candidate reads on the opening day is true."""

from __future__ import annotations

import mimetypes
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guichet.intake import quota
from guichet.intake import services as intake
from guichet.intake.models import IntakePeriod
from guichet.intake.tests.factories import (
    candidate,
    credentials,
    fee_schedule,
    period,
    queuer,
    submitted,
)
from guichet.waitingroom import services, views
from guichet.waitingroom.models import Room, RoomStatus

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _open_room(places: int = 5) -> Room:
    room = services.room_of(period(quota=places, waiting_room=True))
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.OPEN)
    room.refresh_from_db()
    return room


def _text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_atteint_only_when_every_place_is_taken_reserved_places_said_as_such() -> None:
    room = _open_room(places=2)
    holder, other = queuer(), queuer()
    quota.reserve(period=room.period, user=holder)
    quota.reserve(period=room.period, user=other)
    page = _text(_signed_in(holder).get(reverse("intake:home")))
    assert "est atteint" not in page
    assert "sont réservées à des candidats admis" in page
    IntakePeriod.objects.filter(pk=room.pk).update(taken=2, reserved=0)
    page = _text(_signed_in(holder).get(reverse("intake:home")))
    assert "Le nombre maximal de demandes à recevoir par le Ministère est atteint" in page


def test_the_fees_page_of_a_submitted_application_says_submitted_and_no_example_value() -> None:
    fee_schedule()
    period(quota=5)
    user = candidate()
    dossier = submitted(user)
    page = _text(
        _signed_in(user).get(
            reverse("payments:pay", kwargs={"purpose": "csq", "object_id": dossier.pk})
        )
    )
    assert "Soumise, en attente du paiement" in page
    assert "Non soumise" not in page
    assert "sera automatiquement envoyée" not in page
    assert "valeur d'exemple" not in page


def test_a_position_that_grows_is_explained_and_short_waits_read_well() -> None:
    standing = services.Standing(
        status="waiting", number=4, room_status="open", ahead=3, wait_minutes=(0, 1)
    )
    data = views._payload(1, None, standing)
    assert "Votre position a augmenté" in data["position_grew"]
    assert data["wait_text"] == "moins d'une minute"
    assert views.wait_text(services.Standing("waiting", 1, "open", 9, (0, 3))) == (
        "moins de 3 minutes"
    )
    assert views.wait_text(services.Standing("waiting", 1, "open", 9, (2, 5))) == (
        "entre 2 et 5 minutes"
    )


def test_the_turn_sound_is_served_as_audio_and_the_page_says_it_needs_a_click() -> None:
    assert mimetypes.guess_type("turn.wav")[0] == "audio/wav"
    assert settings.WHITENOISE_MIMETYPES[".wav"] == "audio/wav"
    _open_room()
    user = queuer()
    client = _signed_in(user)
    client.post(reverse("waitingroom:room"))
    page = _text(client.get(reverse("waitingroom:room")))
    assert "si vous avez sélectionné « Activer l'alerte sonore »" in page
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None and title.group(1).count("Salle d'attente virtuelle") == 1


def test_the_home_page_leads_to_the_room_on_an_opening_and_help_tells_the_phone_number() -> None:
    _open_room()
    home = _text(Client().get(reverse("core:home")))
    assert reverse("waitingroom:room") in home
    assert "La période de réception des demandes de certificat de sélection est ouverte" in home
    help_page = _text(Client().get(reverse("core:help", kwargs={"topic": "mon-projet-quebec"})))
    assert "514 864-9191" in help_page and "Mot de passe oublié" in help_page


def test_the_officers_figures_count_a_submission_at_once() -> None:
    room = _open_room()
    user = queuer()
    services.join(actor=user, room=room)
    services.admit(period=room.period)
    from guichet.intake.models import Application

    draft = Application.objects.get(dossier__owner=user).dossier
    intake.submit(dossier=draft, actor=user, **credentials(user))
    figures = services.figures(room)  # before any round
    assert (figures.submitted, figures.admitted) == (1, 0)


def test_english_pages_put_no_space_before_a_colon() -> None:
    _open_room()
    user = queuer()
    services.join(actor=user, room=Room.objects.get())
    services.admit(period=IntakePeriod.objects.get())
    client = _signed_in(user)
    with translation.override("en"):
        turn = client.get(reverse("waitingroom:room"))
        link = re.search(r'href="([^"]*/admission/[^"]*)"', turn.content.decode())
        assert link is not None
        client.get(link.group(1))
        page = _text(client.get(reverse("intake:submit")))
    assert "Time left to submit:" in page and "Time left to submit :" not in page
