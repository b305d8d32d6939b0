"""The stored figures (people held, releases, the whole list's facets)
follow the records at once."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from prisoners.models import Detention, HeldChange, Person, ReleaseEvent
from prisoners.public.filters import PersonFilter
from prisoners.querysets import recognized_held_count
from prisoners.stats import figures
from prisoners.stats.series import releases_per_month

from .factories import (
    ChargeFactory,
    DetentionFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
)
from .test_public_pages import build_many

pytestmark = pytest.mark.django_db

D = date.fromisoformat


@pytest.fixture
def held_person():
    person = PersonFactory(recognized_on="2021-01-01")
    DetentionFactory(person=person, detained_on="2021-07-14")
    return person


def test_a_new_release_shows_in_the_next_read(held_person):
    assert figures.held_on(D("2026-01-01")) == 1
    ReleaseFactory(detention=held_person.detentions.get(), released_on="2025-12-13")
    assert figures.held_on(D("2026-01-01")) == 0
    assert figures.held_on(D("2025-12-12")) == 1
    assert releases_per_month(D("2025-12-01"), D("2025-12-31")) == [(D("2025-12-01"), 1)]


def test_unpublishing_or_deleting_a_person_shows_in_the_next_read(held_person):
    assert figures.held_on(D("2022-01-01")) == 1
    held_person.visibility = "draft"
    held_person.save()
    assert figures.held_on(D("2022-01-01")) == 0
    held_person.visibility = "published"
    held_person.save()
    assert figures.held_on(D("2022-01-01")) == 1
    held_person.delete()
    assert figures.held_on(D("2022-01-01")) == 0


def test_a_second_read_does_not_rebuild(held_person):
    figures.ready()
    with CaptureQueriesContext(connection) as queries:
        assert figures.ready()
    assert len(queries) == 1


def test_the_series_is_stored_at_the_days_it_changes(held_person):
    other = PersonFactory(recognized_on="2021-09-01")
    DetentionFactory(person=other, detained_on="2021-03-01")
    figures.ready()
    assert list(HeldChange.objects.values_list("day", "held")) == [
        (D("2021-07-14"), 1),
        (D("2021-09-01"), 2),
    ]


def test_generated_people_without_history_are_counted():
    figures.ready()
    call_command("generate_synthetic", persons=40, seed=7, quiet=True)
    start, end = D("2020-01-01"), D("2026-06-30")
    got = dict(figures.held_series(start, end))
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
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s)", [figures.REBUILD_LOCKS[figures.SERIES]]
            )
            assert not figures.ready()
            assert figures.held_on(D("2022-01-01")) == 2
            assert dict(figures.held_series(D("2020-05-04"), D("2020-05-05"))) == {
                D("2020-05-04"): 0,
                D("2020-05-05"): 1,
            }
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    assert figures.ready()
    assert figures.held_on(D("2022-01-01")) == 2
    assert Person.objects.count() == 2


def live_facets():
    return PersonFilter(QueryDict(), queryset=Person.objects.published()).facets()


def test_the_whole_list_facets_are_the_live_ones_and_follow_a_change(client):
    build_many(6)
    assert figures.whole_list_facets() == live_facets()
    detention = Detention.objects.filter(person__region="Region 1").first()
    detention.charges.add(ChargeFactory(article="999"))
    draft = Person.objects.filter(region="Region 2").first()
    draft.visibility = "draft"
    draft.save()
    stored = figures.whole_list_facets()
    assert stored == live_facets()
    assert dict(stored["charge"])["999"] == 1
    assert dict(stored["region"])["Region 2"] == 1


@pytest.mark.parametrize("query", ["", "?ordering=-detained_on", "?ordering=name&page=1"])
def test_the_unfiltered_list_shows_the_stored_counts(client, query):
    build_many(6)
    figures.ready(figures.FACETS)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/prisoners/{query}")
    assert not any("COUNT(DISTINCT" in q["sql"] for q in queries.captured_queries)
    assert response.context["paginator"].count == 6
    facets = {
        g["name"]: {o["value"]: o["count"] for o in g["options"]}
        for g in response.context["facets"]
    }
    assert facets["release_type"] == {"pardon": 6, "negotiated": 6}
    assert facets["region"] == {"Region 0": 2, "Region 1": 2, "Region 2": 2}


def test_a_filtered_list_counts_from_the_records(client):
    build_many(6)
    figures.ready(figures.FACETS)
    response = client.get("/prisoners/?region=Region+1")
    assert response.context["paginator"].count == 2
    facets = {
        g["name"]: {o["value"]: o["count"] for o in g["options"]}
        for g in response.context["facets"]
    }
    assert facets["release_type"] == {"pardon": 2, "negotiated": 2}


def counts_of(events):
    return {e.event_id: (e.recorded_count, e.named_count, e.unnamed_count) for e in events}


def test_stored_event_counts_are_the_counted_ones_and_follow_a_change(client):
    event = ReleaseEventFactory(event_id="autumn-release")
    ReleaseEventFactory(event_id="empty-release")
    for visibility in ("published", "published", "anonymous", "draft"):
        person = PersonFactory(visibility=visibility)
        ReleaseFactory(detention=DetentionFactory(person=person), release_event=event)
    events = ReleaseEvent.objects.all()
    expected = {"autumn-release": (3, 2, 1), "empty-release": (0, 0, 0)}
    assert counts_of(events.with_recorded_count()) == expected
    assert figures.ready()
    assert counts_of(figures.with_event_counts(events)) == expected

    anonymous = Person.objects.get(visibility="anonymous")
    anonymous.visibility = "published"
    anonymous.save()
    response = client.get("/releases/autumn-release/")
    assert (response.context["event"].recorded_count, response.context["event"].named_count) == (
        3,
        3,
    )
    assert counts_of(figures.with_event_counts(events))["autumn-release"] == (3, 3, 0)


def test_a_page_checks_the_stored_figures_once(client, held_person):
    figures.ready()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/timeline/").status_code == 200
    checks = [q for q in queries.captured_queries if "records_state" in q["sql"]]
    assert len(checks) == 1


def test_each_checked_once_block_sees_the_records_as_they_are(held_person):
    with figures.checked_once():
        assert figures.held_on(D("2026-01-01")) == 1
    ReleaseFactory(detention=held_person.detentions.get(), released_on="2025-12-13")
    with figures.checked_once():
        assert figures.held_on(D("2026-01-01")) == 0


def test_a_filtered_list_of_several_pages_is_counted_once_by_its_statuses(client):
    build_many(90)
    in_custody = Person.objects.filter(region="Region 0").values_list("pk", flat=True)[:5]
    Person.objects.filter(pk__in=list(in_custody)).update(status="in_custody")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/prisoners/?region=Region+0&region=Region+1")
    assert response.context["paginator"].count == 60
    assert len(response.context["people"]) == 50
    assert "60 people" in response.content.decode()
    assert not any(q["sql"].startswith("SELECT COUNT(*)") for q in queries.captured_queries)
    response = client.get("/prisoners/?region=Region+0&status=in_custody")
    assert response.context["paginator"].count == 5


def test_a_person_whose_detentions_overlap_on_first_days_is_held_once():
    """An arrest known only as "2020" after a release in June 2020: on first
    possible days the two detentions overlap, and the person is counted
    once, as recognized_held_count counts them."""
    person = PersonFactory(recognized_on="2019-01-01")
    earlier = DetentionFactory(person=person, detained_on="2020-03-01")
    ReleaseFactory(detention=earlier, released_on="2020-06-15")
    DetentionFactory(person=person, detained_on="2020")
    other = PersonFactory(recognized_on="2019-01-01")
    DetentionFactory(person=other, detained_on="2020-05-01")
    start, end = D("2019-12-30"), D("2020-07-01")
    expected = {start + timedelta(days=d): None for d in range((end - start).days + 1)}
    expected = {day: recognized_held_count(day) for day in expected}
    assert expected[D("2020-04-01")] == 1 and expected[D("2020-05-02")] == 2
    assert dict(figures._held_series_from_records(start, end)) == expected
    assert dict(figures.held_series(start, end)) == expected
    assert figures.held_on(D("2020-06-20")) == 2


def test_an_empty_list_counts_its_facets_as_empty(client):
    figures.ready(figures.FACETS)
    response = client.get("/prisoners/")
    assert response.context["paginator"].count == 0
    assert "Not counted" not in response.content.decode()
    assert figures.whole_list_facets() == live_facets()
