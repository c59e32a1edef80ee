"""The waiting room's rules: one number per account, the order, admissions with reservations,
absence and expiry, the quota reached, the lottery recomputed from the public log."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.core.refusals import Refused
from guichet.intake.models import Allocation, IntakePeriod, Reservation, ReservationStatus
from guichet.intake.tests.factories import period
from guichet.intake.tests.factories import queuer as candidate
from guichet.waitingroom import order, services
from guichet.waitingroom.models import EventKind, RoomEvent, RoomStatus, Ticket, TicketStatus

pytestmark = pytest.mark.django_db


def _open_room(quota: int = 10, capacity: int = 3, **kwargs):
    room = services.room_of(period(quota=quota, waiting_room=True, **kwargs))
    room.status = RoomStatus.OPEN
    room.capacity = capacity
    room.save()
    return room


def test_joining_twice_gives_the_same_number_and_numbers_follow_arrival() -> None:
    room = _open_room()
    first, second = candidate(), candidate()
    a = services.join(actor=first, room=room)
    assert services.join(actor=first, room=room).pk == a.pk
    b = services.join(actor=second, room=room)
    assert (a.number, b.number) == (1, 2)
    assert (a.rank, b.rank) == (1, 2)
    assert Ticket.objects.filter(room=room).count() == 2
    assert list(RoomEvent.objects.filter(kind=EventKind.JOIN).values_list("number", flat=True)) == [
        1,
        2,
    ]


def test_nobody_joins_before_the_opening_nor_without_a_verified_account() -> None:
    now = timezone.now()
    room = services.room_of(period(opens_at=now + timedelta(hours=1), waiting_room=True))
    with pytest.raises(Refused) as refused:
        services.join(actor=candidate(), room=room)
    assert refused.value.code == "not_yet"
    from guichet.accounts.tests.factories import UserFactory

    open_room = _open_room()
    with pytest.raises(Refused) as refused:
        services.join(actor=UserFactory.create(), room=open_room)  # no security questions
    assert refused.value.code == "not_verified"


def test_the_position_counts_only_those_still_waiting_before() -> None:
    room = _open_room()
    tickets = [services.join(actor=candidate(), room=room) for _ in range(4)]
    assert services.standing(tickets[3]).ahead == 3
    Ticket.objects.filter(pk=tickets[0].pk).update(status=TicketStatus.SUBMITTED)
    last = Ticket.objects.get(pk=tickets[3].pk)
    standing = services.standing(last)
    assert (standing.ahead, standing.position) == (2, 3)
    assert (
        standing.wait_minutes is not None and standing.wait_minutes[0] <= standing.wait_minutes[1]
    )


def test_admissions_follow_the_order_skip_the_absent_and_reserve_a_place_each() -> None:
    room = _open_room(quota=10, capacity=3)
    now = timezone.now()
    tickets = [services.join(actor=candidate(), room=room, now=now) for _ in range(5)]
    # The second stopped polling three minutes ago: skipped, not dropped.
    Ticket.objects.filter(pk=tickets[1].pk).update(last_seen_at=now - timedelta(minutes=3))
    done = services.admit(period=room.period, now=now)
    assert done.admitted == 3
    admitted = list(
        Ticket.objects.filter(status=TicketStatus.ADMITTED)
        .order_by("rank")
        .values_list("number", flat=True)
    )
    assert admitted == [1, 3, 4]
    assert Reservation.objects.filter(status=ReservationStatus.ACTIVE).count() == 3
    assert IntakePeriod.objects.get(pk=room.pk).reserved == 3
    # The capacity is full: nobody else until a window ends.
    assert services.admit(period=room.period, now=now).admitted == 0
    # The absent one comes back: first in line, with their own number.
    services.standing(Ticket.objects.get(pk=tickets[1].pk), now=now)
    assert services.standing(Ticket.objects.get(pk=tickets[1].pk), now=now).ahead == 0


def test_never_more_admitted_than_places_left() -> None:
    room = _open_room(quota=2, capacity=10)
    for _ in range(5):
        services.join(actor=candidate(), room=room)
    assert services.admit(period=room.period).admitted == 2
    fresh = IntakePeriod.objects.get(pk=room.pk)
    assert (fresh.taken, fresh.reserved) == (0, 2)


def test_an_admitted_candidate_who_never_came_back_returns_to_their_number() -> None:
    room = _open_room(capacity=1)
    now = timezone.now()
    first = services.join(actor=candidate(), room=room, now=now)
    second = services.join(actor=candidate(), room=room, now=now)
    services.admit(period=room.period, now=now)
    later = now + services.STALE + timedelta(seconds=1)
    Ticket.objects.filter(pk=second.pk).update(last_seen_at=later)  # the second is still there
    done = services.admit(period=room.period, now=later)
    assert done.requeued == 1
    first.refresh_from_db()
    assert first.status == TicketStatus.WAITING and first.number == 1
    assert Reservation.objects.get(user=first.user).status == ReservationStatus.EXPIRED
    # Their place went to the next one present.
    assert Ticket.objects.get(pk=second.pk).status == TicketStatus.ADMITTED


def test_a_window_opened_and_left_unused_expires_and_gives_its_place_back() -> None:
    room = _open_room(capacity=1)
    now = timezone.now()
    ticket = services.join(actor=candidate(), room=room, now=now)
    services.admit(period=room.period, now=now)
    ticket.refresh_from_db()
    assert services.use_admission(ticket=ticket, now=now)
    assert not services.use_admission(ticket=ticket, now=now)  # single use
    done = services.admit(period=room.period, now=now + timedelta(minutes=10, seconds=1))
    assert done.expired == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.EXPIRED
    assert IntakePeriod.objects.get(pk=room.pk).reserved == 0


def test_a_submission_in_the_window_ends_the_ticket_and_a_full_quota_closes_the_room() -> None:
    room = _open_room(quota=1, capacity=1)
    now = timezone.now()
    ticket = services.join(actor=candidate(), room=room, now=now)
    waiting = services.join(actor=candidate(), room=room, now=now)
    services.admit(period=room.period, now=now)
    # What the submission does with the reservation (intake's take_place, without the form).
    reservation = Reservation.objects.get(user=ticket.user)
    Reservation.objects.filter(pk=reservation.pk).update(status=ReservationStatus.USED)
    IntakePeriod.objects.filter(pk=room.pk).update(taken=1, reserved=0)
    done = services.admit(period=room.period, now=now)
    assert done.submitted == 1 and done.closed
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.SUBMITTED
    assert Ticket.objects.get(pk=waiting.pk).status == TicketStatus.CLOSED
    room.refresh_from_db()
    assert room.status == RoomStatus.CLOSED
    with pytest.raises(Refused):
        services.join(actor=candidate(), room=room)


def test_the_lottery_order_is_drawn_at_the_opening_and_recomputed_from_the_public_log() -> None:
    now = timezone.now()
    room = services.room_of(
        period(
            opens_at=now - timedelta(minutes=1),
            allocation=Allocation.LOTTERY,
            waiting_room=True,
        )
    )
    room.pre_queue_opens_at = now - timedelta(hours=1)
    room.save()
    early = [services.join(actor=candidate(), room=room, now=now) for _ in range(12)]
    assert all(t.rank is None for t in early)
    assert services.standing(early[0], now=now).position is None
    room.status = RoomStatus.OPEN
    room.save()
    services.admit(period=room.period, now=now)
    late = services.join(actor=candidate(), room=room, now=now)
    by_rank = Ticket.objects.filter(room=room).order_by("rank").values_list("number", flat=True)
    drawn = order.lottery_order(room.seed, [t.number for t in early])
    assert list(by_rank) == [*drawn, late.number]
    assert room.seed_digest == order.digest(room.seed)
    # Anyone with the public log and the published seed finds the same order.
    rows = [
        {"kind": e.kind, "number": str(e.number or ""), "detail": e.detail}
        for e in RoomEvent.objects.filter(room=room).order_by("pk")
    ]
    assert order.order_from_log(rows, room.seed) == [*drawn, late.number]


def test_the_public_log_names_numbers_only(client) -> None:
    room = _open_room()
    services.join(actor=candidate(username="Quelquun123"), room=room)
    response = client.get(f"/fr/mon-projet-quebec/salle-attente/journal/{room.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["kind"] == "join" and rows[0]["number"] == "1"
    assert "Quelquun123" not in text


def test_order_command_recomputes_from_a_csv(tmp_path) -> None:
    log = tmp_path / "journal.csv"
    log.write_text("seq,kind,number,rank,at,detail\n1,join,1,,t,\n2,join,2,,t,\n3,join,3,,t,\n")
    assert order.order_from_log(list(csv.DictReader(log.open())), None) == [1, 2, 3]
    assert order.main(["order", str(log)]) == 0


def test_the_controller_command_runs_a_round_for_every_open_room() -> None:
    from django.core.management import call_command

    room = _open_room(capacity=2)
    for _ in range(3):
        services.join(actor=candidate(), room=room)
    out = io.StringIO()
    call_command("run_waiting_room", stdout=out)
    assert "admitted: 2" in out.getvalue()
    assert Ticket.objects.filter(status=TicketStatus.ADMITTED).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_controllers_on_several_machines_admit_each_candidate_once() -> None:
    """Eight controllers at once: the room's row lock (SKIP LOCKED) lets one do each round;
    the others return at once. Never more admitted than the capacity, never twice."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    room = _open_room(quota=100, capacity=5)
    for _ in range(12):
        services.join(actor=candidate(), room=room)

    def run() -> int:
        try:
            return services.admit(period=room.period).admitted
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        admitted = list(pool.map(lambda _: run(), range(8)))
    assert sum(admitted) == 5
    assert Ticket.objects.filter(status=TicketStatus.ADMITTED).count() == 5
    assert Reservation.objects.filter(status=ReservationStatus.ACTIVE).count() == 5
    assert IntakePeriod.objects.get(pk=room.pk).reserved == 5


