"""The list of people sorted by days in custody and filtered by expected
release, alike in the page, the CSV, the feed and the API; anonymous people
never dated by them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from prisoners.models import Person
from prisoners.public.filters import PersonFilter

from .factories import DetentionFactory, PersonFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

OUTPUTS = ["/prisoners/", "/prisoners/export.csv", "/prisoners/feed.atom", "/api/prisoners/"]


@pytest.fixture
def people():
    """Three published people: held since 2015 (due out 2027-03-01), held
    since 2023 (due out 2026-06, known to the month), released after 100
    days; and an anonymous person due out in 2026 too."""
    long_held = PersonFactory(person_id="long", name="Long")
    DetentionFactory(
        person=long_held, detained_on="2015-03-01", sentence_type="colony", sentence_months=144
    )
    recent = PersonFactory(person_id="recent", name="Recent")
    DetentionFactory(
        person=recent, detained_on="2023-06", sentence_type="colony", sentence_months=36
    )
    freed = PersonFactory(person_id="freed", name="Freed")
    ReleaseFactory(
        detention=DetentionFactory(person=freed, detained_on="2020-01-01"),
        released_on="2020-04-10",
    )
    hidden = PersonFactory(person_id="hidden-one", name="Hidden One", visibility="anonymous")
    DetentionFactory(
        person=hidden, detained_on="2023-06-17", sentence_type="colony", sentence_months=36
    )


def listed(client, url, query) -> list[str]:
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200, response.content[:500]
    if url.endswith(".csv"):
        text = b"".join(response.streaming_content).decode()
        rows = [line.split(",")[0] for line in text.splitlines()[1:]]
        return list(dict.fromkeys(rows))
    if url.endswith(".atom"):
        text = response.content.decode()
        order = [p for p in ("long", "recent", "freed", "hidden-one") if f"/{p}/" in text]
        return sorted(order, key=lambda p: text.index(f"/{p}/"))
    if url.startswith("/api/"):
        return [person["id"] for person in response.json()["results"]]
    return [person.person_id for person in response.context["people"]]


@pytest.mark.parametrize("url", ["/prisoners/", "/prisoners/export.csv", "/api/prisoners/"])
def test_it_sorts_by_days_in_custody_both_ways(client, people, url):
    assert listed(client, url, "ordering=-days_in_custody") == ["long", "recent", "freed"]
    assert listed(client, url, "ordering=days_in_custody") == ["freed", "recent", "long"]


@pytest.mark.parametrize("url", OUTPUTS)
def test_it_filters_by_expected_release_in_every_output(client, people, url):
    query = "expected_release_after=2026&expected_release_before=2026"
    assert listed(client, url, query) == ["recent"]
    assert set(listed(client, url, "expected_release_after=2026-07")) == {"long"}
    assert listed(client, url, "expected_release_before=2027-02-28") == ["recent"]
    assert set(listed(client, url, "expected_release_before=2027-03-01")) == {"long", "recent"}


@pytest.mark.parametrize("url", OUTPUTS)
@pytest.mark.parametrize("value", ["2026-13", "soon", "26-01-01", "2026-02-30"])
def test_an_invalid_expected_release_answers_400_in_every_output(client, people, url, value):
    response = client.get(url, {"expected_release_after": value})
    assert response.status_code == 400
    body = response.content.decode()
    assert "expected_release_after" in body or "Expected release" in body
    assert "YYYY-MM-DD, YYYY-MM or YYYY" in body


def test_sorting_by_days_counts_an_open_detention_up_to_today(people):
    today = timezone.localdate()
    person = Person.objects.with_days_in_custody(today).get(person_id="recent")
    assert person.days_in_custody == (today - date(2023, 6, 1)).days
    tomorrow = Person.objects.with_days_in_custody(today + timedelta(days=1))
    assert tomorrow.get(person_id="recent").days_in_custody == person.days_in_custody + 1


def test_anonymous_people_are_not_counted_by_expected_release(people):
    """A count of people not named among those due out in a period would
    date them: the filter is not one that may be asked of them."""
    filters = PersonFilter({"expected_release_after": "2026"}, queryset=Person.objects.published())
    assert filters.is_valid()
    assert filters.not_named_count() is None


def test_the_list_offers_the_new_sort_and_date_filters(client, people):
    html = client.get("/prisoners/").content.decode()
    assert 'value="-days_in_custody"' in html
    assert 'name="expected_release_after"' in html
    assert 'name="expected_release_before"' in html
