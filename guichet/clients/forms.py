from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from guichet.accounts.forms import NO_PASTE_HINT, no_paste
from guichet.accounts.models import Sex
from guichet.core.forms import DateField, not_in_future, yes_no

from .fields import LocalityField
from .models import ImmigrationStatus, InformedBy, Schooling

POSTAL_CODE = re.compile(r"^([GHJ]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)$", re.IGNORECASE)


def normalize_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if not digits:
        return ""
    if len(digits) != 10:
        raise ValidationError(_("Saisissez un numéro de 10 chiffres, par exemple 514 999-9999."))
    return f"{digits[:3]} {digits[3:6]}-{digits[6:]}"


class PhoneField(forms.CharField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value: Any) -> str:
        return normalize_phone(super().clean(value))


class StatusForm(forms.Form):
    """Étape 1 — Statuts, permis et certificats."""

    status = forms.ModelChoiceField(
        label=_("Indiquez votre statut"),
        queryset=ImmigrationStatus.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    status_granted_on = DateField(
        label=_("Date d'octroi de votre statut actuel"), validators=[not_in_future]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].label_from_instance = lambda s: s.label  # type: ignore[attr-defined]


class IdentifierFieldsMixin(forms.Form):
    reference_number = forms.CharField(
        label=_("Numéro de référence individuel"),
        required=False,
        max_length=11,
        help_text=_("Ce numéro apparaît sur le Certificat de sélection du Québec."),
    )
    client_number = forms.CharField(
        label=_("Numéro de client rendez-vous"),
        required=False,
        max_length=5,
        help_text=_(
            "5 chiffres; il apparaît dans le courriel de confirmation d'inscription au Service."
        ),
    )
    cic_client_id = forms.CharField(
        label=_("Numéro d'identification du client CIC"),
        required=False,
        max_length=10,
        help_text=_(
            "8 ou 10 chiffres, sur le document délivré par Citoyenneté et Immigration Canada."
        ),
    )

    def clean_reference_number(self) -> str:
        value: str = self.cleaned_data["reference_number"].strip().upper()
        if value and not re.fullmatch(r"[A-Z0-9]{8,11}", value):
            raise ValidationError(
                _("Le numéro de référence individuel comporte de 8 à 11 lettres ou chiffres.")
            )
        return value

    def clean_client_number(self) -> str:
        value: str = self.cleaned_data["client_number"].strip()
        if value and not re.fullmatch(r"\d{5}", value):
            raise ValidationError(_("Le numéro de client rendez-vous comporte 5 chiffres."))
        return value

    def clean_cic_client_id(self) -> str:
        value: str = re.sub(r"[\s-]", "", self.cleaned_data["cic_client_id"])
        if value and not re.fullmatch(r"\d{8}|\d{10}", value):
            raise ValidationError(
                _("Le numéro d'identification du client CIC comporte 8 ou 10 chiffres.")
            )
        return value


class PersonFieldsMixin(forms.Form):
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    birth_date = DateField(label=_("Date de naissance"), validators=[not_in_future])
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)


