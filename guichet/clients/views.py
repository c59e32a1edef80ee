"""Inscription au Service en ligne de prise de rendez-vous: a six-step wizard whose data waits in
the session (server side) and is saved only when step 6 is confirmed (seed 000 §4.4 to 4.11)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts import throttle
from guichet.accounts.access import current_user
from guichet.accounts.models import Role
from guichet.accounts.services import PROFILE_AUTHORIZATION_SESSION_KEY
from guichet.audit.services import audit
from guichet.core.access import public, roles
from guichet.core.actor import actor_of
from guichet.core.forms import NO, YES

from . import authorization, services
from .forms import (
    AuthorizationClientNumberForm,
    AuthorizationCodeForm,
    AuthorizationReferenceForm,
    ComplementaryForm,
    ContactForm,
    ContactUpdateForm,
    DeclarationForm,
    ForgotUserCodeForm,
    IdentityForm,
    LinkCodeForm,
    StatusForm,
    StatusUpdateForm,
)
from .models import Client, ImmigrationStatus
from .selectors import own_client, unclaimed_record

SESSION_KEY = "registration"
DONE_KEY = "registration_done"


@dataclass(frozen=True)
class Step:
    number: int
    title: Any
    form_class: type[forms.Form]


STEPS = [
    Step(1, gettext_lazy("Statuts, permis et certificats"), StatusForm),
    Step(2, gettext_lazy("Identité"), IdentityForm),
    Step(3, gettext_lazy("Coordonnées"), ContactForm),
    Step(4, gettext_lazy("Information complémentaire"), ComplementaryForm),
    Step(5, gettext_lazy("Déclaration"), DeclarationForm),
    Step(6, gettext_lazy("Vérification des données fournies"), forms.Form),
]
STEP_TITLES = [step.title for step in STEPS]


def _stored(request: HttpRequest) -> dict[str, dict[str, str]]:
    stored: dict[str, dict[str, str]] = request.session.get(SESSION_KEY, {})
    return stored


# The longest value a wizard field keeps in the session; the forms' own limits are far lower, so
# a longer value is an error next to the field either way.
MAX_KEPT_LENGTH = 1000


def _kept(step: Step, posted: Any) -> dict[str, str]:
    """What the session keeps of a step: the step's own fields only, each value cut to
    MAX_KEPT_LENGTH (one POST of arbitrary fields once made a 2.3 MB session row)."""
    return {
        name: str(posted.get(name, ""))[:MAX_KEPT_LENGTH]
        for name in step.form_class.base_fields
        if name in posted
    }


def _bound(step: Step, raw: dict[str, str] | None) -> forms.Form:
    return step.form_class(data=raw or {})


def _first_invalid_step(request: HttpRequest) -> int | None:
    stored = _stored(request)
    for step in STEPS[:5]:
        if not _bound(step, stored.get(str(step.number))).is_valid():
            return step.number
    return None


def _cleaned(request: HttpRequest) -> dict[str, Any]:
    """All steps' cleaned values, in the shape services.register_client expects."""
    stored = _stored(request)
    data: dict[str, Any] = {}
    for step in STEPS[:5]:
        form = _bound(step, stored.get(str(step.number)))
        if not form.is_valid():
            raise ValueError(step.number)
        data.update(form.cleaned_data)
    data["status"] = data["status"].pk
    data["locality"] = data["locality"].pk
    data["french_sufficient"] = data["french_sufficient"] == YES
    return data


def _identity(values: dict[str, Any]) -> services.Identity:
    return services.Identity.from_data(values)


def _registered(request: HttpRequest) -> Client | None:
    return own_client(actor_of(request))


