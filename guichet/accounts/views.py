from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import current_user
from guichet.audit.services import audit
from guichet.core.access import public, roles
from guichet.core.actor import actor_of
from guichet.core.params import local_path
from guichet.core.refusals import Refused

from . import services, throttle, two_factor
from .forms import (
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    ProfileCredentialsForm,
    ProfileSecurityForm,
    ProfileUpdateForm,
    SecurityAnswerForm,
    TwoFactorCodeForm,
    TwoFactorDisableForm,
)
from .models import Role, User
from .selectors import identifying_user
from .throttle import locked_response

PROFILE_SESSION_KEY = "profile_creation"
AUTHORIZATION_SESSION_KEY = services.PROFILE_AUTHORIZATION_SESSION_KEY
CREATED_SESSION_KEY = "profile_created_code"


@public
class GuichetLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user_code = request.POST.get("username", "")
        if throttle.is_locked(throttle.Scope.LOGIN, user_code=user_code, request=request):
            return locked_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        user_code = self.request.POST.get("username", "")
        if throttle.record_failure(throttle.Scope.LOGIN, user_code=user_code, request=self.request):
            return locked_response(self.request)
        return super().form_invalid(form)

    def get_default_redirect_url(self) -> str:
        """Where a person lands when no page asked for the sign-in (seed 000 §5.1 and 5.2)."""
        user = getattr(self, "_signing_in", None)
        return landing_url(user) if user is not None else super().get_default_redirect_url()

    def correspondence_language(self) -> str:
        """A sign-in page where the language shown is the one chosen for correspondence
        returns it; the account's own stays as it was otherwise."""
        return ""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        self._signing_in = user
        pending = {
            "user_id": user.pk,
            "backend": getattr(user, "backend", ""),
            "next": self.get_success_url(),
            "language": self.correspondence_language(),
        }
        question = services.sign_in_question(user)
        if question:
            # The password was right; an employer's account answers one of its security
            # questions next (seed 004 §I: « Vous devrez ensuite répondre à votre question de
            # sécurité »).
            self.request.session[QUESTION_PENDING_KEY] = {**pending, "question": question}
            return redirect("accounts:login_question")
        return _continue_sign_in(self.request, user, pending)


TWO_FACTOR_PENDING_KEY = "two_factor_pending"
QUESTION_PENDING_KEY = "sign_in_question"


def _continue_sign_in(request: HttpRequest, user: User, pending: dict[str, Any]) -> HttpResponse:
    """The password (and the security question, where asked) was right: the second factor if
    the account has one, else the session opens."""
    if two_factor.has_device(user):
        # The session opens only after the second factor.
        request.session[TWO_FACTOR_PENDING_KEY] = pending
        return redirect("accounts:login_verify")
    login(request, user, backend=pending["backend"] or None)
    return _after_login(request, user, pending["next"], pending.get("language", ""))


def landing_url(user: User) -> str:
    """Staff land in the Bureau; a client registered to the appointment service on
    « Sélectionner un rendez-vous »; an employer's user on the portal's account page;
    everybody else on the home page."""
    if user.role in (Role.PARTNER_STAFF, Role.MINISTRY_STAFF):
        return reverse("backoffice:calendar")
    if user.role == Role.CLIENT and hasattr(user, "client"):
        return reverse("appointments:mine")
    if user.role == Role.EMPLOYER:
        return reverse("employers:home")  # or the registration, while it is not approved
    return reverse("core:home")


def _after_login(
    request: HttpRequest, user: User, next_url: str, language: str = ""
) -> HttpResponse:
    throttle.reset(throttle.Scope.LOGIN, user_code=user.get_username())
    services.signed_in(user=user, language=language)
    audit(actor_of(request).acting_as(user), "account.login", user)
    if user.must_change_password:
        messages.info(request, _("Choisissez un nouveau mot de passe pour continuer."))
        return redirect("accounts:password_change")
    return HttpResponseRedirect(local_path(next_url) or resolve_url(settings.LOGIN_REDIRECT_URL))


