"""Accent- and case-insensitive search (« amelie » finds « Amélie »).

PostgreSQL: the `unaccent` extension (created by core's migration 0002) inside `lower()`.
SQLite (the embedded demo): the same function name, `unaccent`, registered on each connection
with Python's Unicode decomposition (`fold` below), so the queries are the same on both.
Identity checks that must stay strict (« Code d'utilisateur oublié », registration step 2) do not
use this: they compare case-insensitively but keep accents."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import CharField, Func, QuerySet
from django.db.models.functions import Lower


def fold(text: str) -> str:
    """Lower case, without accents, ligatures spelt out as PostgreSQL's `unaccent` does:
    « Amélie » → « amelie », « Belœil » → « beloeil »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return bare.replace("œ", "oe").replace("æ", "ae")


class Unaccent(Func):
    function = "unaccent"
    output_field = CharField()


def folded(field: str) -> Lower:
    return Lower(Unaccent(field))


def filter_folded(queryset: QuerySet[Any], field: str, value: str) -> QuerySet[Any]:
    """Rows whose `field` equals `value`, ignoring case and accents."""
    alias = f"_folded_{field}"
    return queryset.alias(**{alias: folded(field)}).filter(**{alias: fold(value.strip())})


def register_sqlite_unaccent(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: give SQLite the `unaccent` function PostgreSQL has."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "unaccent",
            1,
            lambda value: None if value is None else fold(str(value)),
            deterministic=True,
        )
