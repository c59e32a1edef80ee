"""Forms of the integration agents' side of the dossiers (SPEC E8)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.accounts.models import Sex, User
from guichet.appointments.models import Place
from guichet.clients.fields import LocalityField
from guichet.core.forms import DateField, not_in_future
from guichet.dossiers.kinds.accompagnement.casework import agents
from guichet.dossiers.kinds.accompagnement.kind import (
    ACCOMPAGNEMENT_QUEBEC,
    AVAILABILITY,
    LANGUAGES,
)
from guichet.dossiers.models import AppointmentMode, NoteVisibility
from guichet.dossiers.registry import kind_choices

LANGUAGE_NAMES = [("fr", pgettext_lazy("langue parlée", "Français")), *LANGUAGES]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut du dossier"),
        required=False,
        choices=[("", _("Présentés et en traitement")), *ACCOMPAGNEMENT_QUEBEC.status_choices()],
    )
    city = LocalityField(
        label=_("Ville"), required=False, help_text=_("Laissez vide pour toutes les villes.")
    )
    language = forms.ChoiceField(
        label=_("Langue"),
        required=False,
        choices=[("", _("Toutes")), *LANGUAGE_NAMES],
    )
    availability = forms.ChoiceField(
        label=_("Disponibilité"), required=False, choices=[("", _("Toutes")), *AVAILABILITY]
    )
    mine = forms.BooleanField(label=_("Mes dossiers seulement"), required=False)


def _agent_label(user: User) -> str:
    return user.get_full_name() or user.get_username()


class AssignForm(forms.Form):
    agent = forms.ModelChoiceField(
        label=_("Agente ou agent d'aide à l'intégration (AAI)"),
        queryset=User.objects.none(),
        empty_label=_("Sélectionner"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agents()
        field.label_from_instance = _agent_label  # type: ignore[method-assign,assignment]


class AppointmentForm(forms.Form):
    date = DateField(label=_("Date"))
    time = forms.TimeField(
        label=_("Heure"),
        help_text=_("hh:mm, par exemple 13:00"),
        input_formats=["%H:%M"],
        error_messages={"invalid": _("Saisissez une heure valide selon le format hh:mm.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=15, max_value=240, initial=60
    )
    mode = forms.ChoiceField(
        label=_("Type de rendez-vous"), choices=AppointmentMode.choices, widget=forms.RadioSelect
    )
    place = forms.ModelChoiceField(
        label=_("Lieu (en personne)"),
        queryset=Place.objects.select_related("locality"),
        required=False,
        empty_label=_("Sélectionner"),
    )
    details = forms.CharField(
        label=_("Précisions pour la personne"),
        help_text=_("Par exemple, le lien de la rencontre virtuelle ou les documents à apporter."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == AppointmentMode.IN_PERSON and not data.get("place"):
            self.add_error("place", _("Choisissez le lieu du rendez-vous en personne."))
        if data.get("date") and data.get("time"):
            starts = timezone.make_aware(datetime.combine(data["date"], data["time"]))
            if starts <= timezone.now():
                self.add_error("date", _("Le rendez-vous doit être dans le futur."))
            data["starts_at"] = starts
        return data


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = DateField(label=_("Échéance"), required=False)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    visibility = forms.ChoiceField(
        label=_("Visibilité"),
        choices=NoteVisibility.choices,
        initial=NoteVisibility.INTERNAL,
        widget=forms.RadioSelect,
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message à la personne"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class OpenDossierForm(forms.Form):
    """A dossier for someone met in person, who will link it to their profile (seed 001 §3)."""

    kind = forms.ChoiceField(label=_("Type de dossier"))
    first_name = forms.CharField(label=_("Prénom"), max_length=100)
    last_name = forms.CharField(label=_("Nom"), max_length=100)
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = DateField(label=_("Date de naissance"), validators=[not_in_future])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = kind_choices()