@public
@require_http_methods(["GET", "POST"])
def login_question(request: HttpRequest) -> HttpResponse:
    """« Question de sécurité », the step after the password for the accounts that have one
    (the employers' portal). Wrong answers count towards the same lock as wrong passwords."""
    pending = request.session.get(QUESTION_PENDING_KEY)
    user = identifying_user(pending["user_id"], active_only=True) if pending else None
    if user is None or pending is None:
        return redirect("accounts:login")
    if throttle.is_locked(throttle.Scope.LOGIN, user_code=user.get_username(), request=request):
        return locked_response(request)
    if request.method == "POST":
        form = SecurityAnswerForm(request.POST, question=pending["question"])
        if form.is_valid():
            if services.check_security_answer(
                user, pending["question"], form.cleaned_data["answer"]
            ):
                del request.session[QUESTION_PENDING_KEY]
                return _continue_sign_in(
                    request, user, {k: v for k, v in pending.items() if k != "question"}
                )
            if throttle.record_failure(
                throttle.Scope.LOGIN, user_code=user.get_username(), request=request
            ):
                del request.session[QUESTION_PENDING_KEY]
                return locked_response(request)
            form.add_error(
                "answer", _("Cette réponse n'est pas exacte. Vérifiez-la et essayez de nouveau.")
            )
    else:
        form = SecurityAnswerForm(question=pending["question"])
    return render(request, "accounts/login_question.html", {"form": form})


@public
@require_http_methods(["GET", "POST"])
def login_verify(request: HttpRequest) -> HttpResponse:
    """Second step of « S'authentifier » for accounts with a second factor."""
    pending = request.session.get(TWO_FACTOR_PENDING_KEY)
    user = identifying_user(pending["user_id"], active_only=True) if pending else None
    if user is None or pending is None:
        return redirect("accounts:login")
    if throttle.is_locked(throttle.Scope.LOGIN, user_code=user.get_username(), request=request):
        return locked_response(request)
    if request.method == "POST":
        form = TwoFactorCodeForm(request.POST)
        if form.is_valid():
            if two_factor.verify(
                actor=actor_of(request).acting_as(user), code=form.cleaned_data["code"]
            ):
                del request.session[TWO_FACTOR_PENDING_KEY]
                login(request, user, backend=pending["backend"] or None)
                return _after_login(request, user, pending["next"], pending.get("language", ""))
            if throttle.record_failure(
                throttle.Scope.LOGIN, user_code=user.get_username(), request=request
            ):
                return locked_response(request)
            form.add_error(
                "code", _("Ce code n'est pas valide. Vérifiez-le et essayez de nouveau.")
            )
    else:
        form = TwoFactorCodeForm()
    return render(request, "accounts/login_verify.html", {"form": form})


