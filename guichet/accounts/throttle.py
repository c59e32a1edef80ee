"""Locks after repeated failures (seed 000 §4.3: « Si vous excédez le nombre de tentatives
permises »). Failures are counted in the shared cache (Redis, or the database cache) per user
code and per IP address, in a fixed window; a lock, once set, is kept by the database
(`Lockout`), so that losing Redis never lifts it (issue 33). Keys are hashed: neither the cache
nor the table holds a user code or an address."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from guichet.audit.services import audit
from guichet.core.actor import Actor, client_ip

from .models import Lockout, User, canonical_user_code


class Scope(StrEnum):
    LOGIN = "login"
    RECOVERY = "recovery"
    USER_CODE_RECOVERY = "usercode"
    AUTHORIZATION_CODE = "authcode"
    DOSSIER_LINK = "dossierlink"
    IDENTITY_MATCH = "identity"
    # Answers that say an account, an address or an identity exists (the seed's messages are
    # kept): counted per address only, so that one address cannot list who is registered.
    EXISTENCE = "existence"
    IDENTITY_TARGET = "identitytarget"
    # An employer's user answering the security question to sign (a registration, a job offer)
    # and typing a company's PIN: counted per account (its user code) and per address.
    SIGNATURE = "signature"
    COMPANY_PIN = "companypin"


def guarded(scope: Scope, user: User, request: HttpRequest) -> HttpResponse | None:
    """The lock screen when `user` (or the address) is locked out of `scope`, else None."""
    if is_locked(scope, user_code=user.get_username(), request=request):
        return locked_response(request)
    return None


def failed(scope: Scope, user: User, request: HttpRequest) -> HttpResponse | None:
    """Count a wrong answer; the lock screen when this one locks, else None."""
    if record_failure(scope, user_code=user.get_username(), request=request):
        return locked_response(request)
    return None


# Scopes whose subject is a user code as typed: counted on the account it names.
ACCOUNT_SCOPES = {Scope.LOGIN, Scope.RECOVERY, Scope.DOSSIER_LINK}


def _key(kind: str, scope: Scope, value: str) -> str:
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:32]
    return f"lockout:{kind}:{digest}"


def _subject(scope: Scope, value: str) -> str:
    """What a failure counts against. For a user code, the stored account it names (so that
    `XSSCLIENT01` and `xssclient01` are one subject, the account `xssClient01`); a typed value
    that cannot be a user code (a look-alike with a long s or a dotless i) is counted as its
    NFKC case-folded self, and finds no account either."""
    if scope in ACCOUNT_SCOPES:
        canonical = canonical_user_code(value)
        if canonical:
            pk = User.objects.filter(username__iexact=canonical).values_list("pk", flat=True)
            found = pk.first()
            return f"account:{found}" if found is not None else f"code:{canonical}"
    return "value:" + unicodedata.normalize("NFKC", value).strip().casefold()


def _subjects(scope: Scope, user_code: str, request: HttpRequest | None) -> list[tuple[str, int]]:
    """(key suffix, threshold) for each thing we count: the user code and the IP address."""
    subjects = []
    if user_code:
        subjects.append(
            (f"user:{scope}:{_subject(scope, user_code)}", settings.LOCKOUT_MAX_FAILURES)
        )
    ip = client_ip(request)
    if ip:
        subjects.append((f"ip:{scope}:{ip}", settings.LOCKOUT_MAX_FAILURES_PER_IP))
    return subjects


def is_locked(scope: Scope, *, user_code: str, request: HttpRequest) -> bool:
    keys = [_key("lock", scope, subject) for subject, _ in _subjects(scope, user_code, request)]
    return bool(keys) and Lockout.objects.filter(key__in=keys, until__gt=timezone.now()).exists()


def record_failure(scope: Scope, *, user_code: str, request: HttpRequest | None) -> bool:
    """Count one failure; return True if this failure locks."""
    locked = False
    for subject, threshold in _subjects(scope, user_code, request):
        counter = _key("count", scope, subject)
        cache.add(counter, 0, timeout=settings.LOCKOUT_WINDOW_SECONDS)
        try:
            failures = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, 1, timeout=settings.LOCKOUT_WINDOW_SECONDS)
            failures = 1
        if failures >= threshold:
            _lock(_key("lock", scope, subject))
            cache.delete(counter)
            locked = True
    if locked:
        audit(
            Actor.of(None, ip=client_ip(request)), "account.locked", details={"scope": str(scope)}
        )
    return locked


def _lock(key: str) -> None:
    now = timezone.now()
    Lockout.objects.filter(until__lte=now).delete()  # the expired ones go as new ones come
    Lockout.objects.update_or_create(
        key=key, defaults={"until": now + timedelta(seconds=settings.LOCKOUT_SECONDS)}
    )


def reset(scope: Scope, *, user_code: str) -> None:
    """A success clears the user code's count (not the address's)."""
    if user_code:
        cache.delete(_key("count", scope, f"user:{scope}:{_subject(scope, user_code)}"))


def probe(request: HttpRequest) -> bool:
    """Count one answer that revealed that something exists; True when the address is now
    locked out of such answers."""
    return record_failure(Scope.EXISTENCE, user_code="", request=request)


def probing_locked(request: HttpRequest) -> bool:
    return is_locked(Scope.EXISTENCE, user_code="", request=request)


def locked_response(request: HttpRequest) -> HttpResponse:
    """The seed's screen when the number of attempts allowed is exceeded."""
    minutes = max(1, -(-settings.LOCKOUT_SECONDS // 60))  # rounded up
    return render(request, "accounts/locked.html", {"LOCKOUT_MINUTES": minutes}, status=429)


# --- Rates: at most so many of a thing per subject in a window ---------------------------------


@dataclass(frozen=True)
class Rate:
    """At most `limit` `name`s (profiles created, complaints sent…) for one subject (an
    address, an email, an account) in `window` seconds. The subject is hashed in the key."""

    name: str
    subject: str
    limit: int
    window: int

    @property
    def key(self) -> str:
        digest = hashlib.sha256(f"{self.name}:{self.subject}".encode()).hexdigest()[:32]
        return f"rate:{self.name}:{digest}"


def rate_reached(rates: list[Rate]) -> bool:
    """True when one of the subjects has used up its allowance."""
    return any((cache.get(rate.key) or 0) >= rate.limit for rate in rates)


def count(rates: list[Rate]) -> None:
    """One more for each subject (the window starts with the first)."""
    for rate in rates:
        if cache.add(rate.key, 1, timeout=rate.window):
            continue
        try:
            cache.incr(rate.key)
        except ValueError:  # expired between add and incr
            cache.set(rate.key, 1, timeout=rate.window)


def ip_rate(name: str, ip: str | None, limit: int, window: int) -> list[Rate]:
    """The rate of one client address (none when the address is unknown)."""
    return [Rate(name, f"ip:{ip}", limit, window)] if ip else []


def email_subject(email: str) -> str:
    """An email as one subject: case and compatibility forms folded."""
    return "email:" + unicodedata.normalize("NFKC", email).strip().casefold()


# --- Profiles created (seed 002: one account per email; no burst of accounts) ------------------


def _creation_rates(request: HttpRequest, email: str) -> list[Rate]:
    """The address the request comes from, and the email's domain (a burst)."""
    rates = ip_rate(
        "profiles", client_ip(request), settings.PROFILES_PER_IP, settings.PROFILES_PER_IP_SECONDS
    )
    domain = email.rpartition("@")[2].strip().lower()
    if domain:
        rates.append(
            Rate(
                "profiles",
                f"domain:{domain}",
                settings.PROFILES_PER_DOMAIN,
                settings.PROFILES_PER_DOMAIN_SECONDS,
            )
        )
    return rates


def profile_creation_limited(request: HttpRequest, email: str) -> bool:
    """True when the address, or the email's domain within a short burst, has created as many
    profiles as allowed: one person needs one profile (an office's shared address a few)."""
    return rate_reached(_creation_rates(request, email))


def count_profile_created(request: HttpRequest, email: str) -> None:
    count(_creation_rates(request, email))
