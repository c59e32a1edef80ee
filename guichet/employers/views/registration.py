"""« Inscription au portail des employeurs » (seed 004 §III), one screen per question, each
kept as answered. An employer's user who belongs to no company yet reaches only these views
(guichet.accounts.access)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts import throttle
from guichet.accounts.access import current_user
from guichet.accounts.models import Role
from guichet.core.access import roles
from guichet.core.actor import actor_of
from guichet.core.refusals import Refused

from .. import services
from ..forms import CompanyForm, ContactForm, FourQuestionsForm, PinForm, PortalForm, SignatureForm
from ..models import Registration, RegistrationStatus

# The screens in order; `next_step` names the first one still to answer.
STEPS = [
    "terms",
    "welcome",
    "pin",
    "portal",
    "reregistration",
    "questions",
    "start",
    "contact",
    "company",
    "declaration",
    "transmit",
]


def next_step(registration: Registration) -> str:
    r = registration
    if r.status == RegistrationStatus.APPROVED:
        return "approved"
    if r.status == RegistrationStatus.PENDING:
        return "status"
    if r.status == RegistrationStatus.REFUSED and not r.started:
        return "status"
    checks = [
        ("terms", r.portal_terms_accepted_at is not None),
        ("welcome", r.welcomed),
        ("pin", r.has_pin is False or r.pin_id is not None),
        ("portal", bool(r.portal)),
        ("reregistration", r.pin_id is not None or r.reregistering is False),
        ("questions", r.questions_set),
        ("start", r.started),
        ("contact", r.contact_done),
        ("company", r.pin_id is not None or r.company_done),
        ("declaration", r.signed_at is not None and r.answers_digest == services.answers_digest(r)),
    ]
    for name, done in checks:
        if not done:
            return name
    return "transmit"


def _go(step: str) -> HttpResponse:
    if step == "approved":
        return redirect("employers:home")
    return redirect(f"employer_registration:{step}")


View = Callable[..., HttpResponse]


def step(name: str) -> Callable[[View], View]:
    """Reach a screen only once the ones before it are answered; a transmitted registration
    can no longer change."""

    def decorate(view: View) -> View:
        @roles(Role.EMPLOYER)
        @require_http_methods(["GET", "POST"])
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            registration = services.registration_of(current_user(request))
            first = next_step(registration)
            if first not in STEPS or STEPS.index(first) < STEPS.index(name):
                return _go(first)
            return view(request, registration, *args, **kwargs)

        return wrapper

    return decorate


def _refused(request: HttpRequest, refusal: Refused, form: Any = None) -> None:
    if form is not None and refusal.field and refusal.field in form.fields:
        form.add_error(refusal.field, refusal.message)
    else:
        messages.error(request, refusal.message)


@roles(Role.EMPLOYER)
def resume(request: HttpRequest) -> HttpResponse:
    return _go(next_step(services.registration_of(current_user(request))))


@step("terms")
def terms(request: HttpRequest, registration: Registration) -> HttpResponse:
    """The portal's « Conditions d'utilisation »: refusing means no access."""
    if request.method == "POST":
        if request.POST.get("action") == "accept":
            services.accept_portal_terms(actor=actor_of(request))
            return redirect("employer_registration:welcome")
        return render(request, "employers/registration/terms_refused.html")
    return render(request, "employers/registration/terms.html")


@step("welcome")
def welcome(request: HttpRequest, registration: Registration) -> HttpResponse:
    if request.method == "POST":
        services.answer(actor=actor_of(request), welcomed=True)
        return redirect("employer_registration:pin")
    return render(request, "employers/registration/welcome.html")


@step("pin")
def pin(request: HttpRequest, registration: Registration) -> HttpResponse:
    """« Avez-vous reçu un numéro d'identification personnel (NIP)…? » Oui / Non; Oui asks
    for it."""
    form = PinForm()
    asking = request.GET.get("nip") == "oui" or registration.has_pin is True
    user = current_user(request)
    if request.method == "POST":
        choice = request.POST.get("action")
        if choice == "pin" and (
            locked := throttle.guarded(throttle.Scope.COMPANY_PIN, user, request)
        ):
            return locked
        if choice == "non":
            services.answer(actor=actor_of(request), has_pin=False, pin=None)
            return redirect("employer_registration:portal")
        if choice == "oui":
            asking = True
        elif choice == "pin":
            asking = True
            form = PinForm(request.POST)
            if form.is_valid():
                try:
                    services.use_pin(actor=actor_of(request), pin=form.cleaned_data["pin"])
                except Refused as refusal:
                    if locked := throttle.failed(throttle.Scope.COMPANY_PIN, user, request):
                        return locked
                    _refused(request, refusal, form)
                else:
                    throttle.reset(throttle.Scope.COMPANY_PIN, user_code=user.get_username())
                    return redirect("employer_registration:portal")
    return render(request, "employers/registration/pin.html", {"form": form, "asking": asking})


@step("portal")
def portal(request: HttpRequest, registration: Registration) -> HttpResponse:
    if request.method == "POST":
        form = PortalForm(request.POST)
        if form.is_valid():
            services.answer(actor=actor_of(request), portal=form.cleaned_data["portal"])
            return _go(next_step(services.registration_of(current_user(request))))
    else:
        form = PortalForm(initial={"portal": registration.portal})
    return render(request, "employers/registration/portal.html", {"form": form})


@step("reregistration")
def reregistration(request: HttpRequest, registration: Registration) -> HttpResponse:
    """« Est-ce que vous : essayez de vous inscrire de nouveau… / vous inscrivez en tant que
    succursale…? » Oui leads to the PIN: a branch or a second registration joins the company
    through its primary user."""
    if registration.pin_id:
        return redirect("employer_registration:questions")
    if request.method == "POST":
        if request.POST.get("action") == "non":
            services.answer(actor=actor_of(request), reregistering=False)
            return redirect("employer_registration:questions")
        services.answer(actor=actor_of(request), reregistering=True)
        return render(request, "employers/registration/branch.html")
    return render(request, "employers/registration/reregistration.html")


@step("questions")
def questions(request: HttpRequest, registration: Registration) -> HttpResponse:
    if request.method == "POST":
        form = FourQuestionsForm(request.POST)
        if form.is_valid():
            services.set_questions(actor=actor_of(request), answers=form.answers())
            return redirect("employer_registration:start")
    else:
        form = FourQuestionsForm()
    return render(
        request,
        "employers/registration/questions.html",
        {"form": form, "already": registration.questions_set},
    )


@step("start")
def start(request: HttpRequest, registration: Registration) -> HttpResponse:
    """« Que voulez-vous faire aujourd'hui? » — S'inscrire comme employeur."""
    if request.method == "POST":
        services.answer(actor=actor_of(request), started=True)
        return redirect("employer_registration:contact")
    return render(request, "employers/registration/start.html", {"registration": registration})


CONTACT_FIELDS = ["last_name", "first_name", "job_title", "phone", "fax", "email"]
COMPANY_FIELDS = ["legal_name", "operating_name", "business_number"]


@step("contact")
def contact(request: HttpRequest, registration: Registration) -> HttpResponse:
    """« Coordonnées de l'utilisateur »."""
    user = current_user(request)
    pin_email = registration.pin.email if registration.pin_id and registration.pin else ""
    if request.method == "POST":
        form = ContactForm(request.POST, user_id=user.pk, pin_email=pin_email)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in CONTACT_FIELDS}
            services.answer(actor=actor_of(request), contact_done=True, **values)
            return _go(next_step(services.registration_of(user)))
    else:
        initial = {name: getattr(registration, name) for name in CONTACT_FIELDS}
        form = ContactForm(initial=initial, user_id=user.pk, pin_email=pin_email)
    return render(
        request,
        "employers/registration/contact.html",
        {"form": form, "registration": registration},
    )


