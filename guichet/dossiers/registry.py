"""The dossier engine's plug-in point. A dossier kind is a `DossierKind`: its sections (a form
and a template each), its number format, its lifecycle (a transition table) and the names of
its statuses, its owner (a person, or an organisation and its members), its conditions, its
deadline, its buttons, and hooks the engine calls at submission. Adding a kind means adding a
module to `kinds/` that calls `register()`; the engine names no kind."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.utils.choices import flatten_choices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from guichet.accounts.models import User
from guichet.clients.fields import LocalityField
from guichet.core.transitions import Table

from .statuses import DossierStatus

if TYPE_CHECKING:
    from .models import Dossier

EMPTY = "—"


def is_group(field: forms.Field | None) -> bool:
    """A radio or checkbox list: no element has the field's own id, its choices do."""
    return field is not None and isinstance(
        field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
    )


class SectionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return str(SECTION_STATUS_LABELS[self])


SECTION_STATUS_LABELS = {
    SectionStatus.NOT_STARTED: _("À remplir"),
    SectionStatus.IN_PROGRESS: _("À compléter"),
    SectionStatus.COMPLETE: _("Conforme"),
}


@dataclass(frozen=True, eq=False)
class SectionState:
    """A section's status with the kind's word for it (« Conforme », or « Terminé » for an
    offer's form). Compares equal to its `SectionStatus`; renders as its code."""

    status: SectionStatus
    label: str

    def __str__(self) -> str:
        return str(self.status.value)

    def __eq__(self, other: object) -> bool:
        other = other.status if isinstance(other, SectionState) else other
        return bool(self.status == other)

    def __hash__(self) -> int:
        return hash(self.status)


class Owner(StrEnum):
    """Who a kind's dossiers belong to."""

    PERSON = "person"  # the person who created it (Accompagnement Québec, a CSQ application)
    ORGANISATION = "organisation"  # the creator's organisation; every member shares it


@dataclass(frozen=True)
class NumberFormat:
    """A kind's dossier numbers: `prefix` (one to three capitals) then exactly `digits` digits
    from a locked counter; `yearly` makes the first two digits the year, with a counter per
    year (G2600045132). The database checks each row's number against this format."""

    prefix: str
    digits: int
    yearly: bool = False

    def __post_init__(self) -> None:
        if not (1 <= len(self.prefix) <= 3 and self.prefix.isascii() and self.prefix.isupper()):
            raise ValueError("a dossier number starts with one to three capital letters")
        if not 1 <= self.digits <= 17 or (self.yearly and self.digits < 3):
            raise ValueError("a dossier number has 1 to 17 digits (3 or more with the year)")

    def counter(self, today: Any) -> str:
        return (
            f"dossier-{self.prefix}{today.year % 100:02d}"
            if self.yearly
            else f"dossier-{self.prefix}"
        )

    @property
    def last(self) -> int:
        return 10 ** (self.digits - 2 if self.yearly else self.digits) - 1

    def format(self, value: int, today: Any) -> str:
        if self.yearly:
            return f"{self.prefix}{today.year % 100:02d}{value:0{self.digits - 2}d}"
        return f"{self.prefix}{value:0{self.digits}d}"


# The four buttons of a form (seed 001 §2.3), in the kind's order and words.
DEFAULT_BUTTONS: tuple[tuple[str, str | Promise], ...] = (
    ("quit", pgettext_lazy("formulaire", "Quitter")),
    ("save", _("Enregistrer")),
    ("recap", _("Récapitulatif")),
    ("submit", _("Soumettre")),
)


def _nothing(dossier: Any, user: User) -> None:
    return None


F = TypeVar("F", bound=forms.Field)


def required_when_shown(field: F) -> F:
    """A question that is required only when an earlier answer shows it: the form's clean()
    checks it; the label still carries the required marker."""
    field.required_when_shown = True  # type: ignore[attr-defined]
    return field