class IdentityForm(PersonFieldsMixin, IdentifierFieldsMixin):
    """Étape 2 — Identité."""

    existing_client = yes_no(
        label=_("Avez-vous déjà un dossier client au Ministère?"),
    )
    email = forms.EmailField(label=_("Adresse électronique"))
    email_confirm = forms.EmailField(
        label=_("Confirmez l'adresse électronique"),
        help_text=NO_PASTE_HINT,
        widget=no_paste(forms.EmailInput(attrs={"autocomplete": "off"})),
    )
    field_order = [
        "existing_client",
        "last_name",
        "first_name",
        "birth_date",
        "sex",
        "reference_number",
        "client_number",
        "cic_client_id",
        "email",
        "email_confirm",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(
            data.get(f) for f in ("reference_number", "client_number", "cic_client_id")
        ) and not (
            self.errors.get("reference_number")
            or self.errors.get("client_number")
            or self.errors.get("cic_client_id")
        ):
            self.add_error(
                "reference_number",
                _(
                    "Vous devez saisir au moins l'un des trois champs suivants : numéro de "
                    "référence individuel, numéro de client rendez-vous ou numéro "
                    "d'identification du client CIC."
                ),
            )
        email, confirm = data.get("email"), data.get("email_confirm")
        if email and confirm and confirm.lower() != email.lower():
            self.add_error(
                "email_confirm", _("Les deux adresses électroniques ne sont pas identiques.")
            )
        return data


class ContactForm(forms.Form):
    """Étape 3 — Coordonnées (adresse de résidence au Québec)."""

    street_number = forms.CharField(label=_("Numéro"), max_length=10)
    street = forms.CharField(
        label=_("Rue"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    apartment = forms.CharField(label=_("App."), max_length=10, required=False)
    po_box = forms.CharField(label=_("Case et succursale postale"), max_length=60, required=False)
    locality = LocalityField(
        label=_("Ville"), help_text=_("Tapez les premières lettres, puis choisissez dans la liste.")
    )
    postal_code = forms.CharField(
        label=_("Code postal"),
        max_length=7,
        help_text=_("Format : A1A 1A1"),
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "autocapitalize": "characters"}
        ),
    )
    phone_home = PhoneField(
        label=_("Téléphone (résidence)"), help_text=_("10 chiffres, ex. : 514 999-9999")
    )
    phone_work = PhoneField(label=_("Téléphone (travail)"), required=False)
    phone_work_ext = forms.CharField(label=_("Poste"), max_length=6, required=False)
    phone_other = PhoneField(label=_("Téléphone (autre)"), required=False)

    def clean_postal_code(self) -> str:
        match = POSTAL_CODE.match(self.cleaned_data["postal_code"].strip())
        if match is None:
            raise ValidationError(
                _(
                    "Saisissez un code postal du Québec selon le format A1A 1A1, "
                    "par exemple G1J 2N7."
                )
            )
        return f"{match.group(1)} {match.group(2)}".upper()

    def clean_phone_work_ext(self) -> str:
        value: str = self.cleaned_data["phone_work_ext"].strip()
        if value and not value.isdigit():
            raise ValidationError(_("Le poste ne comporte que des chiffres."))
        return value


class ComplementaryForm(forms.Form):
    """Étape 4 — Information complémentaire."""

    french_sufficient = yes_no(
        label=_("Connaissance suffisante (niveau intermédiaire) du français parlé"),
    )
    informed_by = forms.ChoiceField(
        label=_("Comment avez-vous été informé sur l'immigration au Québec?"),
        choices=[("", _("Sélectionner")), *InformedBy.choices],
        required=False,
    )
    professional_domain = forms.CharField(
        label=_("Domaine d'activité professionnelle"), max_length=100, required=False
    )
    intended_profession = forms.CharField(
        label=_("Profession envisagée au Québec"), max_length=100, required=False
    )
    schooling = forms.ChoiceField(
        label=_("Nombre d'années de scolarité incluant les études primaires"),
        choices=[("", _("Sélectionner")), *Schooling.choices],
        required=False,
    )


class DeclarationForm(forms.Form):
    """Étape 5 — Déclaration."""

    accept = forms.BooleanField(
        label=_("J'accepte"),
        error_messages={
            "required": _("Vous devez cocher « J'accepte » pour poursuivre votre inscription.")
        },
    )


class StatusUpdateForm(StatusForm):
    """« Modifier statut, permis ou certificat » (seed 000 §5.3.1), with the French level."""

    french_sufficient = ComplementaryForm.base_fields["french_sufficient"]


class ContactUpdateForm(ContactForm):
    """« Modifier vos coordonnées » (seed 000 §6.3): the registration's address and numbers, with
    the country and correspondence address, the fax number, in the seed's order."""

    country = forms.ChoiceField(label=_("Pays"), choices=lambda: list(countries), initial="CA")
    correspondence_address = forms.CharField(
        label=_("Adresse de correspondance"),
        help_text=_(
            "Si le courrier doit vous être envoyé ailleurs qu'à votre adresse de résidence."
        ),
        max_length=150,
        required=False,
    )
    fax = PhoneField(label=_("Télécopieur"), required=False)
    field_order = ["country", "correspondence_address", *ContactForm.base_fields, "fax"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["po_box"].label = _("Case et succursale postales")


class ForgotUserCodeForm(PersonFieldsMixin):
    """« Code d'utilisateur oublié » (seed 000 §4.2)."""

    reference_number = IdentifierFieldsMixin.base_fields["reference_number"]
    client_number = IdentifierFieldsMixin.base_fields["client_number"]
    email = forms.EmailField(label=_("Adresse de courrier électronique (courriel)"), required=False)
    clean_reference_number = IdentifierFieldsMixin.clean_reference_number
    clean_client_number = IdentifierFieldsMixin.clean_client_number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not any(data.get(f) for f in ("reference_number", "client_number", "email"))
            and not self.errors
        ):
            self.add_error(
                None,
                _(
                    "Remplissez l'un des trois champs suivants : numéro de référence individuel, "
                    "numéro de client rendez-vous ou adresse de courrier électronique."
                ),
            )
        return data


class AuthorizationCodeForm(forms.Form):
    """« Créer son profil de consultation avec un code d'autorisation », sous-étape 1 de 2."""

    code = forms.CharField(
        label=_("Code d'autorisation"),
        max_length=20,
        help_text=_(
            "Vous avez reçu ce code par courriel dans le message « Créez votre profil de "
            "consultation »."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    birth_date = DateField(label=_("Date de naissance"))
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)


class AuthorizationReferenceForm(forms.Form):
    """Sous-étape 2 de 2, client existant: the individual reference number."""

    reference_number = forms.CharField(
        label=_("Numéro de référence individuel"),
        max_length=11,
        help_text=_(
            "Il apparaît sur le Certificat de sélection du Québec et dans le courriel "
            "« Confirmation d'inscription au Service en ligne de prise de rendez-vous »."
        ),
    )


class AuthorizationClientNumberForm(forms.Form):
    """Sous-étape 2 de 2, nouveau client: the appointment client number."""

    client_number = forms.CharField(
        label=_("Numéro de client rendez-vous"),
        max_length=5,
        help_text=_(
            "Il apparaît dans le courriel « Confirmation d'inscription au Service en ligne de "
            "prise de rendez-vous »."
        ),
    )


class LinkCodeForm(forms.Form):
    """The code sent to the address on the ministry record being linked."""

    code = forms.CharField(
        label=_("Code de confirmation"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
