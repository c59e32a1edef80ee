"""State changes are explicit: each stateful model declares a table of its transitions (action ->
the statuses it may start from, and the status it leads to), and every change of status is made
by `move`, one conditional UPDATE, so that a row changed meanwhile by someone else is left alone
and the caller learns it (0 rows moved)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str

    def allows(self, status: str) -> bool:
        return status in self.sources


Table = Mapping[str, Transition]


def move(queryset: QuerySet[Any], table: Table, action: str, **changes: Any) -> int:
    """Perform `action` on the rows of `queryset` that are still in one of its source statuses
    (other conditions are the queryset's own filters); `changes` are written in the same
    UPDATE. Returns how many rows moved."""
    transition = table[action]
    return queryset.filter(status__in=transition.sources).update(
        status=transition.target, **changes
    )
