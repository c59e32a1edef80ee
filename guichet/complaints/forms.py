"""The forms of « Vos commentaires sont précieux » and of the commissioner's office."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from guichet.accounts.models import Role, User
from guichet.appointments.models import Booking, BookingStatus
from guichet.appointments.selectors import bookings_for
from guichet.dossiers.models import Dossier, DossierStatus
from guichet.dossiers.selectors import dossiers_for

from .models import SCALE, Kind, Outcome

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

REQUIRED = {"required": gettext_lazy("Ce champ est obligatoire.")}


def _booking_label(booking: Booking) -> str:
    starts = timezone.localtime(booking.session.starts_at)
    return f"{booking.session.appointment_type} — {date_format(starts, 'DATETIME_FORMAT')}"


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Vous nous écrivez pour"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    about = forms.ChoiceField(
        label=gettext_lazy("Votre message concerne (facultatif)"),
        required=False,
        help_text=gettext_lazy("Un de vos rendez-vous, dossiers ou demandes."),
    )
    subject = forms.CharField(label=gettext_lazy("Objet"), max_length=200, error_messages=REQUIRED)
    body = forms.CharField(
        label=gettext_lazy("Votre message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Au plus 5 000 caractères."),
        error_messages=REQUIRED,
    )
    name = forms.CharField(
        label=gettext_lazy("Votre nom (facultatif)"), max_length=150, required=False
    )
    email = forms.EmailField(
        label=gettext_lazy("Votre courriel"),
        help_text=gettext_lazy(
            "Nous y enverrons le lien pour suivre votre message, sans son contenu."
        ),
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy("Saisissez une adresse courriel valide."),
        },
    )

    def __init__(self, *args: Any, user: User | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user and user.role in (Role.CLIENT, Role.EMPLOYER) else None
        self._about: dict[str, Booking | Dossier] = {}
        if self.user is None:
            del self.fields["about"]
            return
        del self.fields["name"], self.fields["email"]
        # The person's appointments as they stand: a cancelled or moved one is not listed
        # beside the booking that replaced it (two identical entries).
        bookings = list(
            bookings_for(self.user)
            .exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.RESCHEDULED])
            .select_related("session__appointment_type")[:50]
        )
        dossiers = list(
            dossiers_for(self.user).exclude(status=DossierStatus.DRAFT).order_by("-created_at")[:50]
        )
        for booking in bookings:
            self._about[f"booking-{booking.pk}"] = booking
        for dossier in dossiers:
            self._about[f"dossier-{dossier.pk}"] = dossier
        choices: list[Any] = [("", gettext_lazy("Aucun en particulier"))]
        if bookings:
            choices.append(
                (
                    gettext_lazy("Rendez-vous"),
                    [(f"booking-{b.pk}", _booking_label(b)) for b in bookings],
                )
            )
        if dossiers:
            choices.append(
                (
                    gettext_lazy("Dossiers et demandes"),
                    [(f"dossier-{d.pk}", f"{d.number} — {d.kind_label}") for d in dossiers],
                )
            )
        cast(forms.ChoiceField, self.fields["about"]).choices = choices

    def about_object(self) -> Booking | Dossier | None:
        return self._about.get(self.cleaned_data.get("about") or "")


class NewLinkForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Le courriel avec lequel vous avez écrit"),
        error_messages={
            **REQUIRED,
            "invalid": gettext_lazy("Saisissez une adresse courriel valide."),
        },
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=REQUIRED,
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Issue"),
        choices=[("", "—"), *Outcome.choices],
        error_messages=REQUIRED,
    )


def _question(label: StrOrPromise) -> forms.TypedChoiceField:
    """One question of the survey: optional, on the five-point scale."""
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )


class SurveyForm(forms.Form):
    """« Sondage de satisfaction »: four optional questions on the seed's engagements."""

    overall = _question(gettext_lazy("Dans l'ensemble, êtes-vous satisfait du service reçu ?"))
    courtesy = _question(gettext_lazy("Le personnel a-t-il été courtois et à votre écoute ?"))
    information = _question(
        gettext_lazy("L'information reçue était-elle complète, exacte et claire ?")
    )
    delay = _question(gettext_lazy("Le délai pour obtenir le service vous a-t-il convenu ?"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in self.fields):
            raise forms.ValidationError(
                gettext_lazy("Répondez à au moins une question, ou revenez plus tard.")
            )
        return data
