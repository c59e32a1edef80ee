"""Make the audit trail append-only in the database itself (`guichet.core.append_only`).

PostgreSQL: UPDATE and DELETE raise. TRUNCATE stays possible for a DBA applying the
retention schedule (and for the test suite's flush).
SQLite (the embedded demo): UPDATE raises; DELETE is left to Django so tests can flush.
"""

from django.db import migrations

from guichet.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [append_only("audit_auditevent")]
