import re
import unicodedata
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from guichet.core.actor import Source


class Role(models.TextChoices):
    CLIENT = "client", _("Client")
    EMPLOYER = "employer", _("Employeur")
    PARTNER_STAFF = "partner_staff", _("Personnel d'un organisme partenaire")
    MINISTRY_STAFF = "ministry_staff", _("Personnel du Ministère")
    ADMIN = "admin", _("Administrateur")


STAFF_ROLES = frozenset({Role.PARTNER_STAFF, Role.MINISTRY_STAFF, Role.ADMIN})


class Duty(models.TextChoices):
    """A ministry staff member's duties beyond the role (issue 32: one answer to « who is an
    intake officer? »). A view declares the duty it needs (`core.access.roles(…, duty=…)`), the
    access middleware enforces it (404: the page does not exist for anyone else) and selectors
    and services ask `User.has_duty`. Each is kept in its own column of `User`, which the
    database allows only on ministry staff."""

    PAYMENTS = "handles_payments", _("responsable des paiements")
    EMPLOYER_FILES = "handles_employer_files", _("responsable des dossiers d'employeurs")
    INTAKE = "handles_intake", _("agente ou agent de réception des demandes")
    COMPLAINTS = "handles_complaints", _("Commissaire aux plaintes et à la qualité des services")


class Sex(models.TextChoices):
    FEMALE = "F", _("Féminin")
    MALE = "M", _("Masculin")


class SecurityQuestion(models.TextChoices):
    """Questions d'authentification (seed 000 §3.3 and §6.2)."""

    FIRST_FLIGHT = "first_flight", _("Ma destination lors de mon premier voyage en avion")
    HOBBY = "hobby", _("Quel est mon passe-temps préféré?")
    FIRST_SCHOOL = "first_school", _("Quel est le nom de ma première école?")
    CHILDHOOD_FRIEND = "childhood_friend", _("Quel est le prénom de mon ami d'enfance?")
    CHILDHOOD_STREET = "childhood_street", _("Le nom de la rue où j'ai grandi")
    FAVOURITE_DISH = "favourite_dish", _("Quel est mon plat préféré?")
    FIRST_PET = "first_pet", _("Le nom de mon premier animal de compagnie")
    PARENTS_CITY = "parents_city", _("La ville où mes parents se sont rencontrés")
    FAVOURITE_BOOK = "favourite_book", _("Quel est mon livre préféré?")
    DREAM_JOB = "dream_job", _("Le métier que je rêvais d'exercer enfant")


USER_CODE_ALPHABET = re.compile(r"[A-Za-z0-9]{1,64}")


def canonical_user_code(typed: str | None) -> str:
    """The one form a typed user code is compared in: NFKC, then checked against the policies'
    alphabet (Latin letters and digits, seed 000 §1.1) before any lookup, then lower-cased.
    Anything else is "" and finds no account: PostgreSQL's UPPER() folds the long s and the
    dotless i onto S and I, so a look-alike of `xssClient01` once signed in as that account
    while its lock was keyed on another string."""
    text = unicodedata.normalize("NFKC", typed or "").strip()
    if not USER_CODE_ALPHABET.fullmatch(text):
        return ""
    return text.lower()


class GuichetUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        # User codes are unique regardless of case (seed 000 §3.3): log in the same way.
        canonical = canonical_user_code(username)
        if not canonical:
            raise self.model.DoesNotExist
        return self.get(username__iexact=canonical)


