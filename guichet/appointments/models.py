"""Reference data of the appointment service (seed 000 §2.3, §5): places, appointment types with
their eligibility and booking rules, and sessions (single or multi-module schedules)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.actor import Source
from guichet.core.i18n import localized
from guichet.core.transitions import Table, Transition


class Place(models.Model):
    """« Lieu du rendez-vous »: where an organisation receives people."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="places",
        verbose_name=_("organisme"),
    )
    name = models.CharField(_("nom"), max_length=150)
    address = models.CharField(_("adresse"), max_length=200)
    locality = models.ForeignKey(
        "clients.Locality", on_delete=models.PROTECT, related_name="+", verbose_name=_("ville")
    )
    province = models.CharField(_("province"), max_length=40, default="Québec")
    country = models.CharField(_("pays"), max_length=40, default="Canada")
    postal_code = models.CharField(_("code postal"), max_length=7)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    directions_fr = models.TextField(_("comment s'y rendre (français)"), blank=True)
    directions_en = models.TextField(_("comment s'y rendre (anglais)"), blank=True)
    services_fr = models.TextField(_("services offerts (français)"), blank=True)
    services_en = models.TextField(_("services offerts (anglais)"), blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def __str__(self) -> str:
        return f"{self.name} ({self.locality})"

    @property
    def directions(self) -> str:
        return localized(self, "directions")

    @property
    def services(self) -> str:
        return localized(self, "services")

    @property
    def map_url(self) -> str:
        """« Localisation »: an OpenStreetMap link built from the coordinates."""
        return (
            "https://www.openstreetmap.org/?mlat="
            f"{self.latitude:.5f}&mlon={self.longitude:.5f}#map=17/{self.latitude:.5f}/{self.longitude:.5f}"
        )


# Client fields a type may require before booking (seed 000 §5.3.5, « Information complémentaire »).
COMPLEMENTARY_FIELDS = ("informed_by", "professional_domain", "intended_profession", "schooling")


class FrenchRequirement(models.TextChoices):
    ANY = "any", _("Tous les niveaux")
    SUFFICIENT = "sufficient", _("Connaissance suffisante du français")
    INSUFFICIENT = "insufficient", _("Connaissance insuffisante du français")


class AppointmentType(models.Model):
    """« Type de rendez-vous »: information session, group workshop or individual meeting."""

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200)
    description_fr = models.TextField(_("description (français)"))
    description_en = models.TextField(_("description (anglais)"))
    documents_fr = models.TextField(_("documents à apporter (français)"), blank=True)
    documents_en = models.TextField(_("documents à apporter (anglais)"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    collective = models.BooleanField(_("rencontre collective"), default=False)
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        related_name="appointment_types",
        blank=True,
        verbose_name=_("organismes qui offrent ce service"),
    )
    # Eligibility (SPEC C2): no status listed means every status eligible to the Service.
    eligible_statuses = models.ManyToManyField(
        "clients.ImmigrationStatus",
        blank=True,
        related_name="+",
        verbose_name=_("statuts admissibles"),
    )
    french_requirement = models.CharField(
        _("connaissance du français"),
        max_length=20,
        choices=FrenchRequirement.choices,
        default=FrenchRequirement.ANY,
    )
    # Complementary information the client must have given before booking (seed 000 §5.3.5).
    required_information = models.JSONField(
        _("information complémentaire requise"),
        default=list,
        blank=True,
        help_text=_("Champs du dossier client, par exemple professional_domain."),
    )
    # Booking rules (SPEC C10).
    online_cancel = models.BooleanField(_("annulation en ligne permise"), default=True)
    online_reschedule = models.BooleanField(_("report en ligne permis"), default=True)
    min_notice_hours = models.PositiveIntegerField(_("préavis minimal (heures)"), default=24)
    horizon_days = models.PositiveIntegerField(_("horizon de réservation (jours)"), default=90)
    change_cutoff_hours = models.PositiveIntegerField(
        _("délai limite pour annuler ou reporter (heures)"), default=24
    )
    one_active_booking = models.BooleanField(
        _("un seul rendez-vous actif par client pour ce type"), default=True
    )
    is_active = models.BooleanField(_("offert"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "title_fr"]
        verbose_name = _("type de rendez-vous")
        verbose_name_plural = _("types de rendez-vous")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = [f for f in self.required_information or [] if f not in COMPLEMENTARY_FIELDS]
        if unknown:
            raise ValidationError(
                {
                    "required_information": _("Champs inconnus : %(fields)s. Permis : %(allowed)s.")
                    % {"fields": ", ".join(unknown), "allowed": ", ".join(COMPLEMENTARY_FIELDS)}
                }
            )

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def documents(self) -> str:
        return localized(self, "documents")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévue")
    CANCELLED = "cancelled", _("Annulée")


SESSION_TRANSITIONS: Table = {
    "cancel": Transition(
        frozenset({SessionStatus.SCHEDULED}), SessionStatus.CANCELLED, "cancelled"
    ),
}


class Session(models.Model):
    """A time slot of an appointment type at a place, with a capacity. A multi-module schedule
    (« horaire spécifique ») has its modules in SessionModule and is booked as one."""

    appointment_type = models.ForeignKey(
        AppointmentType,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("type de rendez-vous"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("organisme"),
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("lieu")
    )
    starts_at = models.DateTimeField(_("début"), db_index=True)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))
    capacity = models.PositiveIntegerField(_("places"))
    seats_taken = models.PositiveIntegerField(_("places prises"), default=0)
    # Seats freed while people were waiting: held for the first in line until claimed or expired.
    seats_held = models.PositiveIntegerField(_("places retenues (liste d'attente)"), default=0)
    status = models.CharField(
        _("statut"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        constraints = [
            # The capacity is never exceeded, whatever the concurrency (booking in issue C5
            # increments seats_taken with a conditional UPDATE that this constraint backs).
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity") - F("seats_held")),
                name="session_not_overbooked",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="session_capacity_positive"),
        ]
        indexes = [
            models.Index(fields=["appointment_type", "status", "starts_at"]),
            # Search by city: the few places of a city, then their sessions of one type.
            models.Index(
                fields=["place", "appointment_type", "starts_at"], name="session_place_type_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def seats_left(self) -> int:
        return self.capacity - self.seats_taken - self.seats_held

    @property
    def is_full(self) -> bool:
        return self.seats_left <= 0

    def periods(self) -> list[tuple[int, datetime, datetime]]:
        """(module number, start, end) of each module, or of the session itself."""
        modules = list(self.modules.all())
        if not modules:
            return [(0, self.starts_at, self.starts_at + timedelta(minutes=self.duration_minutes))]
        return [
            (m.position, m.starts_at, m.starts_at + timedelta(minutes=m.duration_minutes))
            for m in modules
        ]

    @property
    def ends_at(self) -> datetime:
        return max(end for _n, _start, end in self.periods())


class SessionModule(models.Model):
    """One module of a multi-module schedule (e.g. Objectif Intégration, 8 modules)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(_("module"))
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"))

    class Meta:
        ordering = ["session", "position"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="module_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.position}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class BookingStatus(models.TextChoices):
    """« Statut du rendez-vous » (seed 000 §5.2); BOOKED is shown as an empty cell."""

    BOOKED = "booked", _("À venir")
    CANCELLED = "cancelled", _("Annulé")
    RESCHEDULED = "rescheduled", _("Reporté")
    COMPLETED = "completed", _("Complété")
    MISSED = "missed", _("Manqué")


ATTENDED = frozenset({BookingStatus.BOOKED, BookingStatus.COMPLETED, BookingStatus.MISSED})
# Every change of a booking's status (core.transitions.move); seats move with them in services.
BOOKING_TRANSITIONS: Table = {
    "cancel": Transition(frozenset({BookingStatus.BOOKED}), BookingStatus.CANCELLED, "cancelled"),
    "reschedule": Transition(
        frozenset({BookingStatus.BOOKED}), BookingStatus.RESCHEDULED, "rescheduled"
    ),
    # The periodic job: an appointment over and not marked Complété becomes Manqué.
    "mark_missed": Transition(frozenset({BookingStatus.BOOKED}), BookingStatus.MISSED, "missed"),
    # Staff record (or correct) attendance once the appointment has begun.
    "attend": Transition(ATTENDED, BookingStatus.COMPLETED, "attended"),
    "miss": Transition(ATTENDED, BookingStatus.MISSED, "missed"),
}


class Booking(models.Model):
    """A client's seat in a session. At most one active booking per client and session (a
    partial unique index); the seat counter on Session is moved by conditional updates."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("client"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("séance")
    )
    status = models.CharField(
        _("statut du rendez-vous"),
        max_length=12,
        choices=BookingStatus.choices,
        default=BookingStatus.BOOKED,
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    changed_source = models.CharField(
        _("source de la modification"), max_length=10, choices=Source.choices, blank=True
    )
    replaced_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces"
    )
    # Calendar (.ics) identity: kept across « Reporter/Devancer » so calendars update the event.
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False)
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["-session__starts_at"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "session"],
                condition=Q(status="booked"),
                name="booking_one_active_per_client_and_session",
            )
        ]
        indexes = [models.Index(fields=["client", "status"])]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.session_id} ({self.status})"

    def _before_cutoff(self) -> bool:
        kind = self.session.appointment_type
        return self.session.starts_at >= timezone.now() + timedelta(hours=kind.change_cutoff_hours)

    def can_cancel_online(self) -> bool:
        """Whether « Annuler » is offered to the client for this booking."""
        return (
            BOOKING_TRANSITIONS["cancel"].allows(self.status)
            and self.session.appointment_type.online_cancel
            and self._before_cutoff()
        )

    def can_reschedule_online(self) -> bool:
        """Whether « Reporter/Devancer » is offered to the client for this booking."""
        return (
            BOOKING_TRANSITIONS["reschedule"].allows(self.status)
            and self.session.appointment_type.online_reschedule
            and self._before_cutoff()
        )


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("En attente")
    OFFERED = "offered", _("Place offerte")
    CLAIMED = "claimed", _("Place confirmée")
    EXPIRED = "expired", _("Offre expirée")
    WITHDRAWN = "withdrawn", _("Retiré")


