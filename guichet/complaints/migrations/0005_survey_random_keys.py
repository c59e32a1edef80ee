"""The survey's two tables get random keys (issue 30.8): with sequential ids written in one
transaction, the k-th participation was the k-th response. The rows are kept: read, both tables
made again with UUID keys, and written back with new random keys in a shuffled order."""

import random
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KEPT: dict[str, list[dict]] = {}
SCALE = ("overall", "courtesy", "information", "delay")


def keep(apps, schema_editor):
    Participation = apps.get_model("complaints", "SurveyParticipation")
    Response = apps.get_model("complaints", "SurveyResponse")
    KEPT["participations"] = list(Participation.objects.values("user_id", "subject", "subject_id"))
    KEPT["responses"] = list(Response.objects.values("subject", "service", "month", *SCALE))


def put_back(apps, schema_editor):
    Participation = apps.get_model("complaints", "SurveyParticipation")
    Response = apps.get_model("complaints", "SurveyResponse")
    shuffle = random.SystemRandom().shuffle
    participations = KEPT.pop("participations", [])
    responses = KEPT.pop("responses", [])
    shuffle(participations)
    shuffle(responses)
    Participation.objects.bulk_create(Participation(**row) for row in participations)
    Response.objects.bulk_create(Response(**row) for row in responses)


def _scale(name):
    return models.CheckConstraint(
        condition=models.Q((f"{name}__isnull", True))
        | models.Q((f"{name}__gte", 1), (f"{name}__lte", 5)),
        name=f"survey_{name}_scale",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_confirmed_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(keep, migrations.RunPython.noop),
        migrations.DeleteModel(name="SurveyParticipation"),
        migrations.DeleteModel(name="SurveyResponse"),
        migrations.CreateModel(
            name="SurveyResponse",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "subject",
                    models.CharField(
                        choices=[("appointment", "Rendez-vous complété"), ("dossier", "Dossier fermé")],
                        max_length=12,
                        verbose_name="sujet",
                    ),
                ),
                ("service", models.CharField(max_length=200, verbose_name="service")),
                ("month", models.DateField(verbose_name="mois")),
                (
                    "overall",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="satisfaction générale"
                    ),
                ),
                (
                    "courtesy",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="courtoisie et écoute"
                    ),
                ),
                (
                    "information",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="qualité de l'information"
                    ),
                ),
                (
                    "delay",
                    models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="délai"),
                ),
            ],
            options={
                "verbose_name": "réponse au sondage",
                "verbose_name_plural": "réponses au sondage",
                "indexes": [models.Index(fields=["month"], name="survey_month")],
                "constraints": [_scale(name) for name in SCALE],
            },
        ),
        migrations.CreateModel(
            name="SurveyParticipation",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "subject",
                    models.CharField(
                        choices=[("appointment", "Rendez-vous complété"), ("dossier", "Dossier fermé")],
                        max_length=12,
                    ),
                ),
                ("subject_id", models.PositiveBigIntegerField()),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "participation au sondage",
                "verbose_name_plural": "participations au sondage",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "subject", "subject_id"), name="survey_answered_once"
                    )
                ],
            },
        ),
        migrations.RunPython(put_back, migrations.RunPython.noop),
    ]
