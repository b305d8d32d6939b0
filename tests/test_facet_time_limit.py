"""A long list shows its facets without counts rather than keep the reader
waiting (PostgreSQL's statement timeout)."""

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL

from prisoners.models import Person
from prisoners.stats import figures
from prisoners.stats.time_limit import rows_within

from .test_public_pages import build_many

pytestmark = pytest.mark.django_db


def slow(seconds: float):
    return Person.objects.annotate(nap=RawSQL(f"pg_sleep({seconds})", [])).values("nap")


def test_a_query_over_its_time_is_given_up_and_the_connection_stays_usable(on_postgres):
    Person.objects.create(person_id="one", name="One")
    assert rows_within(slow(1), 50) is None
    assert rows_within(slow(0), 1000) == [{"nap": ""}]
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    assert Person.objects.count() == 1


def test_without_time_left_nothing_is_asked(on_postgres, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows_within(Person.objects.all(), 0.5) is None


def test_facets_not_counted_in_time_offer_the_whole_lists_values(client, settings, on_postgres):
    build_many(6)
    figures.ready(figures.FACETS)
    settings.FACET_TIME_LIMIT_MS = 0.5
    response = client.get("/prisoners/?region=Region+1&charge=999")
    assert response.status_code == 200
    assert response.context["paginator"].count == 0
    groups = {g["name"]: g for g in response.context["facets"]}
    assert [name for name, g in groups.items() if g["uncounted"]] == ["release_type", "charge"]
    assert {o["value"]: o["count"] for o in groups["region"]["options"]} == {"Region 1": 0}
    charges = {o["value"]: o for o in groups["charge"]["options"]}
    assert charges["342"]["count"] is None and not charges["342"]["checked"]
    assert charges["999"]["checked"]
    assert b"Not counted: this list is too long" in response.content


def test_facets_counted_in_time_have_counts(client, settings):
    build_many(6)
    settings.FACET_TIME_LIMIT_MS = 10_000
    response = client.get("/prisoners/?region=Region+1")
    groups = {g["name"]: g for g in response.context["facets"]}
    assert not any(g["uncounted"] for g in groups.values())
    assert {o["value"]: o["count"] for o in groups["release_type"]["options"]} == {
        "pardon": 2,
        "negotiated": 2,
    }
    assert b"Not counted" not in response.content


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_time_limit_does_not_outlive_the_query(on_postgres):
    Person.objects.create(person_id="one", name="One")
    assert not connection.in_atomic_block
    assert rows_within(slow(1), 50) is None
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    assert rows_within(slow(0), 1000) == [{"nap": ""}]
