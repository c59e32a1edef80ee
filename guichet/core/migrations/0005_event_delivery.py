"""Durable delivery of the events to their subscribers (ADR 0023): each handling recorded once,
and the catch-up's cursor, set after the events already written — they were delivered after
their commit, and handlers are not run twice on the past."""

from django.db import migrations, models


def start_after_the_past(apps, schema_editor):
    Event = apps.get_model("core", "Event")
    EventCursor = apps.get_model("core", "EventCursor")
    last = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    EventCursor.objects.update_or_create(name="subscribers", defaults={"position": last})


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_event_log'),
    ]

    operations = [
        migrations.CreateModel(
            name='EventCursor',
            fields=[
                ('name', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('position', models.BigIntegerField(default=0)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name='EventDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event_id', models.BigIntegerField()),
                ('handler', models.CharField(max_length=200)),
                ('delivered_at', models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('event_id', 'handler'), name='event_handled_once')],
            },
        ),
        migrations.RunPython(start_after_the_past, migrations.RunPython.noop),
    ]
