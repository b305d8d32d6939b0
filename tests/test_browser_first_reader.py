"""The list of people on a phone (360 px) and on a wide screen, in Debian's
Chromium. Run with DJANGO_ALLOW_ASYNC_UNSAFE=true (make test sets it)."""

import pytest

from tests.public_urls import build_world
from tests.test_browser_journalist import more_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    build_world()
    more_people()


def test_on_a_phone_the_first_result_is_on_the_first_screen(live_server, page, people):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/prisoners/?region=Minsk&region=Brest&q=")
    first = page.locator("table.people tbody tr").first.bounding_box()
    assert first["y"] < 800, first
    summary = page.locator(".filters-panel > summary")
    assert summary.inner_text() == "Filters (2 active)"
    region = page.locator("input[name=region][value=Brest]")
    assert not region.is_visible()
    # The keyboard opens the filters from their summary.
    summary.focus()
    page.keyboard.press("Enter")
    assert region.is_visible()
    assert region.is_checked()


def test_on_a_wide_screen_the_filters_are_shown_beside_the_results(live_server, page, people):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/prisoners/")
    assert not page.locator(".filters-panel > summary").is_visible()
    assert page.locator("input[name=region][value=Brest]").is_visible()
    assert page.locator("#id_q").is_visible()
