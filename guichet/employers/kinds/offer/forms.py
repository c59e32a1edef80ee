"""The four forms of « Offre d'emploi dispensé d'une EIMT » (seed 004 §IV.1), with the seed's
labels and « (requis) » marks. Each is a section of the dossier engine: kept as typed, complete
when it validates. A question shown only after an answer (another postal address, other
workplaces, the certifying authority, the reason for not paying) is required only then."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from guichet.core.forms import DateField, yes_no
from guichet.dossiers.registry import SectionForm, required_when_shown
from guichet.employers import noc

SELECT = [("", gettext_lazy("S'il vous plaît sélectionner"))]
PHONE = re.compile(r"^\+?[0-9 ().-]{7,25}$")
CANADIAN_POSTAL_CODE = re.compile(
    r"^[ABCEGHJ-NPRSTVXY][0-9][ABCEGHJ-NPRSTV-Z] ?[0-9][ABCEGHJ-NPRSTV-Z][0-9]$"
)
PASSPORT = re.compile(r"^[A-Z0-9]{6,12}$")
PROVINCES = [
    ("QC", gettext_lazy("Québec")),
    ("AB", gettext_lazy("Alberta")),
    ("BC", gettext_lazy("Colombie-Britannique")),
    ("PE", gettext_lazy("Île-du-Prince-Édouard")),
    ("MB", gettext_lazy("Manitoba")),
    ("NB", gettext_lazy("Nouveau-Brunswick")),
    ("NS", gettext_lazy("Nouvelle-Écosse")),
    ("NU", gettext_lazy("Nunavut")),
    ("ON", gettext_lazy("Ontario")),
    ("SK", gettext_lazy("Saskatchewan")),
    ("NL", gettext_lazy("Terre-Neuve-et-Labrador")),
    ("NT", gettext_lazy("Territoires du Nord-Ouest")),
    ("YT", gettext_lazy("Yukon")),
]
PROVINCE_CODES = {code for code, _label in PROVINCES}
# The LMIA exemptions of the international mobility program an offer may name (title, code).
EXEMPTIONS = [
    (
        "C21",
        gettext_lazy(
            "Expérience internationale Canada (stage coop international, jeunes "
            "professionnels, vacances-travail)"
        ),
    ),
    ("C20", gettext_lazy("Emploi réciproque : programmes d'échanges de jeunes et d'emploi")),
    ("C16", gettext_lazy("Mobilité francophone")),
    ("C10", gettext_lazy("Avantage important pour le Canada")),
    ("C11", gettext_lazy("Entrepreneurs et travailleurs autonomes")),
    ("C12", gettext_lazy("Personnes mutées à l'intérieur d'une société")),
    ("C14", gettext_lazy("Réparations d'urgence")),
]
EXEMPTION_TITLES = dict(EXEMPTIONS)
SEXES = [
    ("F", gettext_lazy("Femme")),
    ("M", gettext_lazy("Homme")),
    ("X", gettext_lazy("Autre sexe")),
]
DURATION_UNITS = [
    ("semaines", gettext_lazy("semaines")),
    ("mois", gettext_lazy("mois")),
    ("annees", gettext_lazy("années")),
]
FEE_CHOICES = [
    (
        "payer",
        gettext_lazy(
            "Oui je paierais les frais relatifs à la conformité de l'employeur pour cet offre "
            "d'emploi"
        ),
    ),
    (
        "dispense",
        gettext_lazy(
            "Non, je suis dispensé de payer les frais relatifs à la conformité de l'employeur"
        ),
    ),
]
WAGE_TYPES = [
    ("horaire", gettext_lazy("Salaire horaire en dollars canadiens")),
    ("hebdomadaire", gettext_lazy("Salaire hebdomadaire en dollars canadiens")),
    ("mensuel", gettext_lazy("Salaire mensuel en dollars canadiens")),
    ("annuel", gettext_lazy("Salaire annuel en dollars canadiens")),
]
BENEFITS = [
    ("invalidite", gettext_lazy("Assurance-invalidité")),
    ("dentaire", gettext_lazy("Assurance dentaire")),
    ("pension", gettext_lazy("Pension")),
    (
        "maladie",
        gettext_lazy(
            "Assurance-Maladie complémentaire (p. Ex. Médicaments sur ordonnance, services "
            "paramédicaux, services et équipements médicaux)"
        ),
    ),
    ("aucun", gettext_lazy("Aucun de ces avantages sociaux")),
]
VACATION_TYPES = [
    ("jours", gettext_lazy("Jours de vacances payés")),
    ("pourcentage", gettext_lazy("Pourcentage de la rémunération")),
    ("aucune", gettext_lazy("Aucunes vacances payées")),
]
REQUIRED = {"required": gettext_lazy("Ce champ est obligatoire.")}
SHOWN = gettext_lazy("Si vous avez répondu « Oui ».")


def _phone(value: str) -> None:
    if value and (not PHONE.match(value) or sum(c.isdigit() for c in value) < 7):
        raise ValidationError(
            _("Saisissez un numéro de téléphone valide (chiffres, espaces, tirets, parenthèses).")
        )


def _text(label: Any, *, required: bool = True, max_length: int = 100, **kw: Any) -> Any:
    return forms.CharField(label=label, required=required, max_length=max_length, **kw)


def _area(label: Any, *, required: bool = True, **kw: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        **kw,
    )


def _country(label: Any, **kw: Any) -> Any:
    return forms.ChoiceField(label=label, choices=lambda: [*SELECT, *countries], **kw)


class NumberField(forms.DecimalField):
    """A number typed with a comma or a point, with or without spaces between thousands, in
    any language: a draft saved in French stays valid when read in English."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


