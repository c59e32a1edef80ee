"""« CléGC » (seed 004 §I-II): sign in, the terms, creating the user name, the password and the
recovery answers, and recovering a forgotten password through them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts import services as accounts
from guichet.accounts import throttle
from guichet.accounts.forms import LoginForm
from guichet.accounts.selectors import identifying_user
from guichet.accounts.throttle import locked_response
from guichet.accounts.views import GuichetLoginView
from guichet.core.access import public
from guichet.core.actor import actor_of

from .. import services
from ..forms import (
    GckeyLoginUsernameForm,
    MemorableForm,
    PasswordForm,
    RecoveryAnswerForm,
    RecoveryForm,
    UsernameForm,
)

CREATION_KEY = "gckey_creation"
CREATED_KEY = "gckey_created"
FORGOT_KEY = "gckey_recovery"


class GckeyLoginForm(LoginForm):
    """« Se connecter »: Nom d'utilisateur, Mot de passe (both « obligatoire »)."""

    required_mark = gettext_lazy("obligatoire")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("Nom d'utilisateur :")
        self.fields["password"].label = _("Mot de passe :")
        self.error_messages = {
            **self.error_messages,
            "invalid_login": _(
                "Le nom d'utilisateur ou le mot de passe est invalide. Vérifiez-les et "
                "essayez de nouveau."
            ),
        }


@public
class EmployerLoginView(GuichetLoginView):
    """« Bienvenue au service CléGC »: the portal's sign-in, then the security question."""

    template_name = "employers/login.html"
    authentication_form = GckeyLoginForm

    def correspondence_language(self) -> str:
        """« Choisissez votre langue de correspondance » (seed 004 §I): the language the
        holder signs in with here becomes the one the portal writes to them in."""
        return get_language() or ""


@public
@require_http_methods(["GET", "POST"])
def terms(request: HttpRequest) -> HttpResponse:
    """« Modalités et conditions d'utilisation » with J'accepte / Je refuse."""
    if request.user.is_authenticated:
        return redirect("employers:home")
    if request.method == "POST":
        if request.POST.get("action") == "accept":
            request.session[CREATION_KEY] = {"terms_at": timezone.now().isoformat()}
            return redirect("employers:gckey_username")
        request.session.pop(CREATION_KEY, None)
        messages.info(request, _("Vous avez choisi de ne pas vous inscrire pour une cléGC."))
        return redirect("employers:login")
    return render(request, "employers/gckey_terms.html")


def _creation(request: HttpRequest, *needed: str) -> dict[str, str] | None:
    stored = request.session.get(CREATION_KEY)
    if not stored or any(not stored.get(key) for key in needed):
        return None
    return dict(stored)


@public
@require_http_methods(["GET", "POST"])
def username(request: HttpRequest) -> HttpResponse:
    """« Créer votre nom d'utilisateur »: Continuer, Effacer tout, Annuler."""
    stored = _creation(request, "terms_at")
    if stored is None:
        return redirect("employers:gckey_terms")
    if request.method == "POST":
        if request.POST.get("action") == "clear":
            return render(request, "employers/gckey_username.html", {"form": UsernameForm()})
        if throttle.probing_locked(request):
            return locked_response(request)
        form = UsernameForm(request.POST)
        valid = form.is_valid()
        if form.revealed_existing and throttle.probe(request):
            return locked_response(request)
        if valid:
            stored["username"] = form.cleaned_data["username"]
            stored.pop("password_hash", None)
            request.session[CREATION_KEY] = stored
            return redirect("employers:gckey_password")
    else:
        form = UsernameForm(initial={"username": stored.get("username", "")})
    return render(request, "employers/gckey_username.html", {"form": form})


@public
@require_http_methods(["GET", "POST"])
def password(request: HttpRequest) -> HttpResponse:
    """« Créer votre mot de passe »: the `gckey` policy, typed twice."""
    stored = _creation(request, "terms_at", "username")
    if stored is None:
        return redirect("employers:gckey_username")
    if request.method == "POST":
        if request.POST.get("action") == "clear":
            form = PasswordForm(username=stored["username"])
        else:
            form = PasswordForm(request.POST, username=stored["username"])
            if form.is_valid():
                # Only the hash crosses to the next screen; the password is never stored.
                stored["password_hash"] = make_password(form.cleaned_data["password"])
                request.session[CREATION_KEY] = stored
                return redirect("employers:gckey_recovery")
    else:
        form = PasswordForm(username=stored["username"])
    return render(
        request, "employers/gckey_password.html", {"form": form, "username": stored["username"]}
    )


