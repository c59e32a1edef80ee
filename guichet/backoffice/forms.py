"""Back-office forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.appointments.models import AppointmentType, Place
from guichet.clients.forms import DateField
from guichet.organisations.models import Organisation


class SessionSeriesForm(forms.Form):
    """« Nouvelle séance »: one session, or a weekly series (holidays skipped)."""

    appointment_type = forms.ModelChoiceField(
        label=_("Type de rendez-vous"), queryset=AppointmentType.objects.none()
    )
    place = forms.ModelChoiceField(label=_("Lieu du rendez-vous"), queryset=Place.objects.none())
    first_date = DateField(label=_("Date"))
    start_time = forms.TimeField(
        label=_("Heure"),
        help_text=_("hh:mm, par exemple 13:00"),
        input_formats=["%H:%M"],
        error_messages={"invalid": _("Saisissez une heure valide selon le format hh:mm.")},
    )
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=15, max_value=600)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    weeks = forms.IntegerField(
        label=_("Nombre de semaines"),
        help_text=_("1 pour une seule séance; sinon, une séance par semaine, le même jour."),
        min_value=1,
        max_value=52,
        initial=1,
    )
    skip_holidays = forms.BooleanField(
        label=_("Éviter les jours fériés du Québec"), required=False, initial=True
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = self.fields["appointment_type"]
        places = self.fields["place"]
        assert isinstance(types, forms.ModelChoiceField)
        assert isinstance(places, forms.ModelChoiceField)
        types.queryset = (
            AppointmentType.objects.filter(is_active=True, organisations__in=organisations)
            .distinct()
            .order_by("position", "title_fr")
        )
        places.queryset = Place.objects.filter(organisation__in=organisations).select_related(
            "organisation", "locality"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, place = data.get("appointment_type"), data.get("place")
        if kind and place and not kind.organisations.filter(pk=place.organisation_id).exists():
            self.add_error(
                "appointment_type",
                _("L'organisme de ce lieu n'offre pas ce type de rendez-vous."),
            )
        return data


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
