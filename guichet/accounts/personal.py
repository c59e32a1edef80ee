"""« Renseignements personnels » (SPEC E9): the identity and international contact details of a
consultation profile, editable by its owner, copied into a dossier at submission."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import Sex
from guichet.audit.services import audit
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.forms import DateField, not_in_future
from guichet.core.identity import fold_name
from guichet.core.params import local_path

from . import selectors
from .access import current_user
from .models import PersonalProfile, Role
from .signals import identity_changed

PHONE_CODE = re.compile(r"^\d{1,4}$")
PHONE_NUMBER = re.compile(r"^\d{4,15}$")
PHONES = [
    ("home", gettext_lazy("Domicile")),
    ("mobile", gettext_lazy("Cellulaire")),
    ("work", gettext_lazy("Travail")),
]


class PersonalProfileForm(forms.ModelForm):
    # Identity: the profile's own values, or, for a person registered for the appointment
    # service, shown from their client record and not asked again (stored once).
    sex = forms.ChoiceField(label=gettext_lazy("Sexe"), widget=forms.RadioSelect)
    birth_date = DateField(label=gettext_lazy("Date de naissance"), validators=[not_in_future])

    class Meta:
        model = PersonalProfile
        fields = [
            "passport_last_name",
            "passport_first_name",
            "sex",
            "birth_date",
            "birth_city",
            "birth_country",
            "address_line1",
            "address_line2",
            "address_line3",
            "country",
            "province",
            "city",
            "postal_code",
            "home_phone_code",
            "home_phone",
            "mobile_phone_code",
            "mobile_phone",
            "work_phone_code",
            "work_phone",
            "work_phone_ext",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registered_client = self.instance.registered_client
        if self.registered_client is not None:
            del self.fields["sex"], self.fields["birth_date"]
        else:
            sex = self.fields["sex"]
            assert isinstance(sex, forms.ChoiceField)
            sex.choices = list(Sex.choices)
            self.initial.setdefault("sex", self.instance.own_sex)
            self.initial.setdefault("birth_date", self.instance.own_birth_date)
        for key, label in PHONES:
            code, number = f"{key}_phone_code", f"{key}_phone"
            self.fields[code].label = _("%(phone)s : indicatif international") % {"phone": label}
            self.fields[code].help_text = _("Chiffres seulement, par exemple 1 ou 33.")
            self.fields[number].label = _("%(phone)s : numéro de téléphone") % {"phone": label}
            self.fields[code].widget.attrs.update(inputmode="numeric", autocomplete="off")
            self.fields[number].widget.attrs.update(inputmode="tel")
        self.fields["work_phone_ext"].label = _("Travail : numéro de poste")
        self.fields["passport_last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["passport_first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["address_line1"].widget.attrs["autocomplete"] = "address-line1"
        self.fields["postal_code"].widget.attrs["autocomplete"] = "postal-code"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, _label in PHONES:
            code = re.sub(r"[\s+]", "", data.get(f"{key}_phone_code") or "")
            number = re.sub(r"[\s().-]", "", data.get(f"{key}_phone") or "")
            if code and not PHONE_CODE.match(code):
                self.add_error(f"{key}_phone_code", _("L'indicatif compte de 1 à 4 chiffres."))
            if number and not PHONE_NUMBER.match(number):
                self.add_error(f"{key}_phone", _("Le numéro compte de 4 à 15 chiffres."))
            elif number and not code:
                self.add_error(f"{key}_phone_code", _("Indiquez l'indicatif international."))
            data[f"{key}_phone_code"], data[f"{key}_phone"] = code, number
        if data.get("work_phone_ext") and not str(data["work_phone_ext"]).isdigit():
            self.add_error("work_phone_ext", _("Le numéro de poste ne contient que des chiffres."))
        if not any(data.get(f"{key}_phone") for key, _label in PHONES):
            self.add_error("home_phone", _("Indiquez au moins un numéro de téléphone."))
        return data

    def save(self, commit: bool = True) -> PersonalProfile:
        if self.registered_client is None:
            self.instance.own_sex = self.cleaned_data["sex"]
            self.instance.own_birth_date = self.cleaned_data["birth_date"]
        return super().save(commit=commit)

    def clean_passport_last_name(self) -> str:
        return " ".join(self.cleaned_data["passport_last_name"].split())

    def clean_passport_first_name(self) -> str:
        return " ".join(self.cleaned_data["passport_first_name"].split())


def _identity(profile: PersonalProfile) -> tuple[str, str, str, str]:
    return (
        fold_name(profile.passport_last_name),
        fold_name(profile.passport_first_name),
        str(profile.sex or ""),
        str(profile.birth_date or ""),
    )


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def personal_profile(request: HttpRequest) -> HttpResponse:
    """Create or change the personal information; the dossiers read it from here."""
    user = current_user(request)
    instance = selectors.personal_profile(user) or PersonalProfile(user=user)
    form = PersonalProfileForm(request.POST or None, instance=instance)
    before = _identity(instance) if instance.pk else None
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(actor_of(request), "profile.personal_updated", form.instance)
        if before is not None and _identity(form.instance) != before:
            identity_changed.send(sender=PersonalProfile, user=user)
        messages.success(request, _("Vos renseignements personnels ont été sauvegardés."))
        next_url = local_path(request.POST.get("next", ""))
        if next_url is not None:
            return HttpResponseRedirect(next_url)
        return redirect("accounts:personal_profile")
    return render(
        request,
        "accounts/personal_profile.html",
        {"form": form, "menu": "personal", "next": request.GET.get("next", "")},
    )
