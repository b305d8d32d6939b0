"""Names in Belarusian and Russian: fields on organizations, charges and
facilities, curators' be/ru texts on people and events, and LocalName for
the values records write as text (regions, countries, authorities).

Seeds the place names and authorities of the translation review (section
4.8 and 5.6) as rows, whether or not records use them yet: a name no record
uses is shown nowhere, and the first import that writes "Minsk" finds it.
The curator and editor roles get the new table's permissions (the editor may
also delete a row)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# (kind, name as recorded, Belarusian, Russian)
SEEDED = [
    ("region", "Minsk", "Мінск", "Минск"),
    ("region", "Homiel", "Гомель", "Гомель"),
    ("region", "Hrodna", "Гродна", "Гродно"),
    ("region", "Mahiliou", "Магілёў", "Могилёв"),
    ("region", "Vitebsk", "Віцебск", "Витебск"),
    ("region", "Vitsebsk", "Віцебск", "Витебск"),
    ("region", "Brest", "Брэст", "Брест"),
    ("region", "Horki", "Горкі", "Горки"),
    ("region", "Shklou", "Шклоў", "Шклов"),
    ("region", "Brest region", "Брэсцкая вобласць", "Брестская область"),
    ("region", "Vitebsk region", "Віцебская вобласць", "Витебская область"),
    ("region", "Vitsebsk region", "Віцебская вобласць", "Витебская область"),
    ("region", "Homiel region", "Гомельская вобласць", "Гомельская область"),
    ("region", "Hrodna region", "Гродзенская вобласць", "Гродненская область"),
    ("region", "Minsk region", "Мінская вобласць", "Минская область"),
    ("region", "Mahiliou region", "Магілёўская вобласць", "Могилёвская область"),
    ("authority", "US", "ЗША", "США"),
    ("authority", "EU", "ЕС", "ЕС"),
    ("authority", "UK", "Вялікабрытанія", "Великобритания"),
]
NEW_PERMISSIONS = {
    "Curator": ["add_localname", "change_localname", "view_localname"],
    "Editor": ["add_localname", "change_localname", "view_localname", "delete_localname"],
}


def seed(apps, schema_editor):
    LocalName = apps.get_model("prisoners", "LocalName")
    for kind, name, name_be, name_ru in SEEDED:
        LocalName.objects.get_or_create(
            kind=kind, name=name, defaults={"name_be": name_be, "name_ru": name_ru}
        )
    # On a fresh database post_migrate has not run yet (as in 0003_roles).
    # create_permissions() skips app configs without a models module, which
    # a migration's historical app configs never have.
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


def unseed(apps, schema_editor):
    LocalName = apps.get_model("prisoners", "LocalName")
    for kind, name, _be, _ru in SEEDED:
        LocalName.objects.filter(kind=kind, name=name).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0011_data_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="charge",
            name="title_be",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=300,
                verbose_name="title in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="charge",
            name="title_ru",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=300,
                verbose_name="title in Russian",
            ),
        ),
        migrations.AddField(
            model_name="facility",
            name="name_be",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=300,
                verbose_name="name in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="facility",
            name="name_ru",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=300,
                verbose_name="name in Russian",
            ),
        ),
        migrations.AddField(
            model_name="historicalcharge",
            name="title_be",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=300,
                verbose_name="title in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="historicalcharge",
            name="title_ru",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=300,
                verbose_name="title in Russian",
            ),
        ),
        migrations.AddField(
            model_name="historicalfacility",
            name="name_be",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=300,
                verbose_name="name in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="historicalfacility",
            name="name_ru",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=300,
                verbose_name="name in Russian",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="name_be",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=200,
                verbose_name="name in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganization",
            name="name_ru",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=200,
                verbose_name="name in Russian",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="bio_be",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="bio in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="bio_ru",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="bio in Russian",
            ),
        ),
        migrations.AddField(
            model_name="historicalreleaseevent",
            name="description_be",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="description in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="historicalreleaseevent",
            name="description_ru",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="description in Russian",
            ),
        ),
        migrations.AddField(
            model_name="historicalreleaseevent",
            name="title_be",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=300,
                verbose_name="title in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="historicalreleaseevent",
            name="title_ru",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=300,
                verbose_name="title in Russian",
            ),
        ),
        migrations.AddField(
            model_name="historicalsanctionsevent",
            name="description_be",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="description in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="historicalsanctionsevent",
            name="description_ru",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="description in Russian",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="name_be",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=200,
                verbose_name="name in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="name_ru",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the name as recorded. Shown publicly once published.",
                max_length=200,
                verbose_name="name in Russian",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="bio_be",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="bio in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="bio_ru",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="bio in Russian",
            ),
        ),
        migrations.AddField(
            model_name="releaseevent",
            name="description_be",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="description in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="releaseevent",
            name="description_ru",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="description in Russian",
            ),
        ),
        migrations.AddField(
            model_name="releaseevent",
            name="title_be",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=300,
                verbose_name="title in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="releaseevent",
            name="title_ru",
            field=models.CharField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=300,
                verbose_name="title in Russian",
            ),
        ),
        migrations.AddField(
            model_name="sanctionsevent",
            name="description_be",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Belarusian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="description in Belarusian",
            ),
        ),
        migrations.AddField(
            model_name="sanctionsevent",
            name="description_ru",
            field=models.TextField(
                blank=True,
                help_text="Shown on the Russian pages; leave empty to show the English text. Shown publicly once published.",
                max_length=200000,
                verbose_name="description in Russian",
            ),
        ),
        migrations.AlterField(
            model_name="charge",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="The article's title in English, shown beside its number. Shown publicly once published.",
                max_length=300,
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcharge",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="The article's title in English, shown beside its number. Shown publicly once published.",
                max_length=300,
                verbose_name="title",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalLocalName",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("region", "region"),
                            ("country", "country"),
                            ("authority", "sanctions authority"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Exactly as the records write it, e.g. Minsk, Lithuania or US.",
                        max_length=300,
                        verbose_name="name as recorded",
                    ),
                ),
                (
                    "name_be",
                    models.CharField(
                        blank=True,
                        help_text="Shown on the Belarusian pages; leave empty to show the name as recorded. Shown publicly once published.",
                        max_length=300,
                        verbose_name="name in Belarusian",
                    ),
                ),
                (
                    "name_ru",
                    models.CharField(
                        blank=True,
                        help_text="Shown on the Russian pages; leave empty to show the name as recorded. Shown publicly once published.",
                        max_length=300,
                        verbose_name="name in Russian",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical name in Belarusian and Russian",
                "verbose_name_plural": "historical names in Belarusian and Russian",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="LocalName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("region", "region"),
                            ("country", "country"),
                            ("authority", "sanctions authority"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Exactly as the records write it, e.g. Minsk, Lithuania or US.",
                        max_length=300,
                        verbose_name="name as recorded",
                    ),
                ),
                (
                    "name_be",
                    models.CharField(
                        blank=True,
                        help_text="Shown on the Belarusian pages; leave empty to show the name as recorded. Shown publicly once published.",
                        max_length=300,
                        verbose_name="name in Belarusian",
                    ),
                ),
                (
                    "name_ru",
                    models.CharField(
                        blank=True,
                        help_text="Shown on the Russian pages; leave empty to show the name as recorded. Shown publicly once published.",
                        max_length=300,
                        verbose_name="name in Russian",
                    ),
                ),
            ],
            options={
                "verbose_name": "name in Belarusian and Russian",
                "verbose_name_plural": "names in Belarusian and Russian",
                "ordering": ["kind", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "name"), name="localname_one_per_kind_name"
                    )
                ],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
