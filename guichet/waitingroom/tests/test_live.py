"""The waiting room's live copy (Redis): the polls it answers without a session or the
database, the `seen` marks the controller copies to the record, and Redis lost in the middle
of an opening — the database takes over and nothing is lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.intake.models import Reservation, ReservationStatus
from guichet.intake.tests.factories import period
from guichet.intake.tests.factories import queuer as candidate
from guichet.waitingroom import limits, live, services, views
from guichet.waitingroom.models import Room, RoomStatus, Ticket, TicketStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_live(settings):
    settings.WAITING_ROOM_ADMIT_ON_POLL = False  # the rounds are run by the test
    live.reset()
    yield
    live.reset()


def _room(quota: int = 10, capacity: int = 2) -> Room:
    room = services.room_of(period(quota=quota, waiting_room=True))
    Room.objects.filter(pk=room.pk).update(status=RoomStatus.OPEN, capacity=capacity)
    room.refresh_from_db()
    return room


def _poll(ticket: Ticket, **headers) -> tuple[int, dict]:
    """What the page's script does: no cookies, the pass in a header."""
    response = Client().get(
        reverse("waitingroom:poll"), HTTP_X_GUICHET_PASS=views.poll_pass(ticket), **headers
    )
    return response.status_code, response.json()


def test_a_poll_with_the_page_pass_needs_no_session_and_a_forged_pass_gets_nothing() -> None:
    room = _room()
    tickets = [services.join(actor=candidate(), room=room) for _ in range(3)]
    status, data = _poll(tickets[2])
    assert status == 200
    assert (data["status"], data["number"], data["ahead"], data["position"]) == (
        "waiting",
        3,
        2,
        3,
    )
    forged = Client().get(reverse("waitingroom:poll"), HTTP_X_GUICHET_PASS="1:forged")
    assert forged.status_code == 404
    assert Client().get(reverse("waitingroom:poll")).status_code == 404  # no pass, no session


@pytest.mark.redis
def test_redis_answers_the_polls_and_the_database_takes_over_when_redis_is_lost(
    settings, django_assert_num_queries
) -> None:
    room = _room(quota=10, capacity=2)
    tickets = [services.join(actor=candidate(), room=room) for _ in range(5)]
    assert services.admit(period=room.period).admitted == 2  # then the copy is published
    assert live.is_published(room)

    # Redis answers: no query at all, the same answer as the record.
    with django_assert_num_queries(0):
        status, data = _poll(tickets[4])
    assert (status, data["status"], data["ahead"], data["position"]) == (200, "waiting", 2, 3)
    assert services.standing(Ticket.objects.get(pk=tickets[4].pk), seen=False).ahead == 2
    status, admitted = _poll(tickets[0])
    assert admitted["status"] == "admitted" and admitted["turn_url"]

    # Redis is lost (nothing listens there any more): the database answers, joins and rounds
    # go on, reservations are taken in the record.
    redis_url = settings.REDIS_URL
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    status, data = _poll(tickets[4])
    assert (status, data["status"], data["ahead"]) == (200, "waiting", 2)
    late = services.join(actor=candidate(), room=room)
    assert late.number == 6
    Room.objects.filter(pk=room.pk).update(capacity=3)
    assert services.admit(period=room.period).admitted == 1  # the third in line
    assert not live.enabled()  # this process stopped asking Redis for a while

    # Redis comes back empty (a restart keeps nothing): the next round publishes the record.
    settings.REDIS_URL = redis_url
    live.reset()
    live.forget(room)
    status, data = _poll(tickets[4])  # not published yet: the database answers
    assert (status, data["ahead"]) == (200, 1)
    services.admit(period=room.period)
    assert live.is_published(room)
    with django_assert_num_queries(0):
        status, data = _poll(tickets[4])
        _status, last = _poll(late)
        _status, third = _poll(tickets[2])
    assert (data["status"], data["ahead"], last["ahead"], third["status"]) == (
        "waiting",
        1,
        2,
        "admitted",
    )
    # Nothing lost: every ticket is in the copy, every reservation in the record.
    client = live._client()
    assert client.hlen(live._key(live.tag(room), "t")) == 6
    assert (
        Reservation.objects.filter(period=room.period, status=ReservationStatus.ACTIVE).count() == 3
    )
    assert list(
        Ticket.objects.filter(room=room).order_by("number").values_list("status", flat=True)
    ) == [
        "admitted",
        "admitted",
        "admitted",
        "waiting",
        "waiting",
        "waiting",
    ]


@pytest.mark.redis
def test_the_controller_copies_the_seen_marks_of_the_front_before_deciding() -> None:
    room = _room(quota=10, capacity=1)
    now = timezone.now()
    long_ago = now - timedelta(minutes=5)
    first, second = (services.join(actor=candidate(), room=room, now=long_ago) for _ in range(2))
    services.admit(period=room.period, now=long_ago)  # publishes; admits the first
    Ticket.objects.filter(pk=first.pk).update(status=TicketStatus.SUBMITTED)
    live.push(room, [first.pk])
    # The second has polled Redis only: the record still says five minutes ago.
    assert _poll(second)[1]["status"] == "waiting"
    assert Ticket.objects.get(pk=second.pk).last_seen_at == long_ago
    done = services.admit(period=room.period)
    assert done.admitted == 1  # seen through Redis: not skipped as absent
    assert Ticket.objects.get(pk=second.pk).last_seen_at > long_ago
    assert _poll(second)[1]["status"] == "admitted"


