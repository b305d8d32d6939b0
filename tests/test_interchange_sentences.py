"""sentence_changes.csv and the expected_release_on column: imported all or
nothing with the rules' errors, exported in full and in public, round
tripping."""

import csv
import io

import pytest

from prisoners.interchange.exporter import export_records
from prisoners.interchange.importer import run_import
from prisoners.models import Detention, Person, SentenceChange

from .factories import DetentionFactory, PersonFactory, SentenceChangeFactory, SourceFactory

pytestmark = pytest.mark.django_db

PRISONERS = (
    "person_id,name,published,person_sources,detention_id,detained_on,sentence_type,"
    "sentence_months,sentenced_on,expected_release_on\n"
)
CHANGES = "detention_id,changed_on,kind,sentence_type,sentence_months,sources\n"
SOURCE = "https://example.org/s"


def run(*files, **kwargs):
    return run_import([(name, text.encode()) for name, text in files], **kwargs)


def person_row(**values):
    row = {
        "person_id": "p-1",
        "name": "N",
        "published": "yes",
        "person_sources": SOURCE,
        "detention_id": "d-1",
        "detained_on": "2020-08-09",
        "sentence_type": "colony",
        "sentence_months": "36",
        "sentenced_on": "2021-02",
        "expected_release_on": "",
    } | values
    return PRISONERS + ",".join(row.values()) + "\n"


def test_it_imports_changes_with_their_detention_and_derives_the_expected_release():
    result = run(
        ("p.csv", person_row()),
        ("s.csv", CHANGES + f"d-1,2022-05-10,additional,colony,48,{SOURCE}\n"),
    )
    assert result.ok, result.errors
    change = SentenceChange.objects.get()
    assert (change.kind, change.sentence_months, str(change.changed_on)) == (
        "additional",
        48,
        "2022-05-10",
    )
    assert [s.url for s in change.sources.all()] == [SOURCE]
    assert str(Detention.objects.get().expected_release) == "2024-08-09"
    assert str(Person.objects.get().expected_release) == "2024-08-09"
    assert change.history.count() == 1
    assert "sentence changes: 1 created, 0 updated, 0 unchanged" in result.summary_lines()


def test_importing_the_same_changes_again_changes_nothing():
    files = [
        ("p.csv", person_row()),
        ("s.csv", CHANGES + f"d-1,2022-05-10,additional,colony,48,{SOURCE}\n"),
    ]
    assert run(*files).ok
    again = run(*files)
    assert "sentence changes: 0 created, 0 updated, 1 unchanged" in again.summary_lines()
    assert SentenceChange.history.count() == 1


def test_a_row_with_another_term_updates_the_stored_change():
    detention = DetentionFactory(detention_id="d-1", detained_on="2020-08-09")
    SentenceChangeFactory(detention=detention, changed_on="2022-05-10", sentence_months=48)
    result = run(("s.csv", CHANGES + "d-1,2022-05-10,additional,colony,60,\n"))
    assert result.ok, result.errors
    assert SentenceChange.objects.get().sentence_months == 60


def test_it_imports_the_recorded_expected_release():
    assert run(("p.csv", person_row(expected_release_on="2023-06"))).ok
    detention = Detention.objects.get()
    assert str(detention.expected_release_on) == "2023-06"
    assert str(detention.expected_release) == "2023-06"


def test_files_without_the_new_columns_import_as_before():
    result = run(("p.csv", "person_id,name,detained_on\np-1,N,2021-07\n"))
    assert result.ok, result.errors
    assert Detention.objects.get().expected_release_on is None


def test_it_rejects_a_change_before_the_arrest_writing_nothing():
    result = run(
        ("p.csv", person_row(sentenced_on="")),
        ("s.csv", CHANGES + "d-1,2020-07,appeal,colony,24,\n"),
    )
    assert result.errors == [
        "s.csv:2: changed_on: the change of sentence (2020-07) is before the arrest (2020-08-09)"
    ]
    assert not Person.objects.exists()


def test_it_rejects_a_change_before_the_sentence():
    result = run(
        ("p.csv", person_row()),
        ("s.csv", CHANGES + "d-1,2021-01-20,appeal,colony,24,\n"),
    )
    assert result.errors == [
        "s.csv:2: changed_on: the change of sentence (2021-01-20) is before the sentence (2021-02)"
    ]


