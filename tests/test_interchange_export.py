"""Exporting the interchange format: every column for curators, the public
form for everyone else, streamed with a bounded number of queries."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners.interchange.columns import PRISONERS
from prisoners.interchange.csv_files import csv_lines
from prisoners.interchange.exporter import (
    export_records,
    prisoner_rows,
    release_event_rows,
    sanctions_event_rows,
)
from prisoners.models import LocalName, Person, ReleaseEvent, SanctionsEvent

from .factories import (
    ChargeFactory,
    DetentionFactory,
    FacilityFactory,
    OrganizationFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SanctionsEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def as_dicts(rows) -> list[dict]:
    rows = list(rows)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def people(public=False):
    return as_dicts(prisoner_rows(Person.objects.order_by("person_id"), public=public))


def test_it_writes_one_row_per_detention_and_one_for_a_person_without():
    person = PersonFactory(person_id="p-1", name="Ales", aliases="A;B", internal_notes="x")
    person.organizations.set([OrganizationFactory(name="Viasna")])
    first = DetentionFactory(person=person, detention_id="d-1", detained_on="2020-05")
    first.charges.set([ChargeFactory(article="361-1"), ChargeFactory(article="342")])
    ReleaseFactory(detention=first, released_on="2020-06", release_type="sentence_served")
    second = DetentionFactory(
        person=person, detention_id="d-2", detained_on="2021", facility=FacilityFactory(name="F")
    )
    second.sources.set([SourceFactory(url="https://e.org/b"), SourceFactory(url="https://e.org/a")])
    PersonFactory(person_id="p-2", name="Maria")
    rows = people()
    assert [(r["person_id"], r["detention_id"]) for r in rows] == [
        ("p-1", "d-1"),
        ("p-1", "d-2"),
        ("p-2", ""),
    ]
    assert rows[0]["aliases"] == "A; B"
    assert rows[0]["organizations"] == "Viasna"
    assert rows[0]["charges"] == "342;361-1"
    assert rows[0]["released_on"] == "2020-06"
    assert rows[0]["release_type"] == "sentence_served"
    assert rows[1]["sources"] == "https://e.org/a https://e.org/b"
    assert rows[1]["facility"] == "F"
    assert rows[1]["internal_notes"] == "x"
    assert rows[1]["published"] == "yes"


def test_the_public_export_hides_what_is_not_public():
    hidden_event = ReleaseEventFactory(event_id="hidden", published=False)
    shown_event = ReleaseEventFactory(event_id="shown", published=True)
    hidden_event.sanctions.set([SanctionsEventFactory(event_id="s-hidden", published=False)])
    shown_event.sanctions.set(
        [
            SanctionsEventFactory(event_id="s-shown", published=True),
            SanctionsEventFactory(event_id="s-hidden-2", published=False),
        ]
    )
    person = PersonFactory(person_id="p-1", internal_notes="secret")
    ReleaseFactory(detention=DetentionFactory(person=person), release_event=hidden_event)
    PersonFactory(person_id="p-draft", visibility="draft")
    PersonFactory(person_id="p-anonymous", visibility="anonymous")

    rows = people(public=True)
    assert [r["person_id"] for r in rows] == ["p-1"]
    assert "internal_notes" not in rows[0]
    assert rows[0]["release_event"] == ""
    assert rows[0]["released_on"] == "2025-12-13"
    assert {r["person_id"] for r in people()} == {"p-1", "p-draft", "p-anonymous"}
    assert people()[0]["release_event"] == "hidden"

    events = as_dicts(release_event_rows(ReleaseEvent.objects.all(), public=True))
    assert [(e["event_id"], e["sanctions"]) for e in events] == [("shown", "s-shown")]
    sanctions = as_dicts(sanctions_event_rows(SanctionsEvent.objects.order_by("event_id"), True))
    assert [e["event_id"] for e in sanctions] == ["s-shown"]


def test_the_public_header_has_every_column_but_internal_notes_and_not_same_as():
    header = next(prisoner_rows(Person.objects.all(), public=True))
    private = ("internal_notes", "letters_withheld", "same_as", "not_same_as")
    assert header == [name for name in PRISONERS.names if name not in private]


def test_the_number_of_queries_does_not_grow_with_the_rows():
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for _row in prisoner_rows(Person.objects.order_by("person_id")):
                pass
            for _row in release_event_rows(ReleaseEvent.objects.all()):
                pass
        return len(captured)

    def add(n):
        for _ in range(n):
            detention = DetentionFactory(facility=FacilityFactory())
            detention.charges.set([ChargeFactory()])
            ReleaseFactory(detention=detention, release_event=ReleaseEventFactory())

    add(3)
    few = queries()
    add(30)
    assert queries() == few


def test_csv_lines_quote_as_needed():
    lines = list(csv_lines([["a", "b"], ["x, y", 'say "hi"\nbye']]))
    assert lines == ["a,b\r\n", '"x, y","say ""hi""\nbye"\r\n']
    assert list(csv.reader(io.StringIO("".join(lines)))) == [["a", "b"], ["x, y", 'say "hi"\nbye']]


def test_export_records_writes_the_eight_files(tmp_path):
    PersonFactory(person_id="p-1", name='Алесь, "Ales"\nBialiatski')
    LocalName.objects.all().delete()  # the names migration 0013 seeds
    counts = export_records(tmp_path)
    assert counts == {
        "prisoners.csv": 1,
        "release_events.csv": 0,
        "sanctions_events.csv": 0,
        "sanctions_targets.csv": 0,
        "names.csv": 0,
        "facilities.csv": 0,
        "stays.csv": 0,
        "sentence_changes.csv": 0,
    }
    with open(tmp_path / "prisoners.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[1][:2] == ["p-1", 'Алесь, "Ales"\nBialiatski']


def test_the_export_command_writes_public_files(tmp_path, capsys):
    PersonFactory(person_id="p-1")
    PersonFactory(person_id="p-2", visibility="draft")
    call_command("export_records", str(tmp_path), "--public")
    assert "prisoners.csv: 1 rows" in capsys.readouterr().out
    text = (tmp_path / "prisoners.csv").read_text(encoding="utf-8")
    assert "internal_notes" not in text
    assert "p-2" not in text
