"""Security finding 5: with Redis unreachable, sign-in (POST), forgotten password, forgotten user
code and the appointment search answered 500. The cache falls back to the database; /healthz
says Redis is degraded. The server is configured as production would be with REDIS_URL
pointing at a closed port."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import PASSWORD, UserFactory
from guichet.core import cache as fallback

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the socket is


@pytest.fixture
def redis_down(settings: Any) -> Iterator[str]:
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "guichet.core.cache.FallbackCache",
            "LOCATION": url,
            "OPTIONS": {"FALLBACK": "fallback"},
        },
        "fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "guichet_cache",
        },
    }
    fallback.reset()
    yield url
    fallback.reset()


def test_the_cache_falls_back_to_the_database(redis_down: str) -> None:
    from django.core.cache import cache

    cache.set("k", 1, 60)
    assert fallback.redis_degraded()
    assert cache.get("k") == 1 and cache.incr("k") == 2
    assert cache.add("k", 5) is False


def test_sign_in_and_its_lock_work_with_redis_down(client: Any, redis_down: str) -> None:
    UserFactory.create(username="BrAnDfOrD04")
    url = reverse("accounts:login")
    for _ in range(4):
        assert client.post(url, {"username": "BrAnDfOrD04", "password": "x"}).status_code == 200
    assert client.post(url, {"username": "BrAnDfOrD04", "password": "x"}).status_code == 429


def test_recovery_pages_and_the_search_work_with_redis_down(client: Any, redis_down: str) -> None:
    from guichet.appointments.tests.test_booking import registered_client, user_of

    forgot = client.post(
        reverse("accounts:forgot_password"),
        {"user_code": "inconnu0001", "email": "x@example.org"},
    )
    assert forgot.status_code in (200, 302)
    code = client.post(
        reverse("clients:forgot_user_code"),
        {
            "last_name": "Diablos",
            "first_name": "Draco",
            "birth_date": "1980-10-01",
            "sex": "M",
            "client_number": "12345",
        },
    )
    assert code.status_code in (200, 302)
    person = registered_client()
    client.force_login(user_of(person))
    page = client.get(reverse("appointments:book"), {"rechercher": "1"})
    assert page.status_code == 200


def test_healthz_says_redis_is_degraded(client: Any, redis_down: str) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "redis": "degraded"}


def test_a_live_server_signs_in_and_reports_degraded_with_redis_down(
    live_server: Any, redis_down: str
) -> None:
    import httpx

    UserFactory.create(username="BrAnDfOrD04")
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=10) as http:
        login_url = reverse("accounts:login")
        page = http.get(login_url)
        assert page.status_code == 200
        token = http.cookies["csrftoken"]
        signed = http.post(
            login_url,
            data={"username": "BrAnDfOrD04", "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": live_server.url + login_url},
        )
        assert signed.status_code == 302
        assert http.get("/healthz").json()["redis"] == "degraded"