class SectionForm(forms.Form):
    """A section's form. Its data is kept as typed (`raw`), so a draft can hold unfinished or
    wrong values; the section is complete when the form validates."""

    def relevant_fields(self) -> list[str]:
        """Fields that apply given the other answers (a type may hide some)."""
        return list(self.fields)

    def typed(self, name: str) -> Any:
        """The value typed for `name` (a row's form reads its own prefixed data)."""
        return self.data.get(self.add_prefix(name))

    def display_value(self, name: str) -> str:
        field_obj = self.fields[name]
        raw = self.typed(name)
        if raw in (None, "", []):
            return EMPTY
        if isinstance(field_obj, LocalityField):
            return str(field_obj.prepare_value(raw))
        if isinstance(field_obj, forms.ModelChoiceField):
            queryset = field_obj.queryset
            found = (
                queryset.filter(pk=raw).first()
                if queryset is not None and str(raw).isdigit()
                else None
            )
            return str(found) if found else str(raw)
        if isinstance(field_obj, forms.ChoiceField):
            choices: Any = field_obj.choices
            flat = cast("Iterable[tuple[Any, Any]]", flatten_choices(choices))
            labels = {str(value): str(label) for value, label in flat}
            values = raw if isinstance(raw, list) else [raw]
            return ", ".join(labels.get(str(v), str(v)) for v in values)
        return str(raw)

    def rows(self) -> list[tuple[str, str, str]]:
        """(field name, label, value shown) for the recap and the PDF."""
        return [
            (name, str(self.fields[name].label), self.display_value(name))
            for name in self.relevant_fields()
        ]


ROW_ACTIONS = ("add", "remove", "up", "down")


@dataclass(frozen=True)
class RowGroup:
    """A repeating group of a section (« as many as needed »: children, diplomas, jobs): rows of
    the same small form, each validated on its own, that the person adds, removes and moves up
    or down with buttons (no script needed). Stored in the section's data under `key` as a list
    of rows kept as typed; posted as `<key>-<n>-<field>` with `<key>-rows` the row count."""

    key: str
    title: str | Promise
    # One row's heading, with %(number)s (« Enfant %(number)s »).
    row_title: str | Promise
    form_class: type[SectionForm]
    add_label: str | Promise
    min_rows: int = 0
    max_rows: int = 20
    # Whether the group applies given the section's other answers (hidden and not required
    # otherwise), and whether it then needs at least one row.
    shown: Callable[[dict[str, Any]], bool] = lambda raw: True
    needed: Callable[[dict[str, Any]], bool] = lambda raw: False

    def prefix(self, index: int) -> str:
        return f"{self.key}-{index}"

    def heading(self, index: int) -> str:
        return str(self.row_title) % {"number": index + 1}

    def field_label(self, index: int, label: str) -> str:
        """« Enfant 2 : Prénom »."""
        return str(_("%(row)s : %(label)s") % {"row": self.heading(index), "label": label})

    def rows_of(self, raw: dict[str, Any] | None) -> list[dict[str, Any]]:
        rows = (raw or {}).get(self.key)
        return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []

    def bind_row(self, row: dict[str, Any], index: int) -> SectionForm:
        prefix = self.prefix(index)
        data: dict[str, Any] = {f"{prefix}-{name}": value for name, value in row.items()}
        return self.form_class(data=data, prefix=prefix)

    def row_from(self, post: Any, index: int) -> dict[str, Any]:
        prefix = self.prefix(index)
        row: dict[str, Any] = {}
        for name, field_obj in self.form_class.base_fields.items():
            key = f"{prefix}-{name}"
            if isinstance(field_obj, forms.MultipleChoiceField):
                row[name] = [v for v in post.getlist(key) if v]
            else:
                row[name] = str(post.get(key, "")).strip()
        return row

    def errors(self, raw: dict[str, Any] | None) -> list[tuple[int, str, str, str]]:
        """(row index, field name, field label, message) for every invalid row, and the row
        count's own rule (index -1)."""
        found: list[tuple[int, str, str, str]] = []
        if not self.shown(raw or {}):
            return found
        rows = self.rows_of(raw)
        least = max(self.min_rows, 1 if self.needed(raw or {}) else 0)
        if len(rows) < least:
            found.append((-1, self.key, str(self.title), str(_("Ajoutez au moins une ligne."))))
        if len(rows) > self.max_rows:
            found.append(
                (
                    -1,
                    self.key,
                    str(self.title),
                    str(_("Au plus %(count)s lignes.") % {"count": self.max_rows}),
                )
            )
        for index, row in enumerate(rows):
            form = self.bind_row(row, index)
            if form.is_valid():
                continue
            for name, messages in form.errors.items():
                label = str(form.fields[name].label) if name in form.fields else ""
                found.extend(
                    (index, name, self.field_label(index, label), str(m)) for m in messages
                )
        return found


