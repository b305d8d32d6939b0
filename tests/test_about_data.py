"""/about/data/: how the list counts, in en/be/ru, and a data dictionary
read at request time from the definitions the code uses: every column each
public CSV writes and every filter each list takes appear on the page, and
a column or filter added to the code appears without touching the page."""

from __future__ import annotations

import csv
import io

import django_filters
import pytest

from prisoners.interchange import columns
from prisoners.public import about
from prisoners.public.filters import PersonFilter, ReleaseEventFilter, SanctionsEventFilter
from tests.public_urls import MARKER, build_world

pytestmark = pytest.mark.django_db

CSV_URLS = [
    "/prisoners/export.csv",
    "/releases/export.csv",
    "/sanctions/export.csv",
    "/api/stats/held.csv",
    "/api/stats/releases.csv",
]


@pytest.fixture
def world():
    return build_world()


def header_of(client, url: str) -> list[str]:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return next(csv.reader(io.StringIO(body.decode())))


def page(client, prefix: str = "") -> str:
    response = client.get(f"{prefix}/about/data/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("prefix", ["", "/be", "/ru"])
def test_it_lists_every_column_every_public_csv_writes(client, world, prefix):
    html = page(client, prefix)
    for url in CSV_URLS:
        for name in header_of(client, url):
            assert f"<code>{name}</code>" in html, (url, name)


@pytest.mark.parametrize("prefix", ["", "/be", "/ru"])
def test_it_lists_every_filter_of_every_list(client, world, prefix):
    html = page(client, prefix)
    for filterset in (PersonFilter, ReleaseEventFilter, SanctionsEventFilter):
        for name in filterset.base_filters:
            assert f"<code>{name}</code>" in html, name
    for name in ("from", "to", "interval"):
        assert f"<code>{name}</code>" in html, name


def test_it_describes_every_column_and_filter(client, world):
    """A column or filter without a description would show a bare type."""
    for table in about.export_tables() + about.filter_tables():
        for entry in table.entries:
            assert entry.help and entry.kind, (table.title, entry.name)


def test_it_lists_the_values_of_closed_vocabularies(client, world):
    html = page(client, "/ru")
    for value in ("pardon", "in_custody", "colony", "lifted", "-released_on"):
        assert f"<code>{value}</code>" in html, value
    assert "помилование" in html  # the label in the page's language


def test_a_new_column_or_filter_appears_without_touching_the_page(client, world, monkeypatch):
    monkeypatch.setattr(columns.PRISONERS, "names", [*columns.PRISONERS.names, "new_column"])
    filters = {**PersonFilter.base_filters, "new_filter": django_filters.CharFilter()}
    monkeypatch.setattr(PersonFilter, "base_filters", filters)
    html = page(client)
    assert "<code>new_column</code>" in html
    assert "<code>new_filter</code>" in html


def test_it_leaves_out_private_columns(client, world):
    html = page(client)
    assert "internal_notes" not in html
    assert MARKER not in html.lower()


@pytest.mark.parametrize(
    ("prefix", "heading", "words"),
    [
        ("", "How the list counts", ["not named", "first day of its month", "as_of", "CC BY 4.0"]),
        ("/be", "Як лічыць спіс", ["без імені", "першым днём", "as_of", "CC BY 4.0"]),
        ("/ru", "Как считает список", ["без имени", "первым днём", "as_of", "CC BY 4.0"]),
    ],
)
def test_it_explains_how_the_list_counts_in_each_language(client, world, prefix, heading, words):
    html = page(client, prefix)
    assert html.count("<h1") == 1 and f"<h1>{heading}</h1>" in html
    for word in words:
        assert word in html, word
    for anchor in ("who", "not-named", "dates", "days", "cite", "corrections", "licence"):
        assert f'id="{anchor}"' in html, anchor


def test_every_page_links_it_from_its_citation(client, world):
    for url in ("/", "/timeline/", "/be/releases/", "/ru/prisoners/ales-bialiatski/"):
        prefix = url[:3] if url.startswith(("/be/", "/ru/")) else ""
        assert f'href="{prefix}/about/data/"' in client.get(url).content.decode(), url
