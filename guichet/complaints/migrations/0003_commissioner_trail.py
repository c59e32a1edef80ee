"""The commissioner's trail (ADR 0022): complaint events leave the general audit trail.

The events already written there (« complaint.* », the clocks of complaints, and the survey's
« survey.answered », which named its author) are moved or removed. The new table is
append-only like the audit trail (PostgreSQL: no UPDATE or DELETE; SQLite: no UPDATE)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from guichet.core.append_only import append_only, update_trigger


AUDIT_TRIGGER = update_trigger("audit_auditevent")


def move_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ComplaintEvent = apps.get_model("complaints", "ComplaintEvent")
    Clock = apps.get_model("commitments", "Clock")
    ContentType = apps.get_model("contenttypes", "ContentType")
    kind = ContentType.objects.filter(app_label="complaints", model="complaint").first()
    clock_of = (
        dict(Clock.objects.filter(target_type=kind).values_list("pk", "target_id"))
        if kind is not None
        else {}
    )
    moved = []
    for event in AuditEvent.objects.filter(action__startswith="complaint.").order_by("pk"):
        if event.object_id.isdigit():
            moved.append((event, int(event.object_id)))
    clock_events = AuditEvent.objects.filter(
        object_type="commitments.clock", object_id__in=[str(pk) for pk in clock_of]
    )
    for event in clock_events.order_by("pk"):
        moved.append((event, clock_of[int(event.object_id)]))
    for event, complaint_id in moved:
        copy = ComplaintEvent.objects.create(
            complaint_id=complaint_id,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            source=event.source,
            action=event.action,
            ip_address=event.ip_address,
            details=event.details,
        )
        ComplaintEvent.objects.filter(pk=copy.pk).update(occurred_at=event.occurred_at)
    gone = [event.pk for event, _ in moved] + list(
        AuditEvent.objects.filter(action="survey.answered").values_list("pk", flat=True)
    )
    if not gone:
        return
    table = AuditEvent._meta.db_table
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {AUDIT_TRIGGER}")
    AuditEvent.objects.filter(pk__in=gone).delete()
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {AUDIT_TRIGGER}")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_source_employer_api'),
        ('commitments', '0004_service_levels'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('complaints', '0002_satisfaction_survey'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ComplaintEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('occurred_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='date et heure')),
                ('actor_label', models.CharField(blank=True, max_length=150, verbose_name="acteur (au moment de l'action)")),
                ('source', models.CharField(choices=[('client', 'Client'), ('partner', 'Partenaire'), ('ministry', 'Ministère'), ('employer', 'Employeur'), ('api', 'API'), ('system', 'Système')], max_length=10, verbose_name='source')),
                ('action', models.CharField(db_index=True, max_length=100, verbose_name='action')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='adresse IP')),
                ('details', models.JSONField(blank=True, default=dict, verbose_name='détails')),
                ('actor', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='acteur')),
                ('complaint', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='complaints.complaint', verbose_name='plainte')),
            ],
            options={
                'verbose_name': "événement d'une plainte",
                'verbose_name_plural': 'événements des plaintes',
                'ordering': ['occurred_at', 'pk'],
                'indexes': [models.Index(fields=['complaint', 'occurred_at'], name='complaint_event_trail')],
            },
        ),
        migrations.RunPython(move_events, migrations.RunPython.noop),
        append_only("complaints_complaintevent"),
    ]
