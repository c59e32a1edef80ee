"""Walk the URLconf: every named route with sample arguments (test support)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, reverse
from django.utils import translation

SAMPLE_ARGS = {
    "int": 999999,
    "str": "inconnu",
    "slug": "inconnu",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "inconnu",
}


@dataclass(frozen=True)
class Route:
    name: str
    view: Any
    kwargs: dict[str, Any]

    def url(self, language: str = "fr") -> str:
        with translation.override(language):
            return reverse(self.name, kwargs=self.kwargs or None)


def walk(patterns: list[Any], namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            prefix = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry.url_patterns, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            kwargs = {
                key: SAMPLE_ARGS.get(type(conv).__name__.replace("Converter", "").lower(), "x")
                for key, conv in entry.pattern.converters.items()
            }
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name=name, view=entry.callback, kwargs=kwargs)
