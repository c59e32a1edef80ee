"""Form widgets of the registration."""

from __future__ import annotations


def test_a_date_is_a_text_field_in_the_hints_order_whatever_the_browsers_locale() -> None:
    """Issue 31.16: `type="date"` follows the browser's locale (mm/dd/yyyy), not the hint
    « aaaa-mm-jj »; a text field means what the hint says, and shows back what was typed."""
    from datetime import date

    from guichet.core.forms import DateField, IsoDateInput

    widget = IsoDateInput()
    assert 'type="text"' in widget.render("birth_date", "1980-02-31")
    shown = widget.render("birth_date", date(2016, 9, 3))
    assert 'type="text"' in shown and 'value="2016-09-03"' in shown and 'type="date"' not in shown
    field = DateField()
    assert field.clean("2016-09-03") == date(2016, 9, 3)
    assert "aaaa-mm-jj" in str(field.help_text).lower()


def test_a_date_and_time_is_a_text_field_too_and_takes_both_forms() -> None:
    """Issue 31.16: the officers' opening times, like the dates, follow the hint."""
    from datetime import datetime

    from guichet.intake.officer_forms import PeriodForm

    field = PeriodForm.base_fields["opens_at"]
    shown = field.widget.render("opens_at", datetime(2026, 12, 10, 9, 0))
    assert 'type="text"' in shown and 'value="2026-12-10 09:00"' in shown
    assert field.clean("2026-12-10 09:00").hour == 9
    assert field.clean("2026-12-10T09:00").hour == 9
