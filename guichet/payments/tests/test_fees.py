"""Fee schedules: the amount in force on the day, periods that never overlap (the database
refuses), the amount fixed when the payment is made."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from guichet.core.money import format_cents
from guichet.core.refusals import Refused
from guichet.payments import services
from guichet.payments.models import FeeRate
from guichet.payments.purposes import get_purpose

from .support import Ledger, fee_schedule

pytestmark = pytest.mark.django_db


def test_the_amount_is_the_one_in_force_on_the_day_across_1_january(ledger: Ledger) -> None:
    fee = fee_schedule((date(2026, 1, 1), date(2027, 1, 1), 23000), (date(2027, 1, 1), None, 24500))
    december, january = (
        services.rate_on(fee, date(2026, 12, 31)),
        services.rate_on(fee, date(2027, 1, 1)),
    )
    assert december is not None and december.amount_cents == 23000
    assert january is not None and january.amount_cents == 24500
    assert services.rate_on(fee, date(2025, 12, 31)) is None
    purpose = get_purpose("essai")
    assert purpose is not None
    before = services.owed(purpose, "1", on=date(2026, 12, 31))
    after = services.owed(purpose, "1", on=date(2027, 1, 1))
    assert [line.total_cents for line in before] == [23000]
    assert [line.total_cents for line in after] == [24500]
    with pytest.raises(Refused) as refusal:
        services.owed(purpose, "1", on=date(2025, 6, 1))
    assert refusal.value.code == "no_rate"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 6, 1), date(2026, 7, 1)),  # inside
        (date(2025, 12, 1), date(2026, 1, 2)),  # across the start
        (date(2026, 12, 31), None),  # open end over the next period
        (date(2025, 1, 1), None),  # around everything
    ],
)
def test_overlapping_periods_are_refused_by_the_database(start: date, end: date | None) -> None:
    fee = fee_schedule((date(2026, 1, 1), date(2027, 1, 1), 23000))
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeRate.objects.create(fee=fee, valid_from=start, valid_until=end, amount_cents=1)


def test_adjacent_periods_and_other_fees_are_fine() -> None:
    fee = fee_schedule((date(2026, 1, 1), date(2027, 1, 1), 23000))
    FeeRate.objects.create(fee=fee, valid_from=date(2027, 1, 1), amount_cents=24000)
    rate = FeeRate.objects.get(fee=fee, valid_from=date(2026, 1, 1))
    rate.amount_cents = 23100  # changing an amount is not an overlap with itself
    rate.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeRate.objects.filter(pk=rate.pk).update(valid_until=date(2027, 2, 1))


def test_money_is_shown_in_each_language() -> None:
    assert format_cents(23000, language="fr") == "230,00\u00a0$"
    assert format_cents(123456789, language="fr") == "1\u202f234\u202f567,89\u00a0$"
    assert format_cents(23000, language="en") == "$230.00"
    assert format_cents(5, "EUR", language="en") == "$0.05\u00a0EUR"
