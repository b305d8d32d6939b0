"""One person, one record in every import: a new person who probably is
someone recorded is an error naming them, unless the row says same_as or
not_same_as; the answer is kept, so that the same file imports again
without asking; and the full export round-trips other ids and pairs said
different."""

import pytest
from django.core.management import call_command

from prisoners.interchange.exporter import export_records, prisoner_rows
from prisoners.interchange.importer import run_import
from prisoners.models import Detention, NotSameAs, OtherDetentionId, OtherId, Person, Release

from .factories import DetentionFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "person_id,name,born,same_as,not_same_as,detention_id,detained_on,sentence_type\n"


def run(text: str, **kwargs):
    return run_import([("p.csv", text.encode())], **kwargs)


@pytest.fixture
def ales():
    person = PersonFactory(
        person_id="ales-bialiatski",
        name="Ales Bialiatski",
        name_be="Алесь Бяляцкі",
        born="1962-09-25",
        bio="Kept bio.",
    )
    DetentionFactory(person=person, detention_id="ab-2021", detained_on="2021-07-14")
    return person


def test_it_refuses_a_new_person_who_looks_like_a_recorded_one(ales):
    result = run(HEADER + "v-17,Бяляцкі Алесь,1962,,,,,\n")
    assert result.errors == [
        "p.csv:2: name: looks like ales-bialiatski (Ales Bialiatski, born 1962-09-25)"
    ]
    assert [m.person_id for m in result.matches] == ["v-17"]
    assert Person.objects.count() == 1


def test_it_takes_a_contradicting_birth_date_for_another_person(ales):
    assert run(HEADER + "v-17,Ales Bialiatski,1970,,,,,\n").ok
    assert Person.objects.count() == 2


def test_same_as_updates_the_recorded_person_and_keeps_the_files_id(ales):
    text = HEADER + "v-17,Ales Bialiatski,1962-09-25,ales-bialiatski,,v-17-a,2021,\n"
    result = run(text)
    assert result.ok, result.errors
    assert Person.objects.count() == 1
    assert OtherId.objects.get().person == ales
    # The row's detention is the recorded one (2021 and 2021-07-14 meet), the
    # recorded day is kept, and the file's id is kept as another id of it.
    detention = Detention.objects.get()
    assert (detention.detention_id, str(detention.detained_on)) == ("ab-2021", "2021-07-14")
    assert OtherDetentionId.objects.get().detention == detention
    again = run(text)
    assert again.ok, again.errors
    assert all("0 created, 0 updated" in line for line in again.summary_lines())


def test_a_file_using_another_id_updates_that_person_without_asking(ales):
    OtherId.objects.create(person=ales, other_id="v-17")
    result = run("person_id,name,region\nv-17,Ales Bialiatski,Minsk\n")
    assert result.ok, result.errors
    assert Person.objects.get().region == "Minsk"
    assert Person.objects.count() == 1


def test_the_more_precise_start_of_a_matched_detention_wins(ales):
    Detention.objects.filter(detention_id="ab-2021").update(
        detained_on_first="2021-01-01", detained_on_precision="year"
    )
    result = run(HEADER + "v-17,Ales Bialiatski,,ales-bialiatski,,v-17-a,2021-07-14,\n")
    assert result.ok, result.errors
    assert str(Detention.objects.get().detained_on) == "2021-07-14"


def test_a_matched_persons_detention_with_another_start_is_a_new_one(ales):
    Detention.objects.filter(detention_id="ab-2021").delete()
    DetentionFactory(person=ales, detention_id="ab-2011", detained_on="2011-08-04")
    Release.objects.create(
        detention=Detention.objects.get(), released_on="2014-06-21", release_type="served"
    )
    result = run(HEADER + "v-17,Ales Bialiatski,,ales-bialiatski,,v-17-a,2021-07-14,\n")
    assert result.ok, result.errors
    assert sorted(ales.detentions.values_list("detention_id", flat=True)) == ["ab-2011", "v-17-a"]
    assert not OtherDetentionId.objects.exists()


