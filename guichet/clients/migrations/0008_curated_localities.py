"""The curated locality list (clients/data/): French names and accents, homonyms told apart by
their region, French sort order; census tracts, boroughs and neighbourhoods folded into their city
(every reference moved first, so nothing on file loses its city)."""

from django.db import migrations, models


def curate(apps, schema_editor):
    from guichet.clients.reference import fusions, quebec_localities

    Locality = apps.get_model("clients", "Locality")
    known = {loc.geonameid: loc for loc in Locality.objects.all()}
    for row in quebec_localities():
        found = known.get(row["geonameid"])
        if found is None:
            Locality.objects.create(**row)
            continue
        for key, value in row.items():
            setattr(found, key, value)
        found.save()
    ids = dict(Locality.objects.values_list("geonameid", "pk"))
    moved = {
        ids[old]: ids[new] for old, new in fusions().items() if old in ids and new in ids
    }
    references = [
        (apps.get_model("clients", "Client"), "locality_id"),
        (apps.get_model("appointments", "Place"), "locality_id"),
        (apps.get_model("dossiers", "Dossier"), "city_id"),
    ]
    for old, new in moved.items():
        for model, column in references:
            model.objects.filter(**{column: old}).update(**{column: new})
    # A draft keeps its answers as typed: the wished-for city is a locality id.
    Dossier = apps.get_model("dossiers", "Dossier")
    for dossier in Dossier.objects.exclude(data={}):
        first = dossier.data.get("premier_rendez_vous") or {}
        city = str(first.get("city") or "")
        if city.isdigit() and int(city) in moved:
            first["city"] = str(moved[int(city)])
            dossier.save(update_fields=["data"])
    Locality.objects.filter(pk__in=moved).delete()
    for loc in Locality.objects.filter(sort_key=""):
        from guichet.clients.models import collation_key

        loc.sort_key = collation_key(loc.name)
        loc.save(update_fields=["sort_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0007_contact_country_fax"),
        ("appointments", "0005_module_attendance"),
        ("dossiers", "0002_agent_appointment_reminder"),
    ]

    operations = [
        migrations.AddField(
            model_name="locality",
            name="region",
            field=models.CharField(
                blank=True, max_length=60, verbose_name="région administrative"
            ),
        ),
        migrations.AddField(
            model_name="locality",
            name="sort_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=200),
        ),
        migrations.AlterModelOptions(
            name="locality",
            options={
                "ordering": ["sort_key", "region"],
                "verbose_name": "localité",
                "verbose_name_plural": "localités",
            },
        ),
        migrations.RunPython(curate, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="locality",
            constraint=models.UniqueConstraint(
                fields=("name", "region"), name="locality_name_region_unique"
            ),
        ),
    ]
