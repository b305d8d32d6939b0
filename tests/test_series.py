"""The stored series (people held, releases) follow the records at once."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from prisoners import series
from prisoners.models import HeldChange, Person
from prisoners.querysets import recognized_held_count
from prisoners.timeline import releases_per_month

from .factories import DetentionFactory, PersonFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

D = date.fromisoformat


@pytest.fixture
def held_person():
    person = PersonFactory(recognized_on="2021-01-01")
    DetentionFactory(person=person, detained_on="2021-07-14")
    return person


def test_a_new_release_shows_in_the_next_read(held_person):
    assert series.held_on(D("2026-01-01")) == 1
    ReleaseFactory(detention=held_person.detentions.get(), released_on="2025-12-13")
    assert series.held_on(D("2026-01-01")) == 0
    assert series.held_on(D("2025-12-12")) == 1
    assert releases_per_month(D("2025-12-01"), D("2025-12-31")) == [(D("2025-12-01"), 1)]


def test_unpublishing_or_deleting_a_person_shows_in_the_next_read(held_person):
    assert series.held_on(D("2022-01-01")) == 1
    held_person.visibility = "draft"
    held_person.save()
    assert series.held_on(D("2022-01-01")) == 0
    held_person.visibility = "published"
    held_person.save()
    assert series.held_on(D("2022-01-01")) == 1
    held_person.delete()
    assert series.held_on(D("2022-01-01")) == 0


def test_a_second_read_does_not_rebuild(held_person):
    series.ready()
    with CaptureQueriesContext(connection) as queries:
        assert series.ready()
    assert len(queries) == 1


def test_the_series_is_stored_at_the_days_it_changes(held_person):
    other = PersonFactory(recognized_on="2021-09-01")
    DetentionFactory(person=other, detained_on="2021-03-01")
    series.ready()
    assert list(HeldChange.objects.values_list("day", "held")) == [
        (D("2021-07-14"), 1),
        (D("2021-09-01"), 2),
    ]


def test_generated_people_without_history_are_counted():
    series.ready()
    call_command("generate_synthetic", persons=40, seed=7, quiet=True)
    start, end = D("2020-01-01"), D("2026-06-30")
    got = dict(series.held_series(start, end))
    for day in (start + timedelta(days=d) for d in range(0, (end - start).days, 97)):
        assert got[day] == recognized_held_count(day)
    assert sum(got.values()) > 0


def test_while_another_process_rebuilds_a_reader_counts_from_the_records(held_person, on_postgres):
    # Nothing read yet: in a test the reader's own lock would last as long
    # as the test's transaction.
    DetentionFactory(person=PersonFactory(recognized_on="2020-01-01"), detained_on="2020-05-05")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [series.REBUILD_LOCK])
            assert not series.ready()
            assert series.held_on(D("2022-01-01")) == 2
            assert dict(series.held_series(D("2020-05-04"), D("2020-05-05"))) == {
                D("2020-05-04"): 0,
                D("2020-05-05"): 1,
            }
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    assert series.ready()
    assert series.held_on(D("2022-01-01")) == 2
    assert Person.objects.count() == 2