def test_a_join_that_missed_the_draw_is_ranked_after_the_pre_queue_at_the_next_round() -> None:
    now = timezone.now()
    room = services.room_of(
        period(
            opens_at=now - timedelta(minutes=1), allocation=Allocation.LOTTERY, waiting_room=True
        )
    )
    Room = type(room)
    Room.objects.filter(pk=room.pk).update(
        pre_queue_opens_at=now - timedelta(hours=1), status=RoomStatus.OPEN
    )
    room.refresh_from_db()
    early = [services.join(actor=candidate(), room=room, now=now) for _ in range(3)]
    services.admit(period=room.period, now=now)  # the draw
    # A join that read the room before the draw was committed: no rank.
    straggler = services.join(actor=candidate(), room=room, now=now)
    Ticket.objects.filter(pk=straggler.pk).update(rank=None)
    services.admit(period=room.period, now=now)
    ranks = dict(Ticket.objects.filter(room=room).values_list("number", "rank"))
    late_rank = ranks[straggler.number]
    assert late_rank is not None
    assert all(late_rank > (ranks[t.number] or 0) for t in early)


def test_each_change_of_a_ticket_and_of_the_room_is_announced() -> None:
    """Issue 32: the room's and the tickets' statuses change through core.transitions, each
    announced in the event log (the webhooks' and the privacy register's source), and the
    quota's reservations and places alike."""
    from guichet.core.models import Event
    from guichet.intake.tests.factories import officer as intake_officer

    officer = intake_officer()
    now = timezone.now()
    room = services.room_of(period(quota=1, waiting_room=True, opens_at=now - timedelta(hours=1)))
    services.change_room(actor=officer, period=room.period, action="open")
    opened = Event.objects.get(type="room.opened")
    assert opened.actor_id == officer.pk and opened.payload == {"from": "ready", "to": "open"}
    first = services.join(actor=candidate(), room=room, now=now)
    second = services.join(actor=candidate(), room=room, now=now)
    services.admit(period=room.period, now=now)
    assert Event.objects.filter(type="ticket.admitted", subject_id=str(first.pk)).exists()
    # Made, not moved yet: a row is born in its first status, no event.
    assert not Event.objects.filter(type__startswith="reservation.").exists()
    reservation = Reservation.objects.get(user=first.user)
    assert reservation.status == ReservationStatus.ACTIVE
    # The window ends unused: the ticket expires, the reservation too, both announced; then
    # the quota is filled and the room closes on the one still waiting.
    services.use_admission(ticket=first, now=now)
    services.admit(period=room.period, now=now + timedelta(minutes=11))
    assert Event.objects.filter(type="ticket.expired", subject_id=str(first.pk)).exists()
    assert Event.objects.filter(type="reservation.expired", subject_id=str(reservation.pk)).exists()
    IntakePeriod.objects.filter(pk=room.pk).update(taken=1)
    services.admit(period=room.period, now=now + timedelta(minutes=12))
    closed = Event.objects.get(type="ticket.closed")
    assert closed.subject_id == str(Ticket.objects.get(pk=second.pk).pk)
    assert Event.objects.filter(type="room.closed", subject_id=str(room.pk)).exists()
    with pytest.raises(Refused):  # closed: the officers cannot reopen it
        services.change_room(actor=officer, period=room.period, action="resume")