class User(AbstractUser):
    """Every person who signs in: clients, employer users, partner and ministry staff, admins.

    `username` is the seed's « code d'utilisateur ».
    """

    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.CLIENT)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    preferred_language = models.CharField(
        _("langue de correspondance"),
        max_length=2,
        choices=[("fr", _("Français")), ("en", _("English"))],
        default="fr",
    )

    # Ministry staff only: the payments role (search payments, record envelopes, refund).
    handles_payments = models.BooleanField(_("responsable des paiements"), default=False)
    # Ministry staff only: the employer-files role (verify portal registrations, see job
    # offers, write to a company, flag an offer for inspection; seed 004).
    handles_employer_files = models.BooleanField(
        _("responsable des dossiers d'employeurs"), default=False
    )

    # Ministry staff only: the intake-officer role (intake periods and their quotas, the CSQ
    # applications, duplicates, document checklists; seed 002).
    handles_intake = models.BooleanField(
        _("agente ou agent de réception des demandes"), default=False
    )

    # Ministry staff only: the « Commissaire aux plaintes et à la qualité des services » role
    # (seed 003): the only accounts that see complaints and comments, which no other ministry
    # staff, agent or partner sees.
    handles_complaints = models.BooleanField(
        _("Commissaire aux plaintes et à la qualité des services"), default=False
    )

    # Staff only: shown to the clients whose dossier they follow (seed 001 §1.1).
    work_phone = models.CharField(_("téléphone professionnel"), max_length=30, blank=True)

    # The address was confirmed by the link sent to it (one account per email, seed 002): asked
    # before a queue number in Mon projet Québec's waiting room. Cleared when the address changes.
    email_verified_at = models.DateTimeField(
        _("adresse courriel confirmée le"), null=True, blank=True
    )

    must_change_password = models.BooleanField(
        _("doit changer son mot de passe"),
        default=False,
        help_text=_("Après une connexion avec un mot de passe temporaire."),
    )

    objects: ClassVar[GuichetUserManager] = GuichetUserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            # One profile per email address (seed 002; SPEC A6).
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_ci_unique"
            ),
            # Partner staff always belong to one organisation; clients never do. An employer's
            # user belongs to their company (an organisation of the kind « Entreprise »), whose
            # members share its dossiers.
            models.CheckConstraint(
                condition=~models.Q(role="partner_staff") | models.Q(organisation__isnull=False),
                name="user_partner_staff_has_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(handles_payments=False) | models.Q(role="ministry_staff"),
                name="user_payments_role_is_ministry_staff",
            ),
            models.CheckConstraint(
                condition=models.Q(handles_employer_files=False) | models.Q(role="ministry_staff"),
                name="user_employer_files_role_is_ministry_staff",
            ),
            models.CheckConstraint(
                condition=models.Q(handles_intake=False) | models.Q(role="ministry_staff"),
                name="user_intake_role_is_ministry_staff",
            ),
            models.CheckConstraint(
                condition=models.Q(handles_complaints=False) | models.Q(role="ministry_staff"),
                name="user_complaints_role_is_ministry_staff",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="client") | models.Q(organisation__isnull=True),
                name="user_client_has_no_organisation",
            ),
            # Only administrators reach the Django admin.
            models.CheckConstraint(
                condition=models.Q(is_staff=False) | models.Q(role="admin"),
                name="user_only_admins_are_django_staff",
            ),
        ]

    def has_duty(self, duty: str) -> bool:
        """Ministry staff holding this duty (`Duty`)."""
        return self.role == Role.MINISTRY_STAFF and bool(getattr(self, Duty(duty).value, False))

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def credential_kind(self) -> str:
        """Which named credential policy applies (settings.PASSWORD_POLICIES)."""
        if self.role == Role.CLIENT:
            return "client"
        if self.role == Role.EMPLOYER:
            return "employer"
        return "staff"

    @property
    def source(self) -> str:
        """The « Source » this user's actions are recorded under."""
        return {
            Role.CLIENT: Source.CLIENT,
            Role.EMPLOYER: Source.EMPLOYER,
            Role.PARTNER_STAFF: Source.PARTNER,
            Role.MINISTRY_STAFF: Source.MINISTRY,
            Role.ADMIN: Source.MINISTRY,
        }[Role(self.role)]


class SecurityAnswer(models.Model):
    """An answer to a security question, hashed like a password and compared exactly
    (« de façon identique (majuscule, espaces, etc.) », seed 000 §3.3)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_answers")
    position = models.PositiveSmallIntegerField(_("numéro"))
    question = models.CharField(_("question"), max_length=40, choices=SecurityQuestion.choices)
    answer_hash = models.CharField(_("réponse (empreinte)"), max_length=255)

    class Meta:
        verbose_name = _("réponse à une question d'authentification")
        verbose_name_plural = _("réponses aux questions d'authentification")
        constraints = [
            models.UniqueConstraint(fields=["user", "position"], name="answer_one_per_position"),
            models.UniqueConstraint(fields=["user", "question"], name="answer_distinct_questions"),
            # Two for a consultation profile (seed 000 §3.3), four for the employers' portal
            # (seed 004 §III « Créer vos questions de sécurité »).
            models.CheckConstraint(
                condition=models.Q(position__gte=1) & models.Q(position__lte=4),
                name="answer_four_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} #{self.position}"


class TemporaryPassword(models.Model):
    """A random password sent by email (seed 000 §4.3): valid for a limited time, single use,
    and the account must choose a new password right after using it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="temporary_passwords")
    password_hash = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mot de passe temporaire")
        verbose_name_plural = _("mots de passe temporaires")
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class TwoFactorDevice(models.Model):
    """A TOTP authenticator (RFC 6238) confirmed by the account holder: optional for clients,
    required for staff. `last_step` refuses a code already used (no replay)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField()
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("authentification à deux facteurs")
        verbose_name_plural = _("authentifications à deux facteurs")

    def __str__(self) -> str:
        return str(self.user_id)


class RecoveryCode(models.Model):
    """Single-use codes to sign in when the authenticator is lost; stored hashed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=255)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code de récupération")
        verbose_name_plural = _("codes de récupération")

    def __str__(self) -> str:
        return str(self.user_id)


