"""The letters columns of prisoners.csv: read, checked, written, exported
in full and in public, and round-tripped."""

import csv
import io
from datetime import date

import pytest

from prisoners.interchange.csv_files import csv_lines
from prisoners.interchange.exporter import export_records, prisoner_rows
from prisoners.interchange.importer import run_import
from prisoners.models import Person
from tests.factories import DetentionFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "person_id,name,published,person_sources,"
    "letters,letters_checked_on,letters_addressee,letters_withheld\n"
)


def write(tmp_path, rows: str):
    path = tmp_path / "prisoners.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def public_rows() -> list[dict]:
    text = "".join(csv_lines(prisoner_rows(Person.objects.order_by("person_id"), public=True)))
    return list(csv.DictReader(io.StringIO(text)))


def test_it_imports_the_letters_columns(tmp_path):
    path = write(
        tmp_path,
        "kalesnikava,Maria Kalesnikava,yes,https://example.org/a,yes,2026-11-02,"
        '"Колесниковой Марии Александровне, 1982 г. р.",no\n'
        "hidden,Hidden Letters,yes,https://example.org/b,no,,,yes\n"
        "plain,Plain Person,yes,https://example.org/c,,,,\n",
    )
    result = run_import([path])
    assert result.ok, result.errors
    maria = Person.objects.get(person_id="kalesnikava")
    assert (maria.letters, maria.letters_checked_on) == ("yes", date(2026, 11, 2))
    assert maria.letters_addressee.startswith("Колесниковой")
    assert Person.objects.get(person_id="hidden").letters_withheld
    plain = Person.objects.get(person_id="plain")
    assert (plain.letters, plain.letters_checked_on, plain.letters_withheld) == (
        "unknown",
        None,
        False,
    )


@pytest.mark.parametrize(
    "row, message",
    [
        ("a,A,yes,https://example.org/a,maybe,,,\n", "'maybe' is not one of: yes, no, unknown"),
        ("a,A,yes,https://example.org/a,yes,2026-11,,\n", "'2026-11' is not a whole date"),
        ("a,A,yes,https://example.org/a,yes,,,perhaps\n", "'perhaps' is not one of: yes, no"),
    ],
)
def test_it_refuses_a_bad_letters_cell(tmp_path, row, message):
    result = run_import([write(tmp_path, row)])
    assert not result.ok
    assert any(message in line for line in result.errors), result.errors


def test_the_letters_survive_a_round_trip(tmp_path):
    person = PersonFactory(
        person_id="writer",
        letters="yes",
        letters_checked_on=date(2026, 11, 2),
        letters_addressee="Адресат, 1982 г. р.",
        letters_withheld=True,
    )
    DetentionFactory(person=person)
    export_records(tmp_path / "first")
    first = (tmp_path / "first" / "prisoners.csv").read_bytes()
    assert b"2026-11-02" in first and "Адресат".encode() in first
    Person.objects.all().delete()
    result = run_import([tmp_path / "first" / "prisoners.csv"])
    assert result.ok, result.errors
    stored = Person.objects.get(person_id="writer")
    assert stored.letters_withheld and stored.letters_checked_on == date(2026, 11, 2)
    export_records(tmp_path / "second")
    assert (tmp_path / "second" / "prisoners.csv").read_bytes() == first


def test_the_public_export_reads_a_withheld_persons_letters_as_unrecorded():
    PersonFactory(
        person_id="open",
        letters="no",
        letters_checked_on=date(2026, 10, 1),
        letters_addressee="Open Addressee",
    )
    PersonFactory(
        person_id="withheld",
        letters="yes",
        letters_checked_on=date(2026, 10, 1),
        letters_addressee="Withheld Addressee",
        letters_withheld=True,
    )
    PersonFactory(person_id="anonymous", letters="yes", visibility="anonymous")
    rows = {row["person_id"]: row for row in public_rows()}
    assert set(rows) == {"open", "withheld"}
    assert "letters_withheld" not in rows["open"]
    assert (rows["open"]["letters"], rows["open"]["letters_checked_on"]) == ("no", "2026-10-01")
    assert rows["open"]["letters_addressee"] == "Open Addressee"
    assert (
        rows["withheld"]["letters"],
        rows["withheld"]["letters_checked_on"],
        rows["withheld"]["letters_addressee"],
    ) == ("unknown", "", "")