@dataclass(frozen=True)
class BoundRow:
    index: int
    heading: str
    form: SectionForm
    first: bool
    last: bool


@dataclass(frozen=True)
class BoundGroup:
    """A group as a page shows it: its rows bound to what was typed (a row still empty shows
    no error yet), and the row count's own error."""

    group: RowGroup
    rows: list[BoundRow]
    error: str

    @property
    def key(self) -> str:
        return self.group.key

    @property
    def can_add(self) -> bool:
        return len(self.rows) < self.group.max_rows


def _typed(value: Any) -> bool:
    if isinstance(value, list):
        return any(_typed(v) for v in value)
    if isinstance(value, dict):
        return any(_typed(v) for v in value.values())
    return value not in ("", None)


def row_anchor(action: str, raw: dict[str, Any]) -> str:
    """Where the page goes back to after a row button: the new row (« enfants-2 ») after an
    add, else the group."""
    parsed = row_action(action)
    if parsed is None:
        return ""
    verb, key, _index = parsed
    if verb == "add":
        rows = raw.get(key) or []
        return f"{key}-{len(rows) - 1}" if rows else key
    return key


def row_action(action: str) -> tuple[str, str, int] | None:
    """A row button's value: "add:<group>", or "remove|up|down:<group>:<n>"."""
    parts = action.split(":")
    if not parts or parts[0] not in ROW_ACTIONS:
        return None
    if parts[0] == "add" and len(parts) == 2:
        return "add", parts[1], -1
    if len(parts) == 3 and parts[2].isdigit():
        return parts[0], parts[1], int(parts[2])
    return None


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    form_class: type[SectionForm]
    template: str = "dossiers/sections/_generic.html"
    groups: tuple[RowGroup, ...] = ()

    def group(self, key: str) -> RowGroup | None:
        return next((g for g in self.groups if g.key == key), None)

    def raw_from(self, post: Any) -> dict[str, Any]:
        """The section's values from a request, kept as typed (its rows too)."""
        raw: dict[str, Any] = {}
        for name, field_obj in self.form_class.base_fields.items():
            if isinstance(field_obj, forms.MultipleChoiceField):
                raw[name] = [v for v in post.getlist(name) if v]
            else:
                raw[name] = str(post.get(name, "")).strip()
        for group in self.groups:
            count = str(post.get(f"{group.key}-rows", "0"))
            total = min(int(count), group.max_rows + 1) if count.isdigit() else 0
            raw[group.key] = [group.row_from(post, index) for index in range(total)]
        return raw

    def anchor(self, field: str) -> str:
        """What an error summary links to for a field of the section (« enfants-1-sex » for a
        row's), after « id_ »: the field, or the first choice of a radio or checkbox group."""
        own = self.form_class.base_fields.get(field)
        row_field = next(
            (
                g.form_class.base_fields.get(field.rsplit("-", 1)[-1])
                for g in self.groups
                if field.startswith(f"{g.key}-")
            ),
            None,
        )
        return f"{field}_0" if is_group(own or row_field) else field

    def apply_row_action(self, raw: dict[str, Any], action: str) -> dict[str, Any] | None:
        """The section's data after a row button (add, remove, move up or down), or None when
        `action` is not one (or names no row)."""
        parsed = row_action(action)
        group = self.group(parsed[1]) if parsed else None
        if parsed is None or group is None:
            return None
        verb, _key, index = parsed
        rows = [dict(r) for r in group.rows_of(raw)]
        if verb == "add":
            if len(rows) >= group.max_rows:
                return None
            rows.append({name: "" for name in group.form_class.base_fields})
        elif not 0 <= index < len(rows):
            return None
        elif verb == "remove":
            rows.pop(index)
        elif verb == "up" and index > 0:
            rows[index - 1], rows[index] = rows[index], rows[index - 1]
        elif verb == "down" and index < len(rows) - 1:
            rows[index + 1], rows[index] = rows[index], rows[index + 1]
        return {**raw, group.key: rows}

    def bind(self, raw: dict[str, Any] | None, **kwargs: Any) -> SectionForm:
        fields = {k: v for k, v in (raw or {}).items() if self.group(k) is None}
        return self.form_class(data=fields, prefix=None, **kwargs)

    def row_forms(self, raw: dict[str, Any] | None) -> list[tuple[RowGroup, list[SectionForm]]]:
        """Each group that applies, with its rows bound (for the page and the recap)."""
        return [
            (group, [group.bind_row(row, i) for i, row in enumerate(group.rows_of(raw))])
            for group in self.groups
            if group.shown(raw or {})
        ]

    def errors(self, raw: dict[str, Any] | None) -> list[tuple[str, str, str]]:
        """(field, label, message) for the section's fields and every row."""
        form = self.bind(raw)
        found: list[tuple[str, str, str]] = []
        if not form.is_valid():
            for name, messages in form.errors.items():
                label = str(form.fields[name].label) if name in form.fields else ""
                found.extend((name, label, str(m)) for m in messages)
        for group in self.groups:
            for index, name, label, message in group.errors(raw):
                field_name = group.key if index < 0 else f"{group.prefix(index)}-{name}"
                found.append((field_name, label, message))
        return found

    def bound_groups(self, raw: dict[str, Any] | None, focus: str = "") -> list[BoundGroup]:
        """The groups that apply, for the page: rows bound, errors shown on typed rows. The row
        whose id is `focus` (« enfants-2 », just added) gets the focus on its first field, so
        that keyboard and screen reader users land in it (a page load, no script)."""
        shown: list[BoundGroup] = []
        for group, forms_ in self.row_forms(raw):
            rows = []
            for index, form in enumerate(forms_):
                if not _typed(group.rows_of(raw)[index]):  # nothing typed yet: no error yet
                    form = group.form_class(prefix=group.prefix(index))
                if focus == f"{group.key}-{index}":
                    first = next((f for f in form.fields.values() if not f.widget.is_hidden), None)
                    if first is not None:
                        first.widget.attrs["autofocus"] = True
                rows.append(
                    BoundRow(
                        index, group.heading(index), form, index == 0, index == len(forms_) - 1
                    )
                )
            count_errors = [m for i, _n, _l, m in group.errors(raw) if i < 0]
            shown.append(BoundGroup(group, rows, count_errors[0] if count_errors else ""))
        return shown

    def status(self, raw: dict[str, Any] | None) -> SectionStatus:
        if not raw or not any(_typed(v) for v in raw.values()):
            return SectionStatus.NOT_STARTED
        return SectionStatus.IN_PROGRESS if self.errors(raw) else SectionStatus.COMPLETE

    def recap_rows(self, raw: dict[str, Any] | None) -> list[tuple[str, str, str]]:
        """(field name, label, value shown) of the fields, then of each row, headed."""
        shown = self.bind(raw).rows()
        for group, forms_ in self.row_forms(raw):
            for index, form in enumerate(forms_):
                shown.extend(
                    (f"{group.prefix(index)}-{name}", group.field_label(index, label), value)
                    for name, label, value in form.rows()
                )
        return shown


