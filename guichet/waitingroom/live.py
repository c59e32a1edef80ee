"""The waiting room's live copy in Redis (issue 18, item 8; ADR 0018).

When REDIS_URL is set, Redis holds the queue and answers the position polls; PostgreSQL stays
the record. Nothing lives only in Redis but the `seen` marks (a hint: who is still polling),
which the controller copies to the record for the tickets it is about to decide on, before
each round. So a Redis restart or a lost connection during an opening loses no ticket and no
reservation: polls and joins use the database meanwhile, and the controller publishes the
record again at its next round (every 2 seconds).

Keys, per room and per the room's seed digest (a copy left by another database with the same
room id never answers), all in one hash slot:

    wr:{<room>.<digest>}:meta   hash  status, capacity, per_minute, published (epoch seconds)
    wr:{…}:t                    hash  ticket id → "status|number|rank|admitted_at|window_ends_at"
    wr:{…}:q                    zset  waiting tickets that have a rank; score = rank
    wr:{…}:seen                 zset  ticket id → the last poll (epoch seconds)

A poll is one round trip (a pipeline): the room's state, the ticket's, its rank in the queue
(ZRANK: the number of people before it), its `seen` mark and the rate-limit counters.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
from django.conf import settings
from redis.exceptions import RedisError

from .models import Room, Ticket, TicketStatus

logger = logging.getLogger(__name__)

TTL_SECONDS = 3 * 24 * 3600  # the copy of a room outlives its opening day, then goes
RETRY_SECONDS = 5.0  # after a failure, this process uses the database for that long
FRONT = 1000  # how many tickets at the front have their `seen` mark copied before a round
CHUNK = 5000
ERRORS = (RedisError, OSError)

_lock = threading.Lock()
_clients: dict[str, redis.Redis] = {}
_down_until = 0.0


def enabled() -> bool:
    return bool(settings.REDIS_URL) and time.monotonic() >= _down_until


def _client() -> redis.Redis:
    url = settings.REDIS_URL
    with _lock:
        found = _clients.get(url)
        if found is None:
            found = redis.Redis.from_url(
                url, socket_timeout=0.5, socket_connect_timeout=0.5, decode_responses=True
            )
            _clients[url] = found
    return found


def _failed(error: BaseException) -> None:
    global _down_until
    first = time.monotonic() >= _down_until
    _down_until = time.monotonic() + RETRY_SECONDS
    if first:
        logger.warning("waiting room: Redis unreachable (%s); the database answers", type(error))


def reset() -> None:
    """Forget a past failure (tests)."""
    global _down_until
    _down_until = 0.0


def tag(room: Room) -> str:
    """What names the room's keys: its id and the start of its seed's digest."""
    return f"{room.pk}.{room.seed_digest[:8]}"


def _key(room_tag: str, name: str) -> str:
    return f"wr:{{{room_tag}}}:{name}"


def _stamp(moment: datetime | None) -> str:
    return "" if moment is None else str(int(moment.timestamp() * 1000))


def _moment(stamp: str) -> datetime | None:
    return None if not stamp else datetime.fromtimestamp(int(stamp) / 1000, tz=UTC)


def _encode(ticket: Ticket) -> str:
    rank = "" if ticket.rank is None else str(ticket.rank)
    return "|".join(
        [
            ticket.status,
            str(ticket.number),
            rank,
            _stamp(ticket.admitted_at),
            _stamp(ticket.window_ends_at),
        ]
    )


@dataclass(frozen=True)
class Snapshot:
    """What Redis says of a ticket and its room, for a poll."""

    ticket_id: int
    status: str
    number: int
    rank: int | None
    admitted_at: datetime | None
    window_ends_at: datetime | None
    ahead: int | None
    room_status: str
    capacity: int
    per_minute: float
    counts: tuple[int, ...]  # the rate-limit counters, in the order asked


def _fields(ticket_ids: list[int]) -> Any:
    return Ticket.objects.filter(pk__in=ticket_ids).only(
        "pk", "status", "number", "rank", "admitted_at", "window_ends_at"
    )


def _write(pipe: Any, room_tag: str, tickets: Any) -> None:
    states: dict[Any, Any] = {}
    queued: dict[Any, Any] = {}
    gone: list[str] = []
    for ticket in tickets:
        states[str(ticket.pk)] = _encode(ticket)
        if ticket.status == TicketStatus.WAITING and ticket.rank is not None:
            queued[str(ticket.pk)] = ticket.rank
        else:
            gone.append(str(ticket.pk))
    if states:
        pipe.hset(_key(room_tag, "t"), mapping=states)
    if queued:
        pipe.zadd(_key(room_tag, "q"), queued)
    if gone:
        pipe.zrem(_key(room_tag, "q"), *gone)


def _meta(room: Room, per_minute: float, published: bool) -> dict[Any, Any]:
    meta: dict[Any, Any] = {
        "status": room.status,
        "capacity": str(room.capacity),
        "per_minute": f"{per_minute:.3f}",
    }
    if published:
        meta["published"] = str(int(time.time()))
    return meta


def publish(room: Room, *, per_minute: float) -> bool:
    """Copy the record of the room to Redis, whole (the first time, after a restart, after the
    draw or the closing). One MULTI/EXEC: a poll sees the old copy or the new one, never half
    of one (tens of thousands of tickets take Redis a few tens of milliseconds)."""
    if not enabled():
        return False
    room_tag = tag(room)
    tickets = Ticket.objects.filter(room=room).only(
        "pk", "status", "number", "rank", "admitted_at", "window_ends_at"
    )
    try:
        pipe = _client().pipeline(transaction=True)
        pipe.delete(_key(room_tag, "meta"), _key(room_tag, "t"), _key(room_tag, "q"))
        batch: list[Ticket] = []
        for ticket in tickets.iterator(chunk_size=CHUNK):
            batch.append(ticket)
            if len(batch) == CHUNK:
                _write(pipe, room_tag, batch)
                batch = []
        _write(pipe, room_tag, batch)
        pipe.hset(_key(room_tag, "meta"), mapping=_meta(room, per_minute, published=True))
        for name in ("meta", "t", "q", "seen"):
            pipe.expire(_key(room_tag, name), TTL_SECONDS)
        pipe.execute()
    except ERRORS as error:
        _failed(error)
        return False
    return True


def is_published(room: Room) -> bool:
    if not enabled():
        return False
    try:
        return bool(_client().hexists(_key(tag(room), "meta"), "published"))
    except ERRORS as error:
        _failed(error)
        return False


def push(room: Room, ticket_ids: list[int], *, per_minute: float | None = None) -> bool:
    """After a change in the record (a join, a round of the controller): the tickets' new
    states and, with `per_minute`, the room's. Nothing when the room is not published (the
    controller will publish it whole). False when the copy did not get the change (Redis lost
    or not published): the caller has the room copied whole again."""
    if not enabled():
        return False
    room_tag = tag(room)
    try:
        client = _client()
        if not client.hexists(_key(room_tag, "meta"), "published"):
            return False
        pipe = client.pipeline(transaction=False)
        for start in range(0, len(ticket_ids), CHUNK):
            _write(pipe, room_tag, _fields(ticket_ids[start : start + CHUNK]))
        if per_minute is not None:
            pipe.hset(_key(room_tag, "meta"), mapping=_meta(room, per_minute, published=False))
        pipe.execute()
    except ERRORS as error:
        _failed(error)
        return False
    return True


def push_tickets(room: Room, tickets: list[Ticket]) -> None:
    """A join's own ticket, as it was just written: no query, one round trip. Written even
    before the room is published (its keys expire; the publication rewrites them whole)."""
    if not enabled():
        return
    room_tag = tag(room)
    try:
        pipe = _client().pipeline(transaction=False)
        _write(pipe, room_tag, tickets)
        for name in ("t", "q"):
            pipe.expire(_key(room_tag, name), TTL_SECONDS)
        pipe.execute()
    except ERRORS as error:
        _failed(error)


def sync_seen(room: Room, *, admitted: list[int]) -> int:
    """Before a round: copy to the record the `seen` marks of the tickets the round decides
    on (those in their window and the front of the queue). Returns how many were copied."""
    if not enabled():
        return 0
    room_tag = tag(room)
    try:
        client = _client()
        members: list[str] = client.zrange(_key(room_tag, "q"), 0, FRONT - 1)  # type: ignore[assignment]
        front = [int(pk) for pk in members]
        ids = list(dict.fromkeys(admitted + front))
        if not ids:
            return 0
        scores = client.zmscore(_key(room_tag, "seen"), [str(pk) for pk in ids])
    except ERRORS as error:
        _failed(error)
        return 0
    seen = {pk: score for pk, score in zip(ids, scores, strict=True) if score is not None}
    if not seen:
        return 0
    changed = []
    for ticket in Ticket.objects.filter(pk__in=list(seen), room=room).only("pk", "last_seen_at"):
        moment = datetime.fromtimestamp(seen[ticket.pk], tz=UTC)
        if moment > ticket.last_seen_at:
            ticket.last_seen_at = moment
            changed.append(ticket)
    Ticket.objects.bulk_update(changed, ["last_seen_at"], batch_size=500)
    return len(changed)


# One poll, one command: the room's state, the ticket's, its rank in the queue, its `seen`
# mark, and the rate-limit counters (each made to expire with its window).
POLL_SCRIPT = """
local meta = redis.call('HMGET', KEYS[1], 'status', 'capacity', 'per_minute')
local state = redis.call('HGET', KEYS[2], ARGV[1])
local rank = redis.call('ZRANK', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
local counts = {}
for i = 5, #KEYS do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 then redis.call('EXPIRE', KEYS[i], ARGV[i - 2]) end
  counts[#counts + 1] = n
end
return {meta[1], meta[2], meta[3], state, rank, counts}
"""
_scripts: dict[int, Any] = {}


def read(
    room_tag: str, ticket_id: int, *, limits: list[tuple[str, int]], now: float | None = None
) -> Snapshot | None:
    """One poll (one script, one round trip): the ticket's standing from Redis, its `seen`
    mark, and the rate-limit counters (key, window in seconds). None when Redis cannot answer
    for it (not published, the ticket not there yet, Redis lost): the database answers then."""
    if not enabled():
        return None
    now = time.time() if now is None else now
    member = str(ticket_id)
    try:
        client = _client()
        script = _scripts.get(id(client))
        if script is None:
            script = _scripts[id(client)] = client.register_script(POLL_SCRIPT)
        keys = [_key(room_tag, name) for name in ("meta", "t", "q", "seen")]
        keys += [key for key, _window in limits]
        windows = [str(window * 2) for _key_, window in limits]
        answers: Any = script(keys=keys, args=[member, int(now), *windows])
    except ERRORS as error:
        _failed(error)
        return None
    room_status, capacity, per_minute, state, rank0, counts = answers
    if room_status is None or state is None:
        return None
    status, number, rank, admitted_at, window_ends_at = state.split("|")
    waiting = status == TicketStatus.WAITING and rank != ""
    if waiting and rank0 is None:
        return None  # the copy is being written: the database answers this once
    return Snapshot(
        ticket_id=ticket_id,
        status=status,
        number=int(number),
        rank=int(rank) if rank else None,
        admitted_at=_moment(admitted_at),
        window_ends_at=_moment(window_ends_at),
        ahead=int(rank0) if waiting else None,
        room_status=room_status,
        capacity=int(capacity),
        per_minute=float(per_minute),
        counts=tuple(int(value) for value in counts),
    )


def forget(room: Room) -> None:
    """Remove the room's copy (tests; a room deleted)."""
    if not settings.REDIS_URL:
        return
    room_tag = tag(room)
    try:
        _client().delete(*[_key(room_tag, name) for name in ("meta", "t", "q", "seen")])
    except ERRORS as error:
        _failed(error)
