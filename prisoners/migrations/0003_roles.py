"""The two roles of the admin: Curator enters and corrects records, Editor
also publishes and deletes. The permissions are created here first: on a
fresh database post_migrate has not run yet when this migration does."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = [
    "person",
    "detention",
    "release",
    "releaseevent",
    "sanctionsevent",
    "source",
    "organization",
    "charge",
    "facility",
]
CURATOR = [
    *(f"{action}_{model}" for model in EDITABLE for action in ("add", "change", "view")),
    # Removing a detention, a release or a source within a record.
    "delete_detention",
    "delete_release",
    "delete_source",
]
EDITOR = [
    *CURATOR,
    "publish_person",
    "publish_releaseevent",
    "publish_sanctionsevent",
    "delete_person",
    "delete_releaseevent",
    "delete_sanctionsevent",
]
ROLES = {"Curator": CURATOR, "Editor": EDITOR}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        # create_permissions() skips app configs without a models module,
        # which a migration's historical app configs never have.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="prisoners", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0002_person_search_trigram"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
