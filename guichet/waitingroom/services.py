"""The waiting room's rules (seed 002, the news item; SPEC F3, F9).

- Joining gives one queue number per account and room: the unique constraint makes it
  idempotent (a reload, a second tab, a retry), and the number comes from a counter taken in
  the same transaction, so a refused join leaves no gap.
- The controller (`admit`) runs one at a time — the room's row is locked with SKIP LOCKED, so
  several machines may run it — and admits, in order, `min(free sign-in capacity, places
  left)` candidates who are still there: each gets a reservation of the quota for the window
  (intake's `quota.reserve`), so nobody admitted loses to the quota.
- Someone who stops polling keeps their number: they are skipped while away and are first in
  line when they come back. An admitted candidate who never opened the turn's link and gave no
  sign for STALE goes back to their number in the queue and their place is given back
  (recycled within two minutes);
  only a window that was opened and left unused expires.
- When the quota is taken, the room closes and everyone still waiting is told at once.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Role, User
from guichet.audit.services import audit
from guichet.core.actor import Actor, as_actor
from guichet.core.refusals import Refused
from guichet.core.transitions import move, step
from guichet.intake import eligibility, quota
from guichet.intake.models import Allocation, IntakePeriod, Reservation, ReservationStatus
from guichet.numbering.services import next_value

from . import live, order
from .models import (
    ROOM_TRANSITIONS,
    TICKET_TRANSITIONS,
    EventKind,
    Room,
    RoomEvent,
    RoomStatus,
    Ticket,
    TicketStatus,
)

# A ticket that has not polled for this long is skipped by the admissions (not dropped).
STALE = timedelta(minutes=2)
LAST_SEEN_PRECISION = timedelta(seconds=10)  # polls write `last_seen_at` at most this often
TICK_SECONDS = 2


def _numbers(room: Room) -> str:
    return f"waitingroom:{room.pk}:number"


def _ranks(room: Room) -> str:
    return f"waitingroom:{room.pk}:rank"


def room_of(period: IntakePeriod) -> Room:
    """The period's room, made the first time (a lottery's seed is drawn then, so that its
    digest can be published before the opening)."""
    room = Room.objects.filter(pk=period.pk).first()
    if room is not None:
        room.period = period  # the caller's: no second query for it
        return room
    seed = secrets.token_hex(32)
    try:
        with transaction.atomic():
            return Room.objects.create(period=period, seed=seed, seed_digest=order.digest(seed))
    except IntegrityError:
        return Room.objects.get(pk=period.pk)


def _log(
    room: Room, kind: str, now: datetime, *, ticket: Ticket | None = None, detail: str = ""
) -> None:
    RoomEvent.objects.create(
        room=room,
        kind=kind,
        number=ticket.number if ticket else None,
        rank=ticket.rank if ticket else None,
        at=now,
        detail=detail,
    )


def is_lottery(room: Room) -> bool:
    return room.period.allocation == Allocation.LOTTERY


def joins_open_at(room: Room) -> datetime:
    """From when one may « Se connecter » to the room: the opening, or the pre-queue's."""
    if is_lottery(room) and room.pre_queue_opens_at is not None:
        return min(room.pre_queue_opens_at, room.period.opens_at)
    return room.period.opens_at


# --- Candidates --------------------------------------------------------------------------------


def _may_queue(user: User) -> bool:
    """Only signed-in, verified accounts get a number: an active client's profile with its
    security questions (asked again at submission)."""
    return user.is_active and user.role == Role.CLIENT and user.security_answers.exists()


