import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_reports_the_database(client: Client, settings) -> None:
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_it_says_degraded_when_redis_is_unreachable(client: Client, settings) -> None:
    """Pages keep working from the database cache: degraded, not down."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["redis"] == "degraded"


@pytest.mark.redis
def test_it_reports_redis_when_configured(client: Client, settings) -> None:
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.mark.redis
def test_the_cache_is_redis_when_configured() -> None:
    from django.core.cache import caches

    cache = caches["default"]
    assert type(cache).__name__ == "FallbackCache"
    cache.set("guichet-test", "ok", 5)
    assert cache.get("guichet-test") == "ok"


def test_liveness_asks_nothing_of_the_database(client: Client, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert (response.status_code, response.content) == (200, b"ok")
