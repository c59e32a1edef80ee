"""Deny by default: every view states who may use it.

    @public                              anyone, signed in or not
    @roles(Role.MINISTRY_STAFF, duty=Duty.INTAKE)   those roles, holding that duty (else 404)
    @public_debug_only                   anyone, only while DEBUG (development tools)
    @machine                             another system, authenticated by the view itself
    @roles(Role.CLIENT)                  signed-in users with one of these roles

The declarations know no domain (roles are strings); `guichet.accounts.access` enforces them.
A view without a declaration is refused with 403 (and logged), so forgetting is safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

ATTRIBUTE = "access_policy"
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Policy:
    """Who may run a view. `roles` empty with `public` False means nobody."""

    public: bool = False
    debug_only: bool = False
    roles: frozenset[str] = frozenset()
    # Called by another system, not a person: no session, the view authenticates the caller
    # itself (an API key, a signature) and answers 400 or 401 without them.
    machine: bool = False
    # A duty the signed-in user must also hold (a ministry staff member's, like the intake
    # officers'): anyone else is answered 404, as if the page did not exist.
    duty: str = ""

    def allows_anonymous(self) -> bool:
        return self.public

    def allows_role(self, role: str) -> bool:
        return self.public or role in self.roles


def _mark(policy: Policy) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        setattr(view, ATTRIBUTE, policy)
        return view

    return decorate


def public(view: F) -> F:
    return _mark(Policy(public=True))(view)


def machine(view: F) -> F:
    """A server-to-server endpoint (a provider's notification, a test bank's API): reached
    without a session; the view checks the caller's key or signature."""
    return _mark(Policy(public=True, machine=True))(view)


def public_debug_only(view: F) -> F:
    return _mark(Policy(public=True, debug_only=True))(view)


def roles(*allowed: str, duty: str = "") -> Callable[[F], F]:
    """Signed-in users with one of these roles (and, with `duty`, holding that duty)."""
    if not allowed:
        raise ValueError("roles() needs at least one role")
    return _mark(Policy(roles=frozenset(str(r) for r in allowed), duty=str(duty)))


def policy_of(view: Callable[..., Any]) -> Policy | None:
    """The declared policy of a view function or class-based view, if any."""
    found = getattr(view, ATTRIBUTE, None)
    if found is None and hasattr(view, "view_class"):
        found = getattr(view.view_class, ATTRIBUTE, None)
    return found


# Third-party views that enforce their own access rules.
SELF_GUARDED_MODULES: tuple[str, ...] = ("django.contrib.admin.", "django.contrib.auth.admin")


def is_self_guarded(view: Callable[..., Any]) -> bool:
    module = getattr(view, "__module__", "") or ""
    from django.contrib.admin import AdminSite

    wrapped_by_admin = hasattr(view, "admin_site") or hasattr(view, "model_admin")
    bound_to_admin = isinstance(getattr(view, "__self__", None), AdminSite)
    return wrapped_by_admin or bound_to_admin or module.startswith(SELF_GUARDED_MODULES)