def test_it_rejects_an_expected_release_before_the_arrest():
    result = run(("p.csv", person_row(expected_release_on="2019")))
    assert result.errors == [
        "p.csv:2: expected_release_on: the expected release (2019) is before the arrest "
        "(2020-08-09)"
    ]


def test_it_rejects_an_unknown_detention_and_a_bad_kind():
    result = run(("s.csv", CHANGES + "d-9,2022-05,appeal,,,\nd-9,2022-06,parole,,,\n"))
    assert result.errors == [
        "s.csv:2: detention_id: unknown detention 'd-9': not in the database nor in a "
        "prisoners file of this import",
        "s.csv:3: kind: 'parole' is not one of: appeal, additional, commutation, shortened, other",
    ]
    assert not SentenceChange.objects.exists()


def test_it_rejects_the_same_change_twice():
    DetentionFactory(detention_id="d-1", detained_on="2020-08-09")
    result = run(("s.csv", CHANGES + "d-1,2022-05,appeal,,,\nd-1,2022-05,appeal,,,\n"))
    assert result.errors == ["s.csv:3: changed_on: this change of d-1 is already given on line 2"]


def test_a_curator_may_not_change_a_published_persons_sentence():
    DetentionFactory(detention_id="d-1", detained_on="2020-08-09")
    result = run(("s.csv", CHANGES + "d-1,2022-05,appeal,colony,12,\n"), can_publish=False)
    assert len(result.errors) == 1
    assert "only an editor may change what the public sees" in result.errors[0]
    assert not SentenceChange.objects.exists()


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_public_export_holds_the_changes_of_published_people_only(tmp_path):
    for visibility in ("published", "anonymous", "draft"):
        person = PersonFactory(person_id=f"p-{visibility}", visibility=visibility)
        detention = DetentionFactory(person=person, detention_id=f"d-{visibility}")
        SentenceChangeFactory(detention=detention, sources=[SourceFactory()])
    export_records(tmp_path / "public", public=True)
    export_records(tmp_path / "full")
    public = _rows(tmp_path / "public" / "sentence_changes.csv")
    assert [row["detention_id"] for row in public] == ["d-published"]
    full = _rows(tmp_path / "full" / "sentence_changes.csv")
    assert sorted(row["detention_id"] for row in full) == ["d-anonymous", "d-draft", "d-published"]
    prisoners = _rows(tmp_path / "public" / "prisoners.csv")
    assert "expected_release_on" in prisoners[0]


def test_changes_and_expected_release_survive_a_round_trip(tmp_path):
    detention = DetentionFactory(
        detention_id="d-1", detained_on="2020-08", expected_release_on="2024-02"
    )
    SentenceChangeFactory(detention=detention, changed_on="2021", kind="commutation")
    export_records(tmp_path / "first")
    Person.objects.all().delete()
    files = ["sanctions_events.csv", "release_events.csv", "prisoners.csv", "sentence_changes.csv"]
    result = run_import([tmp_path / "first" / name for name in files])
    assert result.ok, result.errors
    export_records(tmp_path / "second")
    for name in files:
        assert (tmp_path / "second" / name).read_bytes() == (tmp_path / "first" / name).read_bytes()
    assert str(Detention.objects.get().expected_release_on) == "2024-02"


def test_it_rejects_moving_an_arrest_after_a_recorded_change():
    detention = DetentionFactory(detention_id="d-1", detained_on="2020-08-09")
    SentenceChangeFactory(detention=detention, changed_on="2021-03")
    result = run(
        (
            "p.csv",
            f"person_id,detention_id,detained_on\n{detention.person.person_id},d-1,2021-05-01\n",
        )
    )
    assert result.errors == [
        "p.csv:2: detained_on: the change of sentence (2021-03) is before the arrest (2021-05-01)"
    ]


def test_two_changes_of_one_detention_in_one_import_leave_the_latest_term():
    detention = DetentionFactory(
        detention_id="d-1", detained_on="2020-08-09", sentence_type="colony", sentence_months=36
    )
    SentenceChangeFactory(detention=detention, changed_on="2021-05", sentence_months=48)
    SentenceChangeFactory(detention=detention, changed_on="2022-05", sentence_months=60)
    result = run(
        (
            "s.csv",
            CHANGES + "d-1,2021-05,additional,colony,60,\nd-1,2022-05,additional,colony,36,\n",
        )
    )
    assert result.ok, result.errors
    assert str(Detention.objects.get().expected_release) == "2023-08-09"
