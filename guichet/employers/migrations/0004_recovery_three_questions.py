"""A CléGC has three recovery questions (seed 004 §II): the one question each holder had so far
becomes the first of their list (the only one asked of them); a CléGC created from now on has three."""

import django.db.models.deletion
from django.db import migrations, models


def copy_the_one_question(apps, schema_editor):
    Credentials = apps.get_model("employers", "Credentials")
    RecoveryAnswer = apps.get_model("employers", "RecoveryAnswer")
    RecoveryAnswer.objects.bulk_create(
        RecoveryAnswer(
            credentials_id=c.pk,
            position=1,
            question=c.recovery_question,
            answer_hash=c.recovery_answer_hash,
        )
        for c in Credentials.objects.only("pk", "recovery_question", "recovery_answer_hash")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('employers', '0003_offer_validation'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecoveryAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(verbose_name='numéro')),
                ('question', models.CharField(choices=[('first_flight', 'Ma destination lors de mon premier voyage en avion'), ('hobby', 'Quel est mon passe-temps préféré?'), ('first_school', 'Quel est le nom de ma première école?'), ('childhood_friend', "Quel est le prénom de mon ami d'enfance?"), ('childhood_street', "Le nom de la rue où j'ai grandi"), ('favourite_dish', 'Quel est mon plat préféré?'), ('first_pet', 'Le nom de mon premier animal de compagnie'), ('parents_city', 'La ville où mes parents se sont rencontrés'), ('favourite_book', 'Quel est mon livre préféré?'), ('dream_job', "Le métier que je rêvais d'exercer enfant")], max_length=40, verbose_name='question de récupération')),
                ('answer_hash', models.CharField(max_length=255)),
                ('credentials', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recovery_answers', to='employers.credentials')),
            ],
            options={
                'verbose_name': 'réponse de récupération',
                'verbose_name_plural': 'réponses de récupération',
                'constraints': [models.UniqueConstraint(fields=('credentials', 'position'), name='recovery_one_per_position'), models.UniqueConstraint(fields=('credentials', 'question'), name='recovery_distinct_questions'), models.CheckConstraint(condition=models.Q(('position__gte', 1), ('position__lte', 3)), name='recovery_three_max')],
            },
        ),
        migrations.RunPython(copy_the_one_question, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='credentials',
            name='recovery_answer_hash',
        ),
        migrations.RemoveField(
            model_name='credentials',
            name='recovery_question',
        ),
    ]