def join(*, actor: Actor | User, room: Room, now: datetime | None = None) -> Ticket:
    """« Se connecter » to the room: the account's one queue number."""
    actor = as_actor(actor)
    user = actor.person
    now = now or timezone.now()
    existing = Ticket.objects.filter(room=room, user=user).first()
    if existing is not None:
        return existing
    if not _may_queue(user):
        raise Refused(
            "not_verified",
            _(
                "Seuls les comptes vérifiés peuvent entrer dans la salle d'attente : "
                "connectez-vous avec votre profil et ses questions de sécurité."
            ),
        )
    lacking = eligibility.missing(user)
    if lacking:
        # Only an account that can submit now gets a number (and, later, a place).
        raise Refused(lacking[0].code, lacking[0].message, reasons=[m.message for m in lacking])
    if now < joins_open_at(room):
        raise Refused(
            "not_yet",
            _("Il n'est pas possible de se connecter à la salle d'attente avant l'ouverture."),
        )
    if room.status == RoomStatus.CLOSED or now >= room.period.closes_at:
        raise Refused("closed", str(closed_message()))
    try:
        with transaction.atomic():
            number = next_value(_numbers(room), first=1, last=2_000_000_000)
            if not is_lottery(room):
                rank: int | None = number  # first come, first served: the order is the number
            elif Room.objects.filter(pk=room.pk, drawn_at__isnull=False).exists():
                # After the draw (read now, not from the caller's copy): after the pre-queue.
                rank = next_value(_ranks(room), first=1, last=2_000_000_000)
            else:
                rank = None  # drawn at the opening
            ticket = Ticket.objects.create(
                room=room,
                user=user,
                number=number,
                rank=rank,
                joined_at=now,
                last_seen_at=now,
            )
            _log(room, EventKind.JOIN, now, ticket=ticket)
            transaction.on_commit(lambda: live.push_tickets(room, [ticket]))
    except IntegrityError:
        # The same account joined at the same instant (another tab): theirs is the one.
        return Ticket.objects.get(room=room, user=user)
    return ticket


def closed_message() -> str:
    return _(
        "Le nombre maximal de demandes à recevoir par le Ministère est atteint : la salle "
        "d'attente est fermée et la fonction permettant de soumettre une demande ne peut pas "
        "être activée."
    )


@dataclass(frozen=True)
class Standing:
    """What a poll answers: the ticket's state, its position (1 = next), how many wait before
    it, an estimated wait as a range of minutes, the window's end once admitted, and when to
    ask again (seconds: slower far from the front, faster near it)."""

    status: str
    number: int
    room_status: str
    ahead: int | None = None
    wait_minutes: tuple[int, int] | None = None
    window_ends_at: datetime | None = None
    poll_seconds: int = 10

    @property
    def position(self) -> int | None:
        return None if self.ahead is None else self.ahead + 1


def poll_interval(ahead: int | None, capacity: int) -> int:
    """Seconds to the next poll. Far from the front a position changes slowly and most people
    are there: a minute keeps an opening of 40 000 within what two cores answer (bench/README),
    and stays within STALE, so a single late poll never makes anyone look absent."""
    if ahead is None:
        return 5
    if ahead > 20 * capacity:
        return 60
    if ahead > 5 * capacity:
        return 20
    if ahead > capacity:
        return 8
    return 4


def _admissions_per_minute(room: Room, now: datetime) -> float:
    """Admissions per minute over the last ten minutes."""
    recent = RoomEvent.objects.filter(
        room=room, kind=EventKind.ADMIT, at__gte=now - timedelta(minutes=10)
    ).count()
    return recent / 10


def _throughput_per_minute(room: Room, now: datetime) -> float:
    """Admissions per minute over the last ten minutes; before any, what the capacity allows
    (each window lasts `window_minutes` at most)."""
    return _admissions_per_minute(room, now) or room.capacity / room.window_minutes


def estimate(ahead: int, per_minute: float) -> tuple[int, int]:
    """A range, never a promise: from the pace of admissions, rounded to whole minutes."""
    if per_minute <= 0:
        per_minute = 1
    middle = ahead / per_minute
    return (max(0, math.floor(middle * 0.8)), max(1, math.ceil(middle * 1.5)))


