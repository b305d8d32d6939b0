"""At most 10 SQL queries a page, whatever its size: the API answers and the
largest public lists run a number of queries that does not grow with the rows
(the HTML pages are also held to 10 in test_public_pages.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners.stats import figures
from tests import factories
from tests.test_public_pages import build_many

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10

URLS = [
    "/api/prisoners/",
    "/api/prisoners/?page_size=500",
    "/api/prisoners/?ordering=-detained_on&status=released&region=Region",
    "/api/prisoners/?released_after=2025-01-01&charge=342&organization=Org+1",
    "/api/prisoners/?q=person&held_on=2023-01-01",
    "/api/prisoners/person-0/",
    "/api/prisoners/?ordering=-days_in_custody&expected_release_before=2040",
    "/api/release-events/",
    "/api/release-events/many-release/",
    "/api/sanctions-events/",
    "/api/sanctions-events/sanctions-event-0/",
    "/api/organizations/",
    "/api/stats/held/?from=2015-01-01&to=2025-12-31",
    "/api/stats/held.csv?from=2015-01-01&to=2025-12-31",
    "/api/stats/releases/?from=2015-01-01&to=2025-12-31",
    "/api/stats/releases.csv?from=2015-01-01&to=2025-12-31",
    "/prisoners/?ordering=-detained_on&status=released",
    "/prisoners/?page=2",
    "/prisoners/?ordering=-days_in_custody",
    "/prisoners/export.csv?ordering=days_in_custody&expected_release_after=2000",
    "/prisoners/feed.atom?ordering=-days_in_custody",
    "/releases/many-release/",
    "/releases/many-release/?page=2",
    # Figures to embed, the charts as images, and how the list counts.
    "/embed/held/?from=2015-01-01&to=2025-12-31",
    "/embed/releases/?from=2015-01-01&to=2025-12-31",
    "/embed/counter/",
    "/charts/held.svg?from=2015-01-01&to=2025-12-31",
    "/be/charts/releases.svg?from=2015-01-01&to=2025-12-31",
    "/about/data/",
]


def queries_for(client, url: str) -> int:
    # The stored figures are rebuilt once per change of the records, by the
    # first reader: test_public_pages holds a rebuild to a fixed number.
    for name in figures.BUILDERS:
        figures.ready(name)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(context.captured_queries)


@pytest.mark.parametrize("url", URLS)
def test_a_page_runs_at_most_ten_queries_whatever_its_size(client, settings, url):
    settings.API_THROTTLE_RATE = None
    settings.CACHE_SECONDS = 0
    factories.SanctionsEventFactory.reset_sequence()
    factories.PersonFactory.reset_sequence()
    build_many(60)  # more than a page of 50
    many = queries_for(client, url)
    assert many <= MAX_QUERIES, f"{url}: {many} queries"


@pytest.mark.parametrize("url", [u for u in URLS if "page=2" not in u])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, settings, url):
    settings.API_THROTTLE_RATE = None
    settings.CACHE_SECONDS = 0
    factories.SanctionsEventFactory.reset_sequence()
    factories.PersonFactory.reset_sequence()
    build_many(3)
    factories.PersonFactory.reset_sequence(100)
    build_many_more(3)  # every filter above matches someone: an empty page skips queries
    few = queries_for(client, url)
    build_many_more(40)
    assert queries_for(client, url) == few, url


def build_many_more(n: int) -> None:
    """n more people like build_many's, released in the same group release."""
    from prisoners.models import ReleaseEvent

    event = ReleaseEvent.objects.get(event_id="many-release")
    for _ in range(n):
        person = factories.PersonFactory(region="Region")
        detention = factories.DetentionFactory(person=person, detained_on="2020-01-01")
        factories.ReleaseFactory(detention=detention, released_on="2025-12-13", release_event=event)
