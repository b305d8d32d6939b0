"""Anonymous pages come from the cache, and nothing stale is served."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners.data_version import bump_data_version, data_version

from .factories import DetentionFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.CACHE_SECONDS = 60


def test_a_second_anonymous_visit_reads_only_the_data_version(client):
    """One query, the data version row every worker shares (issue #15: it
    was none, with a version each worker kept for itself)."""
    PersonFactory(name="Cached Person")
    assert b"Cached Person" in client.get("/prisoners/").content
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/prisoners/")
    assert response.status_code == 200
    assert b"Cached Person" in response.content
    assert len(queries) == 1
    assert "dataversion" in queries[0]["sql"]


def test_a_save_makes_the_next_visit_fresh(client):
    person = PersonFactory(name="Old Name")
    assert b"Old Name" in client.get("/prisoners/").content
    person.name = "New Name"
    person.save()
    content = client.get("/prisoners/").content
    assert b"New Name" in content and b"Old Name" not in content


def test_adding_a_detention_changes_the_held_count_at_once(client):
    person = PersonFactory(recognized_on="2020")
    first = client.get("/").context["held_now"]
    DetentionFactory(person=person, detained_on="2021-01-01")
    assert client.get("/").context["held_now"] == first + 1


def test_every_write_bumps_the_data_version():
    before = data_version()
    person = PersonFactory()
    after_save = data_version()
    person.sources.clear()
    after_m2m = data_version()
    person.delete()
    assert before < after_save < after_m2m < data_version()
    bump_data_version()


def test_logged_in_staff_and_the_api_are_never_served_from_the_cache(admin_client, client):
    PersonFactory(name="Someone")
    client.get("/prisoners/")
    with CaptureQueriesContext(connection) as queries:
        admin_client.get("/prisoners/")
    assert len(queries) > 0
    client.get("/api/prisoners/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/prisoners/")
    assert len(queries) > 0


def test_cache_seconds_zero_turns_the_page_cache_off(client, settings):
    settings.CACHE_SECONDS = 0
    PersonFactory()
    client.get("/prisoners/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/prisoners/")
    assert len(queries) > 0


def test_an_invalid_filter_answer_is_not_cached(client):
    assert client.get("/prisoners/?held_on=2021-02-30").status_code == 400
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/prisoners/?held_on=2021-02-30").status_code == 400
    assert len(queries) > 0


def test_a_write_bumps_the_version_again_once_committed(django_capture_on_commit_callbacks):
    """A page built between a write and its commit shows the records before
    it: the bump at commit keeps that page from being served afterwards."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        PersonFactory()
        before_commit = data_version()
    assert callbacks
    for callback in callbacks:
        callback()
    assert data_version() > before_commit
