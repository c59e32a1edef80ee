"""The employers' portal (seed 004): the CléGC's recovery answers, the portal registration
verified by the ministry, the company it creates and the PINs that join more users to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import SecurityQuestion
from guichet.core.transitions import Table, Transition

# The job offer's kind of dossier (`offers.OFFER`), named here for the selectors.
OFFER_KIND = "offre-emploi"
BUSINESS_NUMBER = r"^[0-9]{9}$"
MINISTRY_NUMBER = r"^E[0-9]{8}$"


class Credentials(models.Model):
    """« Créer vos questions, réponses et indices » (seed 004 §II): how a CléGC holder who
    forgot the password proves who they are. Answers are hashed like passwords; hints are
    shown back, so they stay readable."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="gckey"
    )
    terms_accepted_at = models.DateTimeField(_("modalités acceptées le"))
    memorable_person_hash = models.CharField(max_length=255)
    memorable_person_hint = models.CharField(
        _("indice au sujet de ma personne mémorable"), max_length=100, blank=True
    )
    memorable_date_hash = models.CharField(max_length=255)
    memorable_date_hint = models.CharField(
        _("indice au sujet de ma date mémorable"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("CléGC")
        verbose_name_plural = _("CléGC")

    def __str__(self) -> str:
        return str(self.user_id)


class RecoveryAnswer(models.Model):
    """One of the three recovery questions of a CléGC (« Veillez créer vos 3 questions de
    récupération, réponses et indices », seed 004 §II), its answer hashed and compared exactly."""

    credentials = models.ForeignKey(
        Credentials, on_delete=models.CASCADE, related_name="recovery_answers"
    )
    position = models.PositiveSmallIntegerField(_("numéro"))
    question = models.CharField(
        _("question de récupération"), max_length=40, choices=SecurityQuestion.choices
    )
    answer_hash = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("réponse de récupération")
        verbose_name_plural = _("réponses de récupération")
        constraints = [
            models.UniqueConstraint(
                fields=["credentials", "position"], name="recovery_one_per_position"
            ),
            models.UniqueConstraint(
                fields=["credentials", "question"], name="recovery_distinct_questions"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=3), name="recovery_three_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credentials_id} #{self.position}"


class Company(models.Model):
    """An employer registered with the portal: its organisation (kind « Entreprise ») holds
    its users and owns its job offers."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="company"
    )
    business_number = models.CharField(_("numéro d'entreprise"), max_length=9, unique=True)
    ministry_number = models.CharField(
        _("numéro ministère de l'entreprise"), max_length=9, unique=True
    )
    legal_name = models.CharField(_("dénomination sociale de l'entreprise"), max_length=200)
    operating_name = models.CharField(_("nom commercial de l'entreprise"), max_length=200)
    is_canadian = models.BooleanField(_("entreprise canadienne"))
    primary_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur principal"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("inscrite le"))

    class Meta:
        verbose_name = _("entreprise")
        verbose_name_plural = _("entreprises")
        constraints = [
            models.CheckConstraint(
                condition=Q(business_number__regex=BUSINESS_NUMBER),
                name="company_business_number_nine_digits",
            ),
            models.CheckConstraint(
                condition=Q(ministry_number__regex=MINISTRY_NUMBER),
                name="company_ministry_number_format",
            ),
        ]

    def __str__(self) -> str:
        return self.operating_name


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("En cours")
    PENDING = "pending", _("En attente de vérification")
    APPROVED = "approved", _("Acceptée")
    REFUSED = "refused", _("Refusée")


_EDITABLE = frozenset({RegistrationStatus.DRAFT, RegistrationStatus.REFUSED})
# A portal registration (seed 004 §III): transmitted for the ministry's verification, or joined
# to a company at once with a PIN; accepted or refused by staff; a refused one is corrected and
# transmitted again.
REGISTRATION_TRANSITIONS: Table = {
    "transmit": Transition(_EDITABLE, RegistrationStatus.PENDING, "transmitted"),
    "join": Transition(_EDITABLE, RegistrationStatus.APPROVED, "joined"),
    "approve": Transition(
        frozenset({RegistrationStatus.PENDING}), RegistrationStatus.APPROVED, "approved"
    ),
    "refuse": Transition(
        frozenset({RegistrationStatus.PENDING}), RegistrationStatus.REFUSED, "refused"
    ),
}


class Portal(models.TextChoices):
    """« Dans quel portail désirez-vous vous inscrire? » — only the employers' portal is
    offered by Guichet."""

    REPRESENTATIVES = "representatives", _("Portail des représentants autorisés rémunérés")
    SCHOOLS = "schools", _("Portail pour les établissements d'enseignement désignés")
    EMPLOYERS = "employers", _("Portail des employeurs")


class Registration(models.Model):
    """« Inscription au portail des employeurs » (seed 004 §III): answered step by step and
    kept as typed; submitted for the ministry's verification, or, with a PIN, joined to the
    company at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_registration"
    )
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
    )
    portal_terms_accepted_at = models.DateTimeField(
        _("conditions d'utilisation acceptées le"), null=True, blank=True
    )
    welcomed = models.BooleanField(default=False)
    has_pin = models.BooleanField(null=True)
    pin = models.ForeignKey(
        "CompanyPin", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    portal = models.CharField(_("portail"), max_length=20, choices=Portal.choices, blank=True)
    reregistering = models.BooleanField(null=True)
    questions_set = models.BooleanField(default=False)
    started = models.BooleanField(default=False)
    # Coordonnées de l'utilisateur
    last_name = models.CharField(_("nom(s)"), max_length=100, blank=True)
    first_name = models.CharField(_("prénom(s)"), max_length=100, blank=True)
    job_title = models.CharField(_("désignation de l'emploi"), max_length=100, blank=True)
    phone = models.CharField(_("numéro de téléphone"), max_length=25, blank=True)
    fax = models.CharField(_("numéro de télécopieur"), max_length=25, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    contact_done = models.BooleanField(default=False)
    # Renseignements sur l'entreprise
    legal_name = models.CharField(
        _("dénomination sociale de l'entreprise"), max_length=200, blank=True
    )
    operating_name = models.CharField(
        _("nom commercial de l'entreprise"), max_length=200, blank=True
    )
    is_canadian = models.BooleanField(_("entreprise canadienne"), null=True)
    business_number = models.CharField(_("numéro d'entreprise"), max_length=9, blank=True)
    company_done = models.BooleanField(default=False)
    # Votre déclaration solennelle et votre signature électronique: what was signed, kept.
    declaration_version = models.CharField(max_length=20, blank=True)
    answers_digest = models.CharField(max_length=64, blank=True)
    signed_first_name = models.CharField(_("prénom(s)"), max_length=100, blank=True)
    signed_last_name = models.CharField(_("nom(s)"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décision le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décision par"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="registrations"
    )

    class Meta:
        verbose_name = _("inscription au portail des employeurs")
        verbose_name_plural = _("inscriptions au portail des employeurs")
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["pending", "approved"])
                | Q(submitted_at__isnull=False, signed_at__isnull=False),
                name="registration_submitted_is_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(company__isnull=False),
                name="registration_approved_has_company",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="registration_refused_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status}"

    @property
    def joins_with_pin(self) -> bool:
        return self.pin_id is not None


class CompanyPin(models.Model):
    """« Numéro d'identification personnel (NIP) » the primary user issues so another person
    joins the company. Shown once; stored as a keyed digest so it can be looked up but not
    read back. Single use, for one email address, until it expires."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="pins")
    email = models.EmailField(_("adresse électronique de la personne"))
    digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("émis le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("NIP d'entreprise")
        verbose_name_plural = _("NIP d'entreprise")
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True, used_by__isnull=True)
                | Q(used_at__isnull=False, used_by__isnull=False),
                name="pin_used_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.email}"


class OfferInspection(models.Model):
    """A job offer flagged by the ministry for an inspection of the employer's compliance
    (seed 004: up to six years after the work permit is issued)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="inspection"
    )
    reason = models.TextField(_("motif de l'inspection"))
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    flagged_at = models.DateTimeField(_("signalée le"), default=timezone.now)

    class Meta:
        verbose_name = _("offre signalée pour inspection")
        verbose_name_plural = _("offres signalées pour inspection")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="inspection_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}"


class OfferValidation(models.Model):
    """A submitted job offer validated by the ministry (seed 002 « Rappel »: a candidate whose
    offer is « validée par le Ministère » submits outside the quota): only such an offer, for
    the worker it names, lets a CSQ application go around the waiting room."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="validation"
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(_("validée le"), default=timezone.now)

    class Meta:
        verbose_name = _("offre validée par le Ministère")
        verbose_name_plural = _("offres validées par le Ministère")

    def __str__(self) -> str:
        return f"{self.dossier_id}"
