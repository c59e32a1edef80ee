"""Bilingual data: models keep `<field>_fr` and `<field>_en`; show the one of the current
language, French when the English one is empty (French is the source language)."""

from collections.abc import Callable

from django.utils.translation import get_language


def localized(obj: object, field: str) -> str:
    french = getattr(obj, f"{field}_fr")
    if get_language() == "en":
        return str(getattr(obj, f"{field}_en") or french)
    return str(french)


LANGUAGES = ("fr", "en")

# What Guichet itself writes (a notice, a thread's subject, a document's title) is kept in every
# language, so that each reader — the person, and staff — reads it in their own.
Texts = dict[str, str]


def in_languages(build: Callable[[], object]) -> Texts:
    """`build` run once per language, with that language active."""
    from django.utils import translation

    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            texts[language] = str(build())
    return texts


def shown(texts: Texts | None, written: str) -> str:
    """The current language's version of a text Guichet wrote, else the text as it was written
    (a person's own message is shown as they typed it)."""
    if texts:
        return texts.get(get_language() or "fr") or texts.get("fr") or written
    return written


def as_texts(value: str | Texts, language: str = "fr") -> tuple[str, Texts]:
    """(the text as written, in `language`, and its versions) from either form."""
    if isinstance(value, dict):
        return value.get(language) or value.get("fr", ""), value
    return value, {}
