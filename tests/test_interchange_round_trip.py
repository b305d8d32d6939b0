"""The full export imported into an empty database gives back the same full
export: on the demo data, on synthetic data and on generated messy data."""

import csv
import io
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prisoners.interchange.exporter import export_records
from prisoners.interchange.importer import run_import
from prisoners.models import (
    Charge,
    Facility,
    LocalName,
    Organization,
    Person,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
    Source,
)

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parent.parent / "prisoners" / "demo"
FILES = [
    "sanctions_targets.csv",
    "sanctions_events.csv",
    "release_events.csv",
    "prisoners.csv",
    "names.csv",
    "facilities.csv",
    "stays.csv",
    "sentence_changes.csv",
]


def delete_everything():
    Person.objects.all().delete()
    for model in (
        ReleaseEvent,
        SanctionsEvent,
        SanctionsTarget,
        Source,
        Organization,
        Charge,
        Facility,
        LocalName,
    ):
        model.objects.all().delete()


def export(directory: Path) -> dict[str, bytes]:
    export_records(directory)
    return {name: (directory / name).read_bytes() for name in FILES}


def assert_round_trip(tmp_path: Path) -> dict[str, bytes]:
    first = export(tmp_path / "first")
    delete_everything()
    result = run_import([tmp_path / "first" / name for name in FILES])
    assert result.ok, result.errors
    second = export(tmp_path / "second")
    assert second == first
    again = run_import([tmp_path / "second" / name for name in FILES])
    assert again.ok
    assert all("0 created, 0 updated" in line for line in again.summary_lines()), (
        again.summary_lines()
    )
    return first


def test_the_demo_data_survives_a_round_trip(tmp_path):
    result = run_import([DEMO / name for name in FILES], via="demo data")
    assert result.ok, result.errors
    exported = assert_round_trip(tmp_path)
    assert exported["prisoners.csv"].count(b"\r\n") > 10


def test_synthetic_data_survives_a_round_trip(tmp_path):
    call_command("generate_synthetic", persons=150, seed=3, quiet=True)
    assert_round_trip(tmp_path)


# Generated messy data: any script, commas, quotes, line breaks inside cells,
# partial dates, several detentions, releases with events, sanctions links.

LETTERS = "abcxyzАБВгдеіўЁёŁłąś王小明 ,\";'-\n"
text = st.text(alphabet=LETTERS, min_size=1, max_size=12).map(str.strip).filter(bool)
alias = text.map(lambda s: s.replace(";", "").strip()).filter(bool)
URLS = [f"https://example.org/{i};x={i}" for i in range(5)] + ["https://be.example/ўсё"]


@st.composite
def partial_date(draw, year: int) -> str:
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    return draw(
        st.sampled_from([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])
    )


@st.composite
def person_rows(draw, index: int, release_events: list[str]) -> list[dict]:
    person_id = f"p-{index}"
    published = draw(st.sampled_from(["yes", "no", "anonymous"]))
    person = {
        "person_id": person_id,
        "name": draw(text),
        "name_be": draw(st.one_of(st.just(""), text)),
        "aliases": "; ".join(draw(st.lists(alias, max_size=3, unique=True))),
        "gender": draw(st.sampled_from(["", "female", "male", "other"])),
        "born": draw(st.one_of(st.just(""), partial_date(1960))),
        "died_on": draw(st.one_of(st.just(""), partial_date(2025))),
        "region": draw(st.one_of(st.just(""), text)),
        "organizations": "; ".join(draw(st.lists(alias, max_size=2, unique=True))),
        "bio": draw(st.one_of(st.just(""), text)),
        "internal_notes": draw(st.one_of(st.just(""), text)),
        "published": published,
        "person_sources": " ".join(draw(st.lists(st.sampled_from(URLS), min_size=1, max_size=2))),
    }
    years = sorted(draw(st.lists(st.integers(1995, 2024), max_size=3, unique=True)))
    rows = []
    for number, year in enumerate(years):
        last = number == len(years) - 1
        detained = draw(st.one_of(st.just(""), partial_date(year)))
        row = {
            "detention_id": f"{person_id}-d{number}" if not detained else "",
            "detained_on": detained,
            "charges": ";".join(
                draw(st.lists(st.sampled_from(["342", "361-1", "130"]), max_size=2))
            ),
            "sentence_type": draw(st.sampled_from(["", "colony", "prison", "fine"])),
            "sentence_months": str(draw(st.integers(0, 200))),
            "facility": draw(st.one_of(st.just(""), text)),
            "sources": " ".join(draw(st.lists(st.sampled_from(URLS), max_size=2))),
        }
        if not last or draw(st.booleans()):
            event = draw(st.one_of(st.just(""), st.sampled_from(release_events)))
            row.update(
                released_on="" if event else draw(partial_date(year + 1)),
                release_type=draw(st.sampled_from(["pardon", "deported", "exchange"])),
                release_event=event,
                released_to=draw(st.one_of(st.just(""), text)),
            )
        # Later rows leave the person columns empty, or repeat them.
        rows.append((person if not rows or draw(st.booleans()) else {"person_id": person_id}) | row)
    return rows or [person]


@st.composite
def dataset(draw):
    releases = ["2025-12-13-release", "2025-09-release"]
    people = []
    for index in range(draw(st.integers(1, 6))):
        people.extend(draw(person_rows(index, releases)))
    return people


def to_csv(rows: list[dict], header: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


SANCTIONS_CSV = (
    b"event_id,date,authority,action,target,published\n"
    b'us-potash,2025-12-13,US,lifted,"Belaruskali; BPC",yes\n'
    b"eu-secret,2025-09,EU,eased,Belavia,no\n"
)
RELEASES_CSV = (
    b"event_id,date,title,sanctions,published,description\n"
    b'2025-12-13-release,2025-12-13,"123 freed, at last",us-potash;eu-secret,yes,"a\n""b"""\n'
    b"2025-09-release,2025-09,Fifty-two,,no,\n"
)
HEADER = [
    "person_id",
    "name",
    "name_be",
    "aliases",
    "gender",
    "born",
    "died_on",
    "region",
    "organizations",
    "bio",
    "internal_notes",
    "published",
    "person_sources",
    "detention_id",
    "detained_on",
    "charges",
    "sentence_type",
    "sentence_months",
    "facility",
    "released_on",
    "release_type",
    "release_event",
    "released_to",
    "sources",
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=dataset())
def test_generated_data_survives_a_round_trip(rows):
    delete_everything()
    result = run_import(
        [
            ("sanctions_events.csv", SANCTIONS_CSV),
            ("release_events.csv", RELEASES_CSV),
            ("prisoners.csv", to_csv(rows, HEADER)),
        ]
    )
    assert result.ok, result.errors
    with tempfile.TemporaryDirectory() as directory:
        assert_round_trip(Path(directory))
