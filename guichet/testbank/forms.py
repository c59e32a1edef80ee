from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _


def luhn(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


class CardForm(forms.Form):
    """The bank's card form. Nothing typed here is stored but the last four digits."""

    number = forms.CharField(
        label=_("Numéro de carte"),
        max_length=23,
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    expiry = forms.CharField(
        label=_("Date d'expiration (MM/AA)"),
        max_length=5,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "inputmode": "numeric"}),
    )
    cvc = forms.CharField(
        label=_("Code de sécurité (CVC)"),
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )
    name = forms.CharField(
        label=_("Nom du titulaire de la carte"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "cc-name"}),
    )

    def clean_number(self) -> str:
        digits = re.sub(r"[\s-]", "", self.cleaned_data["number"])
        if not digits.isdigit() or not 13 <= len(digits) <= 19 or not luhn(digits):
            raise forms.ValidationError(_("Ce numéro de carte n'est pas valide."))
        return digits

    def clean_expiry(self) -> str:
        value = self.cleaned_data["expiry"].strip()
        match = re.fullmatch(r"(0[1-9]|1[0-2])/?(\d{2})", value)
        if match is None:
            raise forms.ValidationError(_("Saisissez la date sous la forme MM/AA."))
        month, year = int(match.group(1)), 2000 + int(match.group(2))
        today = date.today()
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError(_("Cette carte est expirée."))
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvc(self) -> str:
        value = self.cleaned_data["cvc"].strip()
        if not re.fullmatch(r"\d{3,4}", value):
            raise forms.ValidationError(_("Le code de sécurité compte 3 ou 4 chiffres."))
        return value
