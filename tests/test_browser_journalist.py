"""A journalist's path through the public site, in Debian's Chromium.

Run with DJANGO_ALLOW_ASYNC_UNSAFE=true (make test sets it). With
SAVE_SCREENSHOTS=1 the test also writes docs/screenshots/prisoners.png and
docs/screenshots/timeline.png.
"""

import os
from pathlib import Path

import pytest

from tests.factories import DetentionFactory, PersonFactory, ReleaseFactory
from tests.public_urls import build_world

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def more_people() -> None:
    """Enough illustrative people for a list and a chart worth looking at."""
    arrests = ["2020-08-10", "2020-11", "2021-02-15", "2021-05-23", "2022-03-01", "2023"]
    for i, arrested in enumerate(arrests * 3):
        person = PersonFactory(
            person_id=f"illustrative-{i}",
            name=f"Illustrative Person {i + 1}",
            region=["Minsk", "Homiel", "Hrodna", "Brest"][i % 4],
            recognized_on=arrested,
        )
        detention = DetentionFactory(
            person=person, detention_id=f"illustrative-{i}-1", detained_on=arrested
        )
        if i % 3 == 0:
            ReleaseFactory(
                detention=detention,
                released_on=["2024-07-03", "2025-06-21", "2025-09-11"][i // 3 % 3],
                release_type=["pardon", "sentence_served", "deported"][i // 3 % 3],
            )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_journalist_follows_december_releases_to_lifted_sanctions(live_server, page):
    build_world()
    more_people()
    page.set_viewport_size({"width": 1200, "height": 900})

    page.goto(f"{live_server.url}/prisoners/")
    page.get_by_label("Released from").fill("2025-12-01")
    page.get_by_label("Released until").fill("2025-12-31")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/prisoners/?*released_after=2025-12-01*")
    assert "released_before=2025-12-31" in page.url
    heading = page.locator("#results-heading")
    assert heading.inner_text() == "2 people"
    if os.environ.get("SAVE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "prisoners.png", full_page=True)

    page.get_by_role("link", name="Ales Bialiatski").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ales Bialiatski"
    page.get_by_role("link", name="123 political prisoners freed").click()
    assert page.get_by_role("heading", level=1).inner_text() == "123 political prisoners freed"
    assert page.locator('[data-count="announced"]').inner_text() == "123"

    page.get_by_role("link", name="US delisting: Belarusian Potash Company; Belaruskali").click()
    assert page.url.endswith("/sanctions/2025-12-13-us-potash/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("US delisting")
    assert page.get_by_role("link", name="123 political prisoners freed").is_visible()

    if os.environ.get("SAVE_SCREENSHOTS"):
        page.goto(f"{live_server.url}/timeline/?from=2020-01-01&to=2025-12-31")
        page.screenshot(path=SCREENSHOTS / "timeline.png", full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_fit_a_360_pixel_wide_phone(live_server, page):
    world = build_world()
    page.set_viewport_size({"width": 360, "height": 740})
    for path in [
        "/",
        "/prisoners/?status=released",
        world.person.get_absolute_url(),
        world.release_event.get_absolute_url(),
        "/sanctions/",
        "/timeline/?from=2021-01-01&to=2025-12-31",
    ]:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_skip_link_takes_the_keyboard_to_the_content(live_server, page):
    page.goto(f"{live_server.url}/prisoners/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
