"""Light pages for slow connections: every public page type, with the CSS and
JavaScript it loads, is under 100 KB, and the site works with JavaScript off."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import translation

from tests.factories import DetentionFactory, PersonFactory, ReleaseFactory
from tests.public_urls import build_world

BUDGET = 100 * 1024
PREFIXES = ["", "/be", "/ru"]


class Assets(HTMLParser):
    """What a browser fetches for the page: stylesheets, scripts, images."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.urls.append(attrs["href"])
        elif tag in ("script", "img") and attrs.get("src"):
            self.urls.append(attrs["src"])


def full_list(n: int = 60) -> None:
    """More people than one list page shows, each with a detention and release,
    and all named in one group release: the heaviest pages."""
    world = build_world()
    for i in range(n):
        person = PersonFactory(
            name=f"Illustrative Person With A Long Name {i}",
            name_be=f"Ілюстрацыйны Чалавек {i}",
            name_ru=f"Иллюстративный Человек {i}",
            region=f"Region {i % 6}",
            recognized_on="2021-01-01",
        )
        ReleaseFactory(
            detention=DetentionFactory(person=person, detained_on="2021-02-03"),
            release_event=world.release_event,
            release_type="negotiated",
        )
    return world


def page_types(world) -> list[str]:
    with translation.override("en"):
        return [
            "/",
            "/prisoners/",
            "/prisoners/?held_on=2025-13-01",
            world.person.get_absolute_url(),
            "/releases/",
            "/releases/2025/",
            "/releases/2025/12/",
            world.release_event.get_absolute_url(),
            "/sanctions/",
            world.sanctions_event.get_absolute_url(),
            "/timeline/?from=2000-01-01&to=2025-12-31",
        ]


def static_size(url: str) -> int:
    path, prefix = urlsplit(url).path, "/" + settings.STATIC_URL.lstrip("/")
    assert path.startswith(prefix), f"{url} is not one of our static files"
    found = finders.find(path.removeprefix(prefix))
    assert found, url
    return Path(found).stat().st_size


@pytest.mark.django_db
def test_every_public_page_with_its_css_and_scripts_is_under_100_kb(client, settings):
    """Measured uncompressed: what travels (WhiteNoise compresses) is smaller."""
    settings.CACHE_SECONDS = 0
    world = full_list()
    sizes = {}
    for url in page_types(world):
        for prefix in PREFIXES:
            response = client.get(prefix + url)
            assert response.status_code in (200, 400), prefix + url
            parser = Assets()
            parser.feed(response.content.decode())
            assert parser.urls, "a page loads at least its stylesheet"
            total = len(response.content) + sum(static_size(u) for u in parser.urls)
            sizes[prefix + url] = total
    heavy = {url: size for url, size in sizes.items() if size >= BUDGET}
    assert heavy == {}, heavy
    # The list really is a full page of people.
    with translation.override("en"):
        assert client.get("/prisoners/").context["paginator"].count > 50


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("prefix", "released", "button"),
    [("", "released", "Filter"), ("/ru", "на свободе", "Фильтровать")],
)
def test_the_list_filters_and_opens_a_person_with_javascript_off(
    live_server, browser, prefix, released, button
):
    build_world()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}/prisoners/")
    page.locator('fieldset[data-facet="status"]').get_by_label(released).check()
    page.get_by_role("button", name=button).click()
    page.wait_for_url(f"**{prefix}/prisoners/?*status=released*")
    rows = page.locator("table.people tbody tr")
    assert rows.count() == 2  # Ales Bialiatski and Public Other
    page.locator("table.people").get_by_role("link").first.click()
    page.wait_for_url(f"**{prefix}/prisoners/ales-bialiatski/")
    assert "Ales Bialiatski" in page.get_by_role("heading", level=1).inner_text()
    context.close()
