"""Figures other sites may show: /embed/ pages alone may be framed, in every
language; the standalone SVG charts say what they show, where it comes from
and which data version; their numbers are the site's; a bad range is a 400;
/timeline/ gives the code to embed them and links the data behind them."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from prisoners.history import data_last_changed
from prisoners.public.citation import version_day
from prisoners.stats import figures, series
from tests.factories import DetentionFactory, PersonFactory
from tests.public_urls import MARKER, build_world, embed_urls, public_urls
from tests.test_security import policy

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def world():
    return build_world()


def body(response) -> str:
    return response.content.decode()


# Framing: /embed/ alone.


@pytest.mark.parametrize("prefix", ["", "/be", "/ru"])
def test_it_lets_any_site_frame_the_embeds(client, world, prefix):
    for url in ["/embed/held/", "/embed/releases/?from=2025-01-01", "/embed/counter/"]:
        response = client.get(prefix + url)
        assert response.status_code == 200, url
        assert "X-Frame-Options" not in response, url
        assert policy(response)["frame-ancestors"] == ["*"], url
        # The rest of the policy stays strict.
        assert policy(response)["script-src"] == ["'self'"], url


def test_it_lets_a_refused_embed_be_framed_too(client, world):
    """The embedding page shows the message, not a browser's blocked frame."""
    response = client.get("/embed/held/?from=2025-02-30")
    assert response.status_code == 400
    assert "X-Frame-Options" not in response
    assert policy(response)["frame-ancestors"] == ["*"]


@pytest.mark.parametrize("prefix", ["", "/be", "/ru"])
def test_nothing_else_may_be_framed(client, world, prefix):
    urls = [u for u in public_urls(world) if not u.startswith("/api/")]
    for url in [f"{prefix}{u}" for u in urls] + ["/api/prisoners/"]:
        response = client.get(url)
        assert response.headers.get("X-Frame-Options") == "DENY", url
        assert policy(response)["frame-ancestors"] == ["'none'"], url


def test_a_cached_embed_stays_framable_and_a_cached_page_does_not(client, world, settings):
    settings.CACHE_SECONDS = 60
    for _ in range(2):  # the second answer comes from the page cache
        embed, page = client.get("/ru/embed/counter/"), client.get("/ru/timeline/")
        assert policy(embed)["frame-ancestors"] == ["*"] and "X-Frame-Options" not in embed
        assert policy(page)["frame-ancestors"] == ["'none'"]
        assert page["X-Frame-Options"] == "DENY"


def test_an_embed_is_a_minimal_page_that_opens_links_outside_the_frame(client, world):
    for url in embed_urls(world):
        html = body(client.get(url))
        assert html.count("<h1") == 1, url
        assert "<script" not in html and "style=" not in html, url
        assert '<base target="_blank">' in html, url
        assert 'class="site-header"' not in html and "<nav" not in html, url
        assert "CC BY 4.0" in html, url
        assert "<time datetime=" in html, url  # the data version


# The numbers are the site's.


def test_the_counter_shows_the_home_pages_figure(client, world):
    for visibility in ("published", "anonymous"):
        held = PersonFactory(recognized_on="2021-01-01", visibility=visibility)
        DetentionFactory(person=held, detained_on="2022-01-01")
    today = timezone.localdate()
    held = figures.held_on(today)
    assert held > 0
    home, embed = body(client.get("/")), body(client.get("/embed/counter/"))
    figure = re.compile(r'data-figure="held-now">([^<]+)<')
    assert figure.search(embed).group(1) == figure.search(home).group(1) == str(held)
    not_named = re.compile(r'data-count="not-named-held">\(([0-9]+)')
    assert not_named.search(embed).group(1) == not_named.search(home).group(1) == "1"


def test_the_chart_embeds_show_the_timelines_charts(client, world):
    query = "?from=2021-01-01&to=2025-12-31"
    timeline = client.get(f"/timeline/{query}")
    held, releases = client.get(f"/embed/held/{query}"), client.get(f"/embed/releases/{query}")
    assert held.context["chart"].path == timeline.context["held_chart"].path
    assert [b.label for b in releases.context["chart"].bars] == [
        b.label for b in timeline.context["releases_chart"].bars
    ]
    total = sum(n for _m, n in series.releases_per_month(*_days(query)))
    assert total == 3  # Ales and the two people not named
    assert f"{total} in total" in body(releases)


def _days(query):
    from datetime import date

    start, end = re.findall(r"\d{4}-\d{2}-\d{2}", query)
    return date.fromisoformat(start), date.fromisoformat(end)


# The charts as images.


