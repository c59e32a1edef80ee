"""Who is acting: built once per request, handed to every service.

Services never see the `HttpRequest`. They receive an `Actor` — the signed-in user (or none),
the « Source » the change is recorded under, the address the request came from — and, later, the
API client that called. A `User` alone is accepted where no request exists (tasks, the demo,
tests): `as_actor(user)` is that user, with no address.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.http import HttpRequest

    from guichet.accounts.models import User

REQUEST_ATTRIBUTE = "actor"


class Source(models.TextChoices):
    """Who acted (seed 000, column « Source »), recorded with every change."""

    CLIENT = "client", _("Client")
    PARTNER = "partner", _("Partenaire")
    MINISTRY = "ministry", _("Ministère")
    EMPLOYER = "employer", _("Employeur")
    # A partner's or the ministry's system calling Guichet's interface (no person at a screen).
    API = "api", _("API")
    SYSTEM = "system", _("Système")


@dataclass(frozen=True)
class Actor:
    """The person (or nobody) behind a change, its source and where the request came from."""

    user: User | None
    source: str
    ip: str | None = None

    @classmethod
    def of(cls, user: User | None, *, ip: str | None = None) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            return cls(user=None, source=Source.SYSTEM, ip=ip)
        return cls(user=user, source=user.source, ip=ip)

    @classmethod
    def system(cls) -> Actor:
        return cls(user=None, source=Source.SYSTEM)

    def acting_as(self, user: User) -> Actor:
        """The same request, now on behalf of `user` (who just proved who they are: a new
        profile, answers to the security questions)."""
        return replace(self, user=user, source=user.source)

    @property
    def person(self) -> User:
        """The signed-in user; a service that needs one refuses an anonymous actor."""
        if self.user is None:
            raise PermissionDenied
        return self.user


def as_actor(who: Actor | User | None) -> Actor:
    if isinstance(who, Actor):
        return who
    return Actor.of(who)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies, each appending to
    X-Forwarded-For, it is the entry the outermost trusted proxy wrote: entries to its left
    were written by the client and prove nothing. A header shorter than the proxy count (the
    request did not come through every proxy) falls back to the connecting address."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def actor_of(request: HttpRequest) -> Actor:
    """The request's actor, made once (by `ActorMiddleware`, or on first use) and kept."""
    found: Any = getattr(request, REQUEST_ATTRIBUTE, None)
    user = getattr(request, "user", None)
    if isinstance(found, Actor) and found.user is _signed_in(user):
        return found
    actor = Actor.of(_signed_in(user), ip=client_ip(request))
    setattr(request, REQUEST_ATTRIBUTE, actor)
    return actor


def _signed_in(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None