@public
@require_http_methods(["GET", "POST"])
def recovery(request: HttpRequest) -> HttpResponse:
    """« Créer vos questions, réponses et indices »: the CléGC is created here."""
    stored = _creation(request, "terms_at", "username", "password_hash")
    if stored is None:
        return redirect("employers:gckey_password")
    if request.method == "POST":
        if request.POST.get("action") == "clear":
            form = RecoveryForm()
        else:
            form = RecoveryForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    user = services.create_gckey(
                        actor=actor_of(request),
                        username=stored["username"],
                        password_hash=stored["password_hash"],
                        recovery=services.Recovery(
                            answers=form.answers(),
                            memorable_person=data["memorable_person"],
                            memorable_person_hint=data["memorable_person_hint"],
                            memorable_date=data["memorable_date"],
                            memorable_date_hint=data["memorable_date_hint"],
                        ),
                        terms_accepted_at=datetime.fromisoformat(stored["terms_at"]),
                        language=get_language() or "fr",
                    )
                except accounts.UserCodeTaken:
                    messages.error(
                        request,
                        _("Ce nom d'utilisateur vient d'être pris. Choisissez-en un autre."),
                    )
                    return redirect("employers:gckey_username")
                del request.session[CREATION_KEY]
                # The holder just chose this password: the session opens with the new CléGC,
                # and « Continuer » leads to the portal registration.
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                request.session[CREATED_KEY] = user.username
                return redirect("employers:gckey_created")
    else:
        form = RecoveryForm()
    return render(request, "employers/gckey_recovery.html", {"form": form})


@public
def created(request: HttpRequest) -> HttpResponse:
    """« S'enregistrer pour une cléGC - Complété »."""
    name = request.session.get(CREATED_KEY)
    if not name:
        return redirect("employers:login")
    return render(request, "employers/gckey_created.html", {"username": name})


# --- « Vous avez oublié votre mot de passe? » ---------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def forgot(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = GckeyLoginUsernameForm(request.POST)
        typed = request.POST.get("username", "")
        if throttle.is_locked(throttle.Scope.RECOVERY, user_code=typed, request=request):
            return locked_response(request)
        if form.is_valid():
            # Each look-up counts against the address: a list of user names cannot be tried.
            if throttle.probe(request):
                return locked_response(request)
            user = services.gckey_account(form.cleaned_data["username"])
            request.session[FORGOT_KEY] = {
                "user_id": user.pk if user is not None else None,
                "username": typed,
                "question": services.gckey_question(user, typed),
                "answered": False,
                "verified": False,
            }
            return redirect("employers:gckey_forgot_answers")
    else:
        form = GckeyLoginUsernameForm()
    return render(request, "employers/gckey_forgot.html", {"form": form})


def _recovery_step(
    request: HttpRequest, pending: dict[str, Any], step: str, right: bool, form: Any
) -> HttpResponse | None:
    """A recovery step answered: right, the next screen; wrong, one failure counted (the lock
    screen when it locks) and the same words whatever was wrong."""
    if right:
        pending[step] = True
        request.session[FORGOT_KEY] = pending
        following = "answers" if step == "answered" else "password"
        return redirect(f"employers:gckey_forgot_{following}")
    typed = pending["username"]
    if throttle.record_failure(throttle.Scope.RECOVERY, user_code=typed, request=request):
        del request.session[FORGOT_KEY]
        return locked_response(request)
    form.add_error(None, _("Les renseignements fournis ne permettent pas de vous authentifier."))
    return None


@public
@require_http_methods(["GET", "POST"])
def forgot_answers(request: HttpRequest) -> HttpResponse:
    """The recovery question; once it is answered right, the memorable person and the
    memorable date with the holder's hints (a user name alone shows no hint)."""
    pending = request.session.get(FORGOT_KEY)
    if not pending:
        return redirect("employers:gckey_forgot")
    typed = pending["username"]
    if throttle.is_locked(throttle.Scope.RECOVERY, user_code=typed, request=request):
        return locked_response(request)
    user = identifying_user(pending["user_id"], active_only=True)
    if not pending.get("answered"):
        form: RecoveryAnswerForm | MemorableForm = RecoveryAnswerForm(
            request.POST or None, question=pending["question"]
        )
        if request.method == "POST" and form.is_valid():
            right = services.recovery_answer_checks(user, answer=form.cleaned_data["answer"])
            if answered := _recovery_step(request, pending, "answered", right, form):
                return answered
        return render(request, "employers/gckey_forgot_answers.html", {"form": form, "hints": {}})
    form = MemorableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        right = services.memorable_checks(
            user, memorable_person=data["memorable_person"], memorable_date=data["memorable_date"]
        )
        if verified := _recovery_step(request, pending, "verified", right, form):
            return verified
    return render(
        request,
        "employers/gckey_forgot_answers.html",
        {"form": form, "hints": services.recovery_hints(user)},
    )


@public
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(FORGOT_KEY)
    user = identifying_user(pending["user_id"], active_only=True) if pending else None
    if pending is None or not pending.get("verified") or user is None:
        return redirect("employers:gckey_forgot")
    if request.method == "POST":
        form = PasswordForm(request.POST, username=user.username)
        if form.is_valid():
            services.reset_password(
                actor=actor_of(request).acting_as(user), password=form.cleaned_data["password"]
            )
            throttle.reset(throttle.Scope.RECOVERY, user_code=user.username)
            throttle.reset(throttle.Scope.LOGIN, user_code=user.username)
            del request.session[FORGOT_KEY]
            messages.success(
                request,
                _(
                    "Votre mot de passe a été modifié. Ouvrez une session avec votre nouveau "
                    "mot de passe."
                ),
            )
            return redirect("employers:login")
    else:
        form = PasswordForm(username=user.username)
    return render(request, "employers/gckey_forgot_password.html", {"form": form})
