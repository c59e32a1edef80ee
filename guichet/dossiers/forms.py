from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActionStatus
from .registry import kind_choices

NEW, LINKED = "new", "linked"


class CreateForm(forms.Form):
    """« Créer un dossier » (seed 001 §2.2, étape 1)."""

    kind = forms.ChoiceField(
        label=_("Type de dossier à créer"),
        error_messages={"required": _("Choisissez le type de dossier à créer.")},
    )
    mode = forms.ChoiceField(
        label=_("Que voulez-vous faire ?"),
        choices=[
            (NEW, _("Créer un nouveau dossier")),
            (
                LINKED,
                _(
                    "Créer un dossier lié à une demande de parcours en cours de traitement au "
                    "Ministère"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une option.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Sélectionner")), *kind_choices()]


class LinkForm(forms.Form):
    """« Identifier mon dossier » (seed 001 §3, étape 2)."""

    number = forms.CharField(
        label=_("Numéro de dossier"),
        max_length=11,
        help_text=_("Une lettre suivie de 10 chiffres, par exemple G2100076952."),
        error_messages={"required": _("Inscrivez le numéro de votre dossier.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_number(self) -> str:
        value = "".join(self.cleaned_data["number"].split()).upper()
        if len(value) != 11 or not value[0].isalpha() or not value[1:].isdigit():
            raise forms.ValidationError(
                _("Le numéro de dossier compte une lettre suivie de 10 chiffres.")
            )
        return value


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=ActionStatus.choices)