def standing(ticket: Ticket, *, now: datetime | None = None, seen: bool = True) -> Standing:
    """The ticket's state as its holder sees it (and, with `seen`, a sign they are there)."""
    now = now or timezone.now()
    if seen and now - ticket.last_seen_at >= LAST_SEEN_PRECISION:
        Ticket.objects.filter(pk=ticket.pk).update(last_seen_at=now)
        ticket.last_seen_at = now
    room = ticket.room
    if ticket.status == TicketStatus.ADMITTED:
        return Standing(
            status=ticket.status,
            number=ticket.number,
            room_status=room.status,
            window_ends_at=ticket.window_ends_at,
            poll_seconds=poll_interval(None, room.capacity),
        )
    if ticket.status != TicketStatus.WAITING:
        return Standing(status=ticket.status, number=ticket.number, room_status=room.status)
    if ticket.rank is None:  # in the pre-queue, before the draw
        return Standing(
            status=ticket.status,
            number=ticket.number,
            room_status=room.status,
            poll_seconds=30,
        )
    ahead = Ticket.objects.filter(
        room=room, status=TicketStatus.WAITING, rank__lt=ticket.rank
    ).count()
    return Standing(
        status=ticket.status,
        number=ticket.number,
        room_status=room.status,
        ahead=ahead,
        wait_minutes=estimate(ahead, _throughput_per_minute(room, now)),
        poll_seconds=poll_interval(ahead, room.capacity),
    )


def standing_of(snapshot: live.Snapshot) -> Standing:
    """The same answer as `standing`, from the live copy (Redis) instead of the record."""
    common: dict[str, Any] = {
        "status": snapshot.status,
        "number": snapshot.number,
        "room_status": snapshot.room_status,
    }
    if snapshot.status == TicketStatus.ADMITTED:
        return Standing(
            **common,
            window_ends_at=snapshot.window_ends_at,
            poll_seconds=poll_interval(None, snapshot.capacity),
        )
    if snapshot.status != TicketStatus.WAITING:
        return Standing(**common)
    if snapshot.ahead is None:  # in the pre-queue, before the draw
        return Standing(**common, poll_seconds=30)
    return Standing(
        **common,
        ahead=snapshot.ahead,
        wait_minutes=estimate(snapshot.ahead, snapshot.per_minute),
        poll_seconds=poll_interval(snapshot.ahead, snapshot.capacity),
    )


def use_admission(*, ticket: Ticket, now: datetime | None = None) -> bool:
    """The admission token is single-use: the first use opens the window's page; a second one
    (a copied link, a replay) is refused."""
    now = now or timezone.now()
    return bool(
        Ticket.objects.filter(
            pk=ticket.pk, status=TicketStatus.ADMITTED, token_used_at__isnull=True
        ).update(token_used_at=now, last_seen_at=now)
    )


# --- The controller ------------------------------------------------------------------------------


@dataclass
class Round:
    admitted: int = 0
    expired: int = 0
    requeued: int = 0
    submitted: int = 0
    closed: bool = False
    drawn: bool = False
    resynced: datetime | None = None  # the live copy was stale: copied whole after this round
    changed: list[int] = field(default_factory=list)  # the tickets whose state changed


def _draw(room: Room, now: datetime) -> None:
    """At the opening, a lottery's pre-queue gets its order from the seed."""
    waiting = list(Ticket.objects.filter(room=room, rank__isnull=True).values_list("number", "pk"))
    pk_of = dict(waiting)
    ranked = [
        Ticket(pk=pk_of[number], rank=rank)
        for rank, number in enumerate(order.lottery_order(room.seed, pk_of), start=1)
    ]
    # One statement per thousand tickets: a pre-queue of tens of thousands is ranked in seconds.
    Ticket.objects.bulk_update(ranked, ["rank"], batch_size=1000)
    # Those who join from now on come after the pre-queue.
    from guichet.numbering.models import Sequence

    Sequence.objects.update_or_create(name=_ranks(room), defaults={"last_value": len(waiting)})
    room.drawn_at = now
    room.save(update_fields=["drawn_at"])
    _log(room, EventKind.DRAW, now, detail=room.seed_digest)


