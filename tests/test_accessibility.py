"""WCAG 2.1 AA on every public page type in each language, checked by axe-core
in Debian's Chromium; keyboard-only use; the charts' text alternative.

axe-core comes from the npm registry into tests/browser/node_modules
(`make test` runs `npm ci --prefix tests/browser`) and is injected from disk.
Run with DJANGO_ALLOW_ASYNC_UNSAFE=true (make test sets it).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from tests.conftest import IN_CI
from tests.public_urls import build_world

AXE = Path(__file__).resolve().parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PREFIXES = {"en": "", "be": "/be", "ru": "/ru"}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe_path():
    if not AXE.exists():
        message = "axe-core missing: npm ci --prefix tests/browser"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return str(AXE)


@pytest.fixture
def story():
    """The public story, and one URL of each public page type (an invalid
    filter's 400 page too)."""
    world = build_world()
    with translation.override("en"):
        return [
            "/",
            "/prisoners/",
            "/prisoners/?status=released&region=Minsk",
            "/prisoners/?held_on=2025-13-01",
            world.person.get_absolute_url(),
            "/releases/",
            "/releases/2025/",
            "/releases/2025/12/",
            world.release_event.get_absolute_url(),
            "/sanctions/",
            world.sanctions_event.get_absolute_url(),
            "/timeline/?from=2021-01-01&to=2025-12-31",
            "/prisoners/facets/region/?status=released",
            "/about/data/",
            "/embed/held/?from=2021-01-01&to=2025-12-31",
            "/embed/releases/?from=2025-01-01&to=2025-12-31",
            "/embed/counter/",
        ]


@pytest.fixture
def csp_free_page(browser):
    """The site's Content-Security-Policy forbids injected scripts, axe's too."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, axe_path: str) -> list[dict]:
    # Closed <details> (the charts' table) are checked open too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.add_script_tag(path=axe_path)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_every_public_page_type_passes_axe_wcag_21_aa(
    live_server, csp_free_page, axe_path, story, language
):
    found = {}
    for url in story:
        csp_free_page.goto(f"{live_server.url}{PREFIXES[language]}{url}")
        assert csp_free_page.evaluate("document.documentElement.lang") == language, url
        violations = axe_violations(csp_free_page, axe_path)
        if violations:
            found[url] = violations
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


def test_axe_finds_a_violation_when_there_is_one(live_server, csp_free_page, axe_path, story):
    """The guard above would pass if axe checked nothing."""
    csp_free_page.goto(f"{live_server.url}/prisoners/")
    csp_free_page.evaluate("document.querySelector('label[for=id_q]').remove()")
    assert "label" in {v["id"] for v in axe_violations(csp_free_page, axe_path)}


FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const all = [...document.querySelectorAll('*')];
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
    index: all.indexOf(el),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    outlineColor: style.outlineColor,
    visible: el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0,
  };
}"""


def contrast_with_white(css_color: str) -> float:
    red, green, blue = (int(c) for c in re.findall(r"\d+", css_color)[:3])

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize(
    "url", ["/prisoners/?status=released", "/ru/timeline/?from=2021-01-01&to=2025-12-31"]
)
def test_the_keyboard_reaches_everything_in_order_with_visible_focus(live_server, page, story, url):
    """Tab from the top: each stop shows a focus outline, follows the page's
    order, and focus leaves the page at the end (no trap); Shift+Tab walks back."""
    page.goto(f"{live_server.url}{url}")
    focusable = page.evaluate(
        """() => [...document.querySelectorAll(
             'a[href], button, input:not([type=hidden]), select, textarea, summary'
           )].filter(el => el.checkVisibility()).length"""
    )
    stops = []
    # A date input takes several stops (day, month, year, the calendar button).
    for _ in range(4 * focusable + 5):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS)
        if stop is None:
            break  # past the last stop: focus left the page, so nothing traps it
        stops.append(stop)
    else:
        pytest.fail(f"focus never left the page after {len(stops)} stops: a trap")
    assert stops[0]["text"] in {"Skip to content", "Перайсці да зместу", "Перейти к содержанию"}
    order = [
        s["index"] for i, s in enumerate(stops) if i == 0 or s["index"] != stops[i - 1]["index"]
    ]
    assert len(order) == focusable, (len(order), focusable)
    assert order == sorted(order), "order"
    assert all(s["outline"] and s["visible"] for s in stops), [
        s for s in stops if not (s["outline"] and s["visible"])
    ]
    # The focus outline stands out from the white page (WCAG 1.4.11: 3:1).
    assert all(contrast_with_white(s["outlineColor"]) >= 3 for s in stops), {
        s["outlineColor"] for s in stops
    }
    # And back again, from the end.
    back = []
    for _ in range(len(stops)):
        page.keyboard.press("Shift+Tab")
        back.append(page.evaluate(FOCUS)["index"])
    assert back == sorted(back, reverse=True)
    assert back[-1] == stops[0]["index"]


def test_the_keyboard_alone_filters_the_list_and_opens_a_person(live_server, page, story):
    page.goto(f"{live_server.url}/be/prisoners/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Enter")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    page.keyboard.type("Бяляцкі")
    page.keyboard.press("Enter")
    page.wait_for_url("**/be/prisoners/?*q=*")
    link = page.get_by_role("link", name="Алесь Бяляцкі (Ales Bialiatski)")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/be/prisoners/ales-bialiatski/")
    assert page.get_by_role("heading", level=1).inner_text() == "Алесь Бяляцкі (Ales Bialiatski)"


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_the_charts_have_a_text_alternative(live_server, page, story, language):
    page.goto(f"{live_server.url}{PREFIXES[language]}/timeline/?from=2021-01-01&to=2025-12-31")
    charts = page.locator("figure.chart svg")
    # Held, releases per month and sanctions relief per month (issue 21).
    assert charts.count() == 3
    for i in range(3):
        svg = charts.nth(i)
        assert svg.get_attribute("role") == "img"
        name = page.evaluate(
            "el => document.getElementById(el.getAttribute('aria-labelledby')).textContent",
            svg.element_handle(),
        )
        assert name.strip()
    # The numbers behind them, as a table with a caption and headers.
    table = page.locator("details.chart-table table").first
    assert table.locator("caption").text_content().strip()
    assert table.locator("tbody tr").count() >= 12
    assert table.locator("thead th[scope=col]").count() == 3
