"""Shared test fixtures. PostgreSQL- and Redis-only tests skip, with the reason shown, when
DATABASE_URL / REDIS_URL do not point at those services."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from django.db import connection

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (`make test` runs two workers), each worker has its own test
    database (pytest-django adds the worker's suffix) and its own Redis database: a test that
    empties the cache must not empty the other worker's."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not worker.startswith("gw") or not redis_url:
        return
    from urllib.parse import urlsplit, urlunsplit

    from django.test import override_settings

    parts = urlsplit(redis_url)
    base = int(parts.path.strip("/") or 0)
    own = urlunsplit(parts._replace(path=f"/{(base - int(worker[2:])) % 16}"))
    from django.conf import settings

    caches = {alias: dict(options) for alias, options in settings.CACHES.items()}
    if caches["default"].get("LOCATION") == redis_url:
        caches["default"]["LOCATION"] = own
    # Sends setting_changed: Django's test signals rebuild the cache handlers.
    override_settings(REDIS_URL=own, CACHES=caches).enable()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    on_postgres = database_url.startswith(("postgres://", "postgresql://", "pgsql://"))
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://…")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(skip_redis)


@pytest.fixture
def vendor() -> str:
    return connection.vendor


@pytest.fixture
def users(db):
    """One active user per role (partner staff and ministry staff with their organisations;
    staff with their second factor set up, as they must)."""
    from guichet.accounts.tests.factories import with_two_factor
    from guichet.employers.tests.factories import company

    made = {role: UserFactory.create(role=role) for role in Role}
    company(made[Role.EMPLOYER])  # an employer's user belongs to a registered company
    return {role: with_two_factor(u) if u.is_staff_member else u for role, u in made.items()}


@dataclass
class SmtpSink:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_sink(settings) -> Iterator[SmtpSink]:
    """A real SMTP server on loopback; Django sends to it through its SMTP backend."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink(host="127.0.0.1", port=_free_port())

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            sink.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname=sink.host, port=sink.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture(autouse=True)
def _french_by_default() -> Iterator[None]:
    """Each test starts in French (the default language), whatever the previous one left."""
    from django.utils import translation

    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _empty_shared_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Locks and counters live in the cache: each test starts with none."""
    from django.core.cache import caches

    from guichet.core import cache as fallback

    fallback.reset()
    cache = caches["default"]
    if type(cache).__name__ == "DatabaseCache":
        marker = request.node.get_closest_marker("django_db")
        if marker is None:  # no database, so no cache to empty
            yield
            return
        transactional = marker.kwargs.get("transaction", False)
        request.getfixturevalue("transactional_db" if transactional else "db")
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Transactional tests empty every table between tests, including the reference data the
    migrations loaded: put it back for them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction", False):
        return
    request.getfixturevalue("transactional_db")
    from guichet.clients.models import ImmigrationStatus, Locality
    from guichet.clients.reference import load_reference_data

    load_reference_data(ImmigrationStatus, Locality)
    _declaration()


def _declaration() -> None:
    """The service declaration's commitments, which migrations load, run again after a flush."""
    from importlib import import_module

    from django.apps import apps

    from guichet.commitments.models import Commitment

    if Commitment.objects.exists():
        return
    import_module("guichet.commitments.migrations.0002_declaration").declare(apps, None)
    import_module("guichet.commitments.migrations.0004_service_levels").forwards(apps, None)


@pytest.fixture
def quiet_tasks(settings: Any) -> None:
    """The confirmations' PDFs and emails are not what a concurrency test measures."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