def _rank_stragglers(room: Room) -> int:
    """Tickets that joined while the draw was being committed found it not done and got no
    rank: they come after the pre-queue, in order of arrival, like any later join."""
    stragglers = list(
        Ticket.objects.filter(room=room, rank__isnull=True)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    for pk in stragglers:
        rank = next_value(_ranks(room), first=1, last=2_000_000_000)
        Ticket.objects.filter(pk=pk).update(rank=rank)
    return len(stragglers)


def _end_windows(room: Room, now: datetime, done: Round) -> None:
    """Submitted within the window: done. Never came back after admission: back to their
    number, their place given back. Opened and left unused: expired."""
    admitted = list(
        Ticket.objects.filter(room=room, status=TicketStatus.ADMITTED).select_related("user")
    )
    ready = eligibility.ready_users(ticket.user_id for ticket in admitted)
    for ticket in admitted:
        used = Reservation.objects.filter(
            period_id=room.pk, user_id=ticket.user_id, status=ReservationStatus.USED
        ).exists()
        if used:
            _move(ticket, "submit", ended_at=now)
            _log(room, EventKind.SUBMIT, now, ticket=ticket)
            done.submitted += 1
            done.changed.append(ticket.pk)
            continue
        if ticket.user_id not in ready:
            # Can no longer submit within the quota (submitted outside it, in verification, set
            # aside, the application changed): the place goes back now, not at the window's end.
            _give_back(room, ticket, now)
            if _still_a_draft(ticket.user_id):
                _move(ticket, "requeue", admitted_at=None, window_ends_at=None)
                _log(room, EventKind.EXPIRE, now, ticket=ticket, detail="cannot submit: requeued")
                done.requeued += 1
            else:
                _move(ticket, "leave", ended_at=now)
                _log(room, EventKind.EXPIRE, now, ticket=ticket, detail="cannot submit: left")
                done.expired += 1
            done.changed.append(ticket.pk)
            continue
        # Never opened the turn's link and silent for STALE (gone before the turn, or the
        # page lost its connection at the turn): back to their number, the place given back.
        last_sign = max(ticket.last_seen_at, ticket.admitted_at or ticket.last_seen_at)
        if ticket.token_used_at is None and now - last_sign >= STALE:
            _give_back(room, ticket, now)
            _move(ticket, "requeue", admitted_at=None, window_ends_at=None)
            _log(room, EventKind.EXPIRE, now, ticket=ticket, detail="absent: requeued")
            done.requeued += 1
            done.changed.append(ticket.pk)
        elif ticket.window_ends_at is not None and ticket.window_ends_at <= now:
            _give_back(room, ticket, now)
            _move(ticket, "expire", ended_at=now)
            _log(room, EventKind.EXPIRE, now, ticket=ticket)
            done.expired += 1
            done.changed.append(ticket.pk)


def _move(ticket: Ticket, action: str, **changes: Any) -> int:
    """One ticket's change, announced (`core.transitions`); 0 when it changed meanwhile."""
    return move(Ticket.objects.filter(pk=ticket.pk), TICKET_TRANSITIONS, action, **changes)


def _still_a_draft(user_id: int) -> bool:
    """The application can still be made ready (a draft): the ticket keeps its number."""
    from guichet.dossiers.models import Dossier, DossierStatus
    from guichet.intake.kinds.csq import kind as csq

    return Dossier.objects.filter(
        owner_id=user_id, kind=csq.CODE, status=DossierStatus.DRAFT
    ).exists()


def _give_back(room: Room, ticket: Ticket, now: datetime) -> None:
    live = Reservation.objects.filter(
        period_id=room.pk, user_id=ticket.user_id, status=ReservationStatus.ACTIVE
    ).first()
    if live is not None:
        quota.release(live, now=now)


def _close(room: Room, now: datetime) -> None:
    """The quota is taken: the room closes and everyone still waiting is told at once."""
    move(Ticket.objects.filter(room=room), TICKET_TRANSITIONS, "close", ended_at=now)
    step(room, ROOM_TRANSITIONS, "close", closed_at=now)
    _log(room, EventKind.CLOSE, now)


def admit(*, period: IntakePeriod, now: datetime | None = None) -> Round:
    """One round of the controller for `period`'s room. Safe to run on several machines at
    once: the one that holds the room's row does the round, the others return at once."""
    now = now or timezone.now()
    done = Round()
    with transaction.atomic():
        room = (
            Room.objects.select_for_update(skip_locked=True)
            .select_related("period")
            .filter(pk=period.pk)
            .first()
        )
        if room is None or room.status in (RoomStatus.READY, RoomStatus.CLOSED):
            return done
        transaction.on_commit(lambda: _publish_round(room, done, now))
        if settings.REDIS_URL:
            done.resynced = _hold_untold_windows(room, now)
        if is_lottery(room) and room.drawn_at is None:
            _draw(room, now)
            done.drawn = True
        elif is_lottery(room) and _rank_stragglers(room):
            done.drawn = True  # the live copy is written again with their ranks
        live.sync_seen(
            room,
            admitted=list(
                Ticket.objects.filter(room=room, status=TicketStatus.ADMITTED).values_list(
                    "pk", flat=True
                )
            ),
        )
        _end_windows(room, now, done)
        quota.expire_reservations(now=now, period=room.period)  # never counted past their end
        fresh = IntakePeriod.objects.get(pk=period.pk)
        if fresh.taken >= fresh.quota or now >= fresh.closes_at:
            _close(room, now)
            done.closed = True
            return done
        if room.status == RoomStatus.PAUSED:
            return done
        in_window = Ticket.objects.filter(room=room, status=TicketStatus.ADMITTED).count()
        count = min(room.capacity - in_window, fresh.quota - fresh.taken - fresh.reserved)
        if count <= 0:
            return done
        window = timedelta(minutes=room.window_minutes)
        for ticket in _next_in_line(room, now, count, done):
            try:
                held = quota.reserve(period=fresh, user=ticket.user, window=window, now=now)
            except Refused:
                break  # no place left after all: the next round sees it
            if not eligibility.ready_users([ticket.user_id]):
                # Asked again once the period's row is ours: a twin counted by a submission
                # that committed while this round ran (it held that row) no longer may.
                quota.release(held, now=now)
                continue
            _move(ticket, "admit", admitted_at=now, window_ends_at=now + window)
            _log(room, EventKind.ADMIT, now, ticket=ticket)
            done.admitted += 1
            done.changed.append(ticket.pk)
    return done


SCAN_BATCHES = 5  # how far past those who cannot submit a round looks for those who can


def _next_in_line(room: Room, now: datetime, count: int, done: Round) -> list[Ticket]:
    """The next `count` waiting tickets in rank order whose holder is here (polled within
    STALE) and can submit now; the others keep their number and are skipped — unless they can
    never submit again (nothing left to submit, or the same person already counted): their
    ticket ends (« Sortie de la file ») and the page says why."""
    chosen: list[Ticket] = []
    after = 0
    batch = max(count * 2, 50)
    for _scan in range(SCAN_BATCHES):
        tickets = list(
            Ticket.objects.filter(
                room=room,
                status=TicketStatus.WAITING,
                rank__gt=after,
                last_seen_at__gte=now - STALE,
            )
            .select_related("user")
            .order_by("rank")[:batch]
        )
        if not tickets:
            break
        ready = eligibility.ready_users(ticket.user_id for ticket in tickets)
        never = eligibility.never_ready(
            ticket.user_id for ticket in tickets if ticket.user_id not in ready
        )
        for ticket in tickets:
            if ticket.user_id in never:
                _move(ticket, "leave", ended_at=now)
                _log(room, EventKind.EXPIRE, now, ticket=ticket, detail="cannot submit: left")
                done.changed.append(ticket.pk)
            elif ticket.user_id in ready:
                chosen.append(ticket)
                if len(chosen) == count:
                    return chosen
        after = tickets[-1].rank or after
    return chosen


def _publish_round(room: Room, done: Round, now: datetime) -> None:
    """After a round's commit, the live copy (Redis) learns what changed; it is written whole
    when it is missing (the first round, a Redis restart), after the draw and the closing, and
    after any change it missed (a failed push marks the room stale in the record, so that
    whichever controller runs the next round copies it whole)."""
    if not settings.REDIS_URL:
        return
    changed = bool(done.changed or done.drawn or done.closed or done.resynced)
    if not live.enabled():  # Redis failed in this process a moment ago: nothing is copied
        if changed:
            _mark_stale(room, now)
        return
    room.refresh_from_db(fields=["status", "capacity"])
    per_minute = _throughput_per_minute(room, now)
    if done.resynced is not None:
        if live.publish(room, per_minute=per_minute):
            Room.objects.filter(pk=room.pk, live_stale_since=done.resynced).update(
                live_stale_since=None
            )
        return
    if done.drawn or done.closed or not live.is_published(room):
        copied = live.publish(room, per_minute=per_minute)
    else:
        copied = live.push(room, done.changed, per_minute=per_minute)
    if not copied and changed:
        _mark_stale(room, now)


def _mark_stale(room: Room, now: datetime) -> None:
    Room.objects.filter(pk=room.pk, live_stale_since__isnull=True).update(live_stale_since=now)


def _hold_untold_windows(room: Room, now: datetime) -> datetime | None:
    """Under the room's lock, when the live copy is stale: those admitted since it went stale
    who have not opened their turn's link may not have been told (Redis still said « waiting »):
    their window and their reservation are moved on by the time lost, and the mark is set to
    now, so that a copy that fails again is counted from here. Returns the new mark."""
    since = Room.objects.filter(pk=room.pk).values_list("live_stale_since", flat=True).first()
    if since is None:
        return None
    lost = now - since
    if lost > timedelta(0):
        untold = Ticket.objects.filter(
            room=room,
            status=TicketStatus.ADMITTED,
            token_used_at__isnull=True,
            admitted_at__gte=since,
        )
        for ticket in untold.only("pk", "user_id", "window_ends_at"):
            if ticket.window_ends_at is None:  # an admitted ticket has one (a CHECK)
                continue
            Ticket.objects.filter(pk=ticket.pk).update(window_ends_at=ticket.window_ends_at + lost)
            Reservation.objects.filter(
                period_id=room.pk, user_id=ticket.user_id, status=ReservationStatus.ACTIVE
            ).update(expires_at=F("expires_at") + lost)
    Room.objects.filter(pk=room.pk).update(live_stale_since=now)
    return now


def tick(room: Room, *, now: datetime | None = None) -> bool:
    """A round of the controller from a page, at most once every TICK_SECONDS per room, when
    WAITING_ROOM_ADMIT_ON_POLL is on (the embedded default, which runs no controller process;
    production runs `manage.py run_waiting_room --loop`). True when a round ran."""
    return tick_live(room.pk, room.status, now=now, period=room.period)


def tick_live(
    room_id: int,
    room_status: str,
    *,
    now: datetime | None = None,
    period: IntakePeriod | None = None,
) -> bool:
    """`tick` for a poll that Redis answered (it has no room from the database): the period is
    read only when this poll is the one that runs the round."""
    if not settings.WAITING_ROOM_ADMIT_ON_POLL or room_status not in (
        RoomStatus.OPEN,
        RoomStatus.PAUSED,
    ):
        return False
    if not cache.add(f"waitingroom:tick:{room_id}", 1, timeout=TICK_SECONDS):
        return False
    period = period or IntakePeriod.objects.filter(pk=room_id).first()
    if period is None:
        return False
    admit(period=period, now=now)
    return True


def run_open_rooms(*, now: datetime | None = None) -> dict[str, int]:
    """Every open or paused room, one round each (the `run_waiting_room` loop and the jobs)."""
    now = now or timezone.now()
    totals = {"admitted": 0, "expired": 0, "requeued": 0, "submitted": 0, "closed": 0}
    for room in Room.objects.filter(Q(status=RoomStatus.OPEN) | Q(status=RoomStatus.PAUSED)):
        done = admit(period=room.period, now=now)
        for key in totals:
            totals[key] += int(getattr(done, key))
    # Candidates may already be in a room the officers have not opened (a lottery's pre-queue,
    # or the period's opening before their click): Redis answers their polls too.
    ready = Room.objects.filter(status=RoomStatus.READY, period__closes_at__gt=now)
    for room in ready.select_related("period"):
        if joins_open_at(room) <= now and live.enabled() and not live.is_published(room):
            live.publish(room, per_minute=_throughput_per_minute(room, now))
    return totals


# --- Intake officers ---------------------------------------------------------------------------


# The officers' actions on a room (`ROOM_TRANSITIONS`) and the public log's kind for each (the
# audit trail's action is `waitingroom.<kind>`).
OFFICER_ACTIONS: dict[str, str] = {
    "open": EventKind.OPEN,
    "pause": EventKind.PAUSE,
    "resume": EventKind.RESUME,
}


def change_room(*, actor: Actor | User, period: IntakePeriod, action: str) -> Room:
    """Open (not before the period's opening), pause or resume the admissions; audited."""
    kind = OFFICER_ACTIONS[action]
    actor = as_actor(actor)
    now = timezone.now()
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room_of(period).pk)
        if action == "open" and room.status == RoomStatus.READY and now < period.opens_at:
            raise Refused(
                "too_early",
                _("La salle ne peut pas être ouverte avant l'heure d'ouverture de la période."),
            )
        if action == "open":
            step(room, ROOM_TRANSITIONS, action, actor=actor, opened_at=now)
        else:
            step(room, ROOM_TRANSITIONS, action, actor=actor)
        _log(room, kind, now)
        audit(actor, f"waitingroom.{kind}", period, details={"status": room.status})
    return room


