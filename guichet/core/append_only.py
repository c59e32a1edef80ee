"""An append-only table, made so by the database itself (the audit trail, the commissioner's
trail, the event log): on PostgreSQL a trigger refuses UPDATE and DELETE (TRUNCATE stays for a
DBA applying the retention schedule, and for the test suite's flush); on SQLite (the embedded
demo) UPDATE is refused and DELETE left to Django so that tests can flush.

`append_only(table)` is the migration operation; the migrations that made these tables use it."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _pg_forward(table: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_update_delete
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""


def _pg_reverse(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""


def _sqlite_forward(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only (UPDATE refused)'); END;
"""


def _sqlite_reverse(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_no_update;"


def make_append_only(schema_editor: Any, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_pg_forward(table), params=None)
    elif vendor == "sqlite":
        schema_editor.execute(_sqlite_forward(table))


def undo_append_only(schema_editor: Any, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_pg_reverse(table), params=None)
    elif vendor == "sqlite":
        schema_editor.execute(_sqlite_reverse(table))


def update_trigger(table: str) -> str:
    """The PostgreSQL trigger's name (a data migration may disable it for a moment)."""
    return f"{table}_no_update_delete"


def append_only(table: str) -> migrations.RunPython:
    return migrations.RunPython(
        lambda apps, schema_editor: make_append_only(schema_editor, table),
        lambda apps, schema_editor: undo_append_only(schema_editor, table),
    )
