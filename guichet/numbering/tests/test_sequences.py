"""Numbers from a locked counter (ADR 0007): consecutive, per sequence, within their range,
never handed out twice, and not consumed by a transaction that rolls back. The concurrent proof
on PostgreSQL is in clients/tests/test_concurrency.py (50 registrations at once)."""

import pytest
from django.db import transaction

from guichet.numbering.models import Sequence
from guichet.numbering.services import SequenceExhausted, next_value

pytestmark = pytest.mark.django_db


def test_numbers_are_consecutive_from_the_first_of_the_range() -> None:
    assert [next_value("t", first=10001, last=99999) for _ in range(3)] == [10001, 10002, 10003]


def test_each_sequence_counts_on_its_own() -> None:
    assert next_value("a", first=1, last=9) == 1
    assert next_value("b", first=1, last=9) == 1
    assert next_value("a", first=1, last=9) == 2


def test_the_range_ends_with_a_clear_refusal() -> None:
    assert next_value("short", first=1, last=2) == 1
    assert next_value("short", first=1, last=2) == 2
    with pytest.raises(SequenceExhausted):
        next_value("short", first=1, last=2)
    assert Sequence.objects.get(name="short").last_value == 2


def test_a_rolled_back_transaction_does_not_consume_its_number() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        next_value("r", first=1, last=9)
        raise RuntimeError
    assert next_value("r", first=1, last=9) == 1
