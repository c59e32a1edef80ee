"""The English catalogue is complete and compiled: no page shows French to an English reader."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def test_there_is_an_english_catalogue() -> None:
    assert [p.parts[-3] for p in CATALOGUES] == ["en"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_entry_is_translated_and_none_is_fuzzy(path: Path) -> None:
    po = polib.pofile(str(path))
    assert not po.metadata_is_fuzzy, "the catalogue header is marked fuzzy"
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == [], f"untranslated: {untranslated}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"
    assert len(po) > 100


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_the_compiled_catalogue_matches_the_source(path: Path) -> None:
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))

    def entries(catalogue: polib._BaseFile) -> dict[tuple[str | None, str], object]:
        return {
            (e.msgctxt, e.msgid): (e.msgstr_plural and dict(e.msgstr_plural)) or e.msgstr
            for e in catalogue
            if e.msgid
        }

    assert entries(mo) == entries(po), "run `make messages` to recompile the catalogue"
