"""Repeating groups are the engine's (issue 17 §1): a section holds rows of a small form that
the person adds, removes and reorders with buttons; each row is validated on its own, the
count has its rules, and the recap and the submission errors name the row."""

from typing import Any

from django import forms
from django.http import QueryDict

from guichet.dossiers.registry import RowGroup, Section, SectionForm, SectionStatus, row_action


class ChildForm(SectionForm):
    first_name = forms.CharField(label="Prénom", max_length=50)
    birth_year = forms.IntegerField(label="Année de naissance", min_value=1990)


class FamilyForm(SectionForm):
    has_children = forms.ChoiceField(
        label="Avez-vous des enfants à charge?", choices=[("oui", "Oui"), ("non", "Non")]
    )


CHILDREN = RowGroup(
    key="children",
    title="Enfants à charge",
    row_title="Enfant %(number)s",
    form_class=ChildForm,
    add_label="Ajouter un enfant",
    max_rows=3,
    shown=lambda raw: raw.get("has_children") == "oui",
    needed=lambda raw: raw.get("has_children") == "oui",
)
FAMILY = Section(key="famille", title="Famille", form_class=FamilyForm, groups=(CHILDREN,))


def _post(**values: Any) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data[key.replace("__", "-")] = value
    return data


def test_rows_are_read_as_typed_and_each_is_validated() -> None:
    raw = FAMILY.raw_from(
        _post(
            has_children="oui",
            children__rows="2",
            children__0__first_name="Léa",
            children__0__birth_year="2015",
            children__1__first_name="",
            children__1__birth_year="1980",
        )
    )
    assert raw["children"] == [
        {"first_name": "Léa", "birth_year": "2015"},
        {"first_name": "", "birth_year": "1980"},
    ]
    assert FAMILY.status(raw) == SectionStatus.IN_PROGRESS
    errors = FAMILY.errors(raw)
    assert {(name, label) for name, label, _ in errors} == {
        ("children-1-first_name", "Enfant 2 : Prénom"),
        ("children-1-birth_year", "Enfant 2 : Année de naissance"),
    }
    raw["children"][1] = {"first_name": "Noé", "birth_year": "2018"}
    assert FAMILY.status(raw) == SectionStatus.COMPLETE
    assert ("children-1-first_name", "Enfant 2 : Prénom", "Noé") in FAMILY.recap_rows(raw)


def test_add_remove_and_reorder_keep_what_was_typed() -> None:
    raw: dict[str, Any] = {"has_children": "oui", "children": []}
    assert FAMILY.status(raw) == SectionStatus.IN_PROGRESS  # « oui » needs a row
    assert FAMILY.errors(raw)[0][2] == "Ajoutez au moins une ligne."
    for name in ("Léa", "Noé", "Zoé"):
        moved = FAMILY.apply_row_action(raw, "add:children")
        assert moved is not None
        raw = moved
        raw["children"][-1]["first_name"] = name
    assert FAMILY.apply_row_action(raw, "add:children") is None  # at most three
    raw = FAMILY.apply_row_action(raw, "up:children:2") or {}
    assert [r["first_name"] for r in raw["children"]] == ["Léa", "Zoé", "Noé"]
    raw = FAMILY.apply_row_action(raw, "down:children:0") or {}
    assert [r["first_name"] for r in raw["children"]] == ["Zoé", "Léa", "Noé"]
    raw = FAMILY.apply_row_action(raw, "remove:children:1") or {}
    assert [r["first_name"] for r in raw["children"]] == ["Zoé", "Noé"]
    assert FAMILY.apply_row_action(raw, "remove:children:7") is None
    assert FAMILY.apply_row_action(raw, "remove:other:0") is None
    assert row_action("save") is None and row_action("up:children:x") is None


def test_a_group_that_does_not_apply_is_neither_shown_nor_required() -> None:
    raw = {"has_children": "non", "children": [{"first_name": "", "birth_year": ""}]}
    assert FAMILY.status(raw) == SectionStatus.COMPLETE
    assert FAMILY.bound_groups(raw) == []
    shown = FAMILY.bound_groups({"has_children": "oui", "children": [{"first_name": ""}]})
    assert [b.key for b in shown] == ["children"]
    # A row still empty shows no error yet; the count's rule is met by the row.
    assert not shown[0].rows[0].form.errors and shown[0].error == ""
    assert shown[0].rows[0].form["first_name"].auto_id == "id_children-0-first_name"