@roles(*Role)
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn on the second factor: scan the QR code (or type the key), confirm with a code."""
    user = current_user(request)
    if two_factor.has_device(user):
        return render(
            request,
            "accounts/two_factor_status.html",
            {
                "menu": "two_factor",
                "remaining": two_factor.remaining_recovery_codes(user),
                "can_disable": not two_factor.required_for(user),
                "form": TwoFactorDisableForm(user=user),
            },
        )
    secret = request.session.get("two_factor_secret") or two_factor.new_secret()
    request.session["two_factor_secret"] = secret
    if request.method == "POST":
        form = TwoFactorCodeForm(request.POST)
        if form.is_valid():
            codes = two_factor.enable(
                actor=actor_of(request).acting_as(user),
                secret=secret,
                code=form.cleaned_data["code"],
            )
            if codes is not None:
                del request.session["two_factor_secret"]
                return render(request, "accounts/two_factor_codes.html", {"codes": codes})
            form.add_error(
                "code", _("Ce code n'est pas valide. Vérifiez-le et essayez de nouveau.")
            )
    else:
        form = TwoFactorCodeForm()
    uri = two_factor.provisioning_uri(user, secret)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.qr_svg(uri),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": two_factor.required_for(user),
            "menu": "two_factor",
        },
    )


@roles(Role.CLIENT, Role.EMPLOYER)
@require_http_methods(["POST"])
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = TwoFactorDisableForm(request.POST, user=user)
    if form.is_valid():
        two_factor.disable(actor=actor_of(request).acting_as(user))
        messages.success(request, _("L'authentification à deux facteurs est désactivée."))
        return redirect("accounts:two_factor_setup")
    return render(
        request,
        "accounts/two_factor_status.html",
        {
            "menu": "two_factor",
            "remaining": two_factor.remaining_recovery_codes(user),
            "can_disable": True,
            "form": form,
        },
    )


@roles(*Role)
@require_http_methods(["GET", "POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """« Quitter »: a confirmation page, then the session ends (POST only)."""
    if request.method == "POST":
        audit(actor_of(request), "account.logout", current_user(request))
        logout(request)
        messages.success(request, _("Vous êtes maintenant déconnecté."))
        return HttpResponseRedirect(local_path(request.POST.get("next")) or reverse("core:home"))
    return render(request, "accounts/logout_confirm.html")


# --- Créer son profil de consultation (seed 000 §3.1 to 3.3) --------------------------------------


@public
def profile_start(request: HttpRequest) -> HttpResponse:
    """« Créer son profil de consultation : avec ou sans code d'autorisation » (§3.1)."""
    request.session.pop(AUTHORIZATION_SESSION_KEY, None)
    request.session.pop(PROFILE_SESSION_KEY, None)
    return render(request, "accounts/profile_start.html")


@public
@require_http_methods(["GET", "POST"])
def profile_create(request: HttpRequest) -> HttpResponse:
    """Sous-étape 1 de 2: user code and password, each typed twice."""
    if request.user.is_authenticated:
        return redirect("core:home")
    pending = request.session.get(AUTHORIZATION_SESSION_KEY)
    if pending and not pending.get("verified"):
        return redirect("clients:authorization_identifier")
    stored = request.session.get(PROFILE_SESSION_KEY, {})
    if request.method == "POST":
        if throttle.probing_locked(request):
            return locked_response(request)
        form = ProfileCredentialsForm(request.POST)
        valid = form.is_valid()
        if form.revealed_existing and throttle.probe(request):
            return locked_response(request)
        if valid:
            # Only the hash crosses to the next sub-step; the password itself is never stored.
            request.session[PROFILE_SESSION_KEY] = {
                "user_code": form.cleaned_data["user_code"],
                "password_hash": make_password(form.cleaned_data["password"]),
            }
            return redirect("accounts:profile_create_security")
    else:
        code = stored.get("user_code", "")
        form = ProfileCredentialsForm(initial={"user_code": code, "user_code_confirm": code})
    return render(
        request,
        "accounts/profile_create.html",
        {"form": form, "substep": 1, "with_code": bool(pending)},
    )


@public
@require_http_methods(["GET", "POST"])
def profile_create_security(request: HttpRequest) -> HttpResponse:
    """Sous-étape 2 de 2: email twice and two security questions."""
    stored = request.session.get(PROFILE_SESSION_KEY)
    if not stored:
        return redirect("accounts:profile_create")
    if request.method == "POST":
        if throttle.probing_locked(request):
            return locked_response(request)
        form = ProfileSecurityForm(request.POST)
        valid = form.is_valid()
        if form.revealed_existing and throttle.probe(request):
            return locked_response(request)
        if valid and throttle.profile_creation_limited(request, form.cleaned_data["email"]):
            form.add_error(
                None,
                _(
                    "Trop de profils de consultation ont été créés à partir de votre connexion ou "
                    "pour ce domaine de courriel. Une personne n'a besoin que d'un seul profil : "
                    "réessayez plus tard."
                ),
            )
            return render(
                request,
                "accounts/profile_create_security.html",
                {"form": form, "substep": 2, "user_code": stored["user_code"]},
                status=429,
            )
        if valid:
            pending = request.session.get(AUTHORIZATION_SESSION_KEY)
            try:
                user = services.create_client_profile(
                    user_code=stored["user_code"],
                    password_hash=stored["password_hash"],
                    email=form.cleaned_data["email"],
                    answers=form.answers(),
                    language=get_language() or "fr",
                    actor=actor_of(request),
                    authorization=pending,
                )
            except services.UserCodeTaken as taken:
                messages.error(request, taken.message)
                return redirect("accounts:profile_create")
            except services.EmailTaken as taken:
                form.add_error(taken.field, taken.message)
            except Refused as refusal:
                request.session.pop(AUTHORIZATION_SESSION_KEY, None)
                messages.error(request, refusal.message)
                return redirect("clients:authorization_code")
            else:
                throttle.count_profile_created(request, user.email)
                del request.session[PROFILE_SESSION_KEY]
                request.session.pop(AUTHORIZATION_SESSION_KEY, None)
                request.session[CREATED_SESSION_KEY] = user.username
                return redirect("accounts:profile_created")
    else:
        form = ProfileSecurityForm()
    return render(
        request,
        "accounts/profile_create_security.html",
        {"form": form, "substep": 2, "user_code": stored["user_code"]},
    )


