"""One « Oui / Non » for every form (issue 32): Accompagnement Québec stored « yes » / « no »
where the other forms store « oui » / « non ». Its dossiers' answers are rewritten once."""

from django.db import migrations

KEYS = ("has_mifi_number", "has_ircc_number", "french_sufficient")


def _rewrite(apps, mapping):
    Dossier = apps.get_model("dossiers", "Dossier")
    for dossier in Dossier.objects.filter(kind="accompagnement_quebec").only("pk", "data"):
        data = dossier.data or {}
        changed = False
        for section in data.values():
            if not isinstance(section, dict):
                continue
            for key in KEYS:
                if section.get(key) in mapping:
                    section[key] = mapping[section[key]]
                    changed = True
        if changed:
            Dossier.objects.filter(pk=dossier.pk).update(data=data)


def forward(apps, schema_editor):
    _rewrite(apps, {"yes": "oui", "no": "non"})


def backward(apps, schema_editor):
    _rewrite(apps, {"oui": "yes", "non": "no"})


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0006_csq_statuses")]
    operations = [migrations.RunPython(forward, backward)]
