"""Exports that staff open in a spreadsheet program. A cell that begins with `=`, `+`, `-`, `@`,
a tab or a carriage return is read as a formula there (CSV injection: a last name
`=HYPERLINK(…)` would become a live link that sends the sheet's data away), so such a cell gets
a leading apostrophe, which spreadsheets show as plain text. Every export goes through
`csv_response`: neutralised cells, UTF-8 with a BOM (accents), and never stored by a cache."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(
    *, filename: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return response
