"""The waiting room's pages: the countdown, « Se connecter », the live position as JSON, the
turn's single-use link bound to the account, the submission only through the room, the
rate limits, and the officers' control page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.tests.factories import UserFactory
from guichet.audit.models import AuditEvent
from guichet.intake.models import IntakePeriod
from guichet.intake.tests.factories import application, candidate, officer, period, queuer
from guichet.waitingroom import limits, services, views
from guichet.waitingroom.models import Room, RoomStatus, Ticket, TicketStatus

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _poll(client: Client, user):
    """What the page's script sends: its pass in a header."""
    ticket = Ticket.objects.select_related("room").get(user=user)
    return client.get(reverse("waitingroom:poll"), HTTP_X_GUICHET_PASS=views.poll_pass(ticket))


def _room(**kwargs) -> Room:
    room = services.room_of(period(quota=10, waiting_room=True, **kwargs))
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.OPEN)
    room.refresh_from_db()
    return room


def test_before_the_opening_the_page_counts_down_and_nobody_gets_a_number() -> None:
    services.room_of(
        period(opens_at=timezone.now() + timedelta(hours=2), quota=10, waiting_room=True)
    )
    client = _signed_in(candidate())
    page = client.get(reverse("waitingroom:room"))
    assert page.status_code == 200
    assert "Il ne sera pas possible de se connecter" in page.content.decode()
    assert "data-countdown" in page.content.decode()
    client.post(reverse("waitingroom:room"))
    assert Ticket.objects.count() == 0


def test_se_connecter_gives_a_number_the_position_and_the_warnings(settings) -> None:
    settings.WAITING_ROOM_ADMIT_ON_POLL = False  # no admission round from the pages here
    room = _room()
    for _ in range(2):
        services.join(actor=queuer(), room=room)
    third = queuer()
    client = _signed_in(third)
    response = client.post(reverse("waitingroom:room"), follow=True)
    text = response.content.decode()
    assert Ticket.objects.count() == 3
    assert "Numéro d'attente" in text
    assert "Nombre de personnes qui attendent avant vous" in text
    assert "ne signifie pas que le quota a été atteint" in text.replace("&#x27;", "'")
    assert 'aria-live="polite"' in text
    assert 'http-equiv="refresh"' in text  # inside <noscript>: no script, the page refreshes
    client.post(reverse("waitingroom:room"))  # a second click changes nothing
    assert Ticket.objects.count() == 3
    data = _poll(client, third).json()
    assert (data["status"], data["number"], data["ahead"], data["position"]) == ("waiting", 3, 2, 3)
    assert data["poll"] >= 4 and data["wait_text"]


def test_the_turn_link_is_single_use_and_bound_to_the_account(settings) -> None:
    settings.WAITING_ROOM_ADMIT_ON_POLL = True
    room = _room()
    user = candidate()
    application(user)
    client = _signed_in(user)
    client.post(reverse("waitingroom:room"))
    data = _poll(client, user).json()  # the poll runs a round: admitted
    assert data["status"] == "admitted" and data["seconds_left"] > 500
    turn = data["turn_url"]
    # Someone else with the link: nothing.
    assert _signed_in(candidate()).get(turn).status_code == 404
    first = client.get(turn)
    assert first.status_code == 302 and first["Location"] == reverse("intake:submit")
    ticket = Ticket.objects.get(user=user)
    assert ticket.token_used_at is not None
    page = client.get(reverse("intake:submit")).content.decode()
    assert "Temps restant pour soumettre" in page
    again = client.get(turn, follow=True)
    assert "déjà servi" in again.content.decode()
    assert room.pk == ticket.room_id


def test_submission_goes_through_the_room_during_an_opening() -> None:
    _room()
    user = candidate()
    application(user)
    page = _signed_in(user).get(reverse("intake:submit")).content.decode()
    assert "les demandes sont soumises à partir de la salle d&#x27;attente virtuelle" in page
    assert f'href="{reverse("waitingroom:room")}"' in page
    assert 'name="password"' not in page


def test_polls_and_joins_are_rate_limited_per_account(settings) -> None:
    room = _room()
    user = queuer()
    services.join(actor=user, room=room)
    client = _signed_in(user)
    limit = limits.LIMITS["poll"]["account"]
    statuses = [_poll(client, user).status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit and statuses[-1] == 429
    # Slowed down, never dropped: the number is still theirs.
    assert Ticket.objects.get(user=user).status in (TicketStatus.WAITING, TicketStatus.ADMITTED)


def test_the_officer_opens_only_with_the_typed_quota_pauses_and_sets_the_capacity() -> None:
    staff = officer()
    room = services.room_of(period(quota=5000, waiting_room=True))
    client = _signed_in(staff)
    url = reverse("backoffice:waiting_room", kwargs={"period_id": room.pk})
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"action": "open", "open-confirmation": "50"})
    assert wrong.status_code == 422
    room.refresh_from_db()
    assert room.status == RoomStatus.READY
    client.post(url, {"action": "open", "open-confirmation": "5 000"})
    room.refresh_from_db()
    assert room.status == RoomStatus.OPEN
    client.post(url, {"action": "pause"})
    room.refresh_from_db()
    assert room.status == RoomStatus.PAUSED
    client.post(url, {"action": "capacity", "capacity-capacity": "40"})
    room.refresh_from_db()
    assert room.capacity == 40
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"waitingroom.open", "waitingroom.pause", "waitingroom.capacity_changed"} <= actions