WAITLIST_TRANSITIONS: Table = {
    "offer": Transition(frozenset({WaitlistStatus.WAITING}), WaitlistStatus.OFFERED, "offered"),
    "claim": Transition(frozenset({WaitlistStatus.OFFERED}), WaitlistStatus.CLAIMED, "claimed"),
    "expire": Transition(frozenset({WaitlistStatus.OFFERED}), WaitlistStatus.EXPIRED, "expired"),
    "withdraw": Transition(
        frozenset({WaitlistStatus.WAITING, WaitlistStatus.OFFERED}),
        WaitlistStatus.WITHDRAWN,
        "withdrawn",
    ),
}


class WaitlistEntry(models.Model):
    """A client waiting for a seat in a full session (SPEC C10). When a seat frees, the first in
    line gets it held (Session.seats_held) until hold_until; an unclaimed hold passes on."""

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="waitlist")
    status = models.CharField(
        _("statut"), max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    hold_until = models.DateTimeField(_("place retenue jusqu'au"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscription sur la liste d'attente")
        verbose_name_plural = _("listes d'attente")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "session"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_open_entry_per_client_and_session",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(hold_until__isnull=False),
                name="waitlist_offer_has_deadline",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.client_id} ⏳ {self.session_id} ({self.status})"


class ModuleAttendance(models.Model):
    """Presence of one participant at one module of a multi-module schedule (SPEC D5)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="module_presence")
    module = models.ForeignKey(SessionModule, on_delete=models.CASCADE, related_name="presence")
    present = models.BooleanField(_("présent"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("présence à un module")
        verbose_name_plural = _("présences aux modules")
        constraints = [
            models.UniqueConstraint(fields=["booking", "module"], name="one_presence_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} @ {self.module_id}: {self.present}"