@dataclass(frozen=True)
class ClockRule:
    """The service commitment a kind's requests are measured against, as data (the
    commitments app reads it from the events; the engine knows no clock): the commitment's
    code; the event that keeps the promise; the statuses during which the clock is suspended
    (with the reason) and those in which the request is not processed at all (no clock); where
    the kind keeps the due time it shows, if it does (`keep_due(dossier_id, due)`)."""

    commitment: str
    stops_on: str
    suspended_in: Mapping[str, str] = field(default_factory=dict)
    dropped_in: frozenset[str] = frozenset()
    keep_due: Callable[[int, datetime], None] | None = None
    # What is due, in the person's words (« Lettre d'ouverture de dossier »).
    what: str | Promise = ""


@dataclass(frozen=True)
class DossierKind:
    code: str
    label: str | Promise
    number_format: NumberFormat
    sections: tuple[Section, ...]
    # Reasons the person may not create this dossier (empty: allowed), from the answers to the
    # kind's `conditions_form` and their profile.
    conditions_form: type[forms.Form]
    refusals: Callable[[User, dict[str, Any]], list[str]]
    submitted_message: Callable[[Any], str]
    recap_title: str | Promise
    # The lifecycle: action -> Transition(statuses it may start from, status it leads to). A
    # dossier starts as « draft »; "submit" must be one of the actions.
    transitions: Table
    deadline_days: int = 90
    owner: Owner = Owner.PERSON
    # A kind whose number is given only once submitted (a job offer's, after its fee is paid:
    # seed 004 §IV.3) numbers its drafts in this series instead, and swaps at submission, so
    # abandoned drafts use up no number of `number_format`.
    draft_number_format: NumberFormat | None = None
    # The kind's words for the engine's status codes and for a section's status.
    status_labels: Mapping[str, str | Promise] = field(default_factory=dict)
    section_status_labels: Mapping[SectionStatus, str | Promise] = field(
        default_factory=lambda: dict(SECTION_STATUS_LABELS)
    )
    buttons: tuple[tuple[str, str | Promise], ...] = DEFAULT_BUTTONS
    # Hooks at submission, inside its transaction: a last check that refuses by raising
    # `Refused` (after the engine's own: owner, draft, deadline), then what the kind keeps from
    # that moment (a snapshot, queue facets), before the dossier is saved.
    before_submit: Callable[[Any, User], None] = _nothing
    on_submit: Callable[[Any, User], None] = _nothing
    # How long a submitted dossier's data is kept at the least (the retention rule of the
    # record type; None: the ministry's general rule).
    retention: timedelta | None = None
    # Whether « Mes dossiers » holds it and « Créer un dossier » offers it; a kind with its own
    # portal (the employer's job offer, the CSQ application in Mon projet Québec) does not.
    listed: bool = True
    # Whether the engine stores the whole form's recap in « Mes documents » at submission (a
    # CSQ application prints a summary only: seed 002 FAQ 14).
    stores_recap: bool = True
    # The subject of the dossier's thread in the message centre (default « Votre demande … »).
    thread_subject: Callable[[Any], str] | None = None
    # The service commitment its requests are measured against, from their receipt.
    clock: ClockRule | None = None

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def section_state(self, status: SectionStatus) -> SectionState:
        return SectionState(status, str(self.section_status_labels.get(status, status.label)))

    @property
    def statuses(self) -> frozenset[str]:
        """The kind's own statuses: a draft, and those its lifecycle leads to or from. A dossier
        of the kind is never in another (every change goes along its table)."""
        used = {DossierStatus.DRAFT.value}
        for move in self.transitions.values():
            used |= {str(s) for s in move.sources} | {str(move.target)}
        return frozenset(used)

    def status_choices(self) -> list[tuple[str, str | Promise]]:
        """The statuses its lifecycle uses, from a draft on, in the kind's words (lazy: the
        language is the reader's)."""
        return [
            (status.value, self.status_labels.get(status.value, status.label))
            for status in DossierStatus
            if status.value in self.statuses
        ]

    def status_label(self, status: str) -> str | None:
        named = self.status_labels.get(status)
        return str(named) if named is not None else None


