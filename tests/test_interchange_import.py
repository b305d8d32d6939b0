"""Importing the interchange format: what it accepts, and every bad input it
rejects with the column the format names, writing nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from prisoners.interchange.importer import Importer, run_import
from prisoners.models import (
    Charge,
    Detention,
    Facility,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    Source,
)

from .factories import DetentionFactory, PersonFactory, ReleaseEventFactory, SanctionsEventFactory

pytestmark = pytest.mark.django_db

RECORD_MODELS = [
    Person,
    Detention,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    Source,
    Organization,
    Charge,
    Facility,
]

PRISONERS = (
    "person_id,name,published,person_sources,detained_on,sentence_type,released_on,release_type\n"
)
RELEASES = "event_id,date,title,sanctions,published,sources\n"
SANCTIONS = "event_id,date,authority,action,target,published\n"


def csv(text: str) -> bytes:
    return text.encode("utf-8")


def run(*files, **kwargs):
    """Import ``(name, text)`` pairs."""
    return run_import([(name, csv(text)) for name, text in files], **kwargs)


def record_counts() -> dict:
    return {model.__name__: model.objects.count() for model in RECORD_MODELS}


def history_count() -> int:
    return sum(model.history.count() for model in RECORD_MODELS)


def assert_rejected(files, *expected, **kwargs):
    """The import fails with exactly ``expected`` and writes nothing."""
    before, history = record_counts(), history_count()
    result = run(*files, **kwargs)
    assert result.errors == list(expected)
    assert not result.ok
    assert record_counts() == before
    assert history_count() == history


def rejects(text: str, *expected: str, name="p.csv"):
    assert_rejected([(name, text)], *expected)


# Accepted


def test_it_imports_people_detentions_releases_and_events():
    result = run(
        ("s.csv", SANCTIONS + "us-potash,2025-12-13,US,lifted,Belaruskali,yes\n"),
        ("r.csv", RELEASES + "dec-release,2025-12-13,123 freed,us-potash,yes,https://e.org/r\n"),
        (
            "p.csv",
            PRISONERS
            + "viasna-1,Ales Bialiatski,yes,https://e.org/a,2021-07-14,colony,,\n"
            + "viasna-2,Maria Kalesnikava,no,,2020-09-07,colony,,\n",
        ),
        user=None,
    )
    assert result.ok, result.errors
    assert result.summary_lines() == [
        "people: 2 created, 0 updated, 0 unchanged",
        "detentions: 2 created, 0 updated, 0 unchanged",
        "release events: 1 created, 0 updated, 0 unchanged",
        "sanctions events: 1 created, 0 updated, 0 unchanged",
        # The target named by the free text, made a record (issue 21).
        "sanctions targets: 1 created, 0 updated, 0 unchanged",
    ]
    ales = Person.objects.get(person_id="viasna-1")
    assert ales.visibility == "published"
    assert ales.status == "in_custody"
    assert [s.url for s in ales.sources.all()] == ["https://e.org/a"]
    kalesnikava = Person.objects.get(person_id="viasna-2")
    assert kalesnikava.visibility == "draft"
    detention = Detention.objects.get(detention_id="viasna-1-2021-07-14")
    assert detention.end_reason == ""
    event = ReleaseEvent.objects.get(event_id="dec-release")
    assert [s.event_id for s in event.sanctions.all()] == ["us-potash"]


def test_it_defaults_released_on_to_the_release_event_date():
    ReleaseEventFactory(event_id="dec-release", date="2025-12-13")
    result = run(
        (
            "p.csv",
            "person_id,name,detained_on,release_event,release_type\n"
            "p-1,Name,2021-07-14,dec-release,negotiated\n",
        )
    )
    assert result.ok, result.errors
    release = Release.objects.get()
    assert str(release.released_on) == "2025-12-13"
    assert release.detention.end_reason == "release"
    assert release.detention.person.status == "released"


def test_it_accepts_a_byte_order_mark_and_crlf_line_ends():
    data = '\ufeffperson_id,name,bio\r\np-1,Name,"two\r\nlines"\r\np-2,Other,\r\n'
    result = run_import([("p.csv", data.encode("utf-8"))])
    assert result.ok, result.errors
    assert Person.objects.get(person_id="p-1").bio == "two\nlines"
    assert Person.objects.count() == 2


def test_it_accepts_columns_in_any_order_and_missing_optional_columns():
    result = run(("p.csv", "detained_on,name,person_id\n2021,Name,p-1\n"))
    assert result.ok, result.errors
    assert Detention.objects.get().detention_id == "p-1-2021"


def test_a_header_only_file_is_nothing_to_do(capsys):
    for header in (PRISONERS, RELEASES, SANCTIONS):
        result = run(("p.csv", header))
        assert result.ok
        assert result.summary_lines() == ["nothing to import"]
    assert record_counts() == dict.fromkeys(record_counts(), 0)


def test_it_accepts_a_release_month_when_the_arrest_day_is_known():
    result = run(("p.csv", PRISONERS + "p-1,Name,no,,2021-07-14,colony,2021-07,pardon\n"))
    assert result.ok, result.errors
    assert Detention.objects.get().end_reason == "release"


def test_choices_and_booleans_ignore_case_but_authority_keeps_it():
    result = run(
        ("s.csv", SANCTIONS + "eu-1,2021-06,EU Council,LIFTED,Target,YES\n"),
        ("p.csv", "person_id,name,gender,sentence_type,detained_on\np-1,N,Female,COLONY,2021\n"),
    )
    assert result.ok, result.errors
    event = SanctionsEvent.objects.get()
    assert (event.authority, event.action, event.published) == ("EU Council", "lifted", True)
    assert Person.objects.get().gender == "female"
    assert Detention.objects.get().sentence_type == "colony"


def test_names_in_any_script_are_taken_as_given():
    result = run(("p.csv", "person_id,name,aliases\np-1,王小明,Алесь Бяляцкі ; Aleś\n"))
    assert result.ok, result.errors
    person = Person.objects.get()
    assert person.name == "王小明"
    assert person.alias_list == ["Алесь Бяляцкі", "Aleś"]


def test_later_rows_of_a_person_may_leave_person_columns_empty():
    result = run(
        (
            "p.csv",
            "person_id,name,region,detention_id,detained_on,released_on,release_type\n"
            "p-1,Name,Minsk,,2020,2020,sentence_served\n"
            "p-1,,,,2022-03,,\n",
        )
    )
    assert result.ok, result.errors
    person = Person.objects.get()
    assert (person.name, person.region, person.status) == ("Name", "Minsk", "in_custody")
    assert person.detentions.count() == 2


def test_a_detention_without_arrest_date_takes_its_given_id():
    result = run(("p.csv", "person_id,name,detention_id,detained_on\np-1,N,p-1-first,\n"))
    assert result.ok, result.errors
    assert Detention.objects.get().detained_on is None


def test_sources_are_separated_by_whitespace_and_may_contain_semicolons():
    result = run(
        (
            "p.csv",
            'person_id,name,person_sources\np-1,N,"https://e.org/a;b=1 \n https://e.org/c"\n',
        )
    )
    assert result.ok, result.errors
    assert sorted(Person.objects.get().sources.values_list("url", flat=True)) == [
        "https://e.org/a;b=1",
        "https://e.org/c",
    ]


def test_reference_rows_are_created_when_new_and_reused_otherwise():
    Charge.objects.create(article="342")
    result = run(
        (
            "p.csv",
            "person_id,name,organizations,detained_on,charges,facility\n"
            "p-1,N,Viasna; Coordination Council,2021,342;361-1,Colony No. 9\n"
            "p-2,M,Viasna,2021,342,Colony No. 9\n",
        )
    )
    assert result.ok, result.errors
    assert sorted(Charge.objects.values_list("article", flat=True)) == ["342", "361-1"]
    assert Organization.objects.count() == 2
    assert Facility.objects.count() == 1


# Updating


def test_it_matches_by_id_keeps_absent_columns_and_clears_empty_cells():
    person = PersonFactory(person_id="p-1", name="Old", region="Minsk", occupation="Teacher")
    result = run(("p.csv", "person_id,name,region\np-1,New,\n"))
    assert result.ok, result.errors
    assert result.summary_lines() == ["people: 0 created, 1 updated, 0 unchanged"]
    person.refresh_from_db()
    assert (person.name, person.region, person.occupation) == ("New", "", "Teacher")
    assert person.visibility == "published"


def test_it_adds_a_release_to_a_stored_open_detention_and_a_new_open_one():
    person = PersonFactory(person_id="p-1")
    DetentionFactory(person=person, detention_id="p-1-2020", detained_on="2020")
    result = run(
        (
            "p.csv",
            "person_id,detention_id,detained_on,released_on,release_type\n"
            "p-1,p-1-2020,2020,2021,pardon\n"
            "p-1,,2023-05,,\n",
        )
    )
    assert result.ok, result.errors
    ends = dict(Detention.objects.values_list("detention_id", "end_reason"))
    assert ends == {"p-1-2020": "release", "p-1-2023-05": ""}


def test_a_new_released_detention_beside_a_stored_open_one_is_written():
    person = PersonFactory(person_id="p-1")
    DetentionFactory(person=person, detention_id="p-1-2023", detained_on="2023")
    result = run(
        (
            "p.csv",
            "person_id,detained_on,released_on,release_type\np-1,2019,2020,sentence_served\n",
        )
    )
    assert result.ok, result.errors
    new = Detention.objects.get(detention_id="p-1-2019")
    assert new.end_reason == "release"
    # One history row: the detention was never saved open.
    assert new.history.count() == 1


def test_a_death_closes_the_open_detention():
    result = run(("p.csv", "person_id,name,died_on,detained_on\np-1,N,2021-05-21,2020\n"))
    assert result.ok, result.errors
    detention = Detention.objects.get()
    assert (detention.end_reason, str(detention.ended_on)) == ("death", "2021-05-21")
    assert Person.objects.get().status == "deceased"


def test_an_empty_release_cell_removes_the_stored_release():
    person = PersonFactory(person_id="p-1")
    detention = DetentionFactory(person=person, detention_id="d-1", detained_on="2020")
    Release.objects.create(detention=detention, released_on="2021", release_type="pardon")
    result = run(("p.csv", "person_id,detention_id,released_on,release_type\np-1,d-1,,\n"))
    assert result.ok, result.errors
    assert not Release.objects.exists()
    assert Detention.objects.get().end_reason == ""
    assert "releases: 0 created, 0 updated, 0 unchanged, 1 deleted" in result.summary_lines()


def test_importing_the_same_files_twice_changes_nothing_and_writes_no_history():
    files = [
        ("s.csv", SANCTIONS + "us-potash,2025-12-13,US,lifted,Belaruskali,yes\n"),
        ("r.csv", RELEASES + "dec-release,2025-12-13,Freed,us-potash,yes,https://e.org/r\n"),
        (
            "p.csv",
            "person_id,name,aliases,organizations,published,person_sources,detained_on,"
            "charges,facility,release_event,release_type,sources,bio\n"
            "p-1,N,A; B,Viasna,yes,https://e.org/a,2021-07-14,342;361,Colony,dec-release,pardon,"
            'https://e.org/d,"multi\nline"\n'
            "p-1,,,,,,2025-12-20,,,,,,\n",
        ),
    ]
    assert run(*files).ok
    counts, history = record_counts(), history_count()
    second = run(*files)
    assert second.ok, second.errors
    assert second.summary_lines() == [
        "people: 0 created, 0 updated, 1 unchanged",
        "detentions: 0 created, 0 updated, 2 unchanged",
        "releases: 0 created, 0 updated, 1 unchanged",
        "release events: 0 created, 0 updated, 1 unchanged",
        "sanctions events: 0 created, 0 updated, 1 unchanged",
    ]
    assert record_counts() == counts
    assert history_count() == history


def test_a_dry_run_counts_but_writes_nothing():
    result = run(("p.csv", PRISONERS + "p-1,N,no,,2021,colony,,\n"), dry_run=True)
    assert result.ok
    assert result.summary_lines()[0] == "people: 1 created, 0 updated, 0 unchanged"
    assert "Dry run" in str(result)
    assert record_counts() == dict.fromkeys(record_counts(), 0)


# New records are inserted in bulk


def stored_records() -> dict:
    """Every column of the people, detentions and releases, with the ids that
    link them read as the files give them."""

    def rows(model, order: str, *related: str) -> list[dict]:
        names = [f.name for f in model._meta.concrete_fields if not f.is_relation]
        # public_changed_at is the time of the write, not derived from values.
        names = [n for n in names if n not in ("id", "public_changed_at")]
        return list(model.objects.order_by(order).values(*names, *related))

    return {
        "people": rows(Person, "person_id"),
        "detentions": rows(Detention, "detention_id", "person__person_id", "facility__name"),
        "releases": rows(
            Release, "detention__detention_id", "detention__detention_id", "release_event__event_id"
        ),
    }


def test_new_records_get_every_column_their_save_would_derive():
    """Search text, aliases, partial-date columns, detention ends and status
    are those that saving the same records one by one gives."""
    ReleaseEventFactory(event_id="dec-release", date="2025-12-13")
    result = run(
        (
            "p.csv",
            "person_id,name,name_be,aliases,born,died_on,recognized_on,detention_id,"
            "detained_on,sentence_type,sentence_months,sentenced_on,facility,released_on,"
            "release_type,release_event\n"
            "p-1,Ales Bialiatski,Алесь Бяляцкі, Aleś ; ALES B ,1962-09,,2021,p-1-a,2011-08,"
            "colony,,2011-11-24,Colony 2,2014-06,sentence_served,\n"
            "p-1,,,,,,,p-1-b,2021-07-14,colony,120,2023,,,,\n"
            "p-2,Maria,,,,2024,,p-2-a,2020-09-07,,,,,,,\n"
            "p-3,Fined,,,,,,p-3-a,2022,fine,,2022-05,,,,\n"
            "p-3,,,,,,,p-3-b,2023,in_absentia,,,,,,\n"
            "p-4,Freed,,,,,,p-4-a,2020,,,,,,negotiated,dec-release\n"
            "p-5,Nobody,,,,,,,,,,,,,,\n",
        )
    )
    assert result.ok, result.errors
    imported = stored_records()
    assert [p["status"] for p in imported["people"]] == [
        "in_custody",
        "deceased",
        "unknown",
        "released",
        "unknown",
    ]

    Person.objects.all().delete()
    ales = Person.objects.create(
        person_id="p-1",
        name="Ales Bialiatski",
        name_be="Алесь Бяляцкі",
        aliases=" Aleś ; ALES B ",
        born="1962-09",
        recognized_on="2021",
    )
    first = Detention.objects.create(
        person=ales,
        detention_id="p-1-a",
        detained_on="2011-08",
        sentence_type="colony",
        sentenced_on="2011-11-24",
        facility=Facility.objects.get(name="Colony 2"),
    )
    Release.objects.create(detention=first, released_on="2014-06", release_type="sentence_served")
    Detention.objects.create(
        person=ales,
        detention_id="p-1-b",
        detained_on="2021-07-14",
        sentence_type="colony",
        sentence_months=120,
        sentenced_on="2023",
    )
    maria = Person.objects.create(person_id="p-2", name="Maria", died_on="2024")
    Detention.objects.create(person=maria, detention_id="p-2-a", detained_on="2020-09-07")
    fined = Person.objects.create(person_id="p-3", name="Fined")
    Detention.objects.create(
        person=fined,
        detention_id="p-3-a",
        detained_on="2022",
        sentence_type="fine",
        sentenced_on="2022-05",
    )
    Detention.objects.create(
        person=fined, detention_id="p-3-b", detained_on="2023", sentence_type="in_absentia"
    )
    freed = Person.objects.create(person_id="p-4", name="Freed")
    Release.objects.create(
        detention=Detention.objects.create(person=freed, detention_id="p-4-a", detained_on="2020"),
        released_on="2025-12-13",
        release_type="negotiated",
        release_event=ReleaseEvent.objects.get(),
    )
    Person.objects.create(person_id="p-5", name="Nobody")
    assert stored_records() == imported


def test_each_new_record_gets_one_history_row_with_its_links(django_user_model):
    user = django_user_model.objects.create_user("olga")
    result = run(
        (
            "p.csv",
            "person_id,name,organizations,person_sources,detained_on,charges,sources,"
            "released_on,release_type\n"
            "p-1,N,Viasna,https://e.org/p,2020,342;361,https://e.org/d,2021,pardon\n",
        ),
        user=user,
        via="admin import",
    )
    assert result.ok, result.errors
    for model in (Person, Detention, Release):
        record = model.history.get()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+",
            user,
            "admin import",
        )
    person, detention = Person.history.get(), Detention.history.get()
    assert (detention.end_reason, str(detention.ended_on_first)) == ("release", "2021-01-01")
    assert [o.organization.name for o in person.organizations.all()] == ["Viasna"]
    assert [s.source.url for s in person.sources.all()] == ["https://e.org/p"]
    assert sorted(c.charge.article for c in detention.charges.all()) == ["342", "361"]
    assert [s.source.url for s in detention.sources.all()] == ["https://e.org/d"]


def test_an_import_makes_the_next_page_visit_fresh(
    client, settings, django_capture_on_commit_callbacks
):
    """New records are inserted without save() and its signals: the import
    itself moves the page cache on, once it is committed."""
    settings.CACHE_SECONDS = 60
    assert b"Imported Person" not in client.get("/prisoners/").content
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = run(
            (
                "p.csv",
                "person_id,name,published,person_sources\np-1,Imported Person,yes,https://e.org/a\n",
            )
        )
    assert result.ok, result.errors
    assert len(callbacks) == 1
    assert b"Imported Person" in client.get("/prisoners/").content


def test_an_import_that_changes_nothing_leaves_the_page_cache_alone(
    django_capture_on_commit_callbacks,
):
    files = ("p.csv", "person_id,name\np-1,N\n")
    assert run(files).ok
    with django_capture_on_commit_callbacks() as callbacks:
        assert run(files).ok
        assert run(("p.csv", "person_id,name\np-2,M\n"), dry_run=True).ok
    assert callbacks == []


def test_a_write_the_database_refuses_is_an_error_and_writes_nothing(monkeypatch):
    """The checks should leave nothing for the database to refuse; if it
    does (here, a person stored behind the importer's back), nothing is
    written and the error names where the write was."""
    PersonFactory(person_id="p-2")
    monkeypatch.setattr(Importer, "_stored_people", lambda self, plans: {})
    before, history = record_counts(), history_count()
    result = run(("p.csv", "person_id,name\np-1,N\np-2,M\n"))
    [error] = result.errors
    assert error.startswith("p.csv:2: -: the database refused the new records written in bulk: ")
    assert (record_counts(), history_count()) == (before, history)


# Publishing


def test_a_curators_import_creates_drafts_and_never_changes_published():
    PersonFactory(person_id="p-1", name="Old", visibility="published")
    ReleaseEventFactory(event_id="ev-1", published=True)
    files = (
        (
            "p.csv",
            "person_id,name,published,person_sources\np-1,New,no,https://e.org/a\np-2,Other,yes,\n",
        ),
        ("r.csv", RELEASES + "ev-1,2025-12-13,T,,no,\nev-2,2025-12-14,T2,,yes,\n"),
    )
    result = run(*files, can_publish=False, via="admin import")
    # Issue 15: a curator's import no longer renames the published p-1.
    assert result.errors == [
        "p.csv:2: name: person p-1 is published: only an editor may change what the public "
        "sees (name, person_sources)"
    ]
    Person.objects.filter(person_id="p-1").update(visibility="anonymous")
    result = run(*files, can_publish=False, via="admin import")
    assert result.ok, result.errors
    assert result.notices and "published column is ignored" in str(result.notices[0])
    visibility = dict(Person.objects.values_list("person_id", "visibility"))
    assert visibility == {"p-1": "anonymous", "p-2": "draft"}
    published = dict(ReleaseEvent.objects.values_list("event_id", "published"))
    assert published == {"ev-1": True, "ev-2": False}
    assert Person.objects.get(person_id="p-1").name == "New"


def test_an_editors_import_publishes_and_anonymizes():
    PersonFactory(person_id="p-1", visibility="draft")
    result = run(
        (
            "p.csv",
            "person_id,name,published,person_sources\n"
            "p-1,N,Anonymous,\np-2,M,yes,https://e.org/a\n",
        )
    )
    assert result.ok, result.errors
    visibility = dict(Person.objects.values_list("person_id", "visibility"))
    assert visibility == {"p-1": "anonymous", "p-2": "published"}


def test_a_stored_source_is_enough_to_publish():
    person = PersonFactory(person_id="p-1", visibility="draft")
    assert person.sources.exists()
    result = run(("p.csv", "person_id,published\np-1,yes\n"))
    assert result.ok, result.errors
    assert Person.objects.get().visibility == "published"


def test_a_source_on_a_detention_row_is_enough_to_publish():
    result = run(
        ("p.csv", "person_id,name,published,detained_on,sources\np-1,N,yes,2021,https://e.org/d\n")
    )
    assert result.ok, result.errors


# History


def test_the_command_line_is_the_change_reason_without_user(capsys, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PRISONERS + "p-1,N,no,,2021,colony,,\n")
    call_command("import_records", str(path), "--quiet")
    record = Person.history.get()
    assert (record.history_user, record.history_change_reason) == (None, "command line")
    assert "people: 1 created" in capsys.readouterr().out


def test_the_user_named_on_the_command_line_is_recorded(django_user_model, tmp_path):
    user = django_user_model.objects.create_user("olga")
    path = tmp_path / "p.csv"
    path.write_text(PRISONERS + "p-1,N,no,,2021,colony,,\n")
    call_command("import_records", str(path), "--user", "olga", "--quiet")
    assert Person.history.get().history_user == user
    assert Detention.history.get().history_user == user


def test_an_unknown_user_is_a_clear_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(PRISONERS)
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("import_records", str(path), "--user", "nobody")


def test_the_command_exits_1_with_errors_on_stderr(tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(PRISONERS + "p-1,N,no,,1954-02-29,colony,,\n")
    with pytest.raises(SystemExit) as exit:
        call_command("import_records", str(path), "--quiet")
    assert exit.value.code == 1
    assert capsys.readouterr().err == (
        f"{path}:2: detained_on: '1954-02-29' is not a real calendar date\n"
    )
    assert not Person.objects.exists()


def test_the_command_reads_a_dry_run(tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(PRISONERS + "p-1,N,no,,2021,colony,,\n")
    call_command("import_records", str(path), "--dry-run", "--quiet")
    assert "people: 1 created" in capsys.readouterr().out
    assert not Person.objects.exists()


# Rejected, each with the column the format names and nothing written


def test_it_rejects_an_unknown_column_on_line_1():
    rejects("person_id,name,nmae\np-1,N,x\n", "p.csv:1: nmae: unknown column for prisoners.csv")


def test_it_rejects_a_missing_required_value():
    rejects(PRISONERS + "p-1,,no,,2021,colony,,\n", "p.csv:2: name: a value is required")
    rejects(PRISONERS + ",N,no,,2021,colony,,\n", "p.csv:2: person_id: a value is required")
    assert_rejected(
        [("r.csv", RELEASES + "ev-1,2025-12-13,,,no,\n")], "r.csv:2: title: a value is required"
    )
    assert_rejected(
        [("s.csv", SANCTIONS + "s-1,2025,US,lifted,,no\n")], "s.csv:2: target: a value is required"
    )


def test_a_new_record_needs_its_required_columns():
    assert_rejected(
        [("s.csv", "event_id,date,authority,action\nsx,2025,US,lifted\n")],
        "s.csv:2: target: a value is required",
    )
    rejects("person_id,region\np-1,Minsk\n", "p.csv:2: name: a value is required")


def test_a_stored_record_keeps_the_required_values_of_absent_columns():
    SanctionsEventFactory(event_id="sx", target="Belaruskali")
    result = run(("s.csv", "event_id,sector\nsx,potash\n"))
    assert result.ok, result.errors
    event = SanctionsEvent.objects.get()
    assert ([t.name for t in event.targets.all()], event.sector) == (["Belaruskali"], "potash")


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("1952-08021", "'1952-08021' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY"),
        ("1954-02-29", "'1954-02-29' is not a real calendar date"),
        ("2021-13", "'2021-13' is not a real calendar date"),
        ("21.07.2021", "'21.07.2021' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_it_rejects_a_malformed_or_impossible_date(date, message):
    rejects(f"person_id,name,born\np-1,N,{date}\n", f"p.csv:2: born: {message}")


def test_it_rejects_a_release_before_its_arrest():
    rejects(
        PRISONERS + "p-1,N,no,,2021-07-14,colony,2021-06,pardon\n",
        "p.csv:2: released_on: the release (2021-06) is before the arrest (2021-07-14)",
    )


def test_it_rejects_other_dates_out_of_order():
    rejects(
        "person_id,name,born,died_on,recognized_on,recognition_withdrawn_on,detained_on,"
        "sentenced_on\np-1,N,1980,1979-05,2021,2020,2021-07,2021-06-30\n",
        "p.csv:2: died_on: death (1979-05) is before birth (1980)",
        "p.csv:2: recognition_withdrawn_on: the withdrawal (2020) is before the recognition (2021)",
        "p.csv:2: sentenced_on: the sentence (2021-06-30) is before the arrest (2021-07)",
        "p.csv:2: died_on: death (1979-05) is before the arrest (2021-07) of detention p-1-2021-07",
    )
    rejects(
        "person_id,name,recognition_withdrawn_on\np-1,N,2020\n",
        "p.csv:2: recognition_withdrawn_on: recognition is withdrawn but was never given: "
        "recognized_on is empty",
    )


def test_it_rejects_an_unknown_release_type_or_sentence_type():
    rejects(
        PRISONERS + "p-1,N,no,,2021,jail,2022,amnesty\n",
        "p.csv:2: sentence_type: 'jail' is not one of: prison, colony, restricted_freedom, "
        "home_confinement, fine, life, death, administrative_arrest, in_absentia, none, other",
        "p.csv:2: release_type: 'amnesty' is not one of: pardon, sentence_served, negotiated, "
        "exchange, deported, acquitted, early_release, other",
    )


def test_it_rejects_a_release_without_type_or_date():
    rejects(
        PRISONERS + "p-1,N,no,,2021,colony,2022,\n",
        "p.csv:2: release_type: release_type is required with a release",
    )
    rejects(
        "person_id,name,detained_on,release_type\np-1,N,2021,pardon\n",
        "p.csv:2: released_on: a release needs a date: give released_on or a release_event",
    )


@pytest.mark.parametrize("months", ["-3", "ten", "1.5"])
def test_it_rejects_a_negative_or_non_numeric_sentence(months):
    rejects(
        f"person_id,name,detained_on,sentence_months\np-1,N,2021,{months}\n",
        f"p.csv:2: sentence_months: {months!r} is not a number of months: "
        "use a whole number, 0 or more",
    )


def test_it_rejects_an_id_outside_the_id_format():
    rejects(
        "person_id,name,detention_id\nViasna 1,N,d-1\np-2,N,-d\n",
        "p.csv:2: person_id: 'Viasna 1' is not an id: use lower-case letters, digits and '-', "
        "starting with a letter or digit",
        "p.csv:3: detention_id: '-d' is not an id: use lower-case letters, digits and '-', "
        "starting with a letter or digit",
    )
    assert_rejected(
        [("r.csv", RELEASES + "2025-12-13,2025-12-13,T,,no,\n")],
        "r.csv:2: event_id: '2025-12-13' is not an event id: it needs at least one letter",
    )


def test_it_rejects_conflicting_person_columns_on_the_later_row():
    rejects(
        "person_id,name,born\np-1,Name,1980\np-2,Other,\np-1,Name,1981\n",
        "p.csv:4: born: disagrees with line 2 for person p-1, which gives '1980'",
    )


def test_it_rejects_two_open_detentions_for_one_person():
    rejects(
        "person_id,name,detained_on\np-1,N,2020\np-1,,2022\n",
        "p.csv:3: detained_on: a second open detention: detention p-1-2020 has not ended; "
        "give its release (released_on, release_type) first",
    )


def test_it_rejects_a_second_open_detention_beside_a_stored_one():
    DetentionFactory(person=PersonFactory(person_id="p-1"), detention_id="d-1")
    rejects(
        "person_id,detained_on\np-1,2024\n",
        "p.csv:2: detained_on: a second open detention: detention d-1 has not ended; "
        "give its release (released_on, release_type) first",
    )


def test_non_custodial_detentions_are_not_open():
    result = run(
        (
            "p.csv",
            "person_id,name,detained_on,sentence_type\np-1,N,2020,fine\np-1,,2021,in_absentia\n"
            "p-1,,2022,none\np-1,,2023,colony\n",
        )
    )
    assert result.ok, result.errors


def test_it_rejects_a_person_published_without_any_source():
    rejects(
        "person_id,name,published,detained_on\np-1,N,yes,2021\n",
        "p.csv:2: published: a published person needs a source: give person_sources or sources",
    )


def test_it_rejects_an_empty_detained_on_without_a_detention_id():
    rejects(
        "person_id,name,detained_on,sentence_type\np-1,N,,colony\n",
        "p.csv:2: detention_id: a detention_id is required when detained_on is empty",
    )


def test_it_rejects_an_unknown_release_event_or_sanctions_id():
    assert_rejected(
        [
            ("r.csv", RELEASES + "ev-1,2025-12-13,T,no-such-sanctions,no,\n"),
            (
                "p.csv",
                "person_id,name,detained_on,release_event,release_type\n"
                "p-1,N,2021,no-such-event,pardon\n",
            ),
        ],
        "r.csv:2: sanctions: unknown sanctions event 'no-such-sanctions': not in the database "
        "nor in a sanctions events file of this import",
        "p.csv:2: release_event: unknown release event 'no-such-event': not in the database "
        "nor in a release events file of this import",
    )


def test_references_resolve_in_the_database_or_in_a_file_of_the_same_import():
    SanctionsEventFactory(event_id="stored-sanctions")
    result = run(
        (
            "p.csv",
            "person_id,name,detained_on,release_event,release_type\np-1,N,2021,ev-1,pardon\n",
        ),
        ("r.csv", RELEASES + "ev-1,2025-12-13,T,stored-sanctions,no,\n"),
    )
    assert result.ok, result.errors


def test_it_rejects_a_file_that_is_not_utf8():
    data = "person_id,name\np-1,Bialiatski\np-2,Kale\u015bnikava\n".encode("cp1250")
    before = record_counts()
    result = run_import([("p.csv", data)])
    assert result.errors == [
        "p.csv:3: -: the file is not UTF-8 text (byte 0x9c on this line): save it as CSV in "
        "UTF-8, or read it as Windows-1251 (--encoding cp1251)"
    ]
    assert record_counts() == before


def test_it_rejects_an_empty_file():
    rejects("", "p.csv:1: -: the file is empty: line 1 must be the header")
    rejects("\ufeff\n\n", "p.csv:1: -: the file is empty: line 1 must be the header")


def test_it_rejects_an_unrecognizable_header():
    expected = (
        "p.csv:1: -: unrecognized header: expected the columns person_id, name, name_be… "
        "(prisoners.csv); or event_id, date, title… (release_events.csv); or event_id, date, "
        "authority… (sanctions_events.csv); or target_id, name, name_be… "
        "(sanctions_targets.csv); or kind, name, name_en… (names.csv); "
        "or facility_id, name, name_be… (facilities.csv); or detention_id, facility, from… "
        "(stays.csv); or detention_id, changed_on, kind… (sentence_changes.csv); "
        "or map the file's own columns (--mapping)"
    )
    rejects("id,full name\n1,N\n", expected)
    rejects("event_id,date\nx,2021\n", expected)


def test_a_valid_file_and_a_broken_file_given_together_write_nothing():
    assert_rejected(
        [
            ("good.csv", PRISONERS + "p-1,N,no,,2021,colony,,\n"),
            ("s.csv", SANCTIONS + "s-1,2025,US,lifted,T,maybe\n"),
        ],
        "s.csv:2: published: 'maybe' is not one of: yes, no",
    )


def test_it_reports_every_error_sorted_by_file_and_line():
    assert_rejected(
        [
            ("b.csv", "person_id,name,born\np-1,N,1954-02-29\np-2,,\n"),
            ("a.csv", "person_id,name,detained_on\np-3,N,2021-02-30\n"),
        ],
        "b.csv:2: born: '1954-02-29' is not a real calendar date",
        "b.csv:3: name: a value is required",
        "a.csv:2: detained_on: '2021-02-30' is not a real calendar date",
    )


def test_the_line_is_where_a_multiline_record_starts():
    rejects(
        'person_id,name,bio\np-1,N,"one\ntwo\nthree"\np-2,N,"x\ny"\np-3,N,ok\nP 4,N,\n',
        "p.csv:8: person_id: 'P 4' is not an id: use lower-case letters, digits and '-', "
        "starting with a letter or digit",
    )


def test_it_rejects_a_duplicate_detention_or_event_id():
    rejects(
        "person_id,name,detention_id,detained_on\np-1,N,d-1,2020\np-2,M,d-1,2021\n",
        "p.csv:3: detention_id: detention d-1 is already given on line 2",
    )
    assert_rejected(
        [("r.csv", RELEASES + "ev-1,2025,T,,no,\nev-1,2025,T,,no,\n")],
        "r.csv:3: event_id: event ev-1 is already given on line 2",
    )


def test_it_rejects_a_detention_of_another_person():
    DetentionFactory(person=PersonFactory(person_id="p-1"), detention_id="d-1")
    rejects(
        "person_id,name,detention_id,detained_on\np-2,N,d-1,2020\n",
        "p.csv:2: detention_id: detention d-1 belongs to person p-1",
    )


def test_it_rejects_a_row_with_the_wrong_number_of_cells():
    rejects("person_id,name\np-1,N,extra\n", "p.csv:2: -: the row has 3 cells but the header has 2")


def test_it_rejects_a_bad_url_and_a_too_long_value():
    rejects(
        f"person_id,name,person_sources,region\np-1,N,example.org,{'x' * 101}\n",
        "p.csv:2: person_sources: 'example.org' is not a URL (separate URLs by spaces)",
        "p.csv:2: region: is longer than 100 characters",
    )


def test_files_may_be_given_as_paths_or_open_files(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("person_id,name\np-1,N\n")
    assert run_import([path]).ok
    assert run_import([("upload.csv", io.BytesIO(b"person_id,name\np-2,M\n"))]).ok
    assert Person.objects.count() == 2
