"""Public times (Last-Modified, X-Data-Last-Changed, the feeds) move with
public changes only, and the feed puts the last publicly changed first."""

from xml.etree import ElementTree

import pytest

from prisoners.data_version import data_version
from prisoners.history import data_last_changed
from prisoners.interchange.importer import run_import
from prisoners.models import DataVersion, Person

from .factories import DetentionFactory, PersonFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a write leaves for its commit, as a real commit would (what
    a test writes outside it is never committed)."""

    def commit(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return commit


def feed(client, query="") -> list[tuple[str, str]]:
    response = client.get(f"/prisoners/feed.atom{query}")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [
        (entry.findtext(f"{ATOM}title"), entry.findtext(f"{ATOM}updated"))
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_it_moves_the_public_time_when_a_published_person_changes(committed):
    person = committed(PersonFactory)
    before = data_last_changed()
    person.bio = "Now public."
    committed(person.save)
    assert data_last_changed() > before


def test_it_keeps_the_public_time_when_only_a_draft_changes(committed):
    committed(PersonFactory)
    draft = committed(lambda: PersonFactory(visibility="draft"))
    before = data_last_changed()
    draft.bio = "Not public yet."
    committed(draft.save)
    committed(lambda: DetentionFactory(person=draft))
    assert data_last_changed() == before


def test_it_keeps_the_public_time_when_only_internal_notes_change(committed):
    person = committed(PersonFactory)
    before_person = Person.objects.get(pk=person.pk).public_changed_at
    before = data_last_changed()
    person.internal_notes = "Family asked us to wait."
    committed(person.save)
    assert data_last_changed() == before
    assert Person.objects.get(pk=person.pk).public_changed_at == before_person


def test_it_moves_the_public_time_when_a_person_is_unpublished(committed):
    person = committed(PersonFactory)
    before = data_last_changed()
    person.visibility = "draft"
    committed(person.save)
    assert data_last_changed() > before


def test_it_answers_with_the_public_time_in_last_modified(client, committed):
    committed(PersonFactory)
    draft = committed(lambda: PersonFactory(visibility="draft"))
    first = client.get("/api/prisoners/")["X-Data-Last-Changed"]
    draft.internal_notes = "private"
    committed(draft.save)
    response = client.get("/api/prisoners/")
    assert response["X-Data-Last-Changed"] == first
    assert response.json()["data_last_changed"] == first


def test_recording_a_release_moves_the_person_up_the_feed(client):
    detention = DetentionFactory(person=PersonFactory(name="Released Later"))
    PersonFactory(name="Changed Since")
    entries = feed(client)
    assert [title for title, _ in entries] == ["Changed Since", "Released Later"]
    updated_before = dict(entries)["Released Later"]
    ReleaseFactory(detention=detention)
    entries = feed(client)
    assert [title for title, _ in entries] == ["Released Later", "Changed Since"]
    assert dict(entries)["Released Later"] > updated_before


def test_a_private_note_does_not_move_the_person_up_the_feed(client):
    noted = PersonFactory(name="Noted")
    PersonFactory(name="Newer")
    noted.internal_notes = "private"
    noted.save()
    assert [title for title, _ in feed(client)] == ["Newer", "Noted"]


def test_a_release_recorded_by_an_import_moves_the_person_up_the_feed(client):
    person = PersonFactory(name="Imported Release")
    DetentionFactory(person=person, detention_id="d-1", detained_on="2021-01-01")
    PersonFactory(name="Changed Since")
    text = (
        "person_id,detention_id,detained_on,released_on,release_type\n"
        f"{person.person_id},d-1,2021-01-01,2025-12-13,pardon\n"
    )
    result = run_import([("p.csv", text.encode())])
    assert result.ok, result.errors
    assert [title for title, _ in feed(client)] == ["Imported Release", "Changed Since"]


def test_a_commit_moves_the_version_row_every_process_reads(committed):
    before = DataVersion.objects.get().version
    committed(PersonFactory)
    assert DataVersion.objects.get().version == before + 1
    assert data_version().shared == before + 1


def test_one_commit_of_many_writes_moves_the_row_once(committed):
    before = DataVersion.objects.get().version

    def many():
        for _ in range(3):
            DetentionFactory()

    committed(many)
    assert DataVersion.objects.get().version == before + 1
