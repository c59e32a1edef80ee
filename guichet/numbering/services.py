from django.db import IntegrityError, transaction

from .models import Sequence


class SequenceExhausted(Exception):
    """Every number of the range has been given out."""


def next_value(name: str, *, first: int, last: int) -> int:
    """Take the next number of sequence `name` within [first, last].

    Runs in the caller's transaction: if it rolls back, the number is not consumed.
    """
    with transaction.atomic():
        sequence = Sequence.objects.select_for_update().filter(name=name).first()
        if sequence is None:
            try:
                with transaction.atomic():
                    Sequence.objects.create(name=name, last_value=first - 1)
            except IntegrityError:
                pass  # created concurrently: fine, lock it below
            sequence = Sequence.objects.select_for_update().get(name=name)
        if sequence.last_value >= last:
            raise SequenceExhausted(name)
        sequence.last_value = max(sequence.last_value + 1, first)
        sequence.save(update_fields=["last_value"])
        return sequence.last_value
