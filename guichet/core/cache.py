"""The shared cache: Redis when configured, the database cache when Redis cannot be reached.

Throttles, locks and the appointment search keep working when Redis is down (security review,
finding 5: sign-in, password and user-code recovery and the appointment search answered 500).
A failed Redis call switches this process to the database cache for RETRY_SECONDS, so each
request does not wait for a connection time-out; then Redis is tried again. While it is down,
counts start afresh in the database: a lock lasts at most as long as Redis stays away, and the
per-address and per-account limits still hold from the database.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30.0
REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)

# One state per process, shared by the per-thread cache objects Django makes.
_state_lock = threading.Lock()
_down_until = 0.0


def redis_degraded() -> bool:
    """True while this process is using the database instead of Redis."""
    return time.monotonic() < _down_until


def _mark_down(error: BaseException) -> None:
    global _down_until
    with _state_lock:
        first = not redis_degraded()
        _down_until = time.monotonic() + RETRY_SECONDS
    if first:
        logger.warning(
            "cache: Redis unreachable (%s); using the database cache", type(error).__name__
        )


def reset() -> None:
    """Forget a past failure (tests)."""
    global _down_until
    _down_until = 0.0


class FallbackCache(BaseCache):
    """Configured as the default cache when REDIS_URL is set. OPTIONS: `FALLBACK`, the alias of
    a DatabaseCache in CACHES (so that `createcachetable` makes its table); the rest goes to
    Redis (short socket time-outs by default)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        options = dict(params.get("OPTIONS") or {})
        self._fallback_alias = options.pop("FALLBACK", "fallback")
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        shared = {k: v for k, v in params.items() if k != "OPTIONS"}
        self._redis = RedisCache(server, {**shared, "OPTIONS": options})

    @property
    def _database(self) -> BaseCache:
        return caches[self._fallback_alias]

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not redis_degraded():
            try:
                return getattr(self._redis, name)(*args, **kwargs)
            except REDIS_ERRORS as error:
                _mark_down(error)
        return getattr(self._database, name)(*args, **kwargs)

    def add(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> Any:
        return self._call("add", key, value, timeout, version)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call("get", key, default, version)

    def set(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> None:
        self._call("set", key, value, timeout, version)

    def touch(self, key: Any, timeout: Any = None, version: Any = None) -> Any:
        return self._call("touch", key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._call("delete", key, version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._call("get_many", keys, version)

    def set_many(self, data: Any, timeout: Any = None, version: Any = None) -> Any:
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._call("delete_many", keys, version)

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self._call("has_key", key, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self._call("incr", key, delta, version)

    def get_or_set(self, key: Any, default: Any, timeout: Any = None, version: Any = None) -> Any:
        return self._call("get_or_set", key, default, timeout, version)

    def clear(self) -> None:
        self._call("clear")

    def close(self, **kwargs: Any) -> None:
        self._redis.close(**kwargs)
