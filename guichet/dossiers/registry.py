"""The dossier engine's plug-in point. A dossier type is a `DossierKind`: its sections (a form and
a template each), its conditions, its deadline and what it tells the person once submitted.
Adding a type means adding a module to `kinds/` that calls `register()`; nothing else changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.utils.choices import flatten_choices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import User
from guichet.clients.fields import LocalityField

if TYPE_CHECKING:
    from .models import Dossier

EMPTY = "—"


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

    def display_value(self, name: str) -> str:
        field_obj = self.fields[name]
        raw = self.data.get(name)
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


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    form_class: type[SectionForm]
    template: str = "dossiers/sections/_generic.html"

    def raw_from(self, post: Any) -> dict[str, Any]:
        """The section's values from a request, kept as typed."""
        raw: dict[str, Any] = {}
        for name, field_obj in self.form_class.base_fields.items():
            if isinstance(field_obj, forms.MultipleChoiceField):
                raw[name] = [v for v in post.getlist(name) if v]
            else:
                raw[name] = str(post.get(name, "")).strip()
        return raw

    def bind(self, raw: dict[str, Any] | None, **kwargs: Any) -> SectionForm:
        return self.form_class(data=raw or {}, prefix=None, **kwargs)

    def status(self, raw: dict[str, Any] | None) -> SectionStatus:
        if not raw or not any(v not in ("", [], None) for v in raw.values()):
            return SectionStatus.NOT_STARTED
        return SectionStatus.COMPLETE if self.bind(raw).is_valid() else SectionStatus.IN_PROGRESS


@dataclass(frozen=True)
class DossierKind:
    code: str
    label: str | Promise
    letter: str  # first character of the dossier number
    sections: tuple[Section, ...]
    # Reasons the person may not create this dossier (empty: allowed), from the answers to the
    # kind's `conditions_form` and their profile.
    conditions_form: type[forms.Form]
    refusals: Callable[[User, dict[str, Any]], list[str]]
    submitted_message: Callable[[Any], str]
    recap_title: str | Promise
    deadline_days: int = 90
    # Queue facets (city id, languages, availability) computed from the data at submission.
    facets: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda data: {})

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


_KINDS: dict[str, DossierKind] = {}


def register(kind: DossierKind) -> DossierKind:
    if not (len(kind.letter) == 1 and kind.letter.isupper()):
        raise ValueError("a dossier number starts with one capital letter")
    _KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> DossierKind | None:
    return _KINDS.get(code)


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, str(k.label)) for k in _KINDS.values()]


def kind_of(dossier: Dossier) -> DossierKind:
    """The kind a dossier was created as (its code is stored on it)."""
    kind = get_kind(dossier.kind)
    if kind is None:
        raise LookupError(dossier.kind)
    return kind