@roles(Role.CLIENT)
def registration_start(request: HttpRequest) -> HttpResponse:
    """Étape préliminaire."""
    if _registered(request):
        messages.info(
            request, _("Vous êtes déjà inscrit au Service en ligne de prise de rendez-vous.")
        )
        return redirect("core:home")
    return render(request, "clients/registration_start.html", {"steps": STEP_TITLES})


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def registration_step(request: HttpRequest, number: int) -> HttpResponse:
    if number < 1 or number > len(STEPS):
        return redirect("clients:registration_start")
    if _registered(request):
        return redirect("core:home")
    step = STEPS[number - 1]
    stored = _stored(request)
    first_invalid = _first_invalid_step(request)
    if first_invalid is not None and first_invalid < number:
        return redirect("clients:registration_step", number=first_invalid)
    user = current_user(request)

    if number == 6:
        return _verification(request, stored)

    if request.method == "POST":
        raw: dict[str, str] | None = _kept(step, request.POST)
        stored[str(number)] = raw or {}  # what was typed is kept, valid or not
        request.session[SESSION_KEY] = stored
        if request.POST.get("action") == "previous":
            return (
                redirect("clients:registration_step", number=number - 1)
                if number > 1
                else redirect("clients:registration_start")
            )
        form = step.form_class(data=raw)
        if form.is_valid():
            if number == 1 and not form.cleaned_data["status"].eligible:
                request.session.pop(SESSION_KEY, None)
                return render(request, "clients/registration_refused.html", {"reason": "status"})
            if number == 2:
                if _identity_locked(request, None) or throttle.probing_locked(request):
                    return throttle.locked_response(request)
                try:
                    existing = services.check_identity(
                        user=user, identity=_identity(form.cleaned_data)
                    )
                except services.AlreadyRegistered:
                    request.session.pop(SESSION_KEY, None)
                    if throttle.probe(request):
                        return throttle.locked_response(request)
                    return render(
                        request, "clients/registration_refused.html", {"reason": "duplicate"}
                    )
                except services.IdentityMismatch as mismatch:
                    if _identity_failed(request, mismatch.client):
                        return throttle.locked_response(request)
                    form.add_error(
                        None,
                        _(
                            "Les renseignements fournis ne correspondent pas à notre dossier. "
                            "Vérifiez votre nom, votre prénom, votre date de naissance, votre "
                            "sexe et les numéros saisis."
                        ),
                    )
                else:
                    if existing is not None and _identity_locked(request, existing):
                        return throttle.locked_response(request)
            if form.is_valid():
                return redirect("clients:registration_step", number=number + 1)
    else:
        raw = stored.get(str(number))
        if raw is None and number == 2:
            raw = {"email": user.email}
        form = step.form_class(initial=raw or {})
    return render(
        request,
        "clients/registration_step.html",
        {"form": form, "step": step, "steps": STEP_TITLES, "current": number},
    )


def _identity_locked(request: HttpRequest, target: Client | None) -> bool:
    """Identity matching at step 2 locks per account and per ministry record it aims at."""
    account = str(current_user(request).pk)
    if throttle.is_locked(throttle.Scope.IDENTITY_MATCH, user_code=account, request=request):
        return True
    return target is not None and throttle.is_locked(
        throttle.Scope.IDENTITY_TARGET, user_code=str(target.pk), request=request
    )


def _identity_failed(request: HttpRequest, target: Client) -> bool:
    """One wrong identity for an existing record: audited, counted; True when now locked."""
    user = current_user(request)
    audit(actor_of(request), "client.identity_mismatch", target)
    by_account = throttle.record_failure(
        throttle.Scope.IDENTITY_MATCH, user_code=str(user.pk), request=request
    )
    by_target = throttle.record_failure(
        throttle.Scope.IDENTITY_TARGET, user_code=str(target.pk), request=None
    )
    return by_account or by_target


CLAIM_KEY = "registration_claim"


def _verification(request: HttpRequest, stored: dict[str, dict[str, str]]) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("action") == "previous":
            return redirect("clients:registration_step", number=5)
        if _identity_locked(request, None):
            return throttle.locked_response(request)
        return _register(request)
    return _verify_page(request, stored)


def _register(request: HttpRequest) -> HttpResponse:
    claim = request.session.get(CLAIM_KEY) or {}
    try:
        client = services.register_client(
            actor=actor_of(request),
            data=_cleaned(request),
            confirmed_record_id=claim.get("client") if claim.get("confirmed") else None,
        )
    except services.NotEligible:
        request.session.pop(SESSION_KEY, None)
        return render(request, "clients/registration_refused.html", {"reason": "status"})
    except services.AlreadyRegistered:
        request.session.pop(SESSION_KEY, None)
        return render(request, "clients/registration_refused.html", {"reason": "duplicate"})
    except services.IdentityMismatch:
        return redirect("clients:registration_step", number=2)
    except services.RecordNotConfirmed as unconfirmed:
        # A record with an address on file: the person proves it is theirs first (one code
        # per claim; asking again shows the same page).
        record = unconfirmed.client
        if claim.get("client") != record.pk:
            authorization.request_link_code(client=record, user=current_user(request))
            request.session[CLAIM_KEY] = {"client": record.pk, "confirmed": False}
        return redirect("clients:registration_confirm_record")
    request.session.pop(SESSION_KEY, None)
    request.session.pop(CLAIM_KEY, None)
    request.session[DONE_KEY] = client.client_number
    return redirect("clients:registration_done")


