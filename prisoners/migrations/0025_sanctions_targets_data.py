"""Sanctions events recorded before kinds and targets: a kind from each
event's action (for curators to correct), and target records from its
free-text target, split on ';' and matched by name or alias (case ignored),
a new target (kind "other") for a name not matched."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.text import slugify

# The normalized names a target is found by (SanctionsTarget.save() writes
# them; historical models have no save() of ours).
from prisoners.search import search_text

# choices.KIND_OF_ACTION, as it stood when this migration was written.
KIND_OF_ACTION = {
    "imposed": "designation",
    "lifted": "delisting",
    "eased": "general_licence",
    "extended": "extension",
    "suspended": "suspension",
    "reimposed": "designation",
}


# Roles as for the other reference records (0013's names): curators keep
# targets, editors also delete them.
NEW_PERMISSIONS = {
    "Curator": ["add_sanctionstarget", "change_sanctionstarget", "view_sanctionstarget"],
    "Editor": [
        "add_sanctionstarget",
        "change_sanctionstarget",
        "view_sanctionstarget",
        "delete_sanctionstarget",
    ],
}


def grant(apps, schema_editor):
    # On a fresh database post_migrate has not run yet (as in 0013).
    app_config = apps.get_app_config("prisoners")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in NEW_PERMISSIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="prisoners", codename__in=codenames
                )
            )


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _free_id(name: str, taken: set[str]) -> str:
    base = slugify(name)[:90].strip("-") or "target"
    target_id, n = base, 2
    while target_id in taken:
        target_id, n = f"{base}-{n}", n + 1
    taken.add(target_id)
    return target_id


def forwards(apps, schema_editor):
    SanctionsEvent = apps.get_model("prisoners", "SanctionsEvent")
    SanctionsTarget = apps.get_model("prisoners", "SanctionsTarget")
    for action, kind in KIND_OF_ACTION.items():
        SanctionsEvent.objects.filter(action=action).update(kind=kind)
    by_name = {}
    for target in SanctionsTarget.objects.all():
        for name in [target.name, target.target_id, *target.aliases.split(";")]:
            if name.strip():
                by_name.setdefault(_key(name), target)
    taken = set(SanctionsTarget.objects.values_list("target_id", flat=True))
    for event in SanctionsEvent.objects.exclude(target=""):
        targets = []
        for name in event.target.split(";"):
            name = " ".join(name.split())[:200]
            if not name:
                continue
            target = by_name.get(_key(name))
            if target is None:
                target_id = _free_id(name, taken)
                target = SanctionsTarget.objects.create(
                    target_id=target_id,
                    name=name,
                    kind="other",
                    search_text=search_text(target_id, name),
                )
                by_name[_key(name)] = target
            targets.append(target)
        event.targets.add(*targets)


def backwards(apps, schema_editor):
    SanctionsEvent = apps.get_model("prisoners", "SanctionsEvent")
    for event in SanctionsEvent.objects.all():
        event.target = "; ".join(t.name for t in event.targets.all())[:500]
        event.save(update_fields=["target"])


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0024_sanctions_acts")]

    operations = [
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(forwards, backwards),
    ]
