"""The data version row every process reads, and each person's last public
change (the feed's time), first taken from the history: the newest history
date of the person, their detentions and their releases. People without
history (synthetic ones) keep the time of this migration."""

from datetime import UTC, datetime

import django.utils.timezone
from django.db import migrations, models
from django.db.models import DateTimeField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest


def newest(rows):
    """The newest history date of ``rows``, as one value."""
    return Subquery(
        rows.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(newest=Max("history_date"))
        .values("newest")[:1],
        output_field=DateTimeField(),
    )


def fill(apps, schema_editor):
    Person = apps.get_model("prisoners", "Person")
    Detention = apps.get_model("prisoners", "Detention")
    DataVersion = apps.get_model("prisoners", "DataVersion")
    histories = {
        name: apps.get_model("prisoners", f"Historical{name}")
        for name in ("Person", "Detention", "Release")
    }
    times = {
        "Person": newest(histories["Person"].objects.filter(id=OuterRef("pk"))),
        "Detention": newest(histories["Detention"].objects.filter(person_id=OuterRef("pk"))),
        "Release": newest(
            histories["Release"].objects.filter(
                detention_id__in=Detention.objects.filter(person=OuterRef(OuterRef("pk"))).values(
                    "pk"
                )
            )
        ),
    }
    # Coalesced: GREATEST of SQLite gives NULL when any argument is NULL.
    never = Value(datetime(1, 1, 2, tzinfo=UTC), output_field=DateTimeField())
    time = Greatest(*(Coalesce(t, never) for t in times.values()))
    Person.objects.annotate(newest=time).filter(newest__gt=never).update(public_changed_at=time)
    latest = [
        model.objects.aggregate(newest=Max("history_date"))["newest"]
        for model in apps.get_app_config("prisoners").get_models()
        if model.__name__.startswith("Historical")
        and any(f.name == "history_date" for f in model._meta.concrete_fields)
    ]
    latest = [t for t in latest if t is not None]
    DataVersion.objects.create(pk=1, version=1, public_changed_at=max(latest, default=None))


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0010_limits"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
                ("public_changed_at", models.DateTimeField(null=True)),
            ],
        ),
        migrations.AddField(
            model_name="person",
            name="public_changed_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["visibility", "-public_changed_at", "person_id"],
                name="person_public_changed",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