def _amount(label: Any, *, minimum: str = "0", maximum: str = "999999999", **kw: Any) -> Any:
    return NumberField(
        label=label,
        min_value=Decimal(minimum),
        max_value=Decimal(maximum),
        decimal_places=2,
        max_digits=12,
        **kw,
    )


def _hours(label: Any, maximum: int) -> Any:
    return NumberField(
        label=label,
        min_value=Decimal("0.5"),
        max_value=Decimal(maximum),
        decimal_places=2,
        max_digits=6,
    )


class OfferSection(SectionForm):
    required_mark = gettext_lazy("requis")
    # Field groups, each under its own heading: (title, intro, names).
    groups: tuple[tuple[Any, Any, tuple[str, ...]], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("postal_code", "work_postal_code", "passport_number"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = "off"

    def grouped(self) -> list[tuple[Any, Any, list[Any]]]:
        return [
            (title, intro, [self[name] for name in names]) for title, intro, names in self.groups
        ]

    def _needs(self, data: dict[str, Any], name: str) -> None:
        if not (data.get(name) or "").strip():
            self.add_error(name, _("Ce champ est obligatoire."))


def _canadian_address(form: OfferSection, data: dict[str, Any], prefix: str = "") -> None:
    postal = (data.get(f"{prefix}postal_code") or "").upper().strip()
    province = (data.get(f"{prefix}province") or "").strip()
    if prefix or data.get("country") == "CA":
        if postal and not CANADIAN_POSTAL_CODE.match(postal):
            form.add_error(
                f"{prefix}postal_code",
                _("Saisissez un code postal canadien valide (par exemple : H2X 1Y4)."),
            )
        if province and province.upper() not in PROVINCE_CODES and not prefix:
            form.add_error(
                "province",
                _("Pour une adresse au Canada, choisissez la province ou le territoire."),
            )


class CompanyOfferForm(OfferSection):
    """« Renseignements sur l'entreprise »: the company's numbers and names come from its
    registration (shown greyed), the rest is asked."""

    company_phone = _text(
        gettext_lazy("Numéro de téléphone de l'entreprise"), max_length=25, validators=[_phone]
    )
    unit = _text(
        gettext_lazy("Numéro d'appartement ou d'unité (s'il y a lieu)"),
        required=False,
        max_length=20,
    )
    street_number = _text(gettext_lazy("Numéro de rue"), max_length=20)
    street = _text(gettext_lazy("Adresse de voirie ou nom de rue"))
    street_2 = _text(
        gettext_lazy("Adresse de voirie ou nom de rue ligne 2 (s'il y a lieu)"), required=False
    )
    country = _country(gettext_lazy("Pays ou territoire"), initial="CA")
    province = _text(
        gettext_lazy("Province/État"),
        help_text=gettext_lazy("Au Canada, le code de la province ou du territoire : QC, ON, NB…"),
    )
    city = _text(gettext_lazy("Ville/Village"))
    postal_code = _text(gettext_lazy("Code postal"), max_length=12)
    mailing_different = yes_no(
        gettext_lazy("Votre adresse postale est-elle différente de l'adresse de l'entreprise?")
    )
    mailing_address = required_when_shown(
        _area(gettext_lazy("Adresse postale de l'entreprise"), required=False, help_text=SHOWN)
    )
    website = forms.URLField(
        label=gettext_lazy("Adresse du site internet de l'entreprise"),
        max_length=200,
        assume_scheme="https",
        help_text=gettext_lazy("Par exemple : https://www.exemple.ca"),
    )
    created_on = DateField(label=gettext_lazy("Date de création de l'entreprise"))
    main_activity = _area(
        gettext_lazy("Veuillez décrire la principale activité commerciale de l'entreprise")
    )
    employees = forms.IntegerField(
        label=gettext_lazy("Nombre d'employés"), min_value=1, max_value=10_000_000
    )
    gross_revenue = _amount(
        gettext_lazy("Revenu brut"),
        help_text=gettext_lazy("En dollars canadiens, pour le dernier exercice financier."),
    )
    contact_first_name = _text(gettext_lazy("Prénom(s)"))
    contact_middle_name = _text(gettext_lazy("Deuxième prénom (si applicable)"), required=False)
    contact_last_name = _text(gettext_lazy("Nom(s)"))
    contact_job_title = _text(gettext_lazy("Désignation de l'emploi"))
    contact_phone = _text(
        gettext_lazy("Numéro de téléphone de contact"), max_length=25, validators=[_phone]
    )
    contact_extension = _text(gettext_lazy("Poste"), required=False, max_length=10)
    contact_fax = _text(
        gettext_lazy("Numéro de télécopieur de contact"),
        required=False,
        max_length=25,
        validators=[_phone],
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Adresse de courriel de contact"), max_length=254
    )

    groups = (
        (
            gettext_lazy("Entreprise"),
            gettext_lazy("Veuillez fournir l'information la plus récente sur votre entreprise"),
            (
                "company_phone",
                "unit",
                "street_number",
                "street",
                "street_2",
                "country",
                "province",
                "city",
                "postal_code",
                "mailing_different",
                "mailing_address",
            ),
        ),
        (
            gettext_lazy("Détails sur l'entreprise"),
            "",
            ("website", "created_on", "main_activity", "employees", "gross_revenue"),
        ),
        (
            gettext_lazy("Personne-ressource"),
            gettext_lazy(
                "Les coordonnées de la personne qui sera contactée par IRCC pour plus "
                "d'informations."
            ),
            (
                "contact_first_name",
                "contact_middle_name",
                "contact_last_name",
                "contact_job_title",
                "contact_phone",
                "contact_extension",
                "contact_fax",
                "contact_email",
            ),
        ),
    )

    def relevant_fields(self) -> list[str]:
        names = list(self.fields)
        if self.data.get("mailing_different") != "oui":
            names.remove("mailing_address")
        return names

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mailing_different") == "oui":
            self._needs(data, "mailing_address")
        _canadian_address(self, data)
        created = data.get("created_on")
        if isinstance(created, date) and created > timezone.localdate():
            self.add_error("created_on", _("La date ne peut pas être dans le futur."))
        return data


class WorkerForm(OfferSection):
    """« Renseignements sur le travailleur étranger », as in the passport."""

    last_name = _text(gettext_lazy("Nom de famille"))
    first_name = _text(gettext_lazy("Prénom(s)"))
    sex = forms.ChoiceField(label=gettext_lazy("Sexe"), choices=SEXES, widget=forms.RadioSelect)
    birth_date = DateField(label=gettext_lazy("Date de naissance"))
    birth_country = _country(gettext_lazy("Pays de naissance"))
    residence_country = _country(gettext_lazy("Pays de résidence"))
    citizenship = _country(gettext_lazy("Citoyenneté"))
    passport_number = _text(
        gettext_lazy("Numéro de passeport"),
        max_length=20,
        help_text=gettext_lazy(
            "Tel qu'il figure à la page d'identification du passeport : 6 à 12 lettres ou chiffres."
        ),
    )

    groups = (
        (
            "",
            gettext_lazy(
                "Astuce : récupérez une copie de la page d'identification du passeport de votre "
                "futur stagiaire pour compléter ce formulaire."
            ),
            (
                "last_name",
                "first_name",
                "sex",
                "birth_date",
                "birth_country",
                "residence_country",
                "citizenship",
                "passport_number",
            ),
        ),
    )

    def clean_passport_number(self) -> str:
        value = "".join(self.cleaned_data["passport_number"].split()).upper()
        if not PASSPORT.match(value):
            raise ValidationError(
                _("Le numéro de passeport compte de 6 à 12 lettres ou chiffres, sans espace.")
            )
        return value

    def clean_birth_date(self) -> date:
        born: date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if born > today:
            raise ValidationError(_("La date ne peut pas être dans le futur."))
        if age < 16:
            raise ValidationError(_("Le travailleur doit avoir au moins 16 ans."))
        return born


class JobForm(OfferSection):
    """« Détails sur l'emploi »: the exemption, the job, where and when, what it requires, and
    whether the employer compliance fee is paid."""

    exemption = forms.ChoiceField(
        label=gettext_lazy("Titre de la dispense de l'EIMT"),
        choices=[*SELECT, *((code, title) for code, title in EXEMPTIONS)],
        help_text=gettext_lazy(
            "Le code de la dispense de l'EIMT s'affiche une fois le titre choisi."
        ),
    )
    exemption_reason = _area(
        gettext_lazy(
            "En quoi l'emploi répond-t-il aux critères applicables à la dispense demandée."
        )
    )
    job_title = _text(gettext_lazy("Titre du poste"))
    noc_code = _text(
        gettext_lazy("Code de la classification nationale des professions (CNP)"),
        max_length=5,
        help_text=gettext_lazy(
            "CNP 2021 : cinq chiffres, par exemple 21232. Vous devrez envoyer ce code à votre "
            "stagiaire."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    work_unit = _text(
        gettext_lazy("Numéro d'appartement ou d'unité (s'il y a lieu)"),
        required=False,
        max_length=20,
    )
    work_street_number = _text(gettext_lazy("Numéro de rue"), max_length=20)
    work_street = _text(gettext_lazy("Adresse de voirie ou nom de rue"))
    work_street_2 = _text(
        gettext_lazy("Adresse de voirie ou nom de rue ligne 2 (s'il y a lieu)"), required=False
    )
    # The place of work is in Canada: a list, and a label that says so (the addresses, which
    # may be abroad, take « Province/État » as typed).
    work_province = forms.ChoiceField(
        label=gettext_lazy("Province ou territoire"), choices=[*SELECT, *PROVINCES]
    )
    work_city = _text(gettext_lazy("Ville/Village"))
    work_postal_code = _text(gettext_lazy("Code postal"), max_length=7)
    several_workplaces = yes_no(
        gettext_lazy(
            "Le travailleur exercera-t-il les fonctions liées à son poste dans plus d'un lieu de "
            "travail?"
        )
    )
    other_workplaces = required_when_shown(
        _area(gettext_lazy("Adresses des autres lieux de travail"), required=False, help_text=SHOWN)
    )
    start_date = DateField(label=gettext_lazy("Date prévue de début d'emploi"))
    duration = forms.IntegerField(
        label=gettext_lazy("Durée prévue de l'emploi"), min_value=1, max_value=520
    )
    duration_unit = forms.ChoiceField(
        label=gettext_lazy("Unité de la durée"), choices=DURATION_UNITS, widget=forms.RadioSelect
    )
    duties = _area(
        gettext_lazy("Veuillez décrire les tâches principales de l'emploi"),
        help_text=gettext_lazy(
            "Se référer à la convention de stage ou à la lettre d'accueil de l'employeur."
        ),
    )
    education = _area(
        gettext_lazy("Exigences minimales de scolarité relatives au poste"),
        help_text=gettext_lazy("Se référer au CV du stagiaire."),
    )
    other_training = _area(gettext_lazy("Autre(s) formation(s) requise(s)"), required=False)
    experience = _area(
        gettext_lazy("Expérience ou compétences minimales requises pour le poste"),
        help_text=gettext_lazy("Se référer au CV du stagiaire."),
    )
    certification_required = yes_no(
        gettext_lazy(
            "L'emploi exige-t-il que les travailleurs obtiennent une certification, une "
            "autorisation ou un permis provincial ou fédéral"
        )
    )
    certification_authority = required_when_shown(
        _text(
            gettext_lazy(
                "Nom de l'autorité chargée de délivrer la certification, le permis ou "
                "l'autorisation"
            ),
            required=False,
            max_length=200,
            help_text=SHOWN,
        )
    )
    fee = forms.ChoiceField(
        label=gettext_lazy(
            "Des frais relatifs à la conformité de l'employeur sont associées aux offres "
            "d'emploi dispensé d'une EIMT. Les paierez-vous ou êtes-vous dispensé de les payer?"
        ),
        choices=FEE_CHOICES,
        widget=forms.RadioSelect,
    )
    fee_exemption_reason = required_when_shown(
        _area(
            gettext_lazy("Motif de la dispense des frais"),
            required=False,
            help_text=gettext_lazy("Si vous êtes dispensé de payer les frais."),
        )
    )

    groups = (
        (
            gettext_lazy("Dispense de l'EIMT et poste"),
            "",
            ("exemption", "exemption_reason", "job_title", "noc_code"),
        ),
        (
            gettext_lazy("Lieu de travail"),
            gettext_lazy("Veillez fournir l'adresse du lieu physique de travail principal."),
            (
                "work_unit",
                "work_street_number",
                "work_street",
                "work_street_2",
                "work_province",
                "work_city",
                "work_postal_code",
                "several_workplaces",
                "other_workplaces",
            ),
        ),
        (
            gettext_lazy("Emploi"),
            "",
            (
                "start_date",
                "duration",
                "duration_unit",
                "duties",
                "education",
                "other_training",
                "experience",
                "certification_required",
                "certification_authority",
                "fee",
                "fee_exemption_reason",
            ),
        ),
    )

    def relevant_fields(self) -> list[str]:
        hidden = set()
        if self.data.get("several_workplaces") != "oui":
            hidden.add("other_workplaces")
        if self.data.get("certification_required") != "oui":
            hidden.add("certification_authority")
        if self.data.get("fee") != "dispense":
            hidden.add("fee_exemption_reason")
        return [name for name in self.fields if name not in hidden]

    def clean_noc_code(self) -> str:
        code = self.cleaned_data["noc_code"].strip()
        if not noc.is_well_formed(code):
            raise ValidationError(
                _(
                    "Le code CNP 2021 compte cinq chiffres; le deuxième (la catégorie FEER) va "
                    "de 0 à 5. Par exemple : 21232."
                )
            )
        return code

    def clean_start_date(self) -> date:
        start: date = self.cleaned_data["start_date"]
        if start < timezone.localdate():
            raise ValidationError(_("La date prévue de début d'emploi ne peut pas être passée."))
        return start

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("several_workplaces") == "oui":
            self._needs(data, "other_workplaces")
        if data.get("certification_required") == "oui":
            self._needs(data, "certification_authority")
        if data.get("fee") == "dispense":
            self._needs(data, "fee_exemption_reason")
        _canadian_address(self, data, prefix="work_")
        return data


class WagesForm(OfferSection):
    """« Salaire et avantages sociaux »: amounts in Canadian dollars, hours that add up."""

    wage_type = forms.ChoiceField(
        label=gettext_lazy("Type de salaire"), choices=[*SELECT, *WAGE_TYPES]
    )
    wage_amount = _amount(gettext_lazy("Montant du salaire"), minimum="0.01")
    hours_per_day = _hours(gettext_lazy("Nombre d'heures de travail par jour"), 24)
    hours_per_week = _hours(gettext_lazy("Nombre d'heures de travail par semaine"), 168)
    hours_per_month = _hours(gettext_lazy("Nombre total d'heures de travail par mois"), 744)
    overtime_rate = _amount(
        gettext_lazy("Taux de rémunération des heures supplémentaires en dollars canadiens")
    )
    overtime_after = NumberField(
        label=gettext_lazy(
            "Nombre d'heures par semaine après lequel la rémunération des heures "
            "supplémentaires s'applique"
        ),
        min_value=Decimal(0),
        max_value=Decimal(168),
        decimal_places=2,
        max_digits=6,
    )
    other_pay = _area(
        gettext_lazy("Autre mode de rémunération (le cas échéant)"),
        required=False,
        help_text=gettext_lazy(
            "Si le stagiaire est hébergé ou nourri ou bénéficie de toutes autres compensations, "
            "le préciser."
        ),
    )
    seasonal = yes_no(gettext_lazy("S'agit-il d'un emploi saisonnier?"))
    benefits = forms.MultipleChoiceField(
        label=gettext_lazy("Avantages sociaux"),
        choices=BENEFITS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy(
                "Cochez les avantages sociaux offerts, ou « Aucun de ces avantages sociaux »."
            )
        },
    )
    vacation_type = forms.ChoiceField(
        label=gettext_lazy("Type de vacances"), choices=[*SELECT, *VACATION_TYPES], required=False
    )
    other_benefits = _area(gettext_lazy("Autres avantages sociaux (s'il y a lieu)"), required=False)

    groups = (
        (
            gettext_lazy("Salaire"),
            gettext_lazy(
                "Notez les informations telles qu'elles figurent sur la convention de stage ou la "
                "lettre d'accueil."
            ),
            (
                "wage_type",
                "wage_amount",
                "hours_per_day",
                "hours_per_week",
                "hours_per_month",
                "overtime_rate",
                "overtime_after",
                "other_pay",
                "seasonal",
            ),
        ),
        (
            gettext_lazy("Avantages sociaux"),
            "",
            ("benefits", "vacation_type", "other_benefits"),
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, week, month = (
            data.get("hours_per_day"),
            data.get("hours_per_week"),
            data.get("hours_per_month"),
        )
        if day is not None and week is not None:
            if week > 7 * day:
                self.add_error(
                    "hours_per_week",
                    _("Les heures par semaine ne peuvent dépasser sept fois les heures par jour."),
                )
            if week < day:
                self.add_error(
                    "hours_per_week",
                    _("Les heures par semaine ne peuvent être moins que les heures par jour."),
                )
        if week is not None and month is not None:
            # A month has at most 31 days: 31/7 weeks.
            if month * 7 > week * 31:
                self.add_error(
                    "hours_per_month",
                    _("Les heures par mois ne peuvent dépasser 31/7 fois les heures par semaine."),
                )
            if month < week:
                self.add_error(
                    "hours_per_month",
                    _("Les heures par mois ne peuvent être moins que les heures par semaine."),
                )
        benefits = data.get("benefits") or []
        if "aucun" in benefits and len(benefits) > 1:
            self.add_error(
                "benefits",
                _("« Aucun de ces avantages sociaux » ne peut être coché avec un autre avantage."),
            )
        return data
