"""The API can be found: /api/ lists every endpoint, and every page's footer
links the API and its documentation."""

import pytest
from django.conf import settings
from django.urls import URLPattern, reverse

from prisoners.api import urls as api_urls
from prisoners.api.root import ENDPOINTS
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_it_lists_every_endpoint_with_its_address_and_what_it_gives(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    endpoints = response.json()["endpoints"]
    assert [e["name"] for e in endpoints] == [
        "prisoners",
        "release-events",
        "sanctions-events",
        "sanctions-targets",
        "organizations",
        "facilities",
        "stats-held",
        "stats-held-csv",
        "stats-releases",
        "stats-releases-csv",
        "changes",
        "schema",
        "docs",
    ]
    for endpoint in endpoints:
        assert endpoint["url"].startswith(f"{settings.SITE_URL}/api/")
        assert endpoint["description"].endswith(".")
        assert client.get(endpoint["url"]).status_code == 200, endpoint


def test_it_leaves_out_no_endpoint_of_the_api():
    """An endpoint added to prisoners/api/urls.py must be added to the root:
    every list and view but the details (reached from the lists)."""
    names = {
        p.name
        for p in api_urls.urlpatterns
        if isinstance(p, URLPattern) and p.name != "api-root" and not p.name.endswith("-detail")
    }
    assert names == {url_name for _, url_name, _ in ENDPOINTS}


def test_it_carries_the_citation_of_every_answer(client):
    PersonFactory()
    response = client.get("/api/")
    assert 'rel="cite-as"' in response["Link"]
    assert "X-Data-Last-Changed" in response and "X-Cite-As" in response
    data = response.json()
    assert data["data_last_changed"] and data["cite_as"].startswith("Political Prisoner Tracker")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_it_answers_405_to_a_write(client):
    assert client.post("/api/", {}).status_code == 405


def test_the_docs_answer_options_with_their_methods(client):
    response = client.options("/api/docs/")
    assert response.status_code == 200
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(
    "prefix, text",
    [
        ("", "Open data: every list as CSV"),
        ("/be", "Адкрытыя даныя: кожны спіс у CSV"),
        ("/ru", "Открытые данные: каждый список в CSV"),
    ],
)
def test_every_page_footer_links_the_api_and_its_documentation(client, prefix, text):
    for path in ("/", "/prisoners/", "/timeline/"):
        page = client.get(f"{prefix}{path}").content.decode()
        footer = page[page.index('<footer class="site-footer">') :]
        assert text in footer, path
        assert f'href="{reverse("api-root")}"' in footer, path
        assert f'href="{reverse("api-docs")}"' in footer, path
