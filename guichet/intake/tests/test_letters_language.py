"""Issue 31.17: the CSQ letters are bilingual; their English half says so in the PDF's
structure tree (PDF/UA-1, WCAG 3.1.2), not only the French document's language."""

from __future__ import annotations

import pytest

from guichet.core.pdf import section_languages
from guichet.intake import documents
from guichet.intake.models import Application

from .factories import period, submitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(documents.BUILDERS))
def test_each_letters_english_half_is_marked_english(kind: str) -> None:
    period(quota=10)
    application = Application.objects.get(dossier=submitted())
    pdf = documents.render(application, kind)
    assert section_languages(pdf) == ["fr", "en"]
