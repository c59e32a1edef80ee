"""The event log (ADR 0023): written in the transaction that makes the change, append-only, a
small payload without personal data, subscribers after commit, and a cursor that never skips
an event committed late (PostgreSQL, two connections)."""

from __future__ import annotations

import copy
import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from guichet.accounts.models import User
from guichet.accounts.tests.factories import UserFactory
from guichet.appointments.models import BOOKING_TRANSITIONS, Booking, BookingStatus
from guichet.appointments.tests.factories import SessionFactory
from guichet.clients.tests.factories import ClientFactory
from guichet.core import events
from guichet.core.actor import Actor, Source
from guichet.core.models import Event
from guichet.core.refusals import Refused
from guichet.core.transitions import move, step


@pytest.mark.django_db
def test_an_event_names_its_subject_actor_and_a_small_payload() -> None:
    user = UserFactory.create()
    with transaction.atomic():
        event = events.emit("user.checked", user, actor=Actor.of(user), payload={"n": 1})
    assert (event.subject_type, event.subject_id) == ("accounts.user", str(user.pk))
    assert event.actor_id == user.pk and event.source == Actor.of(user).source
    assert event.payload == {"n": 1}
    with pytest.raises(events.EventError):  # a text a person wrote is not a code
        events.emit("user.checked", user, payload={"note": "x" * 200})
    with pytest.raises(events.EventError):
        events.emit("user.checked", user, payload={"identity": {"name": "Tremblay"}})


@pytest.mark.django_db(transaction=True)
def test_an_event_is_written_only_inside_the_change_s_transaction() -> None:
    user = UserFactory.create()
    with pytest.raises(events.EventError):
        events.emit("user.checked", user)
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit("user.checked", user)
        raise RuntimeError("the change fails")
    assert not Event.objects.exists()  # rolled back with it