@public
def profile_created(request: HttpRequest) -> HttpResponse:
    user_code = request.session.get(CREATED_SESSION_KEY)
    if not user_code:
        return redirect("core:home")
    return render(request, "accounts/profile_created.html", {"user_code": user_code})


# --- Mot de passe oublié (seed 000 §4.3) -------------------------------------------------------


RECOVERY_KEY = "password_recovery"


@public
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    """« Demander un nouveau mot de passe »: user code and email."""
    if request.method == "POST":
        form = ForgotPasswordForm(request.POST)
        user_code = request.POST.get("user_code", "")
        if throttle.is_locked(throttle.Scope.RECOVERY, user_code=user_code, request=request):
            return locked_response(request)
        if form.is_valid():
            user = services.find_recovery_account(
                user_code=form.cleaned_data["user_code"], email=form.cleaned_data["email"]
            )
            question = services.recovery_question(user=user, user_code=user_code)
            if user is not None and not question:
                # No security question on file: the email alone proves the request (§4.3).
                services.send_temporary_password(actor=actor_of(request).acting_as(user))
                return redirect("accounts:forgot_password_sent")
            request.session[RECOVERY_KEY] = {
                "user_id": user.pk if user is not None else None,
                "user_code": user_code,
                "question": question,
            }
            return redirect("accounts:forgot_password_question")
    else:
        form = ForgotPasswordForm()
    return render(request, "accounts/forgot_password.html", {"form": form})


@public
@require_http_methods(["GET", "POST"])
def forgot_password_question(request: HttpRequest) -> HttpResponse:
    """The answer to one of the security questions (seed 000 §3.3: « Si vous oubliez votre mot
    de passe, vous pourrez vous authentifier au moyen de l'une ou l'autre des réponses »)."""
    pending = request.session.get(RECOVERY_KEY)
    if not pending:
        return redirect("accounts:forgot_password")
    user_code = pending["user_code"]
    if throttle.is_locked(throttle.Scope.RECOVERY, user_code=user_code, request=request):
        return locked_response(request)
    if request.method == "POST":
        form = SecurityAnswerForm(request.POST, question=pending["question"])
        if form.is_valid():
            user = identifying_user(pending["user_id"])
            if user is not None and services.check_security_answer(
                user, pending["question"], form.cleaned_data["answer"]
            ):
                del request.session[RECOVERY_KEY]
                services.send_temporary_password(actor=actor_of(request).acting_as(user))
                return redirect("accounts:forgot_password_sent")
            if throttle.record_failure(
                throttle.Scope.RECOVERY, user_code=user_code, request=request
            ):
                del request.session[RECOVERY_KEY]
                return locked_response(request)
            form.add_error(
                "answer",
                _("Les renseignements fournis ne permettent pas de vous authentifier."),
            )
    else:
        form = SecurityAnswerForm(question=pending["question"])
    return render(request, "accounts/forgot_password_question.html", {"form": form})


@public
def forgot_password_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/forgot_password_sent.html")


# --- Modifier son profil (seed 000 §6) ---------------------------------------------------------


