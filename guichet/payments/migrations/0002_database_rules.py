"""What the database itself refuses, beyond the model's constraints:

- two periods of one fee that overlap: an exclusion constraint on PostgreSQL (btree_gist, so the
  fee's id can be compared with =); on SQLite (the embedded demo), triggers on insert and
  update that refuse an overlapping period;
- a successful payment that changes state again (« success » is never undone);
- a payment's history being rewritten: UPDATE and DELETE refused (PostgreSQL also refuses
  DELETE; SQLite leaves DELETE to Django so the test suite can flush, as for the audit trail).
"""

from django.db import migrations

PG_FORWARD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE payments_feerate ADD CONSTRAINT feerate_periods_never_overlap
    EXCLUDE USING gist (fee_id WITH =, daterange(valid_from, valid_until, '[)') WITH &&);

CREATE OR REPLACE FUNCTION payments_success_is_final() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'success' AND NEW.status <> 'success' THEN
        RAISE EXCEPTION 'a successful payment stays successful' USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.receipt_number IS NOT NULL AND NEW.receipt_number IS DISTINCT FROM OLD.receipt_number THEN
        RAISE EXCEPTION 'a receipt number is given once' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER payments_payment_success_final BEFORE UPDATE ON payments_payment
    FOR EACH ROW EXECUTE FUNCTION payments_success_is_final();

CREATE OR REPLACE FUNCTION payments_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'payments_paymentevent is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER payments_paymentevent_append_only BEFORE UPDATE OR DELETE ON payments_paymentevent
    FOR EACH ROW EXECUTE FUNCTION payments_event_append_only();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS payments_paymentevent_append_only ON payments_paymentevent;
DROP FUNCTION IF EXISTS payments_event_append_only();
DROP TRIGGER IF EXISTS payments_payment_success_final ON payments_payment;
DROP FUNCTION IF EXISTS payments_success_is_final();
ALTER TABLE payments_feerate DROP CONSTRAINT IF EXISTS feerate_periods_never_overlap;
"""

# SQLite: a period [a, b) overlaps [c, d) when a < d and c < b, an open end being infinite.
SQLITE_OVERLAP = """
SELECT RAISE(ABORT, 'feerate_periods_never_overlap')
WHERE EXISTS (
    SELECT 1 FROM payments_feerate other
    WHERE other.fee_id = NEW.fee_id AND other.id IS NOT NEW.id
      AND (other.valid_until IS NULL OR NEW.valid_from < other.valid_until)
      AND (NEW.valid_until IS NULL OR other.valid_from < NEW.valid_until)
);
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER feerate_no_overlap_insert BEFORE INSERT ON payments_feerate "
    f"BEGIN {SQLITE_OVERLAP} END;",
    f"CREATE TRIGGER feerate_no_overlap_update BEFORE UPDATE ON payments_feerate "
    f"BEGIN {SQLITE_OVERLAP} END;",
    "CREATE TRIGGER payments_payment_success_final BEFORE UPDATE ON payments_payment "
    "WHEN (OLD.status = 'success' AND NEW.status <> 'success') "
    "OR (OLD.receipt_number IS NOT NULL AND NEW.receipt_number IS NOT OLD.receipt_number) "
    "BEGIN SELECT RAISE(ABORT, 'a successful payment stays successful'); END;",
    "CREATE TRIGGER payments_paymentevent_no_update BEFORE UPDATE ON payments_paymentevent "
    "BEGIN SELECT RAISE(ABORT, 'payments_paymentevent is append-only'); END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS feerate_no_overlap_insert;",
    "DROP TRIGGER IF EXISTS feerate_no_overlap_update;",
    "DROP TRIGGER IF EXISTS payments_payment_success_final;",
    "DROP TRIGGER IF EXISTS payments_paymentevent_no_update;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