@pytest.mark.django_db
def test_the_log_is_append_only() -> None:
    user = UserFactory.create()
    with transaction.atomic():
        event = events.emit("user.checked", user)
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(type="user.forged")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            Event.objects.filter(pk=event.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_subscribers_run_after_commit_and_one_failing_stops_nothing() -> None:
    seen: list[tuple[str, str]] = []

    def broken(event: Event) -> None:
        raise ValueError("a subscriber's bug")

    def recorder(event: Event) -> None:
        seen.append((event.type, event.subject_id))

    events.subscribe("probe.*", broken)
    events.subscribe("probe.happened", recorder)
    try:
        user = UserFactory.create()
        with transaction.atomic():
            events.emit("probe.happened", user)
            assert seen == []  # not before the commit
        assert seen == [("probe.happened", str(user.pk))]
        with pytest.raises(RuntimeError), transaction.atomic():
            events.emit("probe.happened", user)
            raise RuntimeError
        assert len(seen) == 1  # a change rolled back announces nothing
    finally:
        events._subscribers.pop("probe.*", None)
        events._subscribers.pop("probe.happened", None)


def _booking() -> Booking:
    return Booking.objects.create(
        client=ClientFactory.create(), session=SessionFactory.create(), source=Source.CLIENT
    )


@pytest.mark.django_db
def test_move_and_step_announce_each_change_of_status() -> None:
    booking, other = _booking(), _booking()
    actor = Actor(user=None, source=Source.PARTNER)
    assert (
        move(
            Booking.objects.filter(pk__in=[booking.pk, other.pk]),
            BOOKING_TRANSITIONS,
            "cancel",
            actor=actor,
        )
        == 2
    )
    assert move(Booking.objects.filter(pk=booking.pk), BOOKING_TRANSITIONS, "cancel") == 0
    cancelled = Event.objects.filter(type="booking.cancelled").order_by("pk")
    assert [e.subject_id for e in cancelled] == [str(booking.pk), str(other.pk)]
    assert cancelled[0].payload == {"from": "booked", "to": "cancelled"}
    assert cancelled[0].source == Source.PARTNER
    with transaction.atomic():
        row = Booking.objects.select_for_update().get(pk=booking.pk)
        with pytest.raises(Refused):
            step(row, BOOKING_TRANSITIONS, "reschedule")
        booked = _booking()
        row = Booking.objects.select_for_update().get(pk=booked.pk)
        assert step(row, BOOKING_TRANSITIONS, "attend", actor=actor) == BookingStatus.BOOKED
    assert Booking.objects.get(pk=booked.pk).status == BookingStatus.COMPLETED
    attended = Event.objects.get(type="booking.attended", subject_id=str(booked.pk))
    assert attended.payload == {"from": "booked", "to": "completed"}


@pytest.mark.django_db(transaction=True)
def test_a_delivery_lost_after_the_commit_is_caught_up_once() -> None:
    """The process stops between the commit and the delivery: the catch-up delivers the event,
    once per handler, in order, and leaves a young one to its after-commit delivery."""
    from datetime import timedelta

    from django.utils import timezone

    from guichet.core.models import EventCursor, EventDelivery

    seen: list[str] = []
    events.subscribe("probe.lost", lambda event: seen.append(event.subject_id))
    try:
        first, second = UserFactory.create(), UserFactory.create()
        with transaction.atomic():
            lost = events.emit("probe.lost", first)
            events.emit("probe.unheard", first)  # no subscriber: passed over
            connection.run_on_commit[:] = [
                entry
                for entry in connection.run_on_commit
                if not isinstance(entry[1], events.Delivery)
            ]
        assert seen == []  # lost with the process
        assert events.catch_up() == 0  # too young: its delivery may still be under way
        later = timezone.now() + events.GRACE + timedelta(seconds=1)
        assert events.catch_up(now=later) == 1
        assert seen == [str(first.pk)]
        with transaction.atomic():
            events.emit("probe.lost", second)  # delivered after its commit, as usual
        assert seen == [str(first.pk), str(second.pk)]
        assert events.catch_up(now=later + timedelta(minutes=1)) == 0  # each handler once
        assert events.deliver(lost.pk) == 0
        assert seen == [str(first.pk), str(second.pk)]
        assert EventDelivery.objects.filter(event_id=lost.pk).count() == 1
        assert (
            EventCursor.objects.get(name=events.CATCH_UP).position == Event.objects.latest("pk").pk
        )
        # A day later the records of what was handled are dropped (far behind the cursor).
        events.catch_up(now=later + events.DELIVERIES_KEPT + timedelta(minutes=1))
        assert not EventDelivery.objects.exists()
    finally:
        events._subscribers.pop("probe.lost", None)


@pytest.mark.django_db(transaction=True)
def test_a_move_of_many_rows_announces_each_once_in_a_few_statements() -> None:
    """A room closing on its whole queue: one event per row, written a thousand per INSERT,
    each carrying its transaction's id, each delivered once after the commit."""
    from django.test.utils import CaptureQueriesContext

    seen: list[str] = []
    events.subscribe("booking.cancelled", lambda event: seen.append(event.subject_id))
    try:
        session = SessionFactory.create()
        client = ClientFactory.create()
        sessions = [session]
        for _ in range(1204):  # one client, a session each (one active booking per session)
            clone = copy.copy(session)
            clone.pk = None
            clone._state.adding = True
            clone.save()
            sessions.append(clone)
        rows = Booking.objects.bulk_create(
            Booking(client=client, session=each, source=Source.CLIENT) for each in sessions
        )
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            moved = move(Booking.objects.filter(client=client), BOOKING_TRANSITIONS, "cancel")
            tx = events._current_tx()
        assert moved == 1205
        inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "core_event"')]
        # 1 000 + 205 on PostgreSQL; SQLite takes at most 999 parameters a statement.
        assert len(inserts) == 2 if connection.vendor == "postgresql" else len(inserts) < 20
        written = Event.objects.filter(type="booking.cancelled")
        assert sorted(int(e.subject_id) for e in written) == sorted(r.pk for r in rows)
        assert {e.tx for e in written} == {tx}
        assert sorted(seen) == sorted(str(r.pk) for r in rows)
    finally:
        events._subscribers.pop("booking.cancelled", None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_reader_s_cursor_never_skips_an_event_committed_late() -> None:
    """Two transactions: the first writes its event, then waits; the second writes a later id
    and commits. A reader must not be given the later event first (its cursor would pass over
    the earlier one); once both committed it gets them, in an order its cursor can follow."""
    user = User.objects.create(username="lecteur01")
    written, release = threading.Event(), threading.Event()

    def slow() -> None:
        try:
            with transaction.atomic():
                events.emit("probe.slow", user)
                written.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=slow)
    worker.start()
    assert written.wait(timeout=30)
    with transaction.atomic():
        events.emit("probe.fast", user)
    try:
        assert events.after(0) == []  # the slow transaction is still open
    finally:
        release.set()
        worker.join(timeout=30)
    found = events.after(0)
    assert [e.type for e in found] == ["probe.slow", "probe.fast"]
    assert 0 < found[0].tx < found[1].tx  # each carries its writer's transaction id
    assert events.after(found[0].pk) == [found[1]]
    assert events.after(found[1].pk) == []
