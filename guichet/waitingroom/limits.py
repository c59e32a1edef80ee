"""Joins and polls are rate-limited per account and per address (bots; seed 002's « grand
achalandage »): fixed one-minute windows counted in the shared cache (Redis, or the database
cache). Keys are hashed: the cache holds no account id or address."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.accounts.access import current_user
from guichet.core.actor import client_ip

__all__ = ["LIMITS", "client_ip", "keys", "slow_down", "too_many", "too_many_for"]

# Per minute. A page polls every 4 s at the fastest (15 a minute); several tabs and reloads
# stay well under these. An address may hold many people (a library, a family).
LIMITS = {
    "join": {"account": 20, "address": 300},
    "poll": {"account": 90, "address": 3000},
}


def _key(what: str, kind: str, value: str, window: int) -> str:
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:24]
    return f"wr:{what}:{digest}:{window}"


def keys(what: str, account_id: int, address: str) -> list[tuple[str, int]]:
    """The counters of this minute (key, limit), per account and per address."""
    window = int(time.time() // 60)
    return [
        (_key(what, "account", str(account_id), window), LIMITS[what]["account"]),
        (_key(what, "address", address, window), LIMITS[what]["address"]),
    ]


def too_many(request: HttpRequest, what: str) -> bool:
    return too_many_for(current_user(request).pk, client_ip(request) or "", what)


def too_many_for(account_id: int, address: str, what: str) -> bool:
    """Counted in the shared cache (Redis, or the database when Redis is lost)."""
    over = False
    for key, limit in keys(what, account_id, address):
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            count = 1
        over = over or count > limit
    return over


def slow_down(request: HttpRequest) -> HttpResponse:
    return render(request, "waitingroom/slow_down.html", status=429)