def _verify_page(request: HttpRequest, stored: dict[str, dict[str, str]]) -> HttpResponse:
    sections = []
    for step in STEPS[:4]:
        form = _bound(step, stored.get(str(step.number)))
        form.is_valid()
        rows = [
            (form[name].label, _display(form, name))
            for name in form.fields
            if name not in {"email_confirm"}
        ]
        sections.append({"step": step, "rows": rows})
    return render(
        request,
        "clients/registration_verify.html",
        {"sections": sections, "steps": STEP_TITLES, "current": 6, "step": STEPS[5]},
    )


def _display(form: forms.Form, name: str) -> str:
    value = form.cleaned_data.get(name)
    field = form.fields[name]
    if value in (None, ""):
        return ""
    if isinstance(value, ImmigrationStatus):
        return value.label
    if hasattr(field, "choices") and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def registration_confirm_record(request: HttpRequest) -> HttpResponse:
    """« Confirmer votre dossier client »: the code sent to the address on the ministry record
    the registration claims (security finding 2)."""
    claim = request.session.get(CLAIM_KEY) or {}
    target = unclaimed_record(claim.get("client"))
    if target is None or _registered(request) or _first_invalid_step(request) is not None:
        return redirect("clients:registration_step", number=6)
    account = str(current_user(request).pk)
    form = LinkCodeForm(request.POST or None)
    if request.method == "POST":
        if throttle.is_locked(
            throttle.Scope.AUTHORIZATION_CODE, user_code=account, request=request
        ):
            return throttle.locked_response(request)
        if form.is_valid():
            if authorization.use_link_code(client=target, code=form.cleaned_data["code"]):
                request.session[CLAIM_KEY] = {"client": target.pk, "confirmed": True}
                return _register(request)
            if throttle.record_failure(
                throttle.Scope.AUTHORIZATION_CODE, user_code=account, request=request
            ):
                return throttle.locked_response(request)
            form.add_error("code", _("Ce code n'est pas valide ou a expiré."))
    return render(
        request,
        "clients/registration_confirm_record.html",
        {"form": form, "steps": STEP_TITLES, "current": 6, "step": STEPS[5]},
        status=422 if form.errors else 200,
    )


@roles(Role.CLIENT)
def registration_done(request: HttpRequest) -> HttpResponse:
    """« Confirmation d'inscription au Service en ligne de prise de rendez-vous » (§4.11)."""
    number = request.session.get(DONE_KEY)
    client = _registered(request)
    if client is None or number != client.client_number:
        return redirect("core:home")
    return render(request, "clients/registration_done.html", {"client": client})


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def status_update(request: HttpRequest) -> HttpResponse:
    """« Modifier statut, permis ou certificat » (seed 000 §5.3.1)."""
    client = _registered(request)
    if client is None:
        return redirect("clients:registration_start")
    if request.method == "POST":
        form = StatusUpdateForm(request.POST)
        if form.is_valid():
            values = {
                **form.cleaned_data,
                "french_sufficient": form.cleaned_data["french_sufficient"] == YES,
            }
            services.update_status(client=client, values=values, actor=actor_of(request))
            messages.success(request, _("Votre statut, permis ou certificat a été mis à jour."))
            return redirect("clients:status_update")
    else:
        form = StatusUpdateForm(
            initial={
                "status": client.status_id,
                "status_granted_on": client.status_granted_on,
                "french_sufficient": YES if client.french_sufficient else NO,
            }
        )
    return render(request, "clients/status_update.html", {"form": form, "client": client})


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def contact_update(request: HttpRequest) -> HttpResponse:
    """« Modifier vos coordonnées » (seed 000 §6.3)."""
    client = _registered(request)
    if client is None:
        return redirect("clients:registration_start")
    if request.method == "POST":
        form = ContactUpdateForm(request.POST)
        if form.is_valid():
            services.update_contact(
                client=client, values=form.cleaned_data, actor=actor_of(request)
            )
            messages.success(request, _("Vos coordonnées ont été sauvegardées."))
            return redirect("clients:contact_update")
    else:
        form = ContactUpdateForm(
            initial={
                f: getattr(client, f) for f in services.CONTACT_UPDATE_FIELDS if f != "locality"
            }
            | {"locality": client.locality_id}
        )
    return render(request, "clients/contact_update.html", {"form": form, "menu": "contact"})


