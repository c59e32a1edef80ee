"""Forms of the employers' portal, with the seed's wording (004 §II-III)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guichet.accounts import services as accounts
from guichet.accounts.forms import QUESTION_CHOICES, no_paste
from guichet.accounts.models import SecurityQuestion, User
from guichet.accounts.policies import policy_for
from guichet.core.forms import DateField, yes_no

from .models import Portal


class Obligatoire:
    """CléGC screens mark required fields « (obligatoire) »."""

    required_mark = _("obligatoire")


class Requis:
    """Portal screens mark them « (requis) »."""

    required_mark = _("requis")


class UsernameForm(Obligatoire, forms.Form):
    """« Créer votre nom d'utilisateur »."""

    username = forms.CharField(
        label=_("Créez votre nom d'utilisateur :"),
        max_length=64,  # longer than 16 is refused by the policy, with its own message
        help_text=_("8 à 16 caractères comprenant lettres et chiffres (aucun caractère spécial)."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )

    revealed_existing = False

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        policy_for("employer").validate_user_code(username)
        if accounts.user_code_exists(username):
            self.revealed_existing = True
            raise ValidationError(
                _("Ce nom d'utilisateur est déjà utilisé. Choisissez-en un autre.")
            )
        return username


class PasswordForm(Obligatoire, forms.Form):
    """« Créer votre mot de passe »."""

    password = forms.CharField(
        label=_("Créez votre mot de passe :"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Confirmez votre mot de passe :"),
        strip=False,
        widget=no_paste(forms.PasswordInput(attrs={"autocomplete": "new-password"})),
    )

    def __init__(self, *args: Any, username: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.username = username
        self.fields["password"].help_text = policy_for("employer").help_text()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            try:
                policy_for("employer").validate_password(password, self.username)
            except ValidationError as error:
                self.add_error("password", error)
            confirm = data.get("password_confirm")
            if confirm and confirm != password:
                self.add_error(
                    "password_confirm", _("Les deux mots de passe ne sont pas identiques.")
                )
        return data


class RecoveryForm(Obligatoire, forms.Form):
    """« Créer vos questions, réponses et indices »: « Veillez créer vos 3 questions de
    récupération, réponses et indices »."""

    COUNT = 3

    memorable_person = forms.CharField(label=_("Ma personne mémorable :"), max_length=100)
    memorable_person_hint = forms.CharField(
        label=_("Mon indice au sujet de ma personne mémorable :"), max_length=100, required=False
    )
    memorable_date = DateField(label=_("Ma date mémorable (AAAA-MM-JJ) :"))
    memorable_date_hint = forms.CharField(
        label=_("Mon indice au sujet de ma date mémorable :"), max_length=100, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions: dict[str, forms.Field] = {}
        for n in range(1, self.COUNT + 1):
            questions[f"question_{n}"] = forms.ChoiceField(
                label=_("Sélectionnez la question de récupération %(n)d :") % {"n": n},
                choices=QUESTION_CHOICES,
            )
            questions[f"answer_{n}"] = forms.CharField(
                label=_("Ma réponse de récupération %(n)d :") % {"n": n},
                max_length=100,
                strip=False,
            )
        # The questions come first, as on the seed's screen.
        self.fields = {**questions, **self.fields}

    def answers(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data[f"question_{n}"], data[f"answer_{n}"]) for n in range(1, self.COUNT + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[str] = set()
        for n in range(1, self.COUNT + 1):
            question = data.get(f"question_{n}")
            if question and question in seen:
                self.add_error(f"question_{n}", _("Choisissez trois questions différentes."))
            if question:
                seen.add(question)
        answers = [(data.get(f"answer_{n}") or "").strip().casefold() for n in (1, 2, 3)]
        person = data.get("memorable_person") or ""
        hint = (data.get("memorable_person_hint") or "").casefold()
        if person and hint and person.casefold() in hint:
            self.add_error("memorable_person_hint", _("L'indice ne doit pas contenir la réponse."))
        date_hint = data.get("memorable_date_hint") or ""
        memorable = data.get("memorable_date")
        if memorable and memorable.isoformat() in date_hint:
            self.add_error("memorable_date_hint", _("L'indice ne doit pas contenir la réponse."))
        if person and person.strip().casefold() in answers:
            self.add_error(
                "memorable_person",
                _(
                    "Votre personne mémorable doit être différente de votre réponse de "
                    "récupération."
                ),
            )
        return data


class GckeyLoginUsernameForm(forms.Form):
    """« Vous avez oublié votre mot de passe? », first screen."""

    username = forms.CharField(label=_("Nom d'utilisateur :"), max_length=16)


class RecoveryAnswerForm(Obligatoire, forms.Form):
    """First the recovery question alone: the hints come only after its right answer, so a
    user name typed reveals nothing of its holder."""

    answer = forms.CharField(label=_("Ma réponse de récupération :"), max_length=100, strip=False)

    def __init__(self, *args: Any, question: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = SecurityQuestion(question).label
        self.fields["answer"].help_text = _(
            "Écrivez la réponse de façon identique (majuscules, espaces, etc.)."
        )


class MemorableForm(Obligatoire, forms.Form):
    memorable_person = forms.CharField(label=_("Ma personne mémorable :"), max_length=100)
    memorable_date = DateField(label=_("Ma date mémorable (AAAA-MM-JJ) :"))


# --- Portal registration -------------------------------------------------------------------------


class PinForm(Requis, forms.Form):
    pin = forms.CharField(
        label=_("Numéro d'identification personnel (NIP)"),
        max_length=20,
        help_text=_("Le NIP fourni par l'utilisateur principal de votre entreprise."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class PortalForm(Requis, forms.Form):
    portal = forms.ChoiceField(
        label=_("Dans quel portail désirez-vous vous inscrire?"),
        choices=[("", _("S'il vous plaît sélectionner")), *Portal.choices],
    )

    def clean_portal(self) -> str:
        portal: str = self.cleaned_data["portal"]
        if portal != Portal.EMPLOYERS:
            raise ValidationError(
                _(
                    "Ce portail n'est pas offert par le Guichet. Seul le Portail des employeurs "
                    "est offert ici."
                )
            )
        return portal


class FourQuestionsForm(Requis, forms.Form):
    """« Créer vos questions de sécurité — Établir des questions et réponses »."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, 5):
            self.fields[f"question_{n}"] = forms.ChoiceField(
                label=_("Question de sécurité %(n)d") % {"n": n}, choices=QUESTION_CHOICES
            )
            self.fields[f"answer_{n}"] = forms.CharField(
                label=_("Réponse %(n)d") % {"n": n}, max_length=100, strip=False
            )
        self.fields["answer_1"].help_text = _(
            "Vous répondrez à l'une de ces questions à chaque ouverture de session : écrivez "
            "vos réponses de façon identique (majuscules, espaces, etc.)."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[str] = set()
        for n in range(1, 5):
            question = data.get(f"question_{n}")
            if question and question in seen:
                self.add_error(f"question_{n}", _("Choisissez quatre questions différentes."))
            if question:
                seen.add(question)
        return data

    def answers(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"question_{n}"], self.cleaned_data[f"answer_{n}"])
            for n in range(1, 5)
        ]


PHONE = re.compile(r"^\+?[0-9 ().-]{7,25}$")


def _phone(value: str) -> None:
    if value and (not PHONE.match(value) or sum(c.isdigit() for c in value) < 7):
        raise ValidationError(
            _("Saisissez un numéro de téléphone valide (chiffres, espaces, tirets, parenthèses).")
        )


class ContactForm(Requis, forms.Form):
    """« Coordonnées de l'utilisateur »."""

    last_name = forms.CharField(label=_("Nom(s)"), max_length=100)
    first_name = forms.CharField(label=_("Prénom(s)"), max_length=100)
    job_title = forms.CharField(label=_("Désignation de l'emploi"), max_length=100)
    phone = forms.CharField(
        label=_("Numéro de téléphone"),
        max_length=25,
        validators=[_phone],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    fax = forms.CharField(
        label=_("Numéro de télécopieur"),
        max_length=25,
        required=False,
        validators=[_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Le Ministère vous écrira à cette adresse au sujet de votre inscription."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, user_id: int, pin_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_id = user_id
        self.pin_email = pin_email

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if self.pin_email and email.lower() != self.pin_email.lower():
            raise ValidationError(
                _("Utilisez l'adresse électronique pour laquelle votre NIP a été émis.")
            )
        if User.objects.filter(email__iexact=email).exclude(pk=self.user_id).exists():
            raise ValidationError(_("Un compte existe déjà pour cette adresse électronique."))
        return email


NINE_DIGITS = re.compile(r"^[0-9]{9}$")


class CompanyForm(Requis, forms.Form):
    """« Renseignements sur l'entreprise »."""

    legal_name = forms.CharField(
        label=_("Dénomination sociale de l'entreprise"),
        max_length=200,
        help_text=_("Le nom légal de l'entreprise, tel qu'il figure à son acte constitutif."),
    )
    operating_name = forms.CharField(
        label=_("Nom commercial de l'entreprise"),
        max_length=200,
        help_text=_("Le nom sous lequel l'entreprise exerce ses activités."),
    )
    is_canadian = yes_no(
        label=_("S'agit-il d'une entreprise canadienne?"),
    )
    business_number = forms.CharField(
        label=_("Numéro d'entreprise attribué par l'Agence du Revenu du Canada"),
        max_length=20,
        help_text=_(
            "Si vous n'avez pas de numéro de l'Agence du Revenu du Canada (ARC), saisissez les "
            "9 premiers chiffres de votre numéro d'entreprise du Québec (NEQ)."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    business_number_confirm = forms.CharField(
        label=_(
            "Veuillez saisir de nouveau le numéro d'entreprise attribué par l'Agence du Revenu "
            "du Canada"
        ),
        max_length=20,
        widget=no_paste(forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})),
    )

    def clean_business_number(self) -> str:
        number = "".join(self.cleaned_data["business_number"].split())
        if not NINE_DIGITS.match(number):
            raise ValidationError(_("Le numéro d'entreprise doit comporter exactement 9 chiffres."))
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("business_number")
        confirm = "".join((data.get("business_number_confirm") or "").split())
        if number and confirm and confirm != number:
            self.add_error(
                "business_number_confirm",
                _("Les deux numéros d'entreprise ne sont pas identiques."),
            )
        return data


class SignatureForm(Requis, forms.Form):
    """« Votre déclaration solennelle et votre signature électronique »."""

    # The answer's label when no question is asked, and its hint.
    fallback_question = _("Question de sécurité CléGC")
    answer_hint = _("La réponse à votre question de sécurité CléGC, écrite de façon identique.")

    accept = forms.BooleanField(
        label=_("J'accepte"),
        error_messages={"required": _("Vous devez accepter la déclaration pour la signer.")},
    )
    first_name = forms.CharField(label=_("Prénom(s)"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Nom(s)"), max_length=100)
    security_answer = forms.CharField(max_length=100, strip=False)

    def __init__(self, *args: Any, question: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        answer = self.fields["security_answer"]
        answer.label = SecurityQuestion(question).label if question else self.fallback_question
        answer.help_text = self.answer_hint
        answer.widget.attrs["autocomplete"] = "off"


class IssuePinForm(Requis, forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne"),
        help_text=_("Elle devra inscrire cette adresse en s'inscrivant avec le NIP."),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfferSearchForm(forms.Form):
    """« Recherche » of « Liste d'offres d'emploi »."""

    travailleur = forms.CharField(
        label=_("Nom du travailleur étranger"), max_length=100, required=False
    )
    numero = forms.CharField(label=_("Numéro de l'offre d'emploi"), max_length=10, required=False)


class OfferSignatureForm(SignatureForm):
    """« Déclaration de l'employeur » and « Signature »: J'accepte, the names, the answer to one
    of the portal's security questions."""

    fallback_question = _("Question de sécurité portail des employeurs")
    answer_hint = _(
        "Question de sécurité portail des employeurs : la réponse, écrite de façon identique."
    )


class OfficerMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message à l'entreprise"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class InspectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'inspection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
