import csv
import io
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from prisoners.identity import MatchIndex
from prisoners.interchange.importer import run_import
from prisoners.interchange.names import name_values, stored_names
from prisoners.models import (
    Detention,
    Facility,
    LocalName,
    OtherDetentionId,
    OtherId,
    Person,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
)
from prisoners.partial_dates import PartialDate

DEMO = Path(__file__).resolve().parents[2] / "demo"
FILES = (
    "sanctions_targets.csv",
    "sanctions_events.csv",
    "release_events.csv",
    "prisoners.csv",
    "names.csv",
    "facilities.csv",
    "stays.csv",
    "sentence_changes.csv",
)


def ever_recorded(models_and_fields, ids: set[str]) -> set[str]:
    """The ``ids`` recorded now or ever (a history row remains of a record a
    curator deleted)."""
    found = set()
    for model, field in models_and_fields:
        for manager in (model.objects, model.history):
            found.update(manager.filter(**{f"{field}__in": ids}).values_list(field, flat=True))
    return found


def _read(name: str) -> tuple[list[str], list[dict]]:
    text = (DEMO / name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _write(header: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _born(text: str) -> PartialDate | None:
    return PartialDate.parse(text) if text.strip() else None


def missing_demo() -> tuple[dict[str, bytes], list[str]]:
    """The demo files reduced to what is missing: every demo record whose id
    is recorded or ever was (a curator may have changed or deleted it) is
    left alone, and so is a demo person who probably is a recorded person
    (prisoners.identity) or whose release event is left out. Returns the
    files' contents and, for each left-out record, why."""
    left_out: list[str] = []
    files: dict[str, bytes] = {}

    header, targets = _read("sanctions_targets.csv")
    ids = {row["target_id"] for row in targets}
    recorded = ever_recorded([(SanctionsTarget, "target_id")], ids)
    left_out += [f"sanctions target {i}: recorded, or deleted by a curator" for i in recorded]
    files["sanctions_targets.csv"] = _write(
        header, [row for row in targets if row["target_id"] not in recorded]
    )

    header, sanctions = _read("sanctions_events.csv")
    ids = {row["event_id"] for row in sanctions}
    recorded = ever_recorded([(SanctionsEvent, "event_id")], ids)
    left_out += [f"sanctions event {i}: recorded, or deleted by a curator" for i in recorded]
    sanctions = [row for row in sanctions if row["event_id"] not in recorded]
    files["sanctions_events.csv"] = _write(header, sanctions)
    available = {row["event_id"] for row in sanctions} | set(
        SanctionsEvent.objects.filter(event_id__in=ids).values_list("event_id", flat=True)
    )

    header, releases = _read("release_events.csv")
    ids = {row["event_id"] for row in releases}
    recorded = ever_recorded([(ReleaseEvent, "event_id")], ids)
    kept = []
    for row in releases:
        linked = {i.strip() for i in row.get("sanctions", "").split(";") if i.strip()}
        if row["event_id"] in recorded:
            left_out.append(f"release event {row['event_id']}: recorded, or deleted by a curator")
        elif not linked <= available:
            left_out.append(f"release event {row['event_id']}: its sanctions event is left out")
        else:
            kept.append(row)
    files["release_events.csv"] = _write(header, kept)
    available = {row["event_id"] for row in kept} | set(
        ReleaseEvent.objects.filter(event_id__in=ids).values_list("event_id", flat=True)
    )

    header, prisoners = _read("prisoners.csv")
    rows_of: dict[str, list[dict]] = defaultdict(list)
    for row in prisoners:
        rows_of[row["person_id"]].append(row)
    recorded = ever_recorded([(Person, "person_id"), (OtherId, "other_id")], set(rows_of))
    detentions = ever_recorded(
        [(Detention, "detention_id"), (OtherDetentionId, "other_id")],
        {row["detention_id"] for row in prisoners if row.get("detention_id")},
    )
    index = MatchIndex()
    kept = []
    for person_id, rows in rows_of.items():
        first = rows[0]
        names = [first.get(c, "") for c in ("name", "name_be", "name_ru")]
        names += first.get("aliases", "").split(";")
        matches = index.matches(names, _born(first.get("born", "")))
        events = {row["release_event"] for row in rows if row.get("release_event")}
        if person_id in recorded:
            left_out.append(f"person {person_id}: recorded, or deleted by a curator")
        elif matches:
            described = " or ".join(str(m.describe()) for m in matches)
            left_out.append(f"person {person_id}: looks like {described}")
        elif any(row.get("detention_id") in detentions for row in rows):
            left_out.append(f"person {person_id}: a detention is recorded, or was deleted")
        elif not events <= available:
            left_out.append(f"person {person_id}: their release event is left out")
        else:
            kept.extend(rows)
    files["prisoners.csv"] = _write(header, kept)
    loaded = {row["detention_id"] for row in kept}

    header, facilities = _read("facilities.csv")
    recorded = ever_recorded([(Facility, "facility_id")], {r["facility_id"] for r in facilities})
    left_out += [f"facility {i}: recorded, or deleted by a curator" for i in recorded]
    files["facilities.csv"] = _write(
        header, [r for r in facilities if r["facility_id"] not in recorded]
    )
    # Only the stays of the detentions loaded now: a recorded detention's
    # stays are a curator's.
    header, stays = _read("stays.csv")
    files["stays.csv"] = _write(header, [r for r in stays if r["detention_id"] in loaded])

    # The changes of the demo detentions loaded now (all illustrative: their
    # source is example.org); a detention left alone keeps its own.
    header, changes = _read("sentence_changes.csv")
    loaded = {row["detention_id"] for row in kept if row.get("detention_id")}
    files["sentence_changes.csv"] = _write(
        header, [row for row in changes if row["detention_id"] in loaded]
    )

    header, names = _read("names.csv")
    named = given_names()
    for row in names:
        if (row["kind"], row["name"]) in named:
            left_out.append(f"{row['kind']} {row['name']}: named already, or by a curator")
    files["names.csv"] = _write(header, [r for r in names if (r["kind"], r["name"]) not in named])
    return files, left_out


def given_names() -> set[tuple[str, str]]:
    """``(kind, name)`` of every name given: a LocalName (now or ever), an
    organization, charge or facility with a name or title in any language."""
    given = set(LocalName.history.values_list("kind", "name"))
    for kind, record in stored_names():
        given.add((kind, name_values(kind, record)["name"]))
    return given


class Command(BaseCommand):
    help = (
        "Load the demo records (prisoners/demo/*.csv): the December 2025 release of 123 "
        "political prisoners and the US general licence for Belarusian potash (the "
        "designations and the EU's measures stayed), and their names in Belarusian and "
        "Russian. Loads only what is "
        "missing: a demo record a curator changed or deleted, or a demo person who is "
        "probably someone recorded, is left alone."
    )

    def handle(self, *args, verbosity=1, **options):
        files, left_out = missing_demo()
        result = run_import([(name, files[name]) for name in FILES], via="demo data")
        if not result.ok:
            raise CommandError("The demo data does not import:\n" + "\n".join(result.errors))
        if verbosity > 1:
            for reason in left_out:
                self.stdout.write(f"Left alone: {reason}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded ({'; '.join(result.summary_lines())}).")
        )
