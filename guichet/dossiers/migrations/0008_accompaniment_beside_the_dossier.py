"""Accompagnement Québec's fields leave the engine's dossier (issue 32): its queue facets and
its first appointment's due time and sending move to `Accompaniment`, one row per dossier of
that kind that had any of them (every submitted one), copied before the columns go."""

import django.db.models.deletion
from django.db import migrations, models


FIELDS = ("city_id", "languages", "availability", "first_appointment_due_at", "first_appointment_sent_at")


def copy_over(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Accompaniment = apps.get_model("dossiers", "Accompaniment")
    rows = Dossier.objects.filter(kind="accompagnement_quebec").exclude(submitted_at=None)
    Accompaniment.objects.bulk_create(
        [Accompaniment(dossier_id=pk, **dict(zip(FIELDS, values))) for pk, *values in rows.values_list("pk", *FIELDS)],
        batch_size=1000,
    )


def copy_back(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Accompaniment = apps.get_model("dossiers", "Accompaniment")
    for pk, *values in Accompaniment.objects.values_list("dossier_id", *FIELDS):
        Dossier.objects.filter(pk=pk).update(**dict(zip(FIELDS, values)))


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0009_source_employer_api'),
        ('dossiers', '0007_one_yes_no'),
    ]

    operations = [
        migrations.CreateModel(
            name='Accompaniment',
            fields=[
                ('dossier', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='accompaniment', serialize=False, to='dossiers.dossier')),
                ('languages', models.CharField(blank=True, max_length=200, verbose_name='langues')),
                ('availability', models.CharField(blank=True, max_length=200, verbose_name='disponibilités')),
                ('first_appointment_due_at', models.DateTimeField(blank=True, null=True, verbose_name='échéance des détails du premier rendez-vous')),
                ('first_appointment_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='détails du premier rendez-vous envoyés le')),
                ('city', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clients.locality', verbose_name='ville de résidence souhaitée')),
            ],
            options={
                'verbose_name': "demande d'accompagnement",
                'verbose_name_plural': "demandes d'accompagnement",
            },
        ),
        migrations.RunPython(copy_over, copy_back),
        migrations.RemoveField(
            model_name='dossier',
            name='availability',
        ),
        migrations.RemoveField(
            model_name='dossier',
            name='city',
        ),
        migrations.RemoveField(
            model_name='dossier',
            name='first_appointment_due_at',
        ),
        migrations.RemoveField(
            model_name='dossier',
            name='first_appointment_sent_at',
        ),
        migrations.RemoveField(
            model_name='dossier',
            name='languages',
        ),
    ]