@step("company")
def company(request: HttpRequest, registration: Registration) -> HttpResponse:
    """« Renseignements sur l'entreprise »: Précédent, Quitter, Continuer."""
    if registration.pin_id:
        return redirect("employer_registration:declaration")
    if request.method == "POST":
        if request.POST.get("action") == "back":
            return redirect("employer_registration:contact")
        form = CompanyForm(request.POST)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in COMPANY_FIELDS}
            services.answer(
                actor=actor_of(request),
                company_done=True,
                is_canadian=form.cleaned_data["is_canadian"] == "oui",
                **values,
            )
            return redirect("employer_registration:declaration")
    else:
        initial: dict[str, Any] = {name: getattr(registration, name) for name in COMPANY_FIELDS}
        initial["business_number_confirm"] = registration.business_number
        if registration.is_canadian is not None:
            initial["is_canadian"] = "oui" if registration.is_canadian else "non"
        form = CompanyForm(initial=initial)
    return render(request, "employers/registration/company.html", {"form": form})


@step("declaration")
def declaration(request: HttpRequest, registration: Registration) -> HttpResponse:
    """« Votre déclaration solennelle et votre signature électronique »: J'accepte, names, the
    CléGC security question, then « Signer »."""
    user = current_user(request)
    question = services.signature_question(user)
    if request.method == "POST":
        if locked := throttle.guarded(throttle.Scope.SIGNATURE, user, request):
            return locked
        form = SignatureForm(request.POST, question=question)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.sign(
                    actor=actor_of(request),
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    security_answer=data["security_answer"],
                )
            except Refused as refusal:
                if refusal.code == "signature_answer" and (
                    locked := throttle.failed(throttle.Scope.SIGNATURE, user, request)
                ):
                    return locked
                _refused(request, refusal, form)
            else:
                throttle.reset(throttle.Scope.SIGNATURE, user_code=user.get_username())
                return redirect("employer_registration:transmit")
    else:
        form = SignatureForm(
            question=question,
            initial={"first_name": registration.first_name, "last_name": registration.last_name},
        )
    return render(
        request,
        "employers/registration/declaration.html",
        {"form": form, "registration": registration},
    )


@step("transmit")
def transmit(request: HttpRequest, registration: Registration) -> HttpResponse:
    """The signed declaration, greyed, and « Transmettre »."""
    if request.method == "POST":
        try:
            services.transmit(actor=actor_of(request))
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("employer_registration:resume")
        return redirect("employer_registration:done")
    return render(request, "employers/registration/transmit.html", {"registration": registration})


@roles(Role.EMPLOYER)
def done(request: HttpRequest) -> HttpResponse:
    """« Félicitations! Votre demande ou profil a été soumise avec succès. »"""
    registration = services.registration_of(current_user(request))
    if registration.submitted_at is None:
        return _go(next_step(registration))
    return render(request, "employers/registration/done.html", {"registration": registration})


@roles(Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Until the ministry approves, the only page: waiting, or the refusal and its reason (the
    registration can then be corrected and transmitted again)."""
    registration = services.registration_of(current_user(request))
    if registration.status == RegistrationStatus.APPROVED:
        return redirect("employers:home")
    if registration.status == RegistrationStatus.DRAFT:
        return _go(next_step(registration))
    if request.method == "POST" and registration.status == RegistrationStatus.REFUSED:
        services.answer(actor=actor_of(request), started=True)
        messages.info(
            request, _("Corrigez votre demande, puis signez-la et transmettez-la de nouveau.")
        )
        return redirect("employer_registration:contact")
    return render(request, "employers/registration/status.html", {"registration": registration})
