from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from guichet.accounts.models import Sex
from guichet.core.actor import Source
from guichet.core.i18n import localized
from guichet.core.search import fold
from guichet.core.transitions import Table, Transition


class ImmigrationStatus(models.Model):
    """« Statuts, permis et certificats » (seed 000 §1.3). Data, so that eligibility can change
    without a release; « Autre » is not eligible."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_fr = models.CharField(_("libellé (français)"), max_length=200)
    label_en = models.CharField(_("libellé (anglais)"), max_length=200)
    eligible = models.BooleanField(_("admissible au Service"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "label_fr"]
        verbose_name = _("statut, permis ou certificat")
        verbose_name_plural = _("statuts, permis et certificats")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")


class Locality(models.Model):
    """A Québec locality with its coordinates: the client's city, and where distances are
    measured from when the postal code says nothing (curated list, see clients/data/)."""

    geonameid = models.PositiveIntegerField(unique=True)
    name = models.CharField(_("nom"), max_length=120)
    # Set for homonyms only: « Saint-Isidore (Montérégie) », « Saint-Isidore (Chaudière-...) ».
    region = models.CharField(_("région administrative"), max_length=60, blank=True)
    # French alphabetical order on every database: accents and case ignored (« Écully » with E).
    sort_key = models.CharField(max_length=200, default="", editable=False, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_key", "region"]
        verbose_name = _("localité")
        verbose_name_plural = _("localités")
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="locality_name_region_unique")
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = collation_key(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.region})" if self.region else self.name


def collation_key(name: str) -> str:
    """French dictionary order at the first level: accents, case and ligatures ignored, the
    punctuation kept so « Saint-Zotique » comes before « Sainte-Adèle » as in a directory."""
    return fold(name).replace("\u2013", "-")


class InformedBy(models.TextChoices):
    EMBASSY = "embassy", _("Ambassade ou gouvernement du Canada")
    MINISTRY_SITE = "ministry_site", _("Site Web du Ministère")
    INFO_SESSION = "info_session", _("Séance d'information à l'étranger")
    FAMILY = "family", _("Parents ou amis")
    PARTNER = "partner", _("Organisme partenaire")
    MEDIA = "media", _("Médias")
    OTHER = "other", _("Autre")


class Schooling(models.TextChoices):
    UNDER_6 = "0-5", _("Moins de 6 ans")
    FROM_6 = "6-10", _("6 à 10 ans")
    FROM_11 = "11-12", _("11 à 12 ans")
    FROM_13 = "13-14", _("13 à 14 ans")
    FROM_15 = "15-16", _("15 à 16 ans")
    OVER_16 = "17+", _("17 ans et plus")


class Client(models.Model):
    """A person registered to the « Service en ligne de prise de rendez-vous » (seed 000 §4)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="client",
        verbose_name=_("profil de consultation"),
    )
    client_number = models.CharField(_("numéro de client rendez-vous"), max_length=5, unique=True)
    # Étape 1 — Statut
    status = models.ForeignKey(
        ImmigrationStatus, on_delete=models.PROTECT, verbose_name=_("statut")
    )
    status_granted_on = models.DateField(_("date d'octroi de votre statut actuel"))
    # Étape 2 — Identité
    last_name = models.CharField(_("nom"), max_length=100)
    first_name = models.CharField(_("prénom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    reference_number = models.CharField(
        _("numéro de référence individuel"), max_length=11, blank=True
    )
    cic_client_id = models.CharField(
        _("numéro d'identification du client CIC"), max_length=10, blank=True
    )
    email = models.EmailField(_("adresse électronique"))
    # Language of the messages sent to this client while they have no consultation profile (a
    # profile's own preferred language wins once it exists).
    language = models.CharField(
        _("langue de correspondance"),
        max_length=2,
        choices=[("fr", "Français"), ("en", "English")],
        default="fr",
    )
    # Étape 3 — Coordonnées
    street_number = models.CharField(_("numéro"), max_length=10, blank=True)
    street = models.CharField(_("rue"), max_length=150, blank=True)
    apartment = models.CharField(_("app."), max_length=10, blank=True)
    po_box = models.CharField(_("case et succursale postale"), max_length=60, blank=True)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("ville")
    )
    postal_code = models.CharField(_("code postal"), max_length=7, blank=True)
    phone_home = models.CharField(_("téléphone (résidence)"), max_length=12, blank=True)
    phone_work = models.CharField(_("téléphone (travail)"), max_length=12, blank=True)
    phone_work_ext = models.CharField(_("poste"), max_length=6, blank=True)
    phone_other = models.CharField(_("téléphone (autre)"), max_length=12, blank=True)
    fax = models.CharField(_("télécopieur"), max_length=12, blank=True)
    # « Modifier vos coordonnées » (seed 000 §6.3): where mail goes, when not to the residence.
    country = CountryField(_("pays"), default="CA")
    correspondence_address = models.CharField(
        _("adresse de correspondance"), max_length=150, blank=True
    )
    # Étape 4 — Information complémentaire
    french_sufficient = models.BooleanField(
        _("connaissance suffisante (niveau intermédiaire) du français parlé"), null=True
    )
    informed_by = models.CharField(
        _("comment avez-vous été informé sur l'immigration au Québec?"),
        max_length=20,
        choices=InformedBy.choices,
        blank=True,
    )
    professional_domain = models.CharField(
        _("domaine d'activité professionnelle"), max_length=100, blank=True
    )
    intended_profession = models.CharField(
        _("profession envisagée au Québec"), max_length=100, blank=True
    )
    schooling = models.CharField(
        _("nombre d'années de scolarité incluant les études primaires"),
        max_length=5,
        choices=Schooling.choices,
        blank=True,
    )
    # Étape 5 — Déclaration: consent that lets partner organisations see the profile.
    declaration_accepted_at = models.DateTimeField(
        _("déclaration acceptée le"), null=True, blank=True
    )
    consents_to_partner_access = models.BooleanField(
        _("consent à l'accès des partenaires"), default=False
    )
    # Who registered the client.
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.CLIENT
    )
    registered_by_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_clients",
        verbose_name=_("inscrit par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            # One person, one registration: the identifiers issued to a person are unique.
            models.UniqueConstraint(
                Lower("reference_number"),
                condition=~models.Q(reference_number=""),
                name="client_reference_number_unique",
            ),
            models.UniqueConstraint(
                "cic_client_id", condition=~models.Q(cic_client_id=""), name="client_cic_id_unique"
            ),
        ]
        indexes = [models.Index(Lower("last_name"), "birth_date", name="client_identity_idx")]

    def __str__(self) -> str:
        return f"{self.client_number}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def correspondence_language(self) -> str:
        """The profile's preferred language once there is one, else the registration's."""
        language = self.user.preferred_language if self.user is not None else self.language
        return language if language in ("fr", "en") else "fr"


