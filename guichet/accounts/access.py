"""Deny by default: every view states who may use it, and the middleware enforces it.

    @public                              anyone, signed in or not
    @public_debug_only                   anyone, only while DEBUG (development tools)
    @roles(Role.CLIENT)                  signed-in users with one of these roles

A view without a declaration is refused with 403 (and logged), so forgetting is safe.
Object-level scoping (a client's own records, a partner's own organisation) stays the job of
the selectors; this layer decides only whether the view may run at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from guichet.core.access import is_self_guarded, policy_of

from .models import Role, User

logger = logging.getLogger(__name__)


def current_user(request: HttpRequest) -> User:
    """The signed-in user of a view that declared roles (the middleware made sure of it)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


# After signing in with a temporary password, only these views are reachable until the
# account chooses a new password (seed 000 §4.3).
PASSWORD_CHANGE_ALLOWED = frozenset({"accounts:password_change", "accounts:logout"})
# Staff without a second factor reach only its setup (and logout).
TWO_FACTOR_SETUP_ALLOWED = frozenset({"accounts:two_factor_setup", "accounts:logout"})


class AccessPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Iterable[Any],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        from django.conf import settings

        forced = _forced_step(request)
        if forced is not None:
            return forced
        if is_self_guarded(view_func):
            return None
        policy = policy_of(view_func)
        if policy is None:
            logger.error(
                "Refused undeclared view %s.%s",
                getattr(view_func, "__module__", "?"),
                getattr(view_func, "__name__", "?"),
            )
            raise PermissionDenied("view has no access declaration")
        if policy.debug_only and not settings.DEBUG:
            raise Http404
        if policy.public:
            return None
        user = request.user
        if not user.is_authenticated:
            # The employer portal's pages send to its own sign-in (CléGC), not the clients'.
            employers_only = policy.roles == frozenset({Role.EMPLOYER})
            return redirect_to_login(
                request.get_full_path(),
                login_url=reverse("employers:login") if employers_only else None,
            )
        if not user.is_active or not policy.allows_role(getattr(user, "role", "")):
            raise PermissionDenied
        if policy.duty and not (isinstance(user, User) and user.has_duty(policy.duty)):
            # A duty's pages do not exist for anyone else (a complaint's, an application's).
            raise Http404
        return _awaiting_company(request)


# An employer's user who belongs to no company yet (registration in progress, waiting for the
# ministry's verification, or refused) reaches only the portal registration (seed 004 §III).
EMPLOYER_ONBOARDING_NAMESPACE = "employer_registration"
EMPLOYER_ONBOARDING_ALLOWED = frozenset(
    {
        "accounts:logout",
        "accounts:keepalive",
        "employers:logout",
        "accounts:two_factor_setup",
        # « Étape 3 : Veuillez prendre quelques minutes pour évaluer votre expérience ».
        "complaints:satisfaction",
    }
)


def _awaiting_company(request: HttpRequest) -> HttpResponse | None:
    user = request.user
    if not isinstance(user, User) or user.role != "employer" or user.organisation_id:
        return None
    match = request.resolver_match
    if match is None or match.namespace == EMPLOYER_ONBOARDING_NAMESPACE:
        return None
    if match.view_name in EMPLOYER_ONBOARDING_ALLOWED:
        return None
    return redirect(f"{EMPLOYER_ONBOARDING_NAMESPACE}:resume")


def _forced_step(request: HttpRequest) -> HttpResponse | None:
    """Steps a signed-in account must take before anything else, admin pages included: a new
    password after a temporary one; a second factor for staff (SPEC A7)."""
    user = request.user
    if not user.is_authenticated or not isinstance(user, User):
        return None
    match = request.resolver_match
    view_name = match.view_name if match is not None else ""
    if user.must_change_password and view_name not in PASSWORD_CHANGE_ALLOWED:
        return redirect("accounts:password_change")
    if user.is_staff_member and view_name not in TWO_FACTOR_SETUP_ALLOWED:
        from .two_factor import has_device

        if not has_device(user):
            return redirect("accounts:two_factor_setup")
    return None
