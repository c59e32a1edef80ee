"""Reading ids and numbers from query strings and posted values. A malformed value (letters,
Unicode digits such as « ² », a number no database column holds, an empty string) is treated as
absent, never passed to int() or to the database: a page answers with its usual "not found" or
"choose one" instead of a server error."""

from __future__ import annotations

import re

from django.utils.http import url_has_allowed_host_and_scheme

ID = re.compile(r"[0-9]{1,18}")  # PostgreSQL bigint holds 18 digits safely


def parse_id(value: object) -> int | None:
    if not isinstance(value, str) or not ID.fullmatch(value):
        return None
    number = int(value)
    return number if number > 0 else None


def parse_ids(values: list[str]) -> set[int]:
    return {n for n in (parse_id(v) for v in values) if n is not None}


def local_path(value: object) -> str | None:
    """A `next` address this site may send a person to: a path on this site only (no scheme,
    no host, no `//` or backslash trick). Anything else is None. Use it with
    HttpResponseRedirect, never with redirect(), which would try to reverse a bare word."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return None
    if "\\" in value or any(ord(c) < 32 for c in value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None, require_https=False):
        return None
    return value
