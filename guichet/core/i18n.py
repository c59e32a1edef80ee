"""Bilingual data: models keep `<field>_fr` and `<field>_en`; show the one of the current
language, French when the English one is empty (French is the source language)."""

from django.utils.translation import get_language


def localized(obj: object, field: str) -> str:
    french = getattr(obj, f"{field}_fr")
    if get_language() == "en":
        return str(getattr(obj, f"{field}_en") or french)
    return str(french)
