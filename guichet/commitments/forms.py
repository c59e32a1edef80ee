"""Staff forms of the service commitments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from guichet.core.forms import DateField

from .models import SuspensionReason

REQUIRED = {"required": gettext_lazy("Ce champ est obligatoire.")}
DATE_ERRORS = {
    **REQUIRED,
    "invalid": gettext_lazy("Saisissez une date selon le format aaaa-mm-jj."),
}


class ClosureDayForm(forms.Form):
    day = DateField(label=gettext_lazy("Date"), error_messages=DATE_ERRORS)
    reason_fr = forms.CharField(
        label=gettext_lazy("Motif (français)"), max_length=200, error_messages=REQUIRED
    )
    reason_en = forms.CharField(
        label=gettext_lazy("Motif (anglais)"), max_length=200, error_messages=REQUIRED
    )


class ReportPeriodForm(forms.Form):
    """« Du … au … »: a report's period (at most five years; each date within the bounds every
    date field keeps)."""

    du = DateField(label=gettext_lazy("Du"), error_messages=DATE_ERRORS)
    au = DateField(label=gettext_lazy("Au"), error_messages=DATE_ERRORS)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        first, last = data.get("du"), data.get("au")
        if first and last:
            if last < first:
                self.add_error("au", gettext_lazy("La fin doit suivre le début."))
            elif (last - first).days > 5 * 366:
                self.add_error("au", gettext_lazy("Choisissez une période d'au plus cinq ans."))
        return data


class SuspensionForm(forms.Form):
    """« Suspendre le délai »: why the request is incomplete (the person reads it)."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Motif de la suspension"),
        choices=[
            (value, label)
            for value, label in SuspensionReason.choices
            if value != SuspensionReason.FEES_UNPAID
        ],
    )


class BreachReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif du manquement"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=REQUIRED,
    )
