"""Form rendering: one accessible pattern for every field (label, hint, required marker,
error text tied with aria-describedby) and an error summary at the top; and the date field
every form shares."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_HINT = _("aaaa-mm-jj")

# The one « Oui / Non » of every form (issue 32): its stored values are French, like the seeds.
YES, NO = "oui", "non"
YES_NO = [(YES, _("Oui")), (NO, _("Non"))]


def yes_no(label: Any, **kwargs: Any) -> forms.ChoiceField:
    """A « Oui / Non » question, as radio buttons."""
    return forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, **kwargs)


class GuichetFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class IsoDateInput(forms.DateInput):
    """A text field for a date typed as its hint says, aaaa-mm-jj (issue 31.16). Not
    `type="date"`: the browser shows that one in its own locale's order (mm/dd/yyyy here), so
    typing the hint's 2016-09-03 gave 60903-02-01. Whatever was typed is shown again as typed."""

    input_type = "text"

    def __init__(self) -> None:
        super().__init__(
            format="%Y-%m-%d",
            attrs={"maxlength": 10, "spellcheck": "false", "autocomplete": "off"},
        )


class IsoDateTimeInput(forms.DateTimeInput):
    """A date and a time typed as the hint says, aaaa-mm-jj hh:mm, in a text field: not
    `type="datetime-local"`, which the browser shows in its own locale's order."""

    input_type = "text"

    def __init__(self) -> None:
        super().__init__(
            format="%Y-%m-%d %H:%M",
            attrs={"maxlength": 16, "spellcheck": "false", "autocomplete": "off"},
        )


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
    """A date typed as aaaa-mm-jj, in a text field that means what its hint says."""

    widget = IsoDateInput
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
