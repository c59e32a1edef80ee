"""Issue 14: each kind its own number format (checked per row), lifecycle and owner (a person
or an organisation). Existing numbers (one letter, ten digits) get their format from the
number itself before the new check is created."""

import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


def formats_from_numbers(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    for dossier in Dossier.objects.only("pk", "number"):
        letters = len(dossier.number) - len(dossier.number.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        Dossier.objects.filter(pk=dossier.pk).update(
            number_prefix=dossier.number[:letters],
            number_digits=len(dossier.number) - letters,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0009_source_employer_api'),
        ('dossiers', '0003_source_employer_api'),
        ('organisations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='dossier',
            name='dossier_number_format',
        ),
        migrations.RemoveConstraint(
            model_name='dossier',
            name='dossier_one_open_per_kind',
        ),
        migrations.AddField(
            model_name='dossier',
            name='number_digits',
            field=models.PositiveSmallIntegerField(default=10, verbose_name='chiffres du numéro'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='dossier',
            name='number_prefix',
            field=models.CharField(default='G', max_length=3, verbose_name='préfixe du numéro'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='dossier',
            name='owner_organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='dossiers', to='organisations.organisation', verbose_name='organisation titulaire'),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='number',
            field=models.CharField(max_length=20, unique=True, verbose_name='numéro de dossier'),
        ),
        migrations.AlterField(
            model_name='dossier',
            name='status',
            field=models.CharField(choices=[('draft', 'Inscription en cours'), ('pending', 'Demande en traitement'), ('submitted', 'Présenté'), ('in_progress', 'En traitement'), ('paid', 'Payée'), ('closed', 'Fermé'), ('withdrawn', 'Retirée')], default='draft', max_length=20, verbose_name='statut du dossier'),
        ),
        migrations.RunPython(formats_from_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='dossier',
            constraint=models.CheckConstraint(condition=models.Q(('number_prefix__regex', '^[A-Z]{1,3}$'), ('number_digits__gte', 1), django.db.models.lookups.Exact(django.db.models.functions.text.Left('number', django.db.models.functions.text.Length('number_prefix')), models.F('number_prefix')), django.db.models.lookups.Exact(django.db.models.functions.text.Length('number'), django.db.models.expressions.CombinedExpression(django.db.models.functions.text.Length('number_prefix'), '+', models.F('number_digits'))), django.db.models.lookups.Regex(django.db.models.functions.text.Substr('number', django.db.models.expressions.CombinedExpression(django.db.models.functions.text.Length('number_prefix'), '+', models.Value(1))), '^[0-9]+$')), name='dossier_number_format'),
        ),
        migrations.AddConstraint(
            model_name='dossier',
            constraint=models.CheckConstraint(condition=models.Q(('owner__isnull', True), ('owner_organisation__isnull', True), _connector='OR'), name='dossier_one_owner'),
        ),
        migrations.AddConstraint(
            model_name='dossier',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['draft', 'pending', 'submitted', 'in_progress'])), fields=('owner', 'kind'), name='dossier_one_open_per_kind'),
        ),
    ]
