"""The intake officers' forms for a waiting room."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from guichet.core.forms import IsoDateTimeInput

REQUIRED = {"required": gettext_lazy("Ce champ est obligatoire.")}


class OpenRoomForm(forms.Form):
    """Opening cannot fire by accident: the officer types the period's maximum number of
    applications, as shown on the page."""

    confirmation = forms.CharField(
        label=gettext_lazy("Pour confirmer l'ouverture, tapez le nombre maximal de demandes"),
        max_length=12,
        error_messages=REQUIRED,
    )

    def __init__(self, *args: Any, quota: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quota = quota
        self.fields["confirmation"].help_text = gettext_lazy(
            "Le nombre maximal de demandes de cette période : %(quota)s"
        ) % {"quota": quota}

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"].replace(" ", "").replace("\u00a0", "")
        if typed != str(self.quota):
            raise forms.ValidationError(
                gettext_lazy(
                    "Le nombre tapé n'est pas le nombre maximal de demandes : la salle n'a pas "
                    "été ouverte."
                )
            )
        return typed


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=gettext_lazy("Personnes admises en même temps (capacité de connexion)"),
        min_value=1,
        max_value=100000,
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy("Entrez un nombre entier."),
            "min_value": gettext_lazy("Entrez un nombre d'au moins 1."),
            "max_value": gettext_lazy("Entrez un nombre d'au plus 100 000."),
        },
    )


class PreQueueForm(forms.Form):
    """A lottery period's pre-queue: from when candidates may « Se connecter » to the room before
    the opening (their order is drawn at the opening). Empty: no pre-queue."""

    pre_queue_opens_at = forms.DateTimeField(
        label=gettext_lazy("Ouverture de la file préalable (heure de Montréal)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=IsoDateTimeInput(),
        help_text=gettext_lazy(
            "aaaa-mm-jj hh:mm — avant l'ouverture de la période ; laissez vide pour ne pas "
            "ouvrir de file préalable."
        ),
        error_messages={
            "invalid": gettext_lazy(
                "Saisissez une date et une heure selon le format aaaa-mm-jj hh:mm."
            ),
        },
    )