@public
@require_http_methods(["GET", "POST"])
def forgot_user_code(request: HttpRequest) -> HttpResponse:
    """« Code d'utilisateur oublié » (seed 000 §4.2): the code is emailed, never shown."""
    if request.method == "POST":
        identity_key = "{}|{}|{}".format(
            request.POST.get("last_name", ""),
            request.POST.get("first_name", ""),
            request.POST.get("birth_date", ""),
        )
        if throttle.is_locked(
            throttle.Scope.USER_CODE_RECOVERY, user_code=identity_key, request=request
        ):
            return throttle.locked_response(request)
        form = ForgotUserCodeForm(request.POST)
        if form.is_valid():
            sent = services.send_user_code_reminder(
                identity=_identity(form.cleaned_data), email=form.cleaned_data.get("email", "")
            )
            if not sent and throttle.record_failure(
                throttle.Scope.USER_CODE_RECOVERY, user_code=identity_key, request=request
            ):
                return throttle.locked_response(request)
            return redirect("clients:forgot_user_code_sent")
    else:
        form = ForgotUserCodeForm()
    return render(request, "clients/forgot_user_code.html", {"form": form})


@public
def forgot_user_code_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "clients/forgot_user_code_sent.html", {"login_url": reverse("accounts:login")}
    )


# --- Créer son profil de consultation avec un code d'autorisation (seed 000 §3.2) -----------

AUTHORIZATION_KEY = PROFILE_AUTHORIZATION_SESSION_KEY


@public
@require_http_methods(["GET", "POST"])
def authorization_code(request: HttpRequest) -> HttpResponse:
    """Sous-étape 1 de 2: code, date of birth and sex."""
    if request.method == "POST":
        code = request.POST.get("code", "")
        if throttle.is_locked(throttle.Scope.AUTHORIZATION_CODE, user_code=code, request=request):
            return throttle.locked_response(request)
        form = AuthorizationCodeForm(request.POST)
        if form.is_valid():
            found = authorization.find_valid(form.cleaned_data["code"])
            if (
                found is not None
                and found.client.birth_date == form.cleaned_data["birth_date"]
                and found.client.sex == form.cleaned_data["sex"]
            ):
                request.session[AUTHORIZATION_KEY] = {"id": found.pk, "verified": False}
                return redirect("clients:authorization_identifier")
            if throttle.record_failure(
                throttle.Scope.AUTHORIZATION_CODE, user_code=code, request=request
            ):
                return throttle.locked_response(request)
            form.add_error(
                None,
                _(
                    "Le code d'autorisation n'est pas valide, a expiré ou ne correspond pas à la "
                    "date de naissance et au sexe saisis."
                ),
            )
    else:
        form = AuthorizationCodeForm()
    return render(request, "clients/authorization_code.html", {"form": form, "substep": 1})


@public
@require_http_methods(["GET", "POST"])
def authorization_identifier(request: HttpRequest) -> HttpResponse:
    """Sous-étape 2 de 2: the reference number (existing client) or client number (new)."""
    pending = request.session.get(AUTHORIZATION_KEY)
    found = authorization.verifying(pending["id"]) if pending else None
    if found is None:
        return redirect("clients:authorization_code")
    client = found.client
    form_class: type[forms.Form] = (
        AuthorizationReferenceForm if client.reference_number else AuthorizationClientNumberForm
    )
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            given = next(iter(form.cleaned_data.values())).strip()
            expected = client.reference_number or client.client_number
            if given.upper() == expected.upper():
                request.session[AUTHORIZATION_KEY] = {"id": found.pk, "verified": True}
                return redirect("accounts:profile_create")
            if throttle.record_failure(
                throttle.Scope.AUTHORIZATION_CODE, user_code=str(found.pk), request=request
            ):
                request.session.pop(AUTHORIZATION_KEY, None)
                return throttle.locked_response(request)
            form.add_error(None, _("Ce numéro ne correspond pas à votre inscription."))
    else:
        form = form_class()
    return render(request, "clients/authorization_code.html", {"form": form, "substep": 2})


@public
@require_http_methods(["GET", "POST"])
def partner_access(request: HttpRequest, token: str) -> HttpResponse:
    """The person's answer to a partner's « Demande d'accès à votre dossier », through the
    single-use link sent to the address on file."""
    if request.method == "POST" and request.POST.get("decision") in ("grant", "refuse"):
        decided = services.decide_partner_access(
            token=token, grant=request.POST["decision"] == "grant", actor=actor_of(request)
        )
        return render(request, "clients/partner_access.html", {"decided": decided})
    access = services.pending_access(token)
    return render(
        request, "clients/partner_access.html", {"access": access}, status=200 if access else 404
    )
