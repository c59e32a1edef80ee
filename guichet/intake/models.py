"""The quota-limited intake « Mon projet Québec » (seed 002): intake periods and their exact
quota, the places taken by submitted CSQ applications and the reservations of the waiting
room's ten-minute windows. The application itself is a dossier of the engine; what the intake
keeps about it (its period, its category, its identity for duplicates, its payment deadline)
is `Application`, one row per application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.transitions import Table, Transition


class Programme(models.TextChoices):
    # Seed 002 FAQ 3: the tool serves this programme only, for now.
    PRTQ = "prtq", _("Programme régulier des travailleurs qualifiés")


class Allocation(models.TextChoices):
    FIFO = "fifo", _("Premier arrivé, premier servi")
    LOTTERY = "lottery", _("Tirage au sort (file préalable à ordre aléatoire)")


class Category(models.TextChoices):
    """Under which rule an application was submitted: within the quota, or one of the
    categories that may submit at any time outside it (seed 002 « Rappel »)."""

    QUOTA = "quota", _("Dans le nombre maximal de demandes")
    JOB_OFFER = "job_offer", _("Offre d'emploi validée par le Ministère")
    TEMPORARY_RESIDENT = (
        "temporary_resident",
        _("Résident temporaire au Québec autorisé à présenter une demande"),
    )


class IntakePeriod(models.Model):
    """« Période de réception des demandes »: from its opening (Montréal time) to its closing,
    at most `quota` applications are submitted within it. `taken` counts the places held by
    submitted applications (released when one is deleted unpaid), `reserved` the live
    reservations of admitted candidates; the database refuses any row where they exceed it."""

    programme = models.CharField(
        _("programme"), max_length=20, choices=Programme.choices, default=Programme.PRTQ
    )
    opens_at = models.DateTimeField(_("ouverture (heure de Montréal)"))
    closes_at = models.DateTimeField(_("fermeture (heure de Montréal)"))
    quota = models.PositiveIntegerField(_("nombre maximal de demandes"))
    taken = models.PositiveIntegerField(_("places prises"), default=0)
    reserved = models.PositiveIntegerField(_("places réservées"), default=0)
    allocation = models.CharField(
        _("mode d'attribution"), max_length=10, choices=Allocation.choices, default=Allocation.FIFO
    )
    # Seed 002: « les demandes à partir d'une tablette ou d'un téléphone seront refusées ». Off
    # by default (ADR 0017: accessibility, detection that cannot be relied on).
    refuse_mobile = models.BooleanField(
        _("refuser les demandes faites à partir d'une tablette ou d'un téléphone"), default=False
    )
    # Seed 002 « Rappel »: who may submit at any time, outside the quota.
    accepts_job_offer = models.BooleanField(
        _(
            "les candidats ayant une offre d'emploi validée par le Ministère peuvent soumettre en "
            "tout temps"
        ),
        default=True,
    )
    accepts_temporary_residents = models.BooleanField(
        _("les résidents temporaires au Québec autorisés peuvent soumettre en tout temps"),
        default=True,
    )
    # Seed 002, the news item: a virtual waiting room in front of the opening; candidates then
    # submit (within the quota) only when admitted, in their ten-minute window.
    waiting_room = models.BooleanField(
        _("salle d'attente virtuelle à l'ouverture"),
        default=False,
        help_text=_(
            "Les candidats entrent dans une file d'attente à l'ouverture et soumettent leur "
            "demande quand leur tour vient, dans une fenêtre de 10 minutes."
        ),
    )
    # Seed 002: « Avant le 13 juin, les candidats auront, à chaque fois qu'ils auront accès à
    # leur compte MPQ, 1 heure pour compléter et mettre à jour leur demande ».
    visit_minutes = models.PositiveSmallIntegerField(
        _("durée de chaque visite avant l'ouverture (minutes)"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("période de réception des demandes")
        verbose_name_plural = _("périodes de réception des demandes")
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("quota") - F("reserved")), name="period_quota_exact"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="period_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(visit_minutes__isnull=True) | Q(visit_minutes__gte=1),
                name="period_visit_minutes_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} {timezone.localtime(self.opens_at):%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    @property
    def has_opened(self) -> bool:
        return self.opens_at <= timezone.now()

    @property
    def places_left(self) -> int:
        return max(self.quota - self.taken - self.reserved, 0)

    @property
    def is_full(self) -> bool:
        return self.taken + self.reserved >= self.quota

    @property
    def quota_reached(self) -> bool:
        """« Atteint » only when every place is taken by a submitted application."""
        return self.taken >= self.quota

    @property
    def only_reserved(self) -> bool:
        """No place free, but some only reserved for candidates in their window: they may
        come back to the quota."""
        return self.is_full and not self.quota_reached


class Exemption(models.TextChoices):
    """A claim to submit outside the quota (seed 002 « Rappel »: an offer « validée par le
    Ministère », a temporary resident « autorisé »), until a record or an officer confirms it."""

    NONE = "", _("Aucune")
    PENDING = "pending", _("En vérification")
    CONFIRMED = "confirmed", _("Confirmée")
    REFUSED = "refused", _("Refusée")


class Application(models.Model):
    """What the intake keeps about a CSQ application (a dossier of the engine, deleted with
    it). `counted` marks the applications that stand for their identity: the database lets one
    only per normalised identity, so a duplicate is set aside, never counted twice."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="application"
    )
    period = models.ForeignKey(
        IntakePeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("période de réception"),
    )
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices, blank=True)
    identity_key = models.CharField(_("identité normalisée"), max_length=64, blank=True)
    # Looser keys, to find possible duplicates for staff to review (same passport, or the
    # same names and date of birth).
    passport_key = models.CharField(max_length=64, blank=True)
    names_key = models.CharField(max_length=64, blank=True)
    counted = models.BooleanField(_("comptabilisée"), default=False)
    set_aside_reason = models.TextField(_("motif"), blank=True)
    possible_duplicate = models.BooleanField(_("doublon possible"), default=False)
    # « Comptes cédés ou vendus »: the account holder's identity changed after submission.
    transfer_flagged_at = models.DateTimeField(
        _("identité du titulaire modifiée après la soumission le"), null=True, blank=True
    )
    # Could take a place of the quota now: every section valid, consistent, no claim outside
    # the quota (kept at each save, so that the waiting room's rounds read one column).
    queue_ready = models.BooleanField(_("prête à être soumise dans le quota"), default=False)
    # The claim to submit outside the quota and its verification (« En vérification »).
    exemption = models.CharField(
        _("exemption"), max_length=10, choices=Exemption.choices, default=Exemption.NONE, blank=True
    )
    exemption_claim = models.JSONField(_("exemption demandée"), default=dict, blank=True)
    exemption_offer = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offre d'emploi validée"),
    )
    exemption_reason = models.TextField(_("motif de la décision"), blank=True)
    exemption_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exemption_decided_at = models.DateTimeField(null=True, blank=True)
    representative_signed = models.BooleanField(
        _("signée par la représentante ou le représentant"), default=False
    )
    pay_by = models.DateTimeField(_("date limite de paiement"), null=True, blank=True)
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    file_opened_at = models.DateTimeField(
        _("lettre d'ouverture de dossier envoyée le"), null=True, blank=True
    )
    # The personalised list of required documents: when it was sent, the 90 days to mail them,
    # and when processing started (every document in).
    documents_requested_at = models.DateTimeField(
        _("liste des documents exigés envoyée le"), null=True, blank=True
    )
    documents_due = models.DateField(_("date limite d'envoi des documents"), null=True, blank=True)
    processing_started_at = models.DateTimeField(_("traitement commencé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande de CSQ")
        verbose_name_plural = _("demandes de CSQ")
        constraints = [
            models.UniqueConstraint(
                fields=["identity_key"],
                condition=Q(counted=True),
                name="application_one_counted_per_identity",
            ),
            models.CheckConstraint(
                condition=Q(counted=False) | ~Q(identity_key=""),
                name="application_counted_has_identity",
            ),
        ]
        indexes = [
            models.Index(fields=["passport_key"], name="application_passport"),
            models.Index(fields=["names_key"], name="application_names"),
        ]

    def __str__(self) -> str:
        return str(self.dossier_id)


class PlaceStatus(models.TextChoices):
    HELD = "held", _("Soumise, en attente du paiement")
    PAID = "paid", _("Payée")
    RELEASED = "released", _("Libérée")


class Place(models.Model):
    """A place of a period's quota, taken by one submitted application; released (and the
    period's count lowered) when the application is deleted unpaid after 30 days (seed 002
    FAQ 18, 21). Kept after the application is gone, without personal data, for the counts."""

    period = models.ForeignKey(IntakePeriod, on_delete=models.PROTECT, related_name="places")
    application = models.OneToOneField(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="place"
    )
    dossier_number = models.CharField(_("numéro de la demande"), max_length=20)
    status = models.CharField(
        _("état"), max_length=10, choices=PlaceStatus.choices, default=PlaceStatus.HELD
    )
    via_reservation = models.BooleanField(default=False)
    taken_at = models.DateTimeField(_("prise le"), default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["taken_at", "pk"]
        verbose_name = _("place du quota")
        verbose_name_plural = _("places du quota")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="released") | Q(released_at__isnull=False),
                name="place_released_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}:{self.dossier_number}"


# A place of the quota: held from the submission, paid, or given back to the period.
PLACE_TRANSITIONS: Table = {
    "pay": Transition(frozenset({PlaceStatus.HELD}), PlaceStatus.PAID, "paid"),
    "release": Transition(
        frozenset({PlaceStatus.HELD, PlaceStatus.PAID}), PlaceStatus.RELEASED, "released"
    ),
}


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", _("Réservée")
    USED = "used", _("Utilisée")
    EXPIRED = "expired", _("Expirée")


class Reservation(models.Model):
    """A place held for an admitted candidate during their window (the waiting room's ten
    minutes): it counts against the quota from the moment it is made, so that nobody admitted
    loses to it; used by their submission, or expired and given back."""

    period = models.ForeignKey(IntakePeriod, on_delete=models.CASCADE, related_name="reservations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_reservations"
    )
    status = models.CharField(
        max_length=10, choices=ReservationStatus.choices, default=ReservationStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "user"],
                condition=Q(status="active"),
                name="reservation_one_active_per_person",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="reservation_expiry")]

    def __str__(self) -> str:
        return f"{self.period_id}:{self.user_id}"


