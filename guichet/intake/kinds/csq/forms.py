"""The CSQ application's sections (Programme régulier des travailleurs qualifiés, seed 002:
« de façon générale, les renseignements demandés dans Mon projet Québec seront identiques aux
renseignements demandés dans le formulaire papier »), each a section of the dossier engine,
kept as typed and complete when it validates; children, diplomas, jobs and stays are the
engine's repeating groups; then the submission's re-authentication. The intake officers' forms
are in `officer_forms`."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from guichet.accounts.models import SecurityQuestion, Sex
from guichet.core.forms import DateField, not_in_future, yes_no
from guichet.dossiers.registry import SectionForm, required_when_shown

SELECT = [("", gettext_lazy("Sélectionner"))]
REQUIRED = {"required": gettext_lazy("Ce champ est obligatoire.")}
PASSPORT = re.compile(r"^[A-Z0-9]{6,12}$")
PHONE = re.compile(r"^\+?[0-9 ().-]{7,25}$")
# A job offer validated by the ministry carries the employer portal's offer number.
OFFER_NUMBER = re.compile(r"^A[0-9]{7}$")
SEXES = Sex.choices  # the accounts' one list (issue 32)
MARITAL = [
    ("celibataire", gettext_lazy("Célibataire")),
    ("marie", gettext_lazy("Marié ou mariée")),
    ("conjoint_fait", gettext_lazy("Conjoint ou conjointe de fait")),
    ("separe", gettext_lazy("Séparé ou séparée")),
    ("divorce", gettext_lazy("Divorcé ou divorcée")),
    ("veuf", gettext_lazy("Veuf ou veuve")),
]
WITH_SPOUSE = {"marie", "conjoint_fait"}
LEVELS = [
    ("secondaire_general", gettext_lazy("Secondaire général")),
    ("secondaire_professionnel", gettext_lazy("Secondaire professionnel")),
    ("postsecondaire_general", gettext_lazy("Postsecondaire général (2 ans)")),
    ("postsecondaire_technique", gettext_lazy("Postsecondaire technique (1 à 3 ans)")),
    ("universitaire_1", gettext_lazy("Universitaire de 1er cycle")),
    ("universitaire_2", gettext_lazy("Universitaire de 2e cycle")),
    ("universitaire_3", gettext_lazy("Universitaire de 3e cycle")),
]
FRENCH_TESTS = [
    ("tefaq", "TEFAQ"),
    ("tef_canada", "TEF Canada"),
    ("tcf_quebec", "TCF Québec"),
    ("tcf_canada", "TCF Canada"),
    ("delf", "DELF"),
    ("dalf", "DALF"),
    ("aucun", gettext_lazy("Aucun test")),
]
ENGLISH_TESTS = [
    ("ielts", gettext_lazy("IELTS (formation générale)")),
    ("celpip", "CELPIP-G"),
    ("aucun", gettext_lazy("Aucun test")),
]
CECR = [(v, v) for v in ("A1", "A2", "B1", "B2", "C1", "C2")]
SKILLS = ("co", "ce", "eo", "ee")
STAY_REASONS = [
    ("etudes", gettext_lazy("Études")),
    ("travail", gettext_lazy("Travail")),
    ("visite", gettext_lazy("Visite ou tourisme")),
    ("autre", gettext_lazy("Autre")),
]
RELATIONS = [
    ("parent", gettext_lazy("Père ou mère")),
    ("enfant", gettext_lazy("Fils ou fille")),
    ("frere_soeur", gettext_lazy("Frère ou sœur")),
    ("grand_parent", gettext_lazy("Grand-père ou grand-mère")),
    ("oncle_tante", gettext_lazy("Oncle ou tante")),
    ("autre", gettext_lazy("Autre")),
]
REPRESENTATIVES = [
    ("aucun", gettext_lazy("Je n'ai pas de représentant")),
    ("mandataire", gettext_lazy("Un mandataire (consultant en immigration)")),
    ("avocat", gettext_lazy("Une avocate ou un avocat")),
]
# A language test older than this is flagged for the agent (seed 002 FAQ 27).
TEST_VALIDITY = timedelta(days=2 * 365)


def _countries() -> list[tuple[str, str]]:
    return [*SELECT, *countries]


def _country(label: Any, **kw: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=_countries, error_messages=REQUIRED, **kw)


def _yes_no(label: Any) -> forms.ChoiceField:
    return yes_no(label, error_messages=REQUIRED)


def _date(label: Any, *, required: bool = True, past: bool = True) -> DateField:
    field = DateField(
        label=label,
        required=required,
        validators=[not_in_future] if past else [],
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy("Saisissez une date valide selon le format aaaa-mm-jj."),
        },
    )
    return field


def _text(label: Any, max_length: int = 100, *, required: bool = True, **kw: Any) -> Any:
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=REQUIRED, **kw
    )


def normalised_passport(value: str) -> str:
    return "".join(value.split()).upper()


class Section(SectionForm):
    required_mark = ""

    def _need(self, data: dict[str, Any], *names: str) -> None:
        for name in names:
            if data.get(name) in (None, "", []):
                self.add_error(name, _("Ce champ est obligatoire."))

    def _details(
        self, data: dict[str, Any], names: tuple[str, ...], coded: str, pattern: Any, message: str
    ) -> None:
        """The details an answer « Oui » asks for, and the format of the one holding a code
        (typed with spaces or in lower case, it is read without them, in capitals)."""
        self._need(data, *names)
        value = "".join(str(data.get(coded) or "").split()).upper()
        if value and not pattern.match(value):
            self.add_error(coded, message)


# --- 1. Requérant principal ------------------------------------------------------------------


def _latin_name(value: str) -> None:
    """Names as in the passport's machine-readable zone: Latin letters (accents allowed),
    spaces, hyphens and apostrophes. A letter of another script that looks Latin (a Cyrillic
    « \u0435 ») is refused, not kept."""
    for char in unicodedata.normalize("NFC", value):
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN "):
            raise ValidationError(
                _(
                    "Écrivez le nom en lettres latines, comme dans la zone de lecture automatique "
                    "du passeport (le caractère « %(char)s » n'en est pas une)."
                )
                % {"char": char}
            )
        if not (char.isalpha() or char in " -'\u2019."):
            raise ValidationError(
                _(
                    "Le nom ne contient que des lettres, des espaces, des traits d'union et "
                    "des apostrophes."
                )
            )


class PrincipalForm(Section):
    last_name = _text(
        gettext_lazy("Nom de famille (comme dans le passeport)"), validators=[_latin_name]
    )
    first_name = _text(gettext_lazy("Prénom (comme dans le passeport)"), validators=[_latin_name])
    sex = forms.ChoiceField(
        label=gettext_lazy("Sexe"), choices=SEXES, widget=forms.RadioSelect, error_messages=REQUIRED
    )
    birth_date = _date(gettext_lazy("Date de naissance"))
    birth_country = _country(gettext_lazy("Pays de naissance"))
    citizenship = _country(gettext_lazy("Pays de citoyenneté"))
    passport_number = _text(gettext_lazy("Numéro du passeport"), 12)
    passport_country = _country(gettext_lazy("Pays de délivrance du passeport"))
    passport_expiry = _date(gettext_lazy("Date d'expiration du passeport"), past=False)
    email = forms.EmailField(
        label=gettext_lazy("Adresse courriel"),
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy("Saisissez une adresse courriel valide."),
        },
    )
    phone = _text(gettext_lazy("Numéro de téléphone"), 25)
    address = _text(gettext_lazy("Adresse de résidence"), 150)
    city = _text(gettext_lazy("Ville"))
    country = _country(gettext_lazy("Pays de résidence"))
    postal_code = _text(gettext_lazy("Code postal"), 12, required=False)
    marital_status = forms.ChoiceField(
        label=gettext_lazy("État matrimonial"),
        choices=[*SELECT, *MARITAL],
        error_messages=REQUIRED,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["passport_number"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")

    def clean_passport_number(self) -> str:
        value = normalised_passport(self.cleaned_data["passport_number"])
        if not PASSPORT.match(value):
            raise ValidationError(_("Le numéro du passeport compte de 6 à 12 lettres ou chiffres."))
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        if not PHONE.match(value):
            raise ValidationError(_("Saisissez un numéro de téléphone valide."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born, expiry = data.get("birth_date"), data.get("passport_expiry")
        if born and born > timezone.localdate() - timedelta(days=18 * 365 + 4):
            self.add_error("birth_date", _("Le requérant principal doit avoir au moins 18 ans."))
        if expiry and expiry < timezone.localdate():
            self.add_error("passport_expiry", _("Votre passeport est expiré."))
        return data


# --- 2. Époux ou conjoint de fait ------------------------------------------------------------


class SpouseForm(Section):
    has_spouse = _yes_no(gettext_lazy("Avez-vous un époux, une épouse ou un conjoint de fait ?"))
    last_name = required_when_shown(
        _text(gettext_lazy("Nom de famille du conjoint"), required=False)
    )
    first_name = required_when_shown(_text(gettext_lazy("Prénom du conjoint"), required=False))
    sex = required_when_shown(
        forms.ChoiceField(
            label=gettext_lazy("Sexe du conjoint"),
            choices=SEXES,
            widget=forms.RadioSelect,
            required=False,
        )
    )
    birth_date = required_when_shown(
        _date(gettext_lazy("Date de naissance du conjoint"), required=False)
    )
    citizenship = required_when_shown(
        _country(gettext_lazy("Pays de citoyenneté du conjoint"), required=False)
    )
    passport_number = required_when_shown(
        _text(gettext_lazy("Numéro du passeport du conjoint"), 12, required=False)
    )
    accompanies = required_when_shown(
        yes_no(gettext_lazy("Votre conjoint vous accompagnera-t-il au Québec ?"), required=False)
    )

    DETAILS = (
        "last_name",
        "first_name",
        "sex",
        "birth_date",
        "citizenship",
        "passport_number",
        "accompanies",
    )

    def relevant_fields(self) -> list[str]:
        return ["has_spouse", *(self.DETAILS if self.typed("has_spouse") == "oui" else ())]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("has_spouse") == "oui":
            self._details(
                data,
                self.DETAILS,
                "passport_number",
                PASSPORT,
                _("Le numéro du passeport compte de 6 à 12 lettres ou chiffres."),
            )
        return data


# --- 3. Enfants à charge ---------------------------------------------------------------------


class ChildrenForm(Section):
    has_children = _yes_no(gettext_lazy("Avez-vous des enfants à charge ?"))


class ChildForm(Section):
    last_name = _text(gettext_lazy("Nom de famille"))
    first_name = _text(gettext_lazy("Prénom"))
    sex = forms.ChoiceField(
        label=gettext_lazy("Sexe"), choices=SEXES, widget=forms.RadioSelect, error_messages=REQUIRED
    )
    birth_date = _date(gettext_lazy("Date de naissance"))
    citizenship = _country(gettext_lazy("Pays de citoyenneté"))
    accompanies = _yes_no(gettext_lazy("Cet enfant vous accompagnera-t-il au Québec ?"))


# --- 4. Scolarité ----------------------------------------------------------------------------


class EducationForm(Section):
    years_of_schooling = forms.IntegerField(
        label=gettext_lazy("Nombre total d'années de scolarité à temps plein"),
        min_value=0,
        max_value=30,
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy("Saisissez un nombre entier."),
            "min_value": gettext_lazy("Saisissez un nombre de 0 à 30."),
            "max_value": gettext_lazy("Saisissez un nombre de 0 à 30."),
        },
    )


class DiplomaForm(Section):
    title = _text(gettext_lazy("Diplôme obtenu"), 150)
    level = forms.ChoiceField(
        label=gettext_lazy("Niveau"), choices=[*SELECT, *LEVELS], error_messages=REQUIRED
    )
    field_of_study = _text(gettext_lazy("Domaine de formation"), 150)
    institution = _text(gettext_lazy("Établissement d'enseignement"), 150)
    country = _country(gettext_lazy("Pays"))
    obtained_on = _date(gettext_lazy("Date d'obtention"))


# --- 5. Expérience professionnelle -----------------------------------------------------------


class ExperienceForm(Section):
    has_experience = _yes_no(
        gettext_lazy("Avez-vous travaillé au cours des cinq dernières années ?")
    )


class JobForm(Section):
    title = _text(gettext_lazy("Titre de l'emploi"), 150)
    employer = _text(gettext_lazy("Nom de l'employeur"), 150)
    country = _country(gettext_lazy("Pays"))
    started_on = _date(gettext_lazy("Date de début"))
    ended_on = _date(
        gettext_lazy("Date de fin (vide si vous occupez toujours cet emploi)"), required=False
    )
    hours_per_week = forms.IntegerField(
        label=gettext_lazy("Heures par semaine"),
        min_value=1,
        max_value=80,
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy("Saisissez un nombre entier."),
            "min_value": gettext_lazy("Saisissez un nombre de 1 à 80."),
            "max_value": gettext_lazy("Saisissez un nombre de 1 à 80."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("La date de fin suit la date de début."))
        return data


# --- 6. Connaissances linguistiques ----------------------------------------------------------


def _skill(label: Any) -> forms.ChoiceField:
    return required_when_shown(
        forms.ChoiceField(label=label, choices=[*SELECT, *CECR], required=False)
    )


class LanguagesForm(Section):
    french_test = forms.ChoiceField(
        label=gettext_lazy("Test de français"),
        choices=[*SELECT, *FRENCH_TESTS],
        error_messages=REQUIRED,
    )
    french_date = required_when_shown(
        _date(gettext_lazy("Date du test de français"), required=False)
    )
    french_co = _skill(gettext_lazy("Français : compréhension orale"))
    french_ce = _skill(gettext_lazy("Français : compréhension écrite"))
    french_eo = _skill(gettext_lazy("Français : production orale"))
    french_ee = _skill(gettext_lazy("Français : production écrite"))
    english_test = forms.ChoiceField(
        label=gettext_lazy("Test d'anglais"),
        choices=[*SELECT, *ENGLISH_TESTS],
        error_messages=REQUIRED,
    )
    english_date = required_when_shown(
        _date(gettext_lazy("Date du test d'anglais"), required=False)
    )
    english_co = _skill(gettext_lazy("Anglais : compréhension orale"))
    english_ce = _skill(gettext_lazy("Anglais : compréhension écrite"))
    english_eo = _skill(gettext_lazy("Anglais : production orale"))
    english_ee = _skill(gettext_lazy("Anglais : production écrite"))

    def _language_fields(self, language: str) -> list[str]:
        if self.typed(f"{language}_test") in (None, "", "aucun"):
            return [f"{language}_test"]
        return [f"{language}_test", f"{language}_date", *(f"{language}_{c}" for c in SKILLS)]

    def relevant_fields(self) -> list[str]:
        return [*self._language_fields("french"), *self._language_fields("english")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for language in ("french", "english"):
            if data.get(f"{language}_test") not in (None, "", "aucun"):
                self._need(data, f"{language}_date", *(f"{language}_{c}" for c in SKILLS))
        return data


def old_tests(raw: dict[str, Any] | None, *, today: date | None = None) -> list[str]:
    """The languages whose test was taken more than two years ago (flagged, not refused: seed
    002 FAQ 27 accepts some older tests)."""
    today = today or timezone.localdate()
    old = []
    for language in ("french", "english"):
        typed = str((raw or {}).get(f"{language}_date") or "")
        try:
            taken = date.fromisoformat(typed)
        except ValueError:
            continue
        if (raw or {}).get(f"{language}_test") not in (
            "",
            "aucun",
        ) and taken < today - TEST_VALIDITY:
            old.append(language)
    return old


# --- 7. Séjours et famille au Québec ---------------------------------------------------------


class QuebecForm(Section):
    temporary_resident = _yes_no(
        gettext_lazy(
            "Êtes-vous résident temporaire au Québec et autorisé à présenter une demande de "
            "certificat de sélection du Québec ?"
        )
    )
    permit_number = required_when_shown(
        _text(
            gettext_lazy("Numéro du permis de séjour temporaire (travail ou études)"),
            20,
            required=False,
            help_text=gettext_lazy("Tel qu'il figure sur votre permis, par exemple U123456789."),
        )
    )
    permit_expiry = required_when_shown(
        _date(gettext_lazy("Date d'expiration du permis"), required=False, past=False)
    )
    has_stayed = _yes_no(gettext_lazy("Avez-vous déjà séjourné au Québec ?"))
    has_family = _yes_no(gettext_lazy("Avez-vous de la famille au Québec ?"))
    family_relation = required_when_shown(
        forms.ChoiceField(
            label=gettext_lazy("Lien de parenté"), choices=[*SELECT, *RELATIONS], required=False
        )
    )
    family_city = required_when_shown(
        _text(gettext_lazy("Ville de résidence de ce membre de la famille"), required=False)
    )

    def relevant_fields(self) -> list[str]:
        names = ["temporary_resident"]
        if self.typed("temporary_resident") == "oui":
            names += ["permit_number", "permit_expiry"]
        names += ["has_stayed", "has_family"]
        if self.typed("has_family") == "oui":
            names += ["family_relation", "family_city"]
        return names

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("has_family") == "oui":
            self._need(data, "family_relation", "family_city")
        if data.get("temporary_resident") == "oui":
            self._need(data, "permit_number", "permit_expiry")
            expiry = data.get("permit_expiry")
            if expiry and expiry < timezone.localdate():
                self.add_error("permit_expiry", _("Votre permis est expiré."))
        return data


class StayForm(Section):
    started_on = _date(gettext_lazy("Date d'arrivée"))
    ended_on = _date(gettext_lazy("Date de départ"))
    reason = forms.ChoiceField(
        label=gettext_lazy("Motif du séjour"),
        choices=[*SELECT, *STAY_REASONS],
        error_messages=REQUIRED,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("La date de départ suit la date d'arrivée."))
        return data


# --- 8. Offre d'emploi validée ---------------------------------------------------------------


class JobOfferForm(Section):
    has_offer = _yes_no(gettext_lazy("Avez-vous une offre d'emploi validée par le Ministère ?"))
    offer_number = required_when_shown(
        _text(
            gettext_lazy("Numéro de l'offre d'emploi"),
            8,
            required=False,
            help_text=gettext_lazy("La lettre A suivie de 7 chiffres, par exemple A0000123."),
        )
    )
    employer = required_when_shown(_text(gettext_lazy("Nom de l'employeur"), 150, required=False))
    job_title = required_when_shown(_text(gettext_lazy("Titre de l'emploi"), 150, required=False))
    city = required_when_shown(_text(gettext_lazy("Ville de l'emploi"), required=False))

    DETAILS = ("offer_number", "employer", "job_title", "city")

    def relevant_fields(self) -> list[str]:
        return ["has_offer", *(self.DETAILS if self.typed("has_offer") == "oui" else ())]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("has_offer") == "oui":
            self._details(
                data,
                self.DETAILS,
                "offer_number",
                OFFER_NUMBER,
                _("Le numéro de l'offre compte la lettre A suivie de 7 chiffres."),
            )
        return data


# --- 9. Autonomie financière -----------------------------------------------------------------


class FinancesForm(Section):
    available_funds = forms.IntegerField(
        label=gettext_lazy("Montant dont vous disposez pour vous installer au Québec ($ CA)"),
        min_value=0,
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy("Saisissez un montant en dollars, sans décimales."),
            "min_value": gettext_lazy("Le montant ne peut pas être négatif."),
        },
    )
    commitment = forms.BooleanField(
        label=gettext_lazy(
            "Je m'engage à subvenir à mes besoins et à ceux des membres de ma famille qui "
            "m'accompagnent pendant les trois premiers mois suivant notre arrivée au Québec "
            "(contrat d'autonomie financière)."
        ),
        error_messages={"required": gettext_lazy("Cochez cette case pour signer le contrat.")},
    )


# --- 10. Représentant ------------------------------------------------------------------------


class RepresentativeForm(Section):
    kind = forms.ChoiceField(
        label=gettext_lazy("Faites-vous affaire avec un représentant ?"),
        choices=REPRESENTATIVES,
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    last_name = required_when_shown(
        _text(gettext_lazy("Nom de famille du représentant"), required=False)
    )
    first_name = required_when_shown(_text(gettext_lazy("Prénom du représentant"), required=False))
    member_number = required_when_shown(
        _text(
            gettext_lazy("Numéro de membre (Barreau du Québec ou registre des consultants)"),
            30,
            required=False,
        )
    )
    email = required_when_shown(
        forms.EmailField(
            label=gettext_lazy("Adresse courriel du représentant"),
            required=False,
            error_messages={"invalid": gettext_lazy("Saisissez une adresse courriel valide.")},
        )
    )
    signs = required_when_shown(
        yes_no(
            gettext_lazy(
                "Votre représentant signera-t-il la demande en votre nom au moment de la "
                "soumission ?"
            ),
            required=False,
        )
    )

    DETAILS = ("last_name", "first_name", "member_number", "email", "signs")

    def relevant_fields(self) -> list[str]:
        return ["kind", *(self.DETAILS if self.typed("kind") not in (None, "", "aucun") else ())]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") not in (None, "", "aucun"):
            self._need(data, *self.DETAILS)
        return data


# --- 11. Déclaration -------------------------------------------------------------------------


class DeclarationForm(Section):
    accurate = forms.BooleanField(
        label=gettext_lazy(
            "Je déclare que les renseignements fournis dans cette demande sont exacts et complets."
        ),
        error_messages={"required": gettext_lazy("Cochez cette case pour continuer.")},
    )
    consequences = forms.BooleanField(
        label=gettext_lazy(
            "Je comprends qu'une fausse déclaration peut entraîner le rejet de ma demande ou "
            "l'annulation de mon certificat de sélection."
        ),
        error_messages={"required": gettext_lazy("Cochez cette case pour continuer.")},
    )
    verification = forms.BooleanField(
        label=gettext_lazy(
            "J'autorise le Ministère à vérifier les renseignements et les documents fournis."
        ),
        error_messages={"required": gettext_lazy("Cochez cette case pour continuer.")},
    )


# --- Submission ------------------------------------------------------------------------------


class SubmitForm(forms.Form):
    """« Soumettre »: the user code, the password and the answers to the security questions
    again (seed 002: « tous ces renseignements seront demandés lors de la soumission »), and
    the representative's box when they sign."""

    user_code = forms.CharField(
        label=gettext_lazy("Code d'utilisateur"),
        max_length=150,
        error_messages={"required": gettext_lazy("Inscrivez votre code d'utilisateur.")},
    )
    password = forms.CharField(
        label=gettext_lazy("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("Inscrivez votre mot de passe.")},
    )

    def __init__(
        self,
        *args: Any,
        questions: list[str],
        representative: bool,
        verification: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if verification:
            self.fields["message"] = forms.CharField(
                label=gettext_lazy("Message à l'agent (facultatif)"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=gettext_lazy(
                    "Ce qui aidera l'agent à vérifier votre offre d'emploi ou votre permis."
                ),
            )
        self.fields["user_code"].widget.attrs.update(
            autocomplete="username", spellcheck="false", autocapitalize="none"
        )
        labels = dict(SecurityQuestion.choices)
        self.questions = questions
        for position, question in enumerate(questions, start=1):
            self.fields[f"answer_{position}"] = forms.CharField(
                label=labels.get(question, question),
                strip=False,
                max_length=100,
                widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
                error_messages={
                    "required": gettext_lazy("Inscrivez la réponse à votre question de sécurité.")
                },
            )
        if representative:
            self.fields["representative_signature"] = forms.BooleanField(
                label=gettext_lazy(
                    "Je suis l'avocate, l'avocat ou le mandataire au dossier et je signe la "
                    "demande au nom du candidat."
                ),
                error_messages={
                    "required": gettext_lazy("Cochez la case de signature du représentant.")
                },
            )

    def answers(self) -> dict[str, str]:
        return {
            question: self.cleaned_data.get(f"answer_{position}", "")
            for position, question in enumerate(self.questions, start=1)
        }
