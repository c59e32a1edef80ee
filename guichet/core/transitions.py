"""State changes are explicit: each stateful model declares a table of its transitions (action ->
the statuses it may start from, and the status it leads to), and every change of status goes
through this module, which announces it in the event log (`core.events`) in the same
transaction:

- `move(queryset, table, action, actor=…)`: one conditional UPDATE of the rows still in a
  source status (a row changed meanwhile by someone else is left alone, and the caller learns
  it: 0 rows moved), one event per row moved;
- `step(row, table, action, actor=…)`: for a row the caller has locked and read first (a rule
  needs its fields): checks the table, saves the status and the other changes, one event.

An event is named `<model>.<what happened>`: the transition's `event` (« booking.cancelled »),
else `<model>.<action>`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import events
from .actor import Actor
from .refusals import Refused


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    # The event's name after the model's (« cancelled » -> « booking.cancelled »); the action's
    # when empty.
    event: str = ""

    def allows(self, status: str) -> bool:
        return status in self.sources


Table = Mapping[str, Transition]

NOT_NOW = _("Cette action n'est pas possible dans l'état actuel.")


def event_type(model: type[models.Model] | models.Model, table: Table, action: str) -> str:
    return f"{model._meta.model_name}.{table[action].event or action}"


def move(
    queryset: QuerySet[Any],
    table: Table,
    action: str,
    *,
    actor: Actor | None = None,
    payload: Mapping[str, Any] | None = None,
    **changes: Any,
) -> int:
    """Perform `action` on the rows of `queryset` that are still in one of its source statuses
    (other conditions are the queryset's own filters); `changes` are written in the same
    UPDATE, and each row moved is announced. Returns how many rows moved."""
    transition = table[action]
    candidates = queryset.filter(status__in=transition.sources)
    with transaction.atomic():
        # The rows are locked first so that the ones announced are the ones moved
        # (PostgreSQL); the UPDATE keeps its condition all the same.
        found = dict(candidates.select_for_update().values_list("pk", "status"))
        if not found:
            return 0
        moved = queryset.model._default_manager.filter(
            pk__in=list(found), status__in=transition.sources
        ).update(status=transition.target, **changes)
        subject = events.label(queryset.model)
        events.emit_many(
            event_type(queryset.model, table, action),
            [
                ((subject, pk), {"from": previous, "to": transition.target, **(payload or {})})
                for pk, previous in sorted(found.items())
            ],
            actor=actor,
        )
    return int(moved)


def step(
    row: models.Model,
    table: Table,
    action: str,
    *,
    actor: Actor | None = None,
    refusal: str | Promise = NOT_NOW,
    payload: Mapping[str, Any] | None = None,
    save: bool = True,
    **changes: Any,
) -> str:
    """`action` on a row the caller locked (`select_for_update`) and read: refused when the
    table does not allow it from the row's status; else the status and `changes` are set (and
    saved, unless `save=False` for a caller that saves the row with more of its own changes in
    the same transaction), and the event written. Returns the previous status."""
    transition = table.get(action)
    previous = str(row.status)  # type: ignore[attr-defined]
    if transition is None or not transition.allows(previous):
        raise Refused("not_now", refusal)
    row.status = transition.target  # type: ignore[attr-defined]
    for name, value in changes.items():
        setattr(row, name, value)
    if save:
        fields = ["status", *changes]
        if any(f.name == "updated_at" for f in row._meta.concrete_fields):
            fields.append("updated_at")
        row.save(update_fields=fields)
    events.emit(
        event_type(row, table, action),
        row,
        actor=actor,
        payload={"from": previous, "to": transition.target, **(payload or {})},
    )
    return previous
