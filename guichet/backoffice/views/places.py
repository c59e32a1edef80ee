"""Places and the appointment types an organisation offers (SPEC D2)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user, roles
from guichet.appointments.models import AppointmentType, Place
from guichet.audit.services import audit
from guichet.clients.fields import LocalityField
from guichet.clients.forms import POSTAL_CODE
from guichet.core.params import parse_id, parse_ids
from guichet.organisations.models import Organisation

from .. import scope
from .calendar import STAFF


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


@roles(*STAFF)
def places(request: HttpRequest) -> HttpResponse:
    found = Place.objects.filter(organisation__in=scope.organisations(current_user(request)))
    return render(
        request,
        "backoffice/places.html",
        {"places": found.select_related("organisation", "locality")},
    )


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, place_id: int | None = None) -> HttpResponse:
    user = current_user(request)
    offices = scope.organisations(user)
    place = None
    if place_id is not None:
        place = Place.objects.filter(pk=place_id, organisation__in=offices).first()
        if place is None:
            raise Http404
    form = PlaceForm(request.POST or None, instance=place, organisations=offices)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        audit(
            user,
            "place.saved" if place else "place.created",
            saved,
            source=user.source,
            request=request,
        )
        messages.success(request, _("Le lieu est enregistré."))
        return redirect("backoffice:places")
    return render(
        request,
        "backoffice/place_form.html",
        {"form": form, "place": place},
        status=422 if form.errors else 200,
    )


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def offered_types(request: HttpRequest) -> HttpResponse:
    """« Types de rendez-vous offerts » by one organisation (ministry: chosen with ?organisme=)."""
    user = current_user(request)
    offices = scope.organisations(user)
    office = (
        offices.filter(pk=parse_id(request.GET.get("organisme")) or 0).first() or offices.first()
    )
    if office is None:
        raise Http404
    kinds = AppointmentType.objects.filter(is_active=True)
    if request.method == "POST":
        chosen = parse_ids(request.POST.getlist("types"))
        office.appointment_types.set([k for k in kinds if k.pk in chosen])
        audit(
            user,
            "organisation.types_offered",
            office,
            source=user.source,
            request=request,
            details={"types": sorted(chosen)},
        )
        messages.success(request, _("Les types de rendez-vous offerts sont enregistrés."))
        return redirect(f"{request.path}?organisme={office.pk}")
    offered = set(office.appointment_types.values_list("pk", flat=True))
    return render(
        request,
        "backoffice/offered_types.html",
        {
            "office": office,
            "offices": offices if offices.count() > 1 else None,
            "kinds": kinds,
            "offered": offered,
        },
    )
