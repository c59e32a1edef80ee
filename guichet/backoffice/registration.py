"""« Inscrire un client » from the back office (seed 000 §2.4, scenario 3; SPEC D3): a partner or
a ministry office registers a person to the appointment service on their behalf. The person then
receives the two messages of the seed: « Confirmation d'inscription au Service en ligne de prise
de rendez-vous » (with the client number), and « Créez votre profil de consultation » (an
authorization code) or, when they already have a profile, « Tirez profit de votre profil de
consultation » (a reminder of their user code)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user, roles
from guichet.accounts.models import Role, User
from guichet.appointments.models import Session, SessionStatus
from guichet.appointments.services import BookingRefused, book
from guichet.appointments.views import REFUSALS as BOOKING_REFUSALS
from guichet.audit.services import audit
from guichet.clients.authorization import issue_authorization_code
from guichet.clients.forms import (
    ComplementaryForm,
    ContactForm,
    IdentifierFieldsMixin,
    PersonFieldsMixin,
    StatusForm,
)
from guichet.clients.models import Client
from guichet.clients.services import (
    CLIENT_NUMBER_FIRST,
    CLIENT_NUMBER_LAST,
    PROFILE_FIELDS,
    Identity,
    find_by_identifiers,
)
from guichet.core.email import send_templated_email
from guichet.numbering.services import next_value

from . import scope
from .views import STAFF


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

    def __init__(self, *args: Any, sessions: QuerySet[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = sessions


MISMATCH = gettext_lazy(
    "Ce numéro correspond à une autre personne. Vérifiez le nom et la date de naissance."
)


class RegistrationRefused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@transaction.atomic
def register_on_behalf(*, actor: User, data: dict[str, Any], request: HttpRequest) -> Client:
    if not data["status"].eligible:
        raise RegistrationRefused(
            "status", _("Ce statut ne donne pas accès au Service en ligne de prise de rendez-vous.")
        )
    identity = Identity.from_data(data)
    existing = find_by_identifiers(identity)
    if existing is not None and not identity.matches(existing):
        raise RegistrationRefused(
            "reference_number",
            str(MISMATCH),
        )
    if (
        existing is None
        and Client.objects.filter(
            last_name__iexact=identity.last_name,
            first_name__iexact=identity.first_name,
            birth_date=identity.birth_date,
            sex=identity.sex,
        ).exists()
    ):
        raise RegistrationRefused(
            "last_name",
            _("Cette personne est déjà inscrite : retrouvez-la avec « Rechercher un client »."),
        )
    if existing is not None:
        client = Client.objects.select_for_update().get(pk=existing.pk)
    else:
        number = next_value("client_number", first=CLIENT_NUMBER_FIRST, last=CLIENT_NUMBER_LAST)
        client = Client(client_number=f"{number:05d}", source=actor.source)
    for field in PROFILE_FIELDS:
        setattr(client, field, data.get(field, getattr(client, field, "")) or "")
    client.status_granted_on = data["status_granted_on"]
    client.status = data["status"]
    client.locality = data["locality"]
    client.french_sufficient = data["french_sufficient"] == "yes"
    client.reference_number = data.get("reference_number") or client.reference_number
    client.cic_client_id = data.get("cic_client_id") or client.cic_client_id
    client.email = data["email"]
    client.language = data["language"]
    if actor.role == Role.PARTNER_STAFF and client.registered_by_organisation_id is None:
        client.registered_by_organisation_id = actor.organisation_id
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as error:
        raise RegistrationRefused(
            "reference_number", _("Un de ces numéros vient d'être inscrit pour une autre personne.")
        ) from error
    audit(
        actor,
        "client.registered",
        client,
        source=actor.source,
        request=request,
        details={"on_behalf": True},
    )
    language: str = data["language"]
    client_number, email = client.client_number, client.email
    transaction.on_commit(
        lambda: send_templated_email(
            to=email,
            template="registration_confirmed",
            context={"client_number": client_number},
            language=language,
        )
    )
    if client.user is None:
        issue_authorization_code(client=client, actor=actor, language=language)
    else:
        user_code = client.user.username
        transaction.on_commit(
            lambda: send_templated_email(
                to=email,
                template="profile_reminder",
                context={"user_code": user_code},
                language=language,
            )
        )
    return client


def _upcoming(user: User) -> QuerySet[Session]:
    now = timezone.now()
    return (
        scope.sessions(user)
        .filter(
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=90),
        )
        .select_related("appointment_type", "place")
        .order_by("starts_at")[:300]
    )


@roles(*STAFF)
@require_http_methods(["GET", "POST"])
def register_client(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    sessions = scope.sessions(user).filter(pk__in=[s.pk for s in _upcoming(user)])
    form = StaffRegistrationForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                client = register_on_behalf(actor=user, data=form.cleaned_data, request=request)
        except RegistrationRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(
                request,
                _(
                    "Le client est inscrit au Service (numéro de client %(number)s). Il reçoit "
                    "la confirmation d'inscription et, par un second courriel, de quoi accéder "
                    "à son profil de consultation."
                )
                % {"number": client.client_number},
            )
            session = form.cleaned_data.get("session")
            if session is not None:
                try:
                    book(client=client, session=session, actor=user, request=request)
                except BookingRefused as refused:
                    messages.warning(
                        request,
                        _("Le client est inscrit, mais pas à la séance : %(reason)s")
                        % {"reason": BOOKING_REFUSALS.get(refused.reason, "")},
                    )
                else:
                    messages.success(request, _("Le client est inscrit à la séance."))
            return redirect("backoffice:client", client_id=client.pk)
    return render(
        request,
        "backoffice/register_client.html",
        {"form": form},
        status=422 if form.errors else 200,
    )