@transaction.atomic
def set_capacity(*, actor: Actor | User, period: IntakePeriod, capacity: int) -> Room:
    """The admission rate: how many candidates may be in their window at once."""
    if capacity < 1:
        raise Refused("capacity", _("Entrez un nombre d'au moins 1."), field="capacity")
    room = Room.objects.select_for_update().get(pk=room_of(period).pk)
    before = room.capacity
    room.capacity = capacity
    room.save(update_fields=["capacity"])
    audit(
        as_actor(actor),
        "waitingroom.capacity_changed",
        period,
        details={"before": before, "after": capacity},
    )
    return room


@transaction.atomic
def set_pre_queue(*, actor: Actor | User, period: IntakePeriod, opens_at: datetime | None) -> Room:
    """A lottery period's pre-queue opening (None: no pre-queue); only before the room opens,
    and before the period's opening. Audited."""
    room = Room.objects.select_for_update().get(pk=room_of(period).pk)
    if period.allocation != Allocation.LOTTERY:
        raise Refused(
            "not_lottery",
            _("Une file préalable n'existe que pour une période attribuée par tirage au sort."),
            field="pre_queue_opens_at",
        )
    if room.status != RoomStatus.READY:
        raise Refused("room_state", _("Cette action n'est pas possible dans l'état actuel."))
    if opens_at is not None and opens_at >= period.opens_at:
        raise Refused(
            "after_opening",
            _("La file préalable doit ouvrir avant l'ouverture de la période."),
            field="pre_queue_opens_at",
        )
    before = room.pre_queue_opens_at
    room.pre_queue_opens_at = opens_at
    room.save(update_fields=["pre_queue_opens_at"])
    audit(
        as_actor(actor),
        "waitingroom.pre_queue_changed",
        period,
        details={
            "before": before.isoformat() if before else None,
            "after": opens_at.isoformat() if opens_at else None,
        },
    )
    return room


