"""Citable versions: every public answer names its data version (the time
public data last changed) and how to cite it; the citation's link carries
only the filters in use and, where the answer can show the list as it stood
on a day, ``as_of`` the data version's day in the site's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.conf import settings

from prisoners.history import data_last_changed
from prisoners.public import citation
from tests.factories import PersonFactory
from tests.public_urls import build_world

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL
# 22:30 UTC on 13 December is already the 14th in Minsk (UTC+3).
LATE = datetime(2025, 12, 13, 22, 30, tzinfo=UTC)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def late_version(monkeypatch):
    monkeypatch.setattr(citation, "data_last_changed", lambda: LATE)


def cite_link(response) -> str:
    link = response["Link"]
    assert link.endswith('>; rel="cite-as"'), link
    return link[1 : -len('>; rel="cite-as"')]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/prisoners/",
        "/prisoners/facets/region/",
        "/prisoners/ales-bialiatski/",
        "/releases/",
        "/timeline/",
        "/about/data/",
        "/prisoners/feed.atom",
        "/releases/feed.atom",
        "/charts/held.svg",
        "/embed/counter/",
        "/prisoners/export.csv",
        "/api/prisoners/",
        "/api/stats/held/",
    ],
)
def test_every_answer_names_its_data_version(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Data-Last-Changed"] == data_last_changed().isoformat()
    assert cite_link(response).startswith(SITE)
    assert "Political Prisoner Tracker" in response["X-Cite-As"]


def test_pages_say_no_last_modified_that_a_browser_would_cache_them_by(client, world):
    """Held now moves every day: a page must not be kept for a tenth of its age."""
    assert "Last-Modified" not in client.get("/prisoners/")
    assert "Last-Modified" in client.get("/prisoners/export.csv")


def test_the_citation_pins_the_version_day_in_the_sites_time_zone(
    client, world, late_version, settings
):
    settings.TIME_ZONE = "Europe/Minsk"
    response = client.get("/prisoners/?status=released&q=&ordering=name&recognized=")
    assert cite_link(response) == f"{SITE}/prisoners/?status=released&as_of=2025-12-14"
    html = response.content.decode()
    assert f"{SITE}/prisoners/?status=released&amp;as_of=2025-12-14, data as of 14" in html
    assert "2025-12-14" in response["X-Cite-As"]
    settings.TIME_ZONE = "UTC"
    response = client.get("/prisoners/?status=released")
    assert cite_link(response) == f"{SITE}/prisoners/?status=released&as_of=2025-12-13"


@pytest.mark.parametrize(
    ("url", "cited"),
    [
        ("/", "/?as_of=2025-12-13"),
        ("/ru/prisoners/?region=Minsk", "/ru/prisoners/?region=Minsk&as_of=2025-12-13"),
        ("/prisoners/ales-bialiatski/", "/prisoners/ales-bialiatski/?as_of=2025-12-13"),
        (
            "/prisoners/export.csv?region=Minsk",
            "/prisoners/export.csv?region=Minsk&as_of=2025-12-13",
        ),
        ("/prisoners/feed.atom", "/prisoners/feed.atom?as_of=2025-12-13"),
        ("/api/prisoners/?region=Minsk", "/api/prisoners/?region=Minsk&as_of=2025-12-13"),
        ("/api/prisoners/ales-bialiatski/", "/api/prisoners/ales-bialiatski/?as_of=2025-12-13"),
        # Answers whose past is not rebuilt are cited as they are.
        ("/releases/?date_after=2025-01-01", "/releases/?date_after=2025-01-01"),
        ("/timeline/?from=2021-01-01", "/timeline/?from=2021-01-01"),
        ("/api/release-events/", "/api/release-events/"),
        ("/about/data/", "/about/data/"),
    ],
)
def test_the_citation_carries_as_of_where_the_answer_takes_it(
    client, world, late_version, url, cited
):
    response = client.get(url)
    assert cite_link(response) == SITE + cited


def test_the_api_cites_the_same_link_in_its_body(client, world, late_version):
    data = client.get("/api/prisoners/?region=Minsk&q=").json()
    assert data["cite_as"] == (
        f"Political Prisoner Tracker, {SITE}/api/prisoners/?region=Minsk&as_of=2025-12-13, "
        "data as of 2025-12-13"
    )
    assert data["data_last_changed"] == LATE.isoformat()


def test_a_list_seen_as_of_a_day_is_cited_as_of_that_day(client, world, late_version):
    response = client.get("/prisoners/?as_of=2025-01-31&region=Minsk")
    assert cite_link(response) == f"{SITE}/prisoners/?as_of=2025-01-31&region=Minsk"
    assert "data as of 2025-01-31" in response["X-Cite-As"]
    assert "data as of 31" in response.content.decode()


def test_the_citation_box_links_how_the_list_counts(client, world):
    for prefix in ("", "/be", "/ru"):
        html = client.get(f"{prefix}/prisoners/").content.decode()
        footer = html[html.index('<p class="citation">') :]
        assert f'href="{prefix}/about/data/"' in footer[: footer.index("</p>")], prefix


def test_without_any_change_there_is_no_as_of(client):
    assert data_last_changed() is None
    response = client.get("/prisoners/")
    assert cite_link(response) == f"{SITE}/prisoners/"
    PersonFactory()
    assert "as_of=" in cite_link(client.get("/prisoners/"))
