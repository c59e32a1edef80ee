"""Back-office forms."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.appointments.models import AppointmentType, Place
from guichet.clients.forms import DateField
from guichet.organisations.models import Organisation

# Sessions are planned at most this far ahead.
PLANNING_DAYS = 730


def _plannable(day: date) -> bool:
    return day <= timezone.localdate() + timedelta(days=PLANNING_DAYS)


def planning_window_message() -> str:
    return _("Une séance se planifie au plus %(days)s jours à l'avance.") % {"days": PLANNING_DAYS}


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
    modules = forms.CharField(
        label=_("Modules suivants (horaire spécifique)"),
        help_text=_(
            "Facultatif. Pour une séance de plusieurs modules : un module par ligne, "
            "AAAA-MM-JJ HH:MM durée en minutes, par exemple 2026-03-21 17:00 180. "
            "Le premier module est la date et l'heure ci-dessus."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
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
        modules = data.get("modules_parsed") or []
        if modules and data.get("weeks", 1) != 1:
            self.add_error(
                "weeks",
                _("Une séance de plusieurs modules se crée seule : indiquez 1 semaine."),
            )
        first = data.get("first_date")
        if modules and first and any(m[0].date() < first for m in modules):
            self.add_error("modules", _("Les modules suivants viennent après le premier."))
        if modules and any(not _plannable(m[0].date()) for m in modules):
            self.add_error("modules", planning_window_message())
        start_time = data.get("start_time")
        if first and start_time and "first_date" not in self.errors:
            starts = datetime.combine(first, start_time, tzinfo=timezone.get_current_timezone())
            if starts <= timezone.now():
                self.add_error("first_date", _("Une séance ne peut pas commencer dans le passé."))
            last = first + timedelta(weeks=(data.get("weeks") or 1) - 1)
            if not _plannable(last):
                self.add_error("weeks", planning_window_message())
        return data

    def clean_first_date(self) -> date:
        first: date = self.cleaned_data["first_date"]
        if not _plannable(first) and first >= timezone.localdate():
            raise forms.ValidationError(planning_window_message())
        return first

    def clean_modules(self) -> str:
        text: str = self.cleaned_data["modules"]
        parsed: list[tuple[datetime, int]] = []
        tz = timezone.get_current_timezone()
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split()
            try:
                if len(parts) != 3:
                    raise ValueError(line)
                moment = datetime.strptime(f"{parts[0]} {parts[1]}", "%Y-%m-%d %H:%M")
                minutes = int(parts[2])
                if not 15 <= minutes <= 600:
                    raise ValueError(line)
            except ValueError:
                raise forms.ValidationError(
                    _(
                        "Ligne %(number)s : écrivez AAAA-MM-JJ HH:MM durée, par exemple "
                        "2026-03-21 17:00 180."
                    )
                    % {"number": number}
                ) from None
            parsed.append((moment.replace(tzinfo=tz), minutes))
        self.cleaned_data["modules_parsed"] = sorted(parsed)
        return text


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
