"""Issue 31.11: one way to write a time, in French and English."""

from __future__ import annotations

from django.utils import translation

from guichet.commitments.wording import duration


def test_a_time_is_written_the_same_way_everywhere() -> None:
    with translation.override("fr"):
        assert duration(1.0, "business_days") == "1 jour ouvrable"
        assert duration(1.5, "business_days") == "1,5 jour ouvrable"
        assert duration(3, "business_days") == "3 jours ouvrables"
        assert duration(3, "minutes") == "3 minutes"
        assert duration(2, "calendar_days") == "2 jours"
    with translation.override("en"):
        assert duration(1, "business_days") == "1 business day"
        assert duration(1.5, "business_days") == "1.5 business days"