@roles(Role.CLIENT, Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def profile_update(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if request.method == "POST":
        form = ProfileUpdateForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.update_profile(
                    actor=actor_of(request).acting_as(user),
                    email=form.cleaned_data["email"],
                    answers=form.answers_or_keep(),
                )
            except services.EmailTaken as taken:
                form.add_error(taken.field, taken.message)
            else:
                messages.success(request, _("Votre profil de consultation a été sauvegardé."))
                return redirect("accounts:profile_update")
    else:
        form = ProfileUpdateForm(user=user)
    return render(request, "accounts/profile_update.html", {"form": form, "menu": "profile"})


@roles(*Role)
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """« Modifier votre mot de passe » (seed 000 §6.4); also the forced change after a temporary
    password, which does not ask for the old one (it was just used)."""
    user = current_user(request)
    form_class = NewPasswordForm if user.must_change_password else PasswordChangeForm
    if request.method == "POST":
        form = form_class(request.POST, user=user)
        if form.is_valid():
            services.change_password(
                actor=actor_of(request).acting_as(user),
                new_password=form.cleaned_data["new_password"],
            )
            update_session_auth_hash(request, user)
            messages.success(request, _("Votre mot de passe a été modifié."))
            return redirect("accounts:password_change")
    else:
        form = form_class(user=user)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "menu": "password", "forced": user.must_change_password},
    )


# --- Session idle time-out (seed 000 §2.4; WCAG 2.2.1) -------------------------------------------


@roles(*Role)
@require_http_methods(["POST"])
def keepalive(request: HttpRequest) -> HttpResponse:
    """« Rester connecté »: any request extends the session (SESSION_SAVE_EVERY_REQUEST); this
    one exists so the warning can do it without leaving the page."""
    from django.http import JsonResponse

    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"expires_in": settings.SESSION_COOKIE_AGE})
    return HttpResponseRedirect(local_path(request.POST.get("next")) or reverse("core:home"))


@public
@require_http_methods(["GET", "POST"])
def session_expired(request: HttpRequest) -> HttpResponse:
    """« Session expirée »: where the page goes when the idle time is over. Showing it signs
    nobody out (a link or an image could point here); the page's own timer ends the session
    with a POST, and the server ends it anyway once the idle time is over."""
    if request.method == "POST":
        if request.user.is_authenticated:
            audit(actor_of(request), "account.logout", current_user(request))
            logout(request)
        return redirect("accounts:session_expired")
    return render(request, "accounts/session_expired.html")


# --- The email address confirmed -------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the address: GET shows a button (mail scanners open links without
    meaning to confirm anything), POST confirms."""
    if request.method == "POST":
        try:
            services.verify_email(token=token, actor=actor_of(request))
        except Refused as refusal:
            return render(request, "accounts/email_verified.html", {"refusal": refusal}, status=400)
        return render(request, "accounts/email_verified.html", {"verified": True})
    return render(request, "accounts/email_verified.html", {"token": token})


@roles(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def email_verification(request: HttpRequest) -> HttpResponse:
    """« Confirmer mon adresse courriel »: whether it is confirmed, and the link sent again."""
    user = current_user(request)
    if request.method == "POST":
        key = f"verification-sent:{user.pk}"
        if user.email_verified_at is None and not cache.add(key, 1, timeout=60):
            messages.error(
                request,
                _(
                    "Un lien vient de vous être envoyé. Attendez une minute avant d'en demander "
                    "un autre."
                ),
            )
        else:
            try:
                services.send_email_verification(actor=actor_of(request).acting_as(user))
            except Refused as refusal:
                messages.info(request, refusal.message)
            else:
                messages.success(
                    request,
                    _(
                        "Un lien de confirmation a été envoyé à votre adresse courriel. Il est "
                        "valide pendant 7 jours."
                    ),
                )
        return redirect(
            local_path(request.POST.get("next")) or reverse("accounts:email_verification")
        )
    return render(
        request,
        "accounts/email_verification.html",
        {"menu": "email", "next": local_path(request.GET.get("next")) or ""},
    )
