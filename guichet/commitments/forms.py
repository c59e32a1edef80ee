"""Staff forms of the service commitments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

REQUIRED = {"required": gettext_lazy("Ce champ est obligatoire.")}


class ClosureDayForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Date"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("aaaa-mm-jj"),
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy("Saisissez une date selon le format aaaa-mm-jj."),
        },
    )
    reason_fr = forms.CharField(
        label=gettext_lazy("Motif (français)"), max_length=200, error_messages=REQUIRED
    )
    reason_en = forms.CharField(
        label=gettext_lazy("Motif (anglais)"), max_length=200, error_messages=REQUIRED
    )