# A window's reservation: used by the submission, or expired and its place given back.
RESERVATION_TRANSITIONS: Table = {
    "use": Transition(frozenset({ReservationStatus.ACTIVE}), ReservationStatus.USED, "used"),
    "expire": Transition(
        frozenset({ReservationStatus.ACTIVE}), ReservationStatus.EXPIRED, "expired"
    ),
}


# The documents the ministry usually asks for, in both languages (an officer adds others).
STANDARD_DOCUMENTS: list[tuple[str, str, str]] = [
    (
        "passeport",
        "Copie du passeport de chaque personne incluse dans la demande",
        "Copy of the passport of each person included in the application",
    ),
    (
        "etat_civil",
        "Actes de naissance et certificat de mariage ou preuve d'union de fait",
        "Birth certificates and marriage certificate or proof of common-law union",
    ),
    ("diplomes", "Copies des diplômes et relevés de notes", "Copies of diplomas and transcripts"),
    (
        "emplois",
        "Attestations d'emploi des cinq dernières années",
        "Employment certificates for the last five years",
    ),
    ("langues", "Résultats des tests de français ou d'anglais", "French or English test results"),
    (
        "autonomie",
        "Preuve des fonds disponibles (autonomie financière)",
        "Proof of available funds (financial self-sufficiency)",
    ),
    (
        "procuration",
        "Procuration signée (représentant)",
        "Signed power of attorney (representative)",
    ),
]


