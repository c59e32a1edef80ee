"""The event log (ADR 0023): every change of state is announced, once, by one row of
`core.Event` written in the transaction that made it; subscribers run after commit.

- `emit(type, subject, actor=…, payload=…)` writes the row (inside the caller's atomic block:
  the event exists exactly when the change does) and schedules the delivery after commit.
  `core.transitions` emits for every status change; a service emits the few other things it
  announces (« message from the person », « file opened »).
- `subscribe(type, handler)`: `handler(event)` runs after the commit, each in its own
  transaction, once per event. A handler that fails is logged and does not stop the others nor
  undo the change (the change is the record; a subscriber's work is derived from it).
- `after(cursor)`: the events a reader has not read yet, in an order where none committed late is
  ever skipped (the partner API's webhooks, the privacy register).

The payload is small and holds no personal data: ids, codes, statuses, dates. `emit` refuses
anything else."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .actor import Actor, Source
from .models import Event, EventCursor, EventDelivery

logger = logging.getLogger(__name__)

Handler = Callable[[Event], None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)

PAYLOAD_MAX = 1024  # characters of JSON: ids and codes, never a text a person wrote
VALUE_MAX = 64
Scalar = str | int | bool | None


class EventError(ValueError):
    """An event that may not be written: outside a transaction, or a payload that is not small
    ids and codes."""


def label(model: type[models.Model] | models.Model) -> str:
    """« appointments.booking »: how an event names its subject's type."""
    meta = model._meta
    return f"{meta.app_label}.{meta.model_name}"


def _checked(payload: Mapping[str, Any] | None) -> dict[str, Scalar]:
    clean: dict[str, Scalar] = {}
    for key, value in (payload or {}).items():
        if isinstance(value, models.Model):
            value = value.pk
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        if not isinstance(value, str | int | bool) and value is not None:
            raise EventError(f"event payload {key!r}: only ids, codes, statuses and dates")
        if isinstance(value, str) and len(value) > VALUE_MAX:
            raise EventError(f"event payload {key!r}: {len(value)} characters is not a code")
        clean[str(key)] = value
    if len(repr(clean)) > PAYLOAD_MAX:
        raise EventError("event payload too large")
    return clean


def _current_tx() -> int:
    """The writing transaction's id on PostgreSQL (0 elsewhere: SQLite writes one at a time)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as db:
        db.execute("SELECT txid_current()")
        return int(db.fetchone()[0])


def emit(
    type: str,
    subject: models.Model | tuple[str, int | str],
    *,
    actor: Actor | None = None,
    payload: Mapping[str, Any] | None = None,
) -> Event:
    """Announce that `type` happened to `subject` (a row, or a (type label, id) pair for a row
    already deleted). Must run inside the transaction that makes the change."""
    return emit_many(type, [(subject, payload)], actor=actor)[0]


BATCH = 1000  # rows per INSERT when many subjects change at once (a room closing)


def emit_many(
    type: str,
    changes: Iterable[tuple[models.Model | tuple[str, int | str], Mapping[str, Any] | None]],
    *,
    actor: Actor | None = None,
) -> list[Event]:
    """`emit` for many subjects at once — `changes` holds (subject, payload) pairs —, written a
    thousand rows per statement: a room that closes on tens of thousands of tickets announces
    each of them in seconds."""
    if not connection.in_atomic_block:
        raise EventError("an event is written in the transaction that makes the change")
    who = actor or Actor.system()
    now = timezone.now()
    tx = _current_tx()
    rows = []
    for subject, payload in changes:
        if isinstance(subject, models.Model):
            subject_type, subject_id = label(subject), str(subject.pk)
        else:
            subject_type, subject_id = subject[0], str(subject[1])
        rows.append(
            Event(
                type=type,
                subject_type=subject_type,
                subject_id=subject_id,
                actor=who.user,
                source=who.source or Source.SYSTEM,
                occurred_at=now,
                payload=_checked(payload),
                tx=tx,
            )
        )
    written = Event.objects.bulk_create(rows, batch_size=BATCH)
    if _handlers_for(type):
        for event in written:
            transaction.on_commit(Delivery(event.pk))
    return written


class Delivery:
    """The after-commit delivery of one event (once, whoever calls it)."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            deliver(self.event_id)


@contextmanager
def delivered() -> Iterator[None]:
    """For tests, whose transaction never commits: the events written inside the block are
    delivered at its end, as they would be after the commit; other after-commit work (emails,
    tasks) is left as it was."""
    first = len(connection.run_on_commit)
    yield
    for entry in list(connection.run_on_commit[first:]):
        callback = entry[1]
        if isinstance(callback, Delivery):
            callback()


