"""Back-office forms."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from guichet.appointments.models import AppointmentType, Place, Session
from guichet.clients.fields import LocalityField
from guichet.clients.forms import (
    POSTAL_CODE,
    ComplementaryForm,
    ContactForm,
    DateField,
    IdentifierFieldsMixin,
    IdentityForm,
    PersonFieldsMixin,
    StatusForm,
)
from guichet.core.actor import Source
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


class AuditFilterForm(forms.Form):
    client = forms.CharField(
        label=_("Numéro de client"), required=False, max_length=5, help_text=_("5 chiffres")
    )
    seance = forms.IntegerField(
        label=_("Numéro de séance"), required=False, min_value=1, max_value=2**62
    )
    organisme = forms.ModelChoiceField(
        label=_("Organisme"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("Sélectionner"),
    )
    du = DateField(label=_("Du"), required=False)
    au = DateField(label=_("Au"), required=False)
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", _("Toutes")), *Source.choices], required=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not (data.get("client") or data.get("seance") or data.get("organisme")):
            raise forms.ValidationError(
                _("Indiquez un numéro de client, un numéro de séance ou un organisme.")
            )
        return data


class ClientSearchForm(forms.Form):
    last_name = forms.CharField(label=gettext_lazy("Nom"), required=False, max_length=100)
    birth_date = DateField(label=gettext_lazy("Date de naissance"), required=False)
    client_number = forms.CharField(
        label=gettext_lazy("Numéro de client"), required=False, max_length=5
    )
    reference_number = forms.CharField(
        label=gettext_lazy("Numéro de référence individuel"), required=False, max_length=11
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not any(data.get(k) for k in self.fields):
            raise forms.ValidationError(gettext_lazy("Remplissez au moins un critère."))
        return data


class AddParticipantForm(forms.Form):
    client_number = forms.CharField(label=gettext_lazy("Numéro de client"), max_length=5)
    overbook = forms.BooleanField(
        label=gettext_lazy("Dépasser le nombre de places (surréservation)"), required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif de la surréservation"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    overlap_reason = forms.CharField(
        label=gettext_lazy("Motif du chevauchement"),
        help_text=gettext_lazy(
            "Seulement si le client doit être inscrit malgré un autre rendez-vous à la même heure."
        ),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("overbook") and not str(data.get("reason") or "").strip():
            self.add_error("reason", gettext_lazy("Expliquez pourquoi la séance est dépassée."))
        return data


class PlaceForm(forms.ModelForm):
    locality = LocalityField(
        label=gettext_lazy("Ville"),
        help_text=gettext_lazy("Tapez les premières lettres, puis choisissez dans la liste."),
    )
    latitude = forms.FloatField(
        label=gettext_lazy("Latitude"),
        required=False,
        min_value=44.0,
        max_value=63.0,
        help_text=gettext_lazy("Facultatif : sinon, celle de la ville."),
    )
    longitude = forms.FloatField(
        label=gettext_lazy("Longitude"),
        required=False,
        min_value=-80.0,
        max_value=-57.0,
        help_text=gettext_lazy("Facultatif : sinon, celle de la ville."),
    )

    class Meta:
        model = Place
        fields = [
            "organisation",
            "name",
            "address",
            "locality",
            "postal_code",
            "phone",
            "directions_fr",
            "directions_en",
            "services_fr",
            "services_en",
            "latitude",
            "longitude",
        ]
        widgets = {
            "directions_fr": forms.Textarea(attrs={"rows": 2}),
            "directions_en": forms.Textarea(attrs={"rows": 2}),
            "services_fr": forms.Textarea(attrs={"rows": 2}),
            "services_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        if organisations.count() == 1:
            field.initial = organisations.first()
        field.empty_label = _("Sélectionner")
        self.fields["postal_code"].help_text = _("Format : A1A 1A1")

    def clean_postal_code(self) -> str:
        value: str = self.cleaned_data["postal_code"].strip()
        match = POSTAL_CODE.match(value)
        if not match:
            raise forms.ValidationError(_("Le code postal doit respecter le format A1A 1A1."))
        return f"{match.group(1)} {match.group(2)}".upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        locality = data.get("locality")
        if locality is not None:
            if data.get("latitude") is None:
                data["latitude"] = locality.latitude
            if data.get("longitude") is None:
                data["longitude"] = locality.longitude
        return data


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Session) -> str:
        return (
            f"{timezone.localtime(obj.starts_at):%Y-%m-%d %H:%M} — {obj.appointment_type.title}"
            f" — {obj.place.name} ({obj.seats_taken}/{obj.capacity})"
        )


class StaffRegistrationForm(
    StatusForm, PersonFieldsMixin, IdentifierFieldsMixin, ContactForm, ComplementaryForm
):
    """The wizard's fields and validations on one page, with the language of the messages."""

    email = forms.EmailField(label=gettext_lazy("Adresse électronique du client"))
    language = forms.ChoiceField(
        label=gettext_lazy("Langue de correspondance"),
        choices=[("fr", "Français"), ("en", "English")],
        widget=forms.RadioSelect,
        initial="fr",
    )
    session = SessionChoiceField(
        label=gettext_lazy("Inscrire aussi à une séance (facultatif)"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=gettext_lazy("Aucune"),
    )

    # The wizard's order and headings (seed 000 §4.5 to 4.8), worded for staff.
    SECTIONS = (
        (gettext_lazy("Statuts, permis et certificats"), tuple(StatusForm.base_fields)),
        (
            gettext_lazy("Identité"),
            (
                *(
                    f
                    for f in IdentityForm.field_order
                    if f not in {"existing_client", "email_confirm"}
                ),
                "language",
            ),
        ),
        (gettext_lazy("Coordonnées"), tuple(ContactForm.base_fields)),
        (gettext_lazy("Information complémentaire"), tuple(ComplementaryForm.base_fields)),
        (gettext_lazy("Séance"), ("session",)),
    )
    STAFF_LABELS = {
        "status": gettext_lazy("Statut du client"),
        "status_granted_on": gettext_lazy("Date d'octroi du statut actuel du client"),
        "informed_by": gettext_lazy(
            "Comment le client a-t-il été informé sur l'immigration au Québec?"
        ),
    }

    def __init__(self, *args: Any, sessions: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sessions
        for name, label in self.STAFF_LABELS.items():
            self.fields[name].label = label
        self.order_fields([name for _title, names in self.SECTIONS for name in names])

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]