class DocumentStatus(models.TextChoices):
    REQUESTED = "requested", _("Attendu")
    RECEIVED = "received", _("Reçu")
    EXPLAINED = "explained", _("Explication écrite reçue")


# A required document is recorded once: received, or explained in writing instead.
DOCUMENT_TRANSITIONS: Table = {
    "receive": Transition(
        frozenset({DocumentStatus.REQUESTED}), DocumentStatus.RECEIVED, "received"
    ),
    "explain": Transition(
        frozenset({DocumentStatus.REQUESTED}), DocumentStatus.EXPLAINED, "explained"
    ),
}


class RequiredDocument(models.Model):
    """One line of the personalised list of required documents (seed 002 FAQ 1): sent once the
    ministry is ready to process the application; the candidate mails them within 90 days; staff
    record each one received, or the candidate's written explanation when it cannot be provided
    in the required form. Processing starts once every line is in."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="required_documents"
    )
    position = models.PositiveSmallIntegerField()
    # Guichet's standard documents carry both languages; a line an officer types, as typed.
    label_fr = models.CharField(_("document (français)"), max_length=200)
    label_en = models.CharField(_("document (anglais)"), max_length=200, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.REQUESTED
    )
    received_on = models.DateField(_("reçu le"), null=True, blank=True)
    explanation = models.TextField(_("explication du candidat"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "position"]
        verbose_name = _("document exigé")
        verbose_name_plural = _("documents exigés")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "position"], name="required_document_position"
            ),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(received_on__isnull=False),
                name="required_document_in_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.label_fr

    @property
    def label(self) -> str:
        from django.utils import translation

        return (
            self.label_en if translation.get_language() == "en" and self.label_en else self.label_fr
        )