def test_not_same_as_creates_another_person_and_is_never_asked_again(ales):
    text = HEADER + "ales-2,Ales Bialiatski,,,ales-bialiatski,,,\n"
    result = run(text)
    assert result.ok, result.errors
    other = Person.objects.get(person_id="ales-2")
    assert NotSameAs.objects.filter(**NotSameAs.pair(ales, other)).exists()
    again = run("person_id,name\nales-2,Ales Bialiatski\n")
    assert again.ok, again.errors


def test_the_choices_of_the_admin_work_as_the_columns(ales):
    text = HEADER + "v-17,Ales Bialiatski,,,,,,\n"
    assert run(text, choices={"v-17": "ales-bialiatski"}).ok
    assert OtherId.objects.get().other_id == "v-17"
    assert run(HEADER + "v-18,Ales Bialiatski,,,,,,\n", choices={"v-18": ["ales-bialiatski"]}).ok
    assert Person.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "error"),
    [
        ("v-1,N,,nobody,,,,", "p.csv:2: same_as: no person 'nobody' is recorded"),
        (
            "v-1,N,,,nobody,,,",
            "p.csv:2: not_same_as: no person 'nobody' is recorded or in the files",
        ),
    ],
)
def test_it_refuses_an_unknown_person_in_same_as_or_not_same_as(row, error):
    assert run(HEADER + row + "\n").errors == [error]


def test_two_rows_describing_one_recorded_person_are_refused(ales):
    result = run(
        HEADER
        + "ales-bialiatski,Ales Bialiatski,,,,,,\nv-17,Ales Bialiatski,,ales-bialiatski,,,,\n"
    )
    assert result.errors == [
        "p.csv:3: same_as: describes person ales-bialiatski, as ales-bialiatski on p.csv:2 "
        "does: give one row per person"
    ]


def test_the_command_line_names_the_match_and_exits_1(ales, tmp_path, capsys):
    path = tmp_path / "prisoners.csv"
    path.write_text(HEADER + "v-17,Alies Bialiatski,,,,,,\nv-18,Ales Bialiatski,,,,,,\n")
    with pytest.raises(SystemExit) as exit_:
        call_command("import_records", str(path), "--quiet")
    assert exit_.value.code == 1
    assert (
        f"{path}:3: name: looks like ales-bialiatski (Ales Bialiatski, born 1962-09-25)"
        in capsys.readouterr().err
    )


def test_the_full_export_round_trips_other_ids_and_pairs_said_different(ales, tmp_path):
    other = PersonFactory(person_id="ales-2", name="Ales Bialiatski", born="1990")
    NotSameAs.record(ales, other)
    OtherId.objects.create(person=ales, other_id="v-17")
    OtherDetentionId.objects.create(detention=Detention.objects.get(), other_id="v-17-a")
    export_records(tmp_path / "first")
    first = {p.name: p.read_bytes() for p in (tmp_path / "first").iterdir()}
    assert b"v-17-a" in first["prisoners.csv"]
    Person.objects.all().delete()
    files = [tmp_path / "first" / name for name in sorted(first)]
    result = run_import(files)
    assert result.ok, result.errors
    export_records(tmp_path / "second")
    assert {p.name: p.read_bytes() for p in (tmp_path / "second").iterdir()} == first
    assert run_import(files).ok


def test_the_public_export_gives_other_ids_but_not_the_curators_judgements(ales):
    other = PersonFactory(person_id="ales-2", name="Ales Bialiatski", visibility="draft")
    NotSameAs.record(ales, other)
    OtherId.objects.create(person=ales, other_id="v-17")
    header, row = list(prisoner_rows(Person.objects.filter(pk=ales.pk), public=True))
    values = dict(zip(header, row, strict=True))
    assert values["other_ids"] == "v-17"
    assert "not_same_as" not in values
    assert "ales-2" not in ",".join(row)
