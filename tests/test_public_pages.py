"""The public pages: structure, queries, and what each shows."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prisoners.models import Person, Stay
from prisoners.partial_dates import PartialDate
from prisoners.public.timeline import merge_events
from prisoners.querysets import recognized_held_count
from prisoners.stats import figures
from prisoners.stats.figures import held_series
from prisoners.stats.series import releases_per_month
from tests.factories import (
    ChargeFactory,
    DetentionFactory,
    FacilityFactory,
    OrganizationFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SanctionsEventFactory,
    SentenceChangeFactory,
    SourceFactory,
)
from tests.public_urls import build_world, public_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


class Structure(HTMLParser):
    """What the structure guard looks at in one page."""

    def __init__(self):
        super().__init__()
        self.h1 = 0
        self.main = 0
        self.skip_link = False
        self.labelled_navs = 0
        self.inputs: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.inline += [f"{tag} {name}" for name in attrs if name == "style" or name[:2] == "on"]
        if tag in ("script", "style"):
            self.inline.append(tag)
        if tag == "h1":
            self.h1 += 1
        elif tag == "main":
            self.main += 1
        elif tag == "nav" and attrs.get("aria-label"):
            self.labelled_navs += 1
        elif tag == "a" and attrs.get("href") == "#main" and "skip-link" in attrs.get("class", ""):
            self.skip_link = True
        elif tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.inputs.append({**attrs, "_in_label": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1

    def unlabelled(self) -> list[str]:
        return [
            i.get("name", "?")
            for i in self.inputs
            if not (i["_in_label"] or i.get("id") in self.label_for or i.get("aria-label"))
        ]


def html_pages(world) -> list[str]:
    """The public URLs that answer HTML (not feeds, sitemap or data)."""
    return [
        url
        for url in public_urls(world)
        if urlsplit(url).path.endswith("/") and not url.startswith("/api/")
    ]


def test_every_public_page_has_the_structure_of_an_accessible_page(client, world):
    bad = [
        "/prisoners/?held_on=2025-13-01",
        "/releases/?date_after=yesterday",
        "/sanctions/?action=bombed",
        "/timeline/?from=2025-12-31&to=2025-01-01",
    ]
    for url in html_pages(world) + bad:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        page = Structure()
        page.feed(response.content.decode())
        assert page.h1 == 1, url
        assert page.main == 1, url
        assert page.skip_link, url
        assert page.labelled_navs >= 1, url
        assert page.unlabelled() == [], url
        assert page.inline == [], url


def test_every_public_page_says_when_the_data_changed_and_how_to_cite_it(client, world):
    for url in html_pages(world):
        text = client.get(url).content.decode()
        assert "Data last changed:" in text, url
        assert "How to cite this page:" in text, url
        cited = f"{settings.SITE_URL}{url}".replace("&", "&amp;")
        assert cited in text, url
        assert "CC BY 4.0" in text, url


def build_many(n: int = 30) -> None:
    """n published people, each detained, charged, organized and released
    in one group release linked to sanctions."""
    sanctions = SanctionsEventFactory()
    event = ReleaseEventFactory(event_id="many-release", date="2025-12-13")
    event.sanctions.set([sanctions])
    sources = [SourceFactory(), SourceFactory()]
    event.sources.set(sources)
    sanctions.sources.set(sources)
    for i in range(n):
        person = PersonFactory(region=f"Region {i % 3}", recognized_on="2021-01-01")
        person.organizations.set([OrganizationFactory(name=f"Org {i % 4}")])
        first = DetentionFactory(person=person, detained_on="2020-05-01")
        first.charges.set([ChargeFactory(article=f"{340 + i % 5}")])
        first.sources.set(sources)
        ReleaseFactory(detention=first, released_on="2021-02-01", release_type="pardon")
        second = DetentionFactory(person=person, detained_on="2022-01-01")
        second.charges.set([ChargeFactory(article="342")])
        ReleaseFactory(
            detention=second,
            released_on="2025-12-13",
            release_type="negotiated",
            release_event=event,
        )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/prisoners/",
        "/prisoners/?ordering=-released_on&charge=342&released_after=2025-01-01",
        "/prisoners/?q=person&held_on=2023-01-01&organization=Org+1",
        "/prisoners/person-0/",
        "/releases/",
        "/releases/2025/",
        "/releases/2025/12/",
        "/releases/many-release/",
        "/sanctions/",
        "/sanctions/sanctions-event-0/",
        "/sanctions/?in_force_on=2025-12-13&kind=delisting&target=belaruskali",
        "/sanctions/targets/",
        "/sanctions/targets/?q=belaruskali&kind=company",
        "/sanctions/targets/belaruskali/",
        "/sanctions/targets/belaruskali/?in_force_on=2021-01-01",
        "/timeline/?from=2020-01-01&to=2025-12-31",
        "/prisoners/feed.atom",
        "/releases/feed.atom",
        "/sitemap.xml",
    ],
)
def test_each_page_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, url, settings
):
    from tests import factories

    factories.SanctionsEventFactory.reset_sequence()
    factories.PersonFactory.reset_sequence()
    build_many(30)
    for name in figures.BUILDERS:
        figures.ready(name)  # built once per change of the records: see the test below
    # A miss of the page cache reads the data version first: one query more
    # than #22 counts with the cache off. A person's page, with its stays,
    # sentence changes and their sources, runs 10 then (11 here); the
    # timeline's chronology reads no links between events, and the home
    # page's short lists of events none between releases and sanctions.
    bound = {"/prisoners/person-0/": 11}.get(url, 10)
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("people", [3, 30])
@pytest.mark.parametrize("name", [figures.SERIES, figures.FACETS])
def test_rebuilding_stored_figures_takes_the_same_queries_whatever_the_size(
    name, people, django_assert_max_num_queries
):
    build_many(people)
    with django_assert_max_num_queries(17):
        assert figures.ready(name)


def test_the_home_page_gives_the_headline_figures(client, world):
    today = timezone.localdate()
    held = PersonFactory(recognized_on="2020-01-01")
    DetentionFactory(person=held, detained_on="2020-01-01")
    released = DetentionFactory(person=PersonFactory(visibility="anonymous"))
    ReleaseFactory(detention=released, released_on=today.isoformat())
    response = client.get("/")
    assert response.context["held_now"] == recognized_held_count(today) == 1
    # Anonymous people count in totals; drafts do not.
    assert response.context["released_this_year"] == 1
    # Ales, the anonymous person of the world, and the person held now.
    assert response.context["recognized_total"] == 3
    assert "123 political prisoners freed" in response.content.decode()


def test_the_person_page_shows_dates_at_their_precision(client):
    person = PersonFactory(person_id="precise", recognized_on="2021-07", born="1962")
    DetentionFactory(person=person, detained_on="2021", detention_id="precise-2021")
    text = client.get("/prisoners/precise/").content.decode()
    assert ">Jul 2021</time>" in text
    assert ">2021</time>" in text
    assert ">1962</time>" in text


def test_the_person_page_shows_the_timeline_with_sources(client, world):
    text = client.get("/prisoners/ales-bialiatski/").content.decode()
    order = [
        "14 Jul 2021",  # detained
        "20 Jul 2021",  # recognized
        "3 Mar 2023",  # sentenced
        "13 Dec 2025",  # released
    ]
    positions = [text.index(f">{day}</time>") for day in order]
    assert positions == sorted(positions)
    assert "Penal colony No. 9, Horki" in text
    assert "Country after release: Lithuania" in text
    assert "US envoy" in text
    assert "https://example.org/source/" in text


def test_the_person_page_shows_each_source_beside_what_it_supports(
    client, django_assert_max_num_queries
):
    def sources(*names):
        return [SourceFactory(url=f"https://example.org/{name}") for name in names]

    person = PersonFactory(person_id="sourced", sources=sources("person", "shared"))
    detention = DetentionFactory(person=person, facility=FacilityFactory())
    detention.sources.set(sources("detention"))
    detention.stays.get().sources.set(sources("arrest-stay"))
    later = Stay.objects.create(
        detention=detention, facility=FacilityFactory(), started_on=PartialDate.parse("2022-05")
    )
    later.sources.set(sources("shared", "transfer"))
    SentenceChangeFactory(detention=detention, sources=sources("change"))
    # The sources of the person, detention, stays and sentence change are
    # read in one query: a person's page runs at most 10 whatever it shows.
    with django_assert_max_num_queries(10):
        text = client.get("/prisoners/sourced/").content.decode()
    entries, after = text.split('<ol class="timeline">', 1)[1].split("</ol>", 1)
    linked = re.compile(r'href="https://example.org/([a-z-]+)"')
    shown = {
        entry.split('"', 1)[0]: linked.findall(entry)
        for entry in entries.split('<li class="entry entry-')[1:]
    }
    assert shown == {
        "detained": ["arrest-stay", "detention"],
        "transferred": ["shared", "transfer"],
        "sentence_changed": ["change"],
    }
    assert linked.findall(after) == [
        "person",
        "shared",
    ]


def test_the_person_page_as_it_stood_reads_its_stays_and_sources_in_a_fixed_number_of_queries(
    client,
):
    person = PersonFactory(person_id="moved")
    detention = DetentionFactory(person=person, facility=FacilityFactory())
    detention.stays.get().sources.set([SourceFactory(url="https://example.org/arrest-stay")])
    url = f"/prisoners/moved/?as_of={timezone.localdate().isoformat()}"

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as context:
            text = client.get(url).content.decode()
        return len(context.captured_queries), text

    few, _text = queries()
    for month in range(2, 6):
        stay = Stay.objects.create(
            detention=detention,
            facility=FacilityFactory(),
            started_on=PartialDate.parse(f"2022-0{month}"),
        )
        stay.sources.set([SourceFactory(url=f"https://example.org/stay-{month}")])
    many, text = queries()
    assert many == few
    assert all(f"https://example.org/stay-{month}" in text for month in range(2, 6))
    assert "https://example.org/arrest-stay" in text


def test_the_release_event_page_compares_announced_and_recorded(client, world):
    text = client.get("/releases/2025-12-13-release/").content.decode()
    assert re.search(r'data-count="announced">123<', text)
    assert re.search(r'data-count="recorded">2 \(1 not named', text)
    assert "Lithuania" in text
    assert "Belaruskali" in text


def test_the_sanctions_page_links_its_published_release_events(client, world):
    text = client.get("/sanctions/2025-12-13-us-potash/").content.decode()
    assert "/releases/2025-12-13-release/" in text
    assert "hidden-release" not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["2025-12-21-eu-eased", "2025-12-13-us-potash"]),
        ("?authority=us", ["2025-12-13-us-potash"]),
        ("?authority=US&authority=EU", ["2025-12-21-eu-eased", "2025-12-13-us-potash"]),
        ("?action=eased", ["2025-12-21-eu-eased"]),
        ("?target=belaruskali", ["2025-12-13-us-potash"]),
        ("?target=belavia&target=belaruskali", ["2025-12-21-eu-eased", "2025-12-13-us-potash"]),
        ("?kind=general_licence", ["2025-12-21-eu-eased"]),
        ("?in_force_on=2025-12-12", []),
        ("?in_force_on=2025-12-21", ["2025-12-21-eu-eased", "2025-12-13-us-potash"]),
        ("?date_after=2025-12-21", ["2025-12-21-eu-eased"]),
        ("?date_before=2025-12-13", ["2025-12-13-us-potash"]),
        ("?date_before=2025-12-12", []),
    ],
)
def test_it_filters_sanctions_events(client, world, query, expected):
    response = client.get(f"/sanctions/{query}")
    assert [e.event_id for e in response.context["events"]] == expected


@pytest.mark.parametrize(
    "url", ["/sanctions/?date_after=13-12-2025", "/releases/?date_before=2025-02-30"]
)
def test_it_rejects_an_invalid_event_filter_with_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_the_release_archives_group_releases_by_event(client, world):
    ReleaseFactory(
        detention=DetentionFactory(person=PersonFactory(name="Solo Release")),
        released_on="2025-12-02",
        release_type="sentence_served",
    )
    month = client.get("/releases/2025/12/")
    assert [e.event_id for e in month.context["events"]] == ["2025-12-13-release"]
    text = month.content.decode()
    assert "Solo Release" in text
    assert "Public Other" in text  # its event is unpublished: listed among the others
    year = client.get("/releases/2025/")
    assert [e.event_id for e in year.context["events"]] == ["2025-12-13-release"]
    assert "/releases/2025/12/" in year.content.decode()
    # Issue 16: no archive before the first year with a release (2025 here).
    assert client.get("/releases/2024/11/").status_code == 404
    assert client.get("/releases/2025/13/").status_code == 404
    assert client.get("/releases/0000/").status_code == 404


def test_the_release_list_filters_by_date(client, world):
    ReleaseEventFactory(event_id="older-release", date="2024-06")
    response = client.get("/releases/?date_after=2025-01-01")
    assert [e.event_id for e in response.context["events"]] == ["2025-12-13-release"]
    response = client.get("/releases/?date_before=2024-06-01")
    assert [e.event_id for e in response.context["events"]] == ["older-release"]


def test_the_person_feed_follows_the_list_filters(client, world):
    response = client.get("/prisoners/feed.atom?released_after=2025-12-14")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert titles == ["Public Other"]
    assert feed.findtext(f"{atom}updated")


def test_the_person_feed_rejects_an_invalid_filter(client):
    response = client.get("/prisoners/feed.atom?held_on=soon")
    assert response.status_code == 400
    assert response.content.decode() == "held_on: Enter a valid date.\n"


def test_the_release_feed_lists_published_events(client, world):
    feed = ElementTree.fromstring(client.get("/releases/feed.atom").content)
    atom = "{http://www.w3.org/2005/Atom}"
    links = [e.find(f"{atom}link").get("href") for e in feed.iter(f"{atom}entry")]
    assert links == [f"{settings.SITE_URL}/releases/2025-12-13-release/"]


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(client, url: str) -> list[str]:
    tree = ElementTree.fromstring(client.get(url).content)
    return [loc.text.removeprefix(settings.SITE_URL) for loc in tree.iter(f"{SITEMAP}loc")]


def test_the_sitemap_indexes_sections_that_list_every_published_page(client, world):
    sections = sitemap_locations(client, "/sitemap.xml")
    assert sorted(sections) == [
        f"/sitemap-{name}.xml"
        for name in ("facilities", "pages", "people", "releases", "sanctions-targets", "sanctions")
    ]
    locations = [loc for section in sections for loc in sitemap_locations(client, section)]
    assert len(locations) == len(set(locations))
    assert {
        "/",
        "/prisoners/",
        "/releases/",
        "/sanctions/",
        "/timeline/",
        "/about/data/",
        "/write/",
        "/birthdays/",
        "/prisoners/ales-bialiatski/",
        "/prisoners/public-other/",
        "/releases/2025-12-13-release/",
        "/sanctions/2025-12-13-us-potash/",
        "/sanctions/2025-12-21-eu-eased/",
        "/facilities/",
        "/facilities/penal-colony-no-9-horki/",
        # Targets public through a published act (a draft's own is left out).
        "/sanctions/targets/",
        "/sanctions/targets/belaruskali/",
        "/sanctions/targets/belarusian-potash-company/",
        "/sanctions/targets/belavia/",
    } == set(locations)


def test_the_held_series_agrees_with_the_headline_figure_on_every_day():
    """Arrests, releases, deaths, non-custodial sentences, recognition given
    and withdrawn, anonymous people and drafts, all in one range."""
    a = PersonFactory(recognized_on="2021-03")
    DetentionFactory(person=a, detained_on="2021-01-10")
    ReleaseFactory(detention=a.detentions.get(), released_on="2021-06-15")
    DetentionFactory(person=a, detained_on="2021-09-01")
    b = PersonFactory(recognized_on="2021-02-01", recognition_withdrawn_on="2021-08-01")
    DetentionFactory(person=b, detained_on="2021-01-01")
    c = PersonFactory(visibility="anonymous", recognized_on="2021-01-01", died_on="2021-07-04")
    DetentionFactory(person=c, detained_on="2021-04")
    d = PersonFactory(recognized_on="2021-01-01")
    DetentionFactory(
        person=d, detained_on="2021-02-01", sentence_type="fine", sentenced_on="2021-05-05"
    )
    e = PersonFactory(visibility="draft", recognized_on="2021-01-01")
    DetentionFactory(person=e, detained_on="2021-01-01")
    f = PersonFactory(recognized_on="2021-01-01")
    DetentionFactory(person=f, detained_on=None, detention_id="f-unknown")
    for p in (a, b, c, d):
        p.refresh_from_db()
    start, end = date(2020, 12, 25), date(2021, 12, 31)
    series = held_series(start, end)
    assert len(series) == (end - start).days + 1
    expected = [(day, recognized_held_count(day)) for day, _n in series]
    assert series == expected
    assert max(n for _d, n in series) >= 3


def test_the_held_series_starts_inside_spans():
    p = PersonFactory(recognized_on="2020-01-01")
    DetentionFactory(person=p, detained_on="2020-01-01")
    assert held_series(date(2024, 1, 1), date(2024, 1, 3)) == [
        (date(2024, 1, 1) + timedelta(days=i), 1) for i in range(3)
    ]


def test_releases_per_month_count_anonymous_people_but_not_drafts():
    for visibility, day in [
        ("published", "2025-12-13"),
        ("anonymous", "2025-12"),
        ("draft", "2025-12-01"),
    ]:
        ReleaseFactory(
            detention=DetentionFactory(person=PersonFactory(visibility=visibility)),
            released_on=day,
        )
    assert releases_per_month(date(2025, 11, 15), date(2025, 12, 31)) == [
        (date(2025, 11, 1), 0),
        (date(2025, 12, 1), 2),
    ]


def test_the_timeline_merges_release_and_sanctions_events_by_date(client, world):
    response = client.get("/timeline/?from=2025-12-01&to=2025-12-31")
    rows = [(str(r.date), r.kind, r.event.event_id) for r in response.context["rows"]]
    assert rows == [
        ("2025-12-13", "release", "2025-12-13-release"),
        ("2025-12-13", "sanctions", "2025-12-13-us-potash"),
        ("2025-12-21", "sanctions", "2025-12-21-eu-eased"),
    ]
    text = response.content.decode()
    assert "<svg" in text
    assert 'class="series"' in text
    assert 'class="bar"' in text
    assert "<table>" in text


def test_merge_events_is_one_chronology():
    class E:
        def __init__(self, event_id, day):
            from prisoners.partial_dates import PartialDate

            self.event_id, self.date = event_id, PartialDate.parse(day)

    rows = merge_events([E("r2", "2025-12"), E("r1", "2024-01-05")], [E("s1", "2025-12-01")])
    assert [(r.kind, r.event.event_id) for r in rows] == [
        ("release", "r1"),
        ("release", "r2"),
        ("sanctions", "s1"),
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?from=2025-12-31&to=2025-01-01",
        "?from=1900-01-01&to=2025-01-01",
        "?to=31.12.2025",
        "?to=0003-01-01",
        "?from=9999-12-01&to=9999-12-31",
    ],
)
def test_the_timeline_rejects_an_invalid_range_with_400(client, query):
    response = client.get(f"/timeline/{query}")
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()


def test_the_timeline_table_gives_each_months_last_day(client):
    p = PersonFactory(recognized_on="2025-01-01")
    DetentionFactory(person=p, detained_on="2025-01-31")
    table = client.get("/timeline/?from=2025-01-01&to=2025-02-10").context["table"]
    assert [(row.month, row.held) for row in table] == [
        (date(2025, 1, 1), 1),
        (date(2025, 2, 1), 1),
    ]
    assert Person.objects.count() == 1


def test_a_sitemap_section_longer_than_a_file_is_indexed_page_by_page(client, monkeypatch):
    from prisoners.public.sitemaps import PersonSitemap

    monkeypatch.setattr(PersonSitemap, "limit", 2)
    for n in range(5):
        PersonFactory(person_id=f"p-{n}")
    pages = [s for s in sitemap_locations(client, "/sitemap.xml") if "people" in s]
    assert pages == ["/sitemap-people.xml", *(f"/sitemap-people.xml?p={p}" for p in (2, 3))]
    listed = [loc for page in pages for loc in sitemap_locations(client, page)]
    assert listed == [f"/prisoners/p-{n}/" for n in range(5)]


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    sitemap = lines[-1].removeprefix(f"Sitemap: {settings.SITE_URL}")
    assert client.get(sitemap).status_code == 200
