"""The facilities recorded so far become facility records: one per name in
any case, each with an id for its public URL, and each detention's facility
becomes its one stay there."""

import re

from django.db import migrations

# Enough of Belarusian and Russian to make readable ids of Cyrillic names.
CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіў",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "i",
            "u",
        ],
        strict=True,
    )
)


def _id_from(name: str) -> str:
    text = "".join(CYRILLIC.get(c, c) for c in name.lower()).replace("-", " ")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:90].strip("-")


def facility_records(apps, schema_editor):
    Facility = apps.get_model("prisoners", "Facility")
    Detention = apps.get_model("prisoners", "Detention")
    Stay = apps.get_model("prisoners", "Stay")
    keeper = {}
    for facility in Facility.objects.order_by("pk"):
        kept = keeper.setdefault(facility.name.strip().lower(), facility)
        if kept.pk != facility.pk:
            Detention.objects.filter(facility=facility).update(facility=kept)
            facility.delete()
    taken = set()
    for facility in Facility.objects.order_by("pk"):
        base = _id_from(facility.name) or "facility"
        facility_id, n = base, 1
        while facility_id in taken:
            n += 1
            facility_id = f"{base}-{n}"
        taken.add(facility_id)
        facility.facility_id = facility_id
        facility.save(update_fields=["facility_id"])
    for detention in Detention.objects.filter(facility__isnull=False).order_by("pk"):
        closed = detention.end_reason != ""
        Stay.objects.create(
            detention=detention,
            facility_id=detention.facility_id,
            ended_on_first=detention.ended_on_first if closed else None,
            ended_on_last=detention.ended_on_last if closed else None,
            ended_on_precision=detention.ended_on_precision if closed else "",
        )


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0017_facilities")]

    operations = [migrations.RunPython(facility_records, migrations.RunPython.noop)]
