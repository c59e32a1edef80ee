"""Second factor (SPEC A7): optional for clients, required for staff."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import RecoveryCode, Role, TwoFactorDevice
from guichet.accounts.tests.factories import PASSWORD, TOTP_SECRET, UserFactory, with_two_factor
from guichet.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def login(client: Client, user_code: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("accounts:login"), {"username": user_code, "password": password})


def test_a_client_turns_it_on_and_gets_recovery_codes(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "<svg" in page  # the QR code, inline
    secret = client.session["two_factor_secret"]
    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "pas valide" in wrong.content.decode()
    response = client.post(reverse("accounts:two_factor_setup"), {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", response.content.decode())
    assert len(codes) == 10
    assert TwoFactorDevice.objects.filter(user=user).exists()
    assert all(c not in r.code_hash for c in codes for r in RecoveryCode.objects.all())
    assert AuditEvent.objects.filter(action="account.two_factor_enabled").exists()


def test_login_asks_for_the_code_after_the_password(client: Client) -> None:
    user = with_two_factor(UserFactory.create(username="DeuxFacteurs1"))
    response = login(client, "DeuxFacteurs1")
    assert response["Location"] == reverse("accounts:login_verify")
    assert "_auth_user_id" not in client.session  # not signed in yet
    wrong = client.post(reverse("accounts:login_verify"), {"code": "123456"})
    assert wrong.status_code == 200
    ok = client.post(reverse("accounts:login_verify"), {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_code_cannot_be_replayed(client: Client) -> None:
    with_two_factor(UserFactory.create(username="DeuxFacteurs1"))
    code = pyotp.TOTP(TOTP_SECRET).now()
    login(client, "DeuxFacteurs1")
    assert client.post(reverse("accounts:login_verify"), {"code": code}).status_code == 302
    other = Client()
    login(other, "DeuxFacteurs1")
    assert other.post(reverse("accounts:login_verify"), {"code": code}).status_code == 200


def test_a_recovery_code_works_once(client: Client) -> None:
    user = UserFactory.create(username="DeuxFacteurs1")
    client.force_login(user)
    client.get(reverse("accounts:two_factor_setup"))
    secret = client.session["two_factor_secret"]
    page = client.post(reverse("accounts:two_factor_setup"), {"code": pyotp.TOTP(secret).now()})
    recovery = re.findall(r"<code>([0-9a-f-]{13})</code>", page.content.decode())[0]
    client.logout()
    login(client, "DeuxFacteurs1")
    assert client.post(reverse("accounts:login_verify"), {"code": recovery}).status_code == 302
    client.logout()
    login(client, "DeuxFacteurs1")
    assert client.post(reverse("accounts:login_verify"), {"code": recovery}).status_code == 200


def test_wrong_codes_lock(client: Client) -> None:
    with_two_factor(UserFactory.create(username="DeuxFacteurs1"))
    login(client, "DeuxFacteurs1")
    for _ in range(4):
        client.post(reverse("accounts:login_verify"), {"code": "000000"})
    assert client.post(reverse("accounts:login_verify"), {"code": "000000"}).status_code == 429


@pytest.mark.parametrize("role", [Role.PARTNER_STAFF, Role.MINISTRY_STAFF, Role.ADMIN])
def test_staff_cannot_use_any_page_before_setting_it_up(client: Client, role: Role) -> None:
    client.force_login(UserFactory.create(role=role))
    for url in [reverse("core:home"), reverse("accounts:password_change"), reverse("admin:index")]:
        assert client.get(url)["Location"] == reverse("accounts:two_factor_setup")
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert "doivent utiliser" in page


def test_staff_cannot_turn_it_off(client: Client) -> None:
    agent = with_two_factor(UserFactory.create(role=Role.MINISTRY_STAFF))
    client.force_login(agent)
    assert (
        client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD}).status_code
        == 403
    )
    assert TwoFactorDevice.objects.filter(user=agent).exists()


def test_a_client_turns_it_off_with_the_password(client: Client) -> None:
    user = with_two_factor(UserFactory.create())
    client.force_login(user)
    wrong = client.post(reverse("accounts:two_factor_disable"), {"password": "mauvais"})
    assert "inexact" in wrong.content.decode()
    client.post(reverse("accounts:two_factor_disable"), {"password": PASSWORD})
    assert not TwoFactorDevice.objects.filter(user=user).exists()