@pytest.mark.redis
def test_polls_answered_by_redis_are_rate_limited_per_account(monkeypatch) -> None:
    monkeypatch.setitem(limits.LIMITS, "poll", {"account": 3, "address": 3000})
    room = _room()
    ticket = services.join(actor=candidate(), room=room)
    services.admit(period=room.period)
    statuses = [_poll(ticket)[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.ADMITTED  # never dropped


@pytest.mark.redis
def test_a_lottery_pre_queue_is_answered_by_redis_before_the_opening() -> None:
    from guichet.intake.models import Allocation

    now = timezone.now()
    room = services.room_of(
        period(
            quota=10,
            waiting_room=True,
            allocation=Allocation.LOTTERY,
            opens_at=now + timedelta(hours=1),
        )
    )
    Room.objects.filter(pk=room.pk).update(pre_queue_opens_at=now - timedelta(minutes=5))
    room.refresh_from_db()
    early = services.join(actor=candidate(), room=room)
    services.run_open_rooms()
    assert live.is_published(room)
    late = services.join(actor=candidate(), room=room)  # pushed after its commit
    for ticket in (early, late):
        status, data = _poll(ticket)
        assert (status, data["status"], data["position"]) == (200, "waiting", None)
        assert data["poll"] == 30  # waiting for the draw


@pytest.mark.redis
def test_without_a_controller_the_polls_answered_by_redis_run_the_admissions(settings) -> None:
    settings.WAITING_ROOM_ADMIT_ON_POLL = True  # the embedded default: no controller process
    room = _room(quota=10, capacity=1)
    first, second = (services.join(actor=candidate(), room=room) for _ in range(2))
    services.admit(period=room.period)  # published; the first is admitted
    assert _poll(first)[1]["status"] == "admitted"
    Ticket.objects.filter(pk=first.pk).update(status=TicketStatus.SUBMITTED)
    live.push(room, [first.pk])
    from django.core.cache import cache

    cache.delete(f"waitingroom:tick:{room.pk}")
    _poll(second)  # Redis answers, and this poll runs a round: the second is admitted
    assert Ticket.objects.get(pk=second.pk).status == TicketStatus.ADMITTED
    assert _poll(second)[1]["status"] == "admitted"


def _copy_of(room: Room, ticket: Ticket) -> str | None:
    """The state Redis holds for a ticket."""
    found = live._client().hget(live._key(live.tag(room), "t"), str(ticket.pk))
    return None if found is None else str(found).split("|")[0]


@pytest.mark.redis
def test_a_push_lost_to_a_frozen_redis_is_mended_at_the_next_round_and_the_window_waits(
    monkeypatch,
) -> None:
    """Redis frozen (connections lost, data kept) while a round admits: the record says
    « admitted », the copy still « waiting ». The next round copies the room whole, and the
    window of those who could not be told does not run meanwhile."""
    import redis as redis_lib

    room = _room(quota=10, capacity=1)
    tickets = [services.join(actor=candidate(), room=room) for _ in range(3)]
    start = timezone.now()
    services.admit(period=room.period, now=start)  # published; the first is admitted
    assert _copy_of(room, tickets[0]) == "admitted"
    Room.objects.filter(pk=room.pk).update(capacity=3)

    def frozen(*args, **kwargs):
        raise redis_lib.exceptions.TimeoutError("frozen")

    monkeypatch.setattr(live, "_client", frozen)
    live.reset()
    during = start + timedelta(seconds=2)
    assert services.admit(period=room.period, now=during).admitted == 2
    monkeypatch.undo()
    assert [_copy_of(room, t) for t in tickets[1:]] == ["waiting", "waiting"]  # the copy is old
    assert Room.objects.get(pk=room.pk).live_stale_since == during

    # Redis answers again: within one round the copy agrees with the record.
    live.reset()
    after = during + timedelta(seconds=12)
    services.admit(period=room.period, now=after)
    for ticket in tickets:
        record = Ticket.objects.get(pk=ticket.pk)
        assert _copy_of(room, ticket) == record.status == TicketStatus.ADMITTED
    assert Room.objects.get(pk=room.pk).live_stale_since is None
    # The 12 seconds they could not be told are given back to their window and reservation.
    for ticket in tickets[1:]:
        record = Ticket.objects.get(pk=ticket.pk)
        assert record.window_ends_at == during + timedelta(minutes=10, seconds=12)
        held = Reservation.objects.get(user_id=record.user_id, status=ReservationStatus.ACTIVE)
        assert held.expires_at == record.window_ends_at
    first = Ticket.objects.get(pk=tickets[0].pk)
    assert first.window_ends_at == start + timedelta(minutes=10)  # told in time: unchanged
    status, data = _poll(tickets[2])
    assert (status, data["status"]) == (200, "admitted")