@pytest.mark.parametrize("name", ["held", "releases"])
@pytest.mark.parametrize("prefix", ["", "/be", "/ru"])
def test_a_chart_image_is_well_formed_svg_naming_its_source_and_version(
    client, world, name, prefix
):
    response = client.get(f"{prefix}/charts/{name}.svg?from=2021-01-01&to=2025-12-31")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text.strip()
    assert desc is not None and desc.text.strip()
    assert root.get("role") == "img"
    assert set(root.get("aria-labelledby").split()) == {title.get("id"), desc.get("id")}
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    # The source (the timeline of the same range) and the data version, in the image.
    assert f"{prefix}/timeline/?from=2021-01-01&amp;to=2025-12-31" in body(response)
    assert "CC BY 4.0" in text
    changed = timezone.localtime(data_last_changed())
    assert changed.strftime("%Y") in text and f"{changed:%H:%M}" in text
    assert response["X-Data-Last-Changed"] == data_last_changed().isoformat()
    # The series is drawn: a step line or one bar a month.
    if name == "held":
        assert root.find(f".//{SVG}path") is not None
    else:
        assert len(root.findall(f".//{SVG}rect")) == 1 + 60


def test_a_chart_image_speaks_the_language_of_its_address(client, world):
    ru = ElementTree.fromstring(client.get("/ru/charts/held.svg").content)
    be = ElementTree.fromstring(client.get("/be/charts/held.svg").content)
    assert "политзаключённые" in ru.find(f"{SVG}title").text
    assert "палітвязні" in be.find(f"{SVG}title").text
    assert "Крыніца" in be.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("from=2025-02-30", "from"),
        ("to=yesterday", "to"),
        ("from=2025-12-31&to=2025-01-01", "from"),
        ("from=1800-01-01", "from"),
        ("from=1990-01-01&to=2025-12-31", "from"),
    ],
)
def test_it_refuses_a_bad_range_with_400(client, world, query, param):
    for url in [f"/charts/held.svg?{query}", f"/charts/releases.svg?{query}"]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("text/plain")
        assert body(response).startswith(f"{param}: "), body(response)
    for url in [f"/embed/held/?{query}", f"/ru/embed/releases/?{query}"]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert 'role="alert"' in body(response)


def test_the_images_and_embeds_name_nobody(client, world):
    for url in [*embed_urls(world), "/charts/held.svg", "/charts/releases.svg"]:
        text = body(client.get(url))
        assert MARKER not in text.lower() and "Bialiatski" not in text, url


# The timeline offers them.


def test_the_timeline_offers_the_embed_code_and_the_data_behind_each_chart(client, world):
    html = body(client.get("/ru/timeline/?from=2021-01-01&to=2025-12-31"))
    codes = re.findall(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert len(codes) == 4  # a frame and an image for each chart
    import html as html_module

    frame, image = (html_module.unescape(code) for code in codes[:2])
    assert frame.startswith("<iframe ") and 'title="' in frame
    assert "/ru/embed/held/?from=2021-01-01&amp;to=2025-12-31" in frame
    assert image.startswith("<img ") and 'alt="' in image
    assert "/ru/charts/held.svg?from=2021-01-01&amp;to=2025-12-31" in image
    for textarea in re.findall(r"<textarea[^>]*>", html):
        name = re.search(r'id="([^"]+)"', textarea).group(1)
        assert f'<label for="{name}">' in html  # each code is labelled
    for data in [
        "/api/stats/held.csv?from=2021-01-01&amp;to=2025-12-31&amp;interval=day",
        "/api/stats/held/?from=2021-01-01&amp;to=2025-12-31&amp;interval=day",
        "/api/stats/releases.csv?from=2021-01-01&amp;to=2025-12-31",
        "/api/stats/releases/?from=2021-01-01&amp;to=2025-12-31",
    ]:
        assert f'href="{data}' in html, data
    # The data behind the chart answers, and is the chart's.
    points = client.get("/api/stats/held/?from=2021-01-01&to=2025-12-31&interval=day").json()
    assert len(points["results"]) == len(figures.held_series(*_days("2021-01-01 2025-12-31")))


def test_the_embed_code_works_without_javascript_and_stays_light(client, world):
    from tests.test_weight import BUDGET, Assets, static_size

    for url in embed_urls(world):
        response = client.get(url)
        parser = Assets()
        parser.feed(body(response))
        assert not any(u.endswith(".js") for u in parser.urls), url
        total = len(response.content) + sum(static_size(u) for u in parser.urls)
        assert total < BUDGET / 2, (url, total)
    for url in ["/charts/held.svg?from=2000-01-01&to=2025-12-31", "/charts/releases.svg"]:
        assert len(client.get(url).content) < BUDGET / 2, url


def test_the_version_day_is_the_sites_calendar_day(settings):
    from datetime import UTC, datetime

    settings.TIME_ZONE = "Europe/Minsk"  # UTC+3
    assert str(version_day(datetime(2025, 12, 13, 22, 30, tzinfo=UTC))) == "2025-12-14"
    settings.TIME_ZONE = "UTC"
    assert str(version_day(datetime(2025, 12, 13, 22, 30, tzinfo=UTC))) == "2025-12-13"
