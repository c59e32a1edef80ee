"""The payments pages of the back office: only ministry staff with the payments role; search,
a payment's history, an envelope (short → returned), a refund, the daily reconciliation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Role
from guichet.accounts.tests.factories import UserFactory, staff
from guichet.payments import services
from guichet.payments.models import EnvelopeStatus, Payment, PaymentStatus
from guichet.payments.purposes import get_purpose
from guichet.payments.tests.support import Ledger, fee_schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer() -> Any:
    user = staff(Role.MINISTRY_STAFF)
    user.handles_payments = True
    user.save(update_fields=["handles_payments"])
    return user


@pytest.fixture
def by_mail(ledger: Ledger) -> Payment:
    fee_schedule((date(2020, 1, 1), None, 23000))
    purpose = get_purpose("essai")
    assert purpose is not None
    payer = UserFactory.create(role=Role.CLIENT, username="PayeurPoste01")
    return services.start_mail_payment(purpose=purpose, object_id=str(payer.pk), actor=payer)


def test_staff_without_the_payments_role_find_nothing(client: Client, by_mail: Payment) -> None:
    client.force_login(staff(Role.MINISTRY_STAFF))
    for url in (
        reverse("backoffice:payments"),
        reverse("backoffice:payments_report"),
        reverse("backoffice:payment", kwargs={"reference": by_mail.reference}),
    ):
        assert client.get(url).status_code == 404


def test_search_then_a_short_envelope_is_returned_then_a_full_one_pays(
    client: Client, officer: Any, by_mail: Payment, ledger: Ledger
) -> None:
    client.force_login(officer)
    found = client.post(reverse("backoffice:payments"), {"q": "payeurposte01"}).content.decode()
    assert by_mail.reference in found and "Par la poste" in found
    assert 'method="post"' in client.get(reverse("backoffice:payments")).content.decode()
    # A user code or an email in the address is not read.
    ignored = client.get(reverse("backoffice:payments"), {"q": "payeurposte01"}).content.decode()
    assert by_mail.reference not in ignored
    url = reverse("backoffice:payment", kwargs={"reference": by_mail.reference})
    page = client.get(url).content.decode()
    assert "Inscrire un envoi reçu" in page and "Historique du paiement" in page
    today = timezone.localdate().isoformat()
    bad = client.post(
        url,
        {
            "action": "envelope",
            "envelope-method": "money_order",
            "envelope-amount": "abc",
            "envelope-received_on": today,
        },
    )
    assert bad.status_code == 422 and "abc" in bad.content.decode()  # kept as typed
    client.post(
        url,
        {
            "action": "envelope",
            "envelope-method": "money_order",
            "envelope-amount": "229,99",
            "envelope-received_on": today,
        },
    )
    envelope = by_mail.envelopes.get()
    assert envelope.status == EnvelopeStatus.RETURNED and envelope.amount_cents == 22999
    assert "retourné" in client.get(url).content.decode()


def test_a_full_envelope_pays_and_the_report_counts_it(
    client: Client, officer: Any, by_mail: Payment, ledger: Ledger
) -> None:
    client.force_login(officer)
    url = reverse("backoffice:payment", kwargs={"reference": by_mail.reference})
    client.post(
        url,
        {
            "action": "envelope",
            "envelope-method": "bank_draft",
            "envelope-amount": "230,00",
            "envelope-received_on": timezone.localdate().isoformat(),
        },
    )
    paid = Payment.objects.get(pk=by_mail.pk)
    assert paid.status == PaymentStatus.SUCCESS and ledger.paid == [paid.pk]
    envelope = paid.envelopes.get()
    client.post(url, {"action": "deposit", "envelope": envelope.pk})
    assert paid.envelopes.get().status == EnvelopeStatus.DEPOSITED
    client.post(url, {"action": "refund", "refund-amount": "30,00", "refund-reason": "Retrait"})
    assert Payment.objects.get(pk=paid.pk).refunded_cents == 3000
    history = client.get(url).content.decode()
    for words in (
        "Paiement créé",
        "En attente de l&#x27;envoi postal",
        "Envoi postal reçu",
        "Réussi",
    ):
        assert words in history, words
    over = client.post(
        url, {"action": "refund", "refund-amount": "201,00", "refund-reason": "Trop"}, follow=True
    )
    assert "dépasserait le montant payé" in over.content.decode()
    report = client.get(reverse("backoffice:payments_report")).content.decode()
    assert "230,00" in report and "Frais d&#x27;essai" in report
    csv = client.get(reverse("backoffice:payments_report"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert "Frais d'essai" in body and "230,00" in body and "30,00" in body


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("10", 1000), ("10,5", 1050), ("1 230,00", 123000), ("0,01", 1), ("230.00", 23000)],
)
def test_an_amount_is_read_in_western_digits(typed: str, cents: int) -> None:
    from guichet.backoffice.payment_forms import RefundForm

    form = RefundForm({"amount": typed, "reason": "Retrait"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == cents


@pytest.mark.parametrize(
    "typed", ["\u0661\u0660", "\u06f1\u06f0", "\uff11\uff10", "\u00b2", "1e3", "-5"]
)
def test_other_digits_and_forms_are_refused_beside_the_field(typed: str) -> None:
    from guichet.backoffice.payment_forms import RefundForm

    form = RefundForm({"amount": typed, "reason": "Retrait"})
    assert not form.is_valid()
    assert form.errors["amount"] == ["Saisissez un montant en dollars, par exemple 230,00."]


def test_a_zero_amount_says_at_least_one_cent() -> None:
    from guichet.backoffice.payment_forms import RefundForm

    form = RefundForm({"amount": "0", "reason": "Retrait"})
    assert form.errors["amount"] == ["Le montant doit être d'au moins 0,01 $."]


def test_the_demo_gives_the_payments_role_to_its_agent_only(settings: Any) -> None:
    from django.core.management import call_command

    from guichet.accounts.models import User

    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    holders = set(User.objects.filter(handles_payments=True).values_list("username", flat=True))
    assert holders == {"demoAgent001"}