class AuthorizationCode(models.Model):
    """« Code d'autorisation » (seed 000 §1.1, §3.2): given by email to a person a partner
    registered, to create a consultation profile linked to that registration. Only a keyed
    digest is stored; single use; expires."""

    class Purpose(models.TextChoices):
        PROFILE = "profile", _("Créer un profil de consultation")
        # Step 6 of the registration claims a ministry record that has an address: the person
        # proves it is theirs with a code sent there (security finding 2).
        LINK = "link", _("Relier un dossier client existant")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="authorization_codes")
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.PROFILE)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code d'autorisation")
        verbose_name_plural = _("codes d'autorisation")

    def __str__(self) -> str:
        return f"{self.client_id} {self.created_at:%Y-%m-%d}"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    GRANTED = "granted", _("Acceptée")
    REFUSED = "refused", _("Refusée")


# A partner's request to see a client it did not register: asked again once expired unanswered,
# granted or refused by the person, once.
ACCESS_TRANSITIONS: Table = {
    "ask_again": Transition(
        frozenset({AccessRequestStatus.PENDING}), AccessRequestStatus.PENDING, "asked_again"
    ),
    "grant": Transition(
        frozenset({AccessRequestStatus.PENDING}), AccessRequestStatus.GRANTED, "granted"
    ),
    "refuse": Transition(
        frozenset({AccessRequestStatus.PENDING}), AccessRequestStatus.REFUSED, "refused"
    ),
}


class PartnerAccess(models.Model):
    """A partner organisation's access to a client it did not register, which only the client
    grants (SPEC D5). Staff who try to register a person already on file get nothing of that
    record: they may only ask, and the question goes to the address already on file, with a
    single-use link (only a keyed digest of its token is stored)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="partner_accesses")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="client_accesses"
    )
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("accès d'un organisme partenaire")
        verbose_name_plural = _("accès des organismes partenaires")
        constraints = [
            models.UniqueConstraint(
                "client", "organisation", name="partner_access_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.client_id} ({self.status})"