_KINDS: dict[str, DossierKind] = {}


def register(kind: DossierKind) -> DossierKind:
    """Add a kind; its statuses are checked: codes of the engine, and nothing named (a label,
    a clock's suspension or drop) that its lifecycle never reaches."""
    if "submit" not in kind.transitions:
        raise ValueError("a dossier kind's lifecycle has a « submit » action")
    unknown = kind.statuses - set(DossierStatus.values)
    if unknown:
        raise ValueError(f"{kind.code}: unknown statuses {sorted(unknown)}")
    named = set(kind.status_labels)
    if kind.clock is not None:
        named |= set(kind.clock.suspended_in) | set(kind.clock.dropped_in)
    unreached = {str(s) for s in named} - kind.statuses
    if unreached:
        raise ValueError(f"{kind.code}: statuses its lifecycle never reaches {sorted(unreached)}")
    _KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> DossierKind | None:
    return _KINDS.get(code)


def all_kinds() -> list[DossierKind]:
    """Every kind registered (the apps' `ready()` register theirs)."""
    return list(_KINDS.values())


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, str(k.label)) for k in _KINDS.values() if k.listed]


def listed_codes() -> list[str]:
    return [k.code for k in _KINDS.values() if k.listed]


def kind_of(dossier: Dossier) -> DossierKind:
    """The kind a dossier was created as (its code is stored on it)."""
    kind = get_kind(dossier.kind)
    if kind is None:
        raise LookupError(dossier.kind)
    return kind
