"""Regression tests for the production security review (findings 3 and 4)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from guichet.accounts.models import canonical_user_code
from guichet.accounts.tests.factories import PASSWORD, UserFactory
from guichet.core.actor import client_ip

pytestmark = pytest.mark.django_db


def login(client: Client, user_code: str, password: str, **extra: Any) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": user_code, "password": password}, **extra
    )


def test_user_codes_have_one_canonical_form() -> None:
    assert canonical_user_code(" BrAnDfOrD04 ") == "brandford04"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "xssClient01")
    assert canonical_user_code(full_width) == "xssclient01"  # NFKC
    for other in ("xssCl\u0131ent01", "", "a b", "x' OR '1'='1", "é" * 8, "a" * 65):
        assert canonical_user_code(other) == ""


LONG_S, DOTLESS_I = "\u017f", "\u0131"


@pytest.mark.parametrize(
    "look_alike",
    [f"x{LONG_S}{LONG_S}Cl{DOTLESS_I}ent01", "XSSCL\u0130ENT01", "xssClient01\u200b"],
)
def test_a_locked_account_stays_locked_under_unicode_look_alikes(look_alike: str) -> None:
    """Finding 3: after `xssClient01` was locked, a look-alike with long s and dotless i signed
    in (PostgreSQL UPPER() folds them onto S and I; the lock was keyed on Python's lower())."""
    UserFactory.create(username="xssClient01")
    for typed in ("xssClient01", "XSSCLIENT01", "xssclient01", "xSSClient01", "xssClient01"):
        login(Client(), typed, "mauvais1", REMOTE_ADDR="10.0.0.1")
    for address in ("10.0.0.2", "10.0.0.3"):
        response = login(Client(), look_alike, PASSWORD, REMOTE_ADDR=address)
        assert response.status_code in (200, 429)
        assert "_auth_user_id" not in response.client.session
    assert login(Client(), "xssClient01", PASSWORD, REMOTE_ADDR="10.0.0.4").status_code == 429


def test_look_alikes_never_sign_in_even_unlocked() -> None:
    UserFactory.create(username="xssClient01")
    response = login(Client(), f"x{LONG_S}{LONG_S}Cl{DOTLESS_I}ent01", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in response.client.session
    assert login(Client(), "XSSCLIENT01", PASSWORD).status_code == 302


def test_the_client_address_comes_from_the_trusted_proxies(settings: Any) -> None:
    """Finding 4: behind the TLS proxy every user shared its address."""
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert client_ip(request) == "10.9.9.9"  # no proxy configured: the header is ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "5.6.7.8"  # what our proxy saw, not what the client wrote
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.9.9.9"  # came around a proxy
    settings.TRUSTED_PROXY_COUNT = 1
    junk = factory.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="pas une adresse")
    assert client_ip(junk) == "10.9.9.9"


def test_behind_the_proxy_one_address_locks_only_itself(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOCKOUT_MAX_FAILURES_PER_IP = 3
    UserFactory.create(username="autreusager")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(3):
        login(Client(), f"inconnu{n:04d}", "mauvais1", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert (
        login(Client(), "autreusager", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    ).status_code == 429
    ok = login(Client(), "autreusager", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert ok.status_code == 302
    # A client cannot escape its lock by writing its own header: the proxy's entry counts.
    spoofed = login(
        Client(),
        "autreusager",
        PASSWORD,
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7",
        **proxy,
    )
    assert spoofed.status_code == 429


def _question_after(client: Client, user_code: str, email: str) -> str:
    client.post(reverse("accounts:forgot_password"), {"user_code": user_code, "email": email})
    return str(client.session["password_recovery"]["question"])


def test_the_recovery_question_looks_the_same_for_real_accounts_and_decoys() -> None:
    """Finding 9: only a matching user code and email changed the question between tries."""
    from guichet.accounts.tests.test_profile import create_profile

    create_profile(Client())  # BrAnDfOrD04 with two questions, requerant@example.org
    real = {_question_after(Client(), "BrAnDfOrD04", "requerant@example.org") for _ in range(6)}
    decoy = {_question_after(Client(), "BrAnDfOrD04", "autre@example.org") for _ in range(6)}
    assert len(real) == 1 and len(decoy) == 1


def test_answers_that_reveal_existing_accounts_are_throttled_per_address(settings: Any) -> None:
    """Finding 9: « Ce code d'utilisateur est déjà utilisé » listed user codes at will."""
    settings.LOCKOUT_MAX_FAILURES_PER_IP = 3
    for n in range(3):
        UserFactory.create(username=f"Existant{n:04d}")
    url = reverse("accounts:profile_create")
    statuses = []
    for n in range(3):
        code = f"Existant{n:04d}"
        data = {"user_code": code, "user_code_confirm": code}
        data |= {"password": "Lecture2026", "password_confirm": "Lecture2026"}
        statuses.append(Client().post(url, data, REMOTE_ADDR="203.0.113.9").status_code)
    assert statuses == [200, 200, 429]
    fresh = {"user_code": "Nouveau0001", "user_code_confirm": "Nouveau0001"}
    fresh |= {"password": "Lecture2026", "password_confirm": "Lecture2026"}
    assert Client().post(url, fresh, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert Client().post(url, fresh, REMOTE_ADDR="198.51.100.1").status_code == 302