def subscribe(type: str, handler: Handler) -> None:
    """`handler(event)` runs after the commit of every event of `type` (« booking.created »,
    or « booking.* » for all of a subject's)."""
    if handler not in _subscribers[type]:
        _subscribers[type].append(handler)


def _handlers_for(type: str) -> list[Handler]:
    family = type.split(".", 1)[0] + ".*"
    return [*_subscribers.get(type, ()), *_subscribers.get(family, ())]


def handler_name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"[:200]


def deliver(event_id: int) -> int:
    """Run the subscribers of one committed event, each in its own transaction and once: the
    handling is recorded (`EventDelivery`) in the handler's transaction, so a second delivery
    of the same event (the catch-up after a lost process, a retry) skips what was done.
    Returns how many handlers ran."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:  # pragma: no cover - the log is append-only
        return 0
    ran = 0
    for handler in _handlers_for(event.type):
        name = handler_name(handler)
        try:
            with transaction.atomic():
                _record, created = EventDelivery.objects.get_or_create(
                    event_id=event.pk, handler=name
                )
                if not created:
                    continue
                handler(event)
                ran += 1
        except Exception:
            logger.exception("event %s (%s): subscriber %s failed", event.pk, event.type, name)
    return ran


CATCH_UP = "subscribers"
# An event younger than this is left to its after-commit delivery, still under way.
GRACE = timedelta(seconds=30)
DELIVERIES_KEPT = timedelta(days=1)


def catch_up(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Deliver the events whose after-commit delivery was lost (the process stopped between
    the commit and the delivery), in the log's order, from where the last catch-up stopped;
    each handler runs at most once per event (`deliver`). A handler that fails is logged and
    not retried, as after commit. Runs every minute (`manage.py deliver_events`). Returns how
    many handlers ran."""
    now = now or timezone.now()
    # What was handled a day ago is far behind the cursor: its record is no longer needed.
    EventDelivery.objects.filter(delivered_at__lt=now - DELIVERIES_KEPT).delete()
    ran = 0
    while True:
        cursor, _created = EventCursor.objects.get_or_create(name=CATCH_UP)
        found = after(cursor.position, limit=batch)
        young = next((i for i, e in enumerate(found) if e.occurred_at > now - GRACE), len(found))
        taken = found[:young]  # in order, up to the first one still young
        if not taken:
            return ran
        for event in taken:
            if _handlers_for(event.type):
                ran += deliver(event.pk)
        # Moved on only once delivered: a catch-up lost midway is done again (each handler
        # still runs once); two at once deliver the same events once and one moves the cursor.
        EventCursor.objects.filter(name=CATCH_UP, position=cursor.position).update(
            position=taken[-1].pk, updated_at=timezone.now()
        )
        if young < len(found) or len(found) < batch:
            return ran


# The oldest transaction of this database still running that may write events (its id made
# 64-bit like txid_current()'s), else the next id to be handed out: every event with a smaller
# `tx` is committed (or rolled back) and visible. Only this database's backends count, so a
# long transaction elsewhere in the cluster does not hold readers back; the application's
# role sees its own backends' transaction ids in pg_stat_activity.
HORIZON = """
WITH next AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax),
running AS (
    SELECT ((next.xmax >> 32) << 32) + a.backend_xid::text::bigint AS tx, next.xmax
    FROM pg_stat_activity a, next
    WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL
      AND a.pid <> pg_backend_pid()
)
SELECT COALESCE(
    (SELECT min(CASE WHEN tx > xmax THEN tx - 4294967296 ELSE tx END) FROM running),
    (SELECT xmax FROM next)
)
"""


def after(cursor: int = 0, *, limit: int = 500, types: Iterable[str] = ()) -> list[Event]:
    """The events after `cursor` (the id of the last event read; 0 for all) that a reader may
    take now, in order. On PostgreSQL ids are handed out when rows are written, not when they
    commit: only events of transactions older than every one still running are given, in
    (tx, id) order, so a reader that keeps the last id never skips one committed late."""
    events = Event.objects.all()
    if types:
        events = events.filter(type__in=list(types))
    if connection.vendor != "postgresql":
        # SQLite writes one transaction at a time: ids are in commit order.
        return list(events.filter(pk__gt=cursor).order_by("pk")[:limit])
    with connection.cursor() as db:
        db.execute("SELECT pg_stat_clear_snapshot()")
        db.execute(HORIZON)
        horizon = db.fetchone()[0]
    last = Event.objects.filter(pk=cursor).values_list("tx", flat=True).first()
    events = events.filter(tx__lt=horizon)
    if last is not None:
        events = events.filter(models.Q(tx__gt=last) | models.Q(tx=last, pk__gt=cursor))
    return list(events.order_by("tx", "pk")[:limit])