@dataclass(frozen=True)
class Figures:
    waiting: int
    admitted: int  # in their window now
    submitted: int
    expired: int
    places_left: int
    tickets: int


def _used_not_ended(room: Room) -> int:
    """Admitted tickets whose holder already submitted (the next round ends them)."""
    return Reservation.objects.filter(
        period_id=room.pk,
        status=ReservationStatus.USED,
        user__queue_tickets__room=room,
        user__queue_tickets__status=TicketStatus.ADMITTED,
    ).count()


def figures(room: Room) -> Figures:
    from django.db.models import Count

    counts = dict(
        Ticket.objects.filter(room=room)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    period = IntakePeriod.objects.get(pk=room.pk)
    # Submitted: the places of the quota the room's admissions turned into applications, read
    # from the record at once (the tickets learn of a submission only at the next round).
    from guichet.intake.models import Place

    submitted = Place.objects.filter(period=period, via_reservation=True).count()
    return Figures(
        waiting=counts.get(TicketStatus.WAITING, 0),
        admitted=max(counts.get(TicketStatus.ADMITTED, 0) - _used_not_ended(room), 0),
        submitted=submitted,
        expired=counts.get(TicketStatus.EXPIRED, 0),
        places_left=period.places_left,
        tickets=sum(counts.values()),
    )


# --- « L'ouverture en direct »: the public figures of an opening ---------------------------------

LIVE_SECONDS = 5  # how long the public figures may be served again (this node's cache, a CDN)


@dataclass(frozen=True)
class Opening:
    """What anyone may know of an opening, the same for everyone: numbers given, the rank
    the admissions have reached (a candidate's turn is near when their rank comes close to it),
    places taken and left, admissions per minute, the draw. No name, no account."""

    status: str
    numbers_given: int
    served_up_to: int  # the highest rank admitted so far (0: none yet)
    quota: int
    places_taken: int
    places_reserved: int
    places_left: int
    per_minute: float  # admissions per minute over the last ten minutes
    seed_digest: str
    seed: str  # published once drawn
    at: datetime


def opening(room: Room, *, now: datetime | None = None) -> Opening:
    """The public figures of `room`, computed at most once every LIVE_SECONDS per node (a
    crowd reloading the page costs one count, not one per reader)."""
    now = now or timezone.now()
    key = f"waitingroom:opening:{room.pk}"
    cached = cache.get(key)
    if isinstance(cached, Opening):
        return cached
    from django.db.models import Max

    period = IntakePeriod.objects.get(pk=room.pk)
    served = RoomEvent.objects.filter(room=room, kind=EventKind.ADMIT).aggregate(top=Max("rank"))
    figures = Opening(
        status=room.status,
        numbers_given=Ticket.objects.filter(room=room).count(),
        served_up_to=int(served["top"] or 0),
        quota=period.quota,
        places_taken=period.taken,
        places_reserved=period.reserved,
        places_left=period.places_left,
        # Measured (none yet: none shown, not the capacity's pace).
        per_minute=_admissions_per_minute(room, now),
        seed_digest=room.seed_digest if is_lottery(room) else "",
        seed=room.seed if is_lottery(room) and room.drawn_at is not None else "",
        at=now,
    )
    cache.set(key, figures, timeout=LIVE_SECONDS)
    return figures