class PersonalProfile(models.Model):
    """« Renseignements personnels » of a consultation profile (SPEC E9; seed 001 §4): names as
    in the passport, identity, international address and phones. Copied into a dossier when it
    is submitted, and used to identify an existing dossier."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="personal_profile")
    # The seed's « Téléphone » block: Domicile, Cellulaire, Travail.
    passport_last_name = models.CharField(
        _("nom(s) de famille inscrit(s) dans le passeport"), max_length=100
    )
    passport_first_name = models.CharField(
        _("prénom(s) inscrit(s) dans le passeport"), max_length=100
    )
    # A person's identity is stored once: for someone registered for the appointment service,
    # sex and date of birth are those of their client record (read through `sex` and
    # `birth_date` below) and these two stay empty.
    own_sex = models.CharField(
        _("sexe"),
        max_length=1,
        choices=Sex.choices,
        blank=True,
    )
    own_birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    birth_city = models.CharField(_("ville de naissance"), max_length=100)
    birth_country = CountryField(_("pays ou territoire de naissance"))
    address_line1 = models.CharField(_("adresse"), max_length=150)
    address_line2 = models.CharField(_("adresse (ligne 2)"), max_length=150, blank=True)
    address_line3 = models.CharField(_("adresse (ligne 3)"), max_length=150, blank=True)
    country = CountryField(_("pays ou territoire"))
    province = models.CharField(_("province ou État"), max_length=100, blank=True)
    city = models.CharField(_("ville"), max_length=100)
    postal_code = models.CharField(_("code postal"), max_length=12, blank=True)
    home_phone_code = models.CharField(_("indicatif international"), max_length=4, blank=True)
    home_phone = models.CharField(_("numéro de téléphone"), max_length=15, blank=True)
    mobile_phone_code = models.CharField(_("indicatif international"), max_length=4, blank=True)
    mobile_phone = models.CharField(_("numéro de téléphone"), max_length=15, blank=True)
    work_phone_code = models.CharField(_("indicatif international"), max_length=4, blank=True)
    work_phone = models.CharField(_("numéro de téléphone"), max_length=15, blank=True)
    work_phone_ext = models.CharField(_("numéro de poste"), max_length=6, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("renseignements personnels")
        verbose_name_plural = _("renseignements personnels")

    def __str__(self) -> str:
        return str(self.user_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.registered_client is not None:
            self.own_sex, self.own_birth_date = "", None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "own_sex", "own_birth_date"}
        super().save(*args, **kwargs)

    @classmethod
    def forget_identity_copy(cls, user: User) -> None:
        """Once a person's client record is linked to their account, it holds their identity."""
        cls.objects.filter(user=user).update(own_sex="", own_birth_date=None)

    @cached_property
    def registered_client(self) -> Any:
        """The person's client record, whose identity wins (None if not registered)."""
        if not self.user_id:
            return None
        try:
            return self.user.client  # the client app's one-to-one; no import needed
        except ObjectDoesNotExist:
            return None

    @property
    def sex(self) -> str:
        client = self.registered_client
        return str(client.sex) if client is not None else self.own_sex

    @sex.setter
    def sex(self, value: str) -> None:
        self.own_sex = value

    @property
    def birth_date(self) -> Any:
        client = self.registered_client
        return client.birth_date if client is not None else self.own_birth_date

    @birth_date.setter
    def birth_date(self, value: Any) -> None:
        self.own_birth_date = value


class Lockout(models.Model):
    """A lock after too many failures (`accounts.throttle`), kept by the database: the cache
    counts the failures, but a lock set must outlive the loss of Redis (issue 33: a locked
    account signed in at once once Redis restarted empty). `key` is the hashed subject (a user
    code or an address never appears)."""

    key = models.CharField(max_length=80, primary_key=True)
    until = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["until"], name="lockout_until")]

    def __str__(self) -> str:
        return self.key
