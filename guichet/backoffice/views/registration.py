"""« Inscrire un client » from the back office (seed 000 §2.4, scenario 3; SPEC D3): a partner or
a ministry office registers a person who has no client file yet. The person receives the seed's
messages « Confirmation d'inscription au Service en ligne de prise de rendez-vous » (with the
client number) and « Créez votre profil de consultation » (an authorization code). A person
already on file is never changed from here (security finding 1): ministry staff are sent to the
file, a partner may only ask the person for access, at the address already on file."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user
from guichet.accounts.models import Role, User
from guichet.appointments.models import Session, SessionStatus
from guichet.appointments.refusals import for_staff
from guichet.appointments.selectors import sessions_for
from guichet.appointments.services import book
from guichet.clients import services
from guichet.clients.selectors import clients_for
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused

from ..forms import StaffRegistrationForm
from .calendar import STAFF

ON_FILE_VISIBLE = gettext_lazy(
    "Cette personne est déjà inscrite : retrouvez-la avec « Rechercher un client »."
)
ON_FILE_PARTNER = gettext_lazy(
    "Cette personne est peut-être déjà inscrite. Demandez-lui de communiquer avec le Ministère, "
    "ou demandez-lui l'accès à son dossier : la demande lui est envoyée à l'adresse déjà connue "
    "du Ministère, jamais à celle saisie ici."
)
ACCESS_REQUESTED = gettext_lazy(
    "Si cette personne est inscrite, une demande d'accès lui a été envoyée à l'adresse déjà "
    "connue du Ministère. Vous verrez son dossier dans « Clients » lorsqu'elle l'aura acceptée."
)


def _upcoming(user: User) -> QuerySet[Session]:
    now = timezone.now()
    return (
        sessions_for(user)
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
    sessions = sessions_for(user).filter(pk__in=[s.pk for s in _upcoming(user)])
    form = StaffRegistrationForm(request.POST or None, sessions=sessions)
    can_request_access = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "request_access":
            services.request_partner_access(
                actor=actor_of(request), identity=services.Identity.from_data(form.cleaned_data)
            )
            messages.success(request, str(ACCESS_REQUESTED))
            return redirect("backoffice:clients")
        try:
            with transaction.atomic():
                client = services.register_on_behalf(
                    actor=actor_of(request), data=form.cleaned_data
                )
        except services.AlreadyOnFile as on_file:
            if clients_for(user).filter(pk=on_file.client.pk).exists():
                form.add_error(on_file.field, str(ON_FILE_VISIBLE))
            else:
                form.add_error(on_file.field, str(ON_FILE_PARTNER))
                can_request_access = user.role == Role.PARTNER_STAFF
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
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
                    book(client=client, session=session, actor=actor_of(request))
                except Refused as refusal:
                    messages.warning(
                        request,
                        _("Le client est inscrit, mais pas à la séance : %(reason)s")
                        % {"reason": for_staff(refusal)},
                    )
                else:
                    messages.success(request, _("Le client est inscrit à la séance."))
            return redirect("backoffice:client", client_id=client.pk)
    return render(
        request,
        "backoffice/register_client.html",
        {"form": form, "can_request_access": can_request_access},
        status=422 if form.errors else 200,
    )
