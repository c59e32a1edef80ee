"""A person's identity is stored once (issue 13 #12): the personal profile's sex and date of
birth become the profile's own values, left empty for a person registered for the appointment
service, whose client record holds them (the registration's identity wins)."""

from django.db import migrations, models


def forget_copies(apps, schema_editor):
    Profile = apps.get_model("accounts", "PersonalProfile")
    Client = apps.get_model("clients", "Client")
    registered = Client.objects.filter(user__isnull=False).values("user_id")
    Profile.objects.filter(user_id__in=registered).update(own_sex="", own_birth_date=None)


def restore_copies(apps, schema_editor):
    Profile = apps.get_model("accounts", "PersonalProfile")
    Client = apps.get_model("clients", "Client")
    for client in Client.objects.filter(user__isnull=False):
        Profile.objects.filter(user_id=client.user_id).update(
            own_sex=client.sex, own_birth_date=client.birth_date
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_work_phone_personalprofile"),
        ("clients", "0008_curated_localities"),
    ]

    operations = [
        migrations.RenameField("personalprofile", "sex", "own_sex"),
        migrations.RenameField("personalprofile", "birth_date", "own_birth_date"),
        migrations.AlterField(
            model_name="personalprofile",
            name="own_sex",
            field=models.CharField(
                blank=True,
                choices=[("F", "Féminin"), ("M", "Masculin")],
                max_length=1,
                verbose_name="sexe",
            ),
        ),
        migrations.AlterField(
            model_name="personalprofile",
            name="own_birth_date",
            field=models.DateField(blank=True, null=True, verbose_name="date de naissance"),
        ),
        migrations.RunPython(forget_copies, restore_copies),
    ]
