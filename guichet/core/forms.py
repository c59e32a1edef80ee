"""Form rendering: one accessible pattern for every field (label, hint, required marker,
error text tied with aria-describedby) and an error summary at the top; and the date field
every form shares."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_HINT = _("aaaa-mm-jj")


class GuichetFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


ISO_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _is_real_date(value: str) -> bool:
    """aaaa-mm-jj and a day that exists (2026-02-31 does not)."""
    if not ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class DatePickerInput(forms.DateInput):
    """type="date" (the browser's date picker); but a value that is not a valid date, kept to
    show the person what they typed, is rendered in a plain text field, as HTML requires."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        shown = context["widget"]["value"]
        if shown and not _is_real_date(str(shown)):
            context["widget"]["type"] = "text"
        return context


# Sane bounds for any date a person types: a year like 0001 or 9999 is a typing slip, and
# 9999-12-31 plus a few hours does not fit in a timestamp (a session created then broke the
# appointment search for everyone).
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def within_bounds(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Saisissez une date entre %(first)s et %(last)s.")
            % {"first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()}
        )


class DateField(forms.DateField):
    """A date typed as aaaa-mm-jj, with the browser's date picker where there is one."""

    widget = DatePickerInput
    default_validators = [within_bounds]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault("help_text", DATE_HINT)
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Saisissez une date valide selon le format aaaa-mm-jj.")},
        )
        super().__init__(*args, **kwargs)


def not_in_future(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("La date ne peut pas être dans le futur."))
