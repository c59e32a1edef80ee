"""Form widgets of the registration."""

from __future__ import annotations


def test_an_impossible_date_is_shown_back_in_a_text_field() -> None:
    """HTML forbids an invalid value in a date input: « 1980-02-31 » comes back as text."""
    from guichet.core.forms import DatePickerInput

    widget = DatePickerInput()
    assert 'type="text"' in widget.render("birth_date", "1980-02-31")
    assert 'type="date"' in widget.render("birth_date", "1980-02-28")
