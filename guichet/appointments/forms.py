"""Forms of the appointment service."""

from __future__ import annotations

import copy

from django import forms

from guichet.clients.forms import ComplementaryForm


def complementary_information_form(
    fields: list[str], data: dict[str, str] | None = None
) -> forms.Form:
    """« Information complémentaire » asked at booking time (seed 000 §5.3.5): only the questions
    the type requires and the client has not answered, each one required here."""
    declared: dict[str, forms.Field] = {}
    for name in fields:
        field = copy.deepcopy(ComplementaryForm.base_fields[name])
        field.required = True
        declared[name] = field
    form_class = type("ComplementaryInformationForm", (forms.Form,), declared)
    return form_class(data)
