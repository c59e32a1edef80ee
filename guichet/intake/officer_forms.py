"""The intake officers' forms (the back office's « Mon projet Québec »): a period, a reason
given to the candidate, the personalised list of required documents, a document received, the
answer to a request for modification. The candidate's forms are in `forms`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.core.forms import DateField, IsoDateTimeInput, not_in_future

from .models import STANDARD_DOCUMENTS, IntakePeriod

REQUIRED = {"required": gettext_lazy("Ce champ est obligatoire.")}


def _moment(label: Any) -> forms.DateTimeField:
    """A date and time typed as the hint says, aaaa-mm-jj hh:mm (Montréal time)."""
    return forms.DateTimeField(
        label=label,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=IsoDateTimeInput(),
        help_text=gettext_lazy("aaaa-mm-jj hh:mm"),
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy(
                "Saisissez une date et une heure selon le format aaaa-mm-jj hh:mm."
            ),
        },
    )


class PeriodForm(forms.ModelForm):
    """A period as the intake officers set it; the quota is locked once it has opened."""

    opens_at = _moment(gettext_lazy("Ouverture (heure de Montréal)"))
    closes_at = _moment(gettext_lazy("Fermeture (heure de Montréal)"))

    class Meta:
        model = IntakePeriod
        fields = [
            "programme",
            "opens_at",
            "closes_at",
            "quota",
            "allocation",
            "waiting_room",
            "visit_minutes",
            "accepts_job_offer",
            "accepts_temporary_residents",
            "refuse_mobile",
        ]
        widgets = {"allocation": forms.RadioSelect}
        error_messages = {
            "quota": {
                "required": gettext_lazy("Inscrivez le nombre maximal de demandes."),
                "invalid": gettext_lazy("Saisissez un nombre entier."),
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit_minutes"].help_text = _(
            "Par exemple 60 : à chaque visite avant l'ouverture, les candidats ont une heure pour "
            "compléter et mettre à jour leur demande. Vide : sans limite."
        )
        self.fields["refuse_mobile"].help_text = _(
            "Désactivé par défaut : la détection des appareils n'est pas fiable et la règle "
            "écarte des personnes qui n'ont qu'un téléphone ou une tablette (ADR 0017)."
        )
        if self.instance.pk and self.instance.has_opened:
            self.fields["quota"].disabled = True
            self.fields["quota"].help_text = _(
                "La période est ouverte : le nombre maximal de demandes ne peut plus être modifié."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("La fermeture suit l'ouverture."))
        return data


class StaffReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motif communiqué au candidat"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Indiquez le motif.")},
    )


class RequestDocumentsForm(forms.Form):
    """« Liste personnalisée des documents exigés » (seed 002 FAQ 1)."""

    standard = forms.MultipleChoiceField(
        label=gettext_lazy("Documents exigés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.CharField(
        label=gettext_lazy("Autres documents exigés (un par ligne)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = translation.get_language() == "en"
        field = self.fields["standard"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(code, en if english else fr) for code, fr, en in STANDARD_DOCUMENTS]

    def other_lines(self) -> list[str]:
        return [
            line for line in str(self.cleaned_data.get("others", "")).splitlines() if line.strip()
        ]


class RecordDocumentForm(forms.Form):
    received_on = DateField(
        label=gettext_lazy("Reçu le"),
        validators=[not_in_future],
        error_messages={"required": gettext_lazy("Indiquez la date de réception.")},
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explication écrite du candidat (si le document ne peut être fourni)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ModificationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Réponse au candidat"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Écrivez votre réponse.")},
    )
