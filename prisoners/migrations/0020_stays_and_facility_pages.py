"""The curator and editor roles edit a detention's stays in facilities as
they edit its release: add, change and delete them on the detention's page;
and an index of who is held in each facility now (the facility pages)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

STAY = ["add_stay", "change_stay", "view_stay", "delete_stay"]
ROLES = ["Curator", "Editor"]


def grant(apps, schema_editor):
    # On a fresh database post_migrate has not run yet (as in 0003_roles).
    app_config = apps.get_app_config("prisoners")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="prisoners", codename__in=STAY)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="prisoners", codename__in=STAY)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0019_facility_constraints")]

    operations = [
        migrations.RunPython(grant, revoke),
        migrations.AddIndex(
            model_name="detention",
            index=models.Index(
                condition=models.Q(("end_reason", "")),
                fields=["facility", "person"],
                name="detention_open_facility",
            ),
        ),
    ]