def test_staff_without_the_intake_role_and_clients_never_reach_the_control_page() -> None:
    from guichet.accounts.models import Role
    from guichet.accounts.tests.factories import staff

    room = services.room_of(period(quota=5, waiting_room=True))
    url = reverse("backoffice:waiting_room", kwargs={"period_id": room.pk})
    assert _signed_in(staff(Role.MINISTRY_STAFF)).get(url).status_code == 404
    assert _signed_in(UserFactory.create()).get(url).status_code in (403, 404)
    assert IntakePeriod.objects.count() == 1


def test_the_officer_sets_a_lottery_pre_queue_before_the_opening_only() -> None:
    from guichet.intake.models import Allocation

    staff = officer()
    opens = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    room = services.room_of(
        period(quota=50, waiting_room=True, opens_at=opens, allocation=Allocation.LOTTERY)
    )
    client = _signed_in(staff)
    url = reverse("backoffice:waiting_room", kwargs={"period_id": room.pk})
    page = client.get(url).content.decode()
    assert "Ouverture de la file préalable" in page and room.seed_digest in page
    late = (opens + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"action": "pre_queue", "pre_queue-pre_queue_opens_at": late})
    assert refused.status_code == 422
    assert "doit ouvrir avant l&#x27;ouverture de la période" in refused.content.decode()
    assert late in refused.content.decode()  # what was typed is kept
    early = opens - timedelta(hours=3)
    done = client.post(
        url,
        {"action": "pre_queue", "pre_queue-pre_queue_opens_at": early.strftime("%Y-%m-%dT%H:%M")},
    )
    assert done.status_code == 302
    room.refresh_from_db()
    assert room.pre_queue_opens_at == early
    assert services.joins_open_at(room) == early
    assert AuditEvent.objects.filter(action="waitingroom.pre_queue_changed").count() == 1
    # A first-come period has no pre-queue.
    fifo = services.room_of(period(quota=50, waiting_room=True))
    fifo_url = reverse("backoffice:waiting_room", kwargs={"period_id": fifo.pk})
    assert "Ouverture de la file préalable" not in client.get(fifo_url).content.decode()


def test_the_opening_live_is_the_same_for_everyone_and_cacheable() -> None:
    """« L'ouverture en direct » (issue 33): numbers given, the rank reached, places taken and
    left, in French and English, cacheable a few seconds by a shared cache for anyone without
    a session, private for a signed-in reader; the figures are computed once per few seconds."""
    from django.core.cache import cache

    room = services.room_of(period(quota=3, waiting_room=True))
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.OPEN, opened_at=timezone.now())
    room.refresh_from_db()
    now = timezone.now()
    for _ in range(2):
        services.join(actor=queuer(), room=room, now=now)
    services.admit(period=room.period, now=now)
    anonymous = Client()
    page = anonymous.get(reverse("waitingroom:live", kwargs={"period_id": room.pk}))
    assert page.status_code == 200
    assert page["Cache-Control"] == f"public, max-age={services.LIVE_SECONDS}"
    text = page.content.decode()
    assert "L'ouverture en direct" in text and "Numéros d'attente attribués" in text
    figures = page.context["figures"]
    assert (figures.numbers_given, figures.served_up_to, figures.quota) == (2, 2, 3)
    assert figures.places_reserved == 2 and figures.places_left == 1
    # A third number within the few seconds: the same figures are served, then fresh ones.
    services.join(actor=queuer(), room=room, now=now)
    again = anonymous.get(reverse("waitingroom:live", kwargs={"period_id": room.pk}))
    assert again.context["figures"].numbers_given == 2
    cache.delete(f"waitingroom:opening:{room.pk}")
    fresh = anonymous.get(reverse("waitingroom:live", kwargs={"period_id": room.pk}))
    assert fresh.context["figures"].numbers_given == 3
    english = anonymous.get(f"/en/my-quebec-project/waiting-room/live/{room.pk}/")
    assert english.status_code == 200 and "The opening, live" in english.content.decode()
    signed_in = Client()
    signed_in.force_login(candidate())
    mine = signed_in.get(reverse("waitingroom:live", kwargs={"period_id": room.pk}))
    assert mine["Cache-Control"] == f"private, max-age={services.LIVE_SECONDS}"
    assert (
        anonymous.get(reverse("waitingroom:live", kwargs={"period_id": 999999})).status_code == 404
    )
    draw = anonymous.get(reverse("waitingroom:draw", kwargs={"period_id": room.pk}))
    assert "The opening, live" in draw.content.decode()  # linked from the draw's page
