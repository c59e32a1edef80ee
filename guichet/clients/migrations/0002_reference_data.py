from django.db import migrations


def load(apps, schema_editor):
    from guichet.clients.reference import load_reference_data

    load_reference_data(apps.get_model("clients", "ImmigrationStatus"), apps.get_model("clients", "Locality"))


def unload(apps, schema_editor):
    apps.get_model("clients", "Locality").objects.all().delete()
    apps.get_model("clients", "ImmigrationStatus").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
