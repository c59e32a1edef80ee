"""The virtual waiting room in front of an intake opening (seed 002, the news item; SPEC F3,
F9): one room per intake period, one queue number per account, the admissions that give a
ten-minute window (a reservation of the quota), and the public log from which anyone can
recompute the order. PostgreSQL is the record; Redis, when configured, serves the queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.core.transitions import Table, Transition


class RoomStatus(models.TextChoices):
    READY = "ready", _("Pas encore ouverte")
    OPEN = "open", _("Ouverte")
    PAUSED = "paused", _("Admissions suspendues")
    CLOSED = "closed", _("Fermée : le nombre maximal de demandes est atteint")


# The officers open, pause and resume the admissions; the controller closes the room when the
# quota is taken or the period ends.
ROOM_TRANSITIONS: Table = {
    "open": Transition(frozenset({RoomStatus.READY}), RoomStatus.OPEN, "opened"),
    "pause": Transition(frozenset({RoomStatus.OPEN}), RoomStatus.PAUSED, "paused"),
    "resume": Transition(frozenset({RoomStatus.PAUSED}), RoomStatus.OPEN, "resumed"),
    "close": Transition(
        frozenset({RoomStatus.OPEN, RoomStatus.PAUSED}), RoomStatus.CLOSED, "closed"
    ),
}


class Room(models.Model):
    """The waiting room of one intake period. Candidates join from the period's opening (or,
    in lottery mode, from the pre-queue's opening); the controller admits them `capacity` at a
    time at most (the sign-in capacity: people in their window at once), never more than the
    places left. In lottery mode the order of those who joined before the opening is a
    permutation drawn from `seed`, whose SHA-256 is published before the opening and the seed
    itself after it."""

    period = models.OneToOneField(
        "intake.IntakePeriod", on_delete=models.CASCADE, primary_key=True, related_name="room"
    )
    status = models.CharField(
        _("état"), max_length=10, choices=RoomStatus.choices, default=RoomStatus.READY
    )
    capacity = models.PositiveIntegerField(
        _("personnes admises en même temps (capacité de connexion)"), default=150
    )
    window_minutes = models.PositiveSmallIntegerField(_("minutes pour soumettre"), default=10)
    pre_queue_opens_at = models.DateTimeField(
        _("ouverture de la file préalable (tirage au sort)"), null=True, blank=True
    )
    # The lottery: the seed's digest is public before the opening, the seed after it.
    seed = models.CharField(max_length=64, blank=True)
    seed_digest = models.CharField(max_length=64, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when a change of the record could not be copied to Redis (a lost connection, a frozen
    # server): the next round copies the whole room again, and the windows of those admitted
    # meanwhile do not run while they could not be told (ADR 0018).
    live_stale_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("salle d'attente virtuelle")
        verbose_name_plural = _("salles d'attente virtuelles")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
            models.CheckConstraint(condition=Q(window_minutes__gte=1), name="room_window_positive"),
        ]

    def __str__(self) -> str:
        return str(self.period)


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("En attente")
    ADMITTED = "admitted", _("Admis : fenêtre de soumission en cours")
    SUBMITTED = "submitted", _("Demande soumise")
    EXPIRED = "expired", _("Fenêtre expirée")
    CLOSED = "closed", _("Salle fermée")
    # The application can no longer be submitted from the room (submitted outside the quota,
    # in verification, set aside): the ticket ends and its place went back at once.
    LEFT = "left", _("Sortie de la file")


# A queue number's life: admitted in its turn; then submitted, back to its number (absent at
# the turn, or the application became a draft again), expired (a window opened and left
# unused) or out of the queue (can no longer submit); those still waiting when the room closes
# are told at once.
TICKET_TRANSITIONS: Table = {
    "admit": Transition(frozenset({TicketStatus.WAITING}), TicketStatus.ADMITTED, "admitted"),
    "submit": Transition(frozenset({TicketStatus.ADMITTED}), TicketStatus.SUBMITTED, "submitted"),
    "requeue": Transition(frozenset({TicketStatus.ADMITTED}), TicketStatus.WAITING, "requeued"),
    "expire": Transition(frozenset({TicketStatus.ADMITTED}), TicketStatus.EXPIRED, "expired"),
    "leave": Transition(
        frozenset({TicketStatus.WAITING, TicketStatus.ADMITTED}), TicketStatus.LEFT, "left"
    ),
    "close": Transition(frozenset({TicketStatus.WAITING}), TicketStatus.CLOSED, "closed"),
}


class Ticket(models.Model):
    """One queue number per account and room (the unique constraint makes joining idempotent:
    a reload, a second tab or a retry finds the same ticket). `rank` is the order of admission:
    the number itself in FIFO, the place in the drawn permutation for those of a pre-queue.
    Only a window left unused ends a ticket; a lost connection never does."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="tickets")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="queue_tickets"
    )
    number = models.PositiveIntegerField(_("numéro d'attente"))
    # None in a lottery's pre-queue until the draw.
    rank = models.PositiveIntegerField(_("rang d'admission"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    joined_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    admitted_at = models.DateTimeField(null=True, blank=True)
    window_ends_at = models.DateTimeField(null=True, blank=True)
    token_used_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("numéro d'attente")
        verbose_name_plural = _("numéros d'attente")
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="ticket_one_per_account"),
            models.UniqueConstraint(fields=["room", "number"], name="ticket_number_unique"),
            models.UniqueConstraint(fields=["room", "rank"], name="ticket_rank_unique"),
            models.CheckConstraint(
                condition=~Q(status="admitted") | Q(window_ends_at__isnull=False),
                name="ticket_admitted_has_window",
            ),
            models.CheckConstraint(
                condition=Q(window_ends_at__isnull=True) | Q(admitted_at__isnull=False),
                name="ticket_window_after_admission",
            ),
        ]
        indexes = [models.Index(fields=["room", "status", "rank"], name="ticket_queue_order")]

    def __str__(self) -> str:
        return f"{self.room_id}:{self.number}"


class EventKind(models.TextChoices):
    JOIN = "join", _("Entrée dans la salle")
    DRAW = "draw", _("Tirage au sort publié")
    OPEN = "open", _("Ouverture")
    PAUSE = "pause", _("Admissions suspendues")
    RESUME = "resume", _("Admissions reprises")
    ADMIT = "admit", _("Admission")
    EXPIRE = "expire", _("Fenêtre expirée")
    SUBMIT = "submit", _("Demande soumise")
    CLOSE = "close", _("Salle fermée")


class RoomEvent(models.Model):
    """The public, append-only log of a room: what happened to which queue number, and when
    (no name, no account). With the published seed, it is enough to recompute the order."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    number = models.PositiveIntegerField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    at = models.DateTimeField()
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["join", "admit", "expire", "submit"])
                | Q(number__isnull=False),
                name="room_event_names_its_ticket",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}:{self.kind}:{self.number}"
