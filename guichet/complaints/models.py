"""« Vos commentaires sont précieux » (seed 003, SPEC H3): complaints, comments and suggestions
to the « Commissaire aux plaintes et à la qualité des services », handled confidentially. The
acknowledgement (2 business days) and the answer (10) run on commitment clocks."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.audit.models import TrailEvent
from guichet.core.transitions import Table, Transition


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Plainte")
    COMMENT = "comment", _("Commentaire")
    SUGGESTION = "suggestion", _("Suggestion")


class Status(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    ACKNOWLEDGED = "acknowledged", _("Réception confirmée")
    ANSWERED = "answered", _("Réponse envoyée")
    CLOSED = "closed", _("Fermée")


# The commissioner's steps (`core.transitions.step`). The event names the complaint's id only;
# whoever reads the log goes through `complaints_for`, the commissioner's members alone.
COMPLAINT_TRANSITIONS: Table = {
    "acknowledge": Transition(frozenset({Status.RECEIVED}), Status.ACKNOWLEDGED, "acknowledged"),
    "answer": Transition(
        frozenset({Status.RECEIVED, Status.ACKNOWLEDGED}), Status.ANSWERED, "answered"
    ),
    "close": Transition(frozenset({Status.ANSWERED}), Status.CLOSED, "closed"),
}


class Outcome(models.TextChoices):
    """How a complaint ended, for the reports."""

    FOUNDED = "founded", _("Fondée")
    PARTLY_FOUNDED = "partly_founded", _("Fondée en partie")
    UNFOUNDED = "unfounded", _("Non fondée")
    TAKEN_INTO_ACCOUNT = "taken_into_account", _("Commentaire ou suggestion pris en compte")
    OUTSIDE_MANDATE = "outside_mandate", _("Hors du mandat du Commissaire")
    WITHDRAWN = "withdrawn", _("Abandonnée par la personne")


class Complaint(models.Model):
    number = models.CharField(_("numéro"), max_length=20, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("état"), max_length=14, choices=Status.choices, default=Status.RECEIVED
    )
    outcome = models.CharField(_("issue"), max_length=20, choices=Outcome.choices, blank=True)
    # Signed in: the account; otherwise the name and email the person gave.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("auteur"),
    )
    name = models.CharField(_("nom"), max_length=150, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    language = models.CharField(_("langue de correspondance"), max_length=2, default="fr")
    about_booking = models.ForeignKey(
        "appointments.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rendez-vous concerné"),
    )
    about_dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier ou demande concerné"),
    )
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("votre message"))
    received_on = models.DateField(_("reçue le"))
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("réception confirmée le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse envoyée le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)
    draft_answer = models.TextField(_("projet de réponse"), blank=True)
    # Sent without an account: the message counts (reaches the commissioner, starts its clocks)
    # once the person opened the link sent to the email given and confirmed it.
    email_confirmed_at = models.DateTimeField(_("courriel confirmé le"), null=True, blank=True)
    # The follow-up links carry this number: sending a fresh link raises it, and every link sent
    # before stops working.
    link_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("plainte ou commentaire")
        verbose_name_plural = _("plaintes et commentaires")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(author__isnull=True, email=""),
                name="complaint_reachable",
            ),
            models.CheckConstraint(
                condition=models.Q(about_booking__isnull=True)
                | models.Q(about_dossier__isnull=True),
                name="complaint_about_one",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="complaint_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(status="received") | models.Q(acknowledged_at__isnull=False),
                name="complaint_acknowledged_first",
            ),
        ]
        indexes = [models.Index(fields=["status", "received_on"], name="complaint_queue")]

    def __str__(self) -> str:
        return self.number

    @property
    def open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def counted(self) -> bool:
        """Sent by a signed-in person, or its email confirmed: the commissioner has it."""
        return self.author_id is not None or self.email_confirmed_at is not None


class MessageKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Accusé de réception")
    ANSWER = "answer", _("Réponse")


class ComplaintMessage(models.Model):
    """What the commissioner wrote to the person. Kept with the complaint (confidential), not
    in the message centre that agents reach; the person is told by email that it waits."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("type"), max_length=16, choices=MessageKind.choices)
    body = models.TextField(_("message"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("message du Commissaire")
        verbose_name_plural = _("messages du Commissaire")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "kind"], name="complaint_message_once")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}:{self.kind}"


# --- « Nous vous consultons périodiquement sur vos attentes et sur votre satisfaction » --------


class SurveySubject(models.TextChoices):
    APPOINTMENT = "appointment", _("Rendez-vous complété")
    DOSSIER = "dossier", _("Dossier fermé")
    # Seed 004, « Étape 3 : Veuillez prendre quelques minutes pour évaluer votre expérience ».
    REGISTRATION = "registration", _("Inscription au portail des employeurs")


SCALE = [
    (5, _("Très satisfait")),
    (4, _("Satisfait")),
    (3, _("Ni satisfait ni insatisfait")),
    (2, _("Insatisfait")),
    (1, _("Très insatisfait")),
]


class SurveyParticipation(models.Model):
    """That this person answered about this appointment or dossier (once), kept apart from
    what they answered: the answers carry no person and no request."""

    # A random key, not a sequence: the k-th participation must not point to the k-th response.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=12, choices=SurveySubject.choices)
    subject_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("participation au sondage")
        verbose_name_plural = _("participations au sondage")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "subject", "subject_id"], name="survey_answered_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject}:{self.subject_id}"


class SurveyResponse(models.Model):
    """One person's answers, reported in aggregate only: the kind of service and the month,
    nothing that leads back to the person."""

    # A random key, no time of answer: nothing orders the responses as the participations are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.CharField(_("sujet"), max_length=12, choices=SurveySubject.choices)
    service = models.CharField(_("service"), max_length=200)
    month = models.DateField(_("mois"))
    overall = models.PositiveSmallIntegerField(_("satisfaction générale"), null=True, blank=True)
    courtesy = models.PositiveSmallIntegerField(_("courtoisie et écoute"), null=True, blank=True)
    information = models.PositiveSmallIntegerField(
        _("qualité de l'information"), null=True, blank=True
    )
    delay = models.PositiveSmallIntegerField(_("délai"), null=True, blank=True)

    class Meta:
        verbose_name = _("réponse au sondage")
        verbose_name_plural = _("réponses au sondage")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True})
                | models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                name=f"survey_{name}_scale",
            )
            for name in ("overall", "courtesy", "information", "delay")
        ]
        indexes = [models.Index(fields=["month"], name="survey_month")]

    def __str__(self) -> str:
        return f"{self.subject} {self.month:%Y-%m}"


class ComplaintEvent(TrailEvent):
    """The commissioner's own trail (ADR 0020, 0022): who did what to a complaint, when and from
    where. Kept apart from the general audit trail, which administrators read, so that nobody
    but the commissioner's members learns that a complaint exists or who sent it. Append-only in
    the database, like the audit trail (migration 0003)."""

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("plainte"),
        # Rows are never updated or deleted: no cascade, no database constraint.
        on_delete=models.DO_NOTHING,
        related_name="events",
        db_constraint=False,
    )

    class Meta:
        verbose_name = _("événement d'une plainte")
        verbose_name_plural = _("événements des plaintes")
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["complaint", "occurred_at"], name="complaint_event_trail")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.complaint_id}"
