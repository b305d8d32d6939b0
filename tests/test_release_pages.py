"""The pages of group releases at any size: an event's page names its people
a page at a time, the lists give counts and link to it, and the counts
themselves stay exact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from prisoners.models import ReleaseEvent
from prisoners.public import views
from prisoners.stats import figures
from tests.factories import (
    DetentionFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
)
from tests.public_urls import MARKER, build_world

pytestmark = pytest.mark.django_db


def release(event, *, name=None, visibility="published", **person):
    """A person released in ``event``."""
    if name:
        person["name"] = name
    someone = PersonFactory(visibility=visibility, **person)
    detention = DetentionFactory(person=someone, detained_on="2022-01-01")
    ReleaseFactory(detention=detention, released_on=str(event.date), release_event=event)
    return someone


@pytest.fixture
def event():
    """Five people named (two share a name), one anonymous, one draft."""
    event = ReleaseEventFactory(event_id="big-release", date="2025-12-13", announced_count=9)
    for name in ["Eva", "Bob", "Dan", "Ann"]:
        release(event, name=name, person_id=name.lower())
    release(event, name="Bob", person_id="another-bob")
    release(event, name=f"Anonymous {MARKER}", visibility="anonymous")
    release(event, name=f"Draft {MARKER}", visibility="draft")
    return event


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(views.ReleaseEventDetailView, "paginate_by", 2)


def names_on(response) -> list[str]:
    return [r.detention.person.person_id for r in response.context["named_releases"]]


def test_it_names_the_people_of_an_event_a_page_at_a_time(client, event, two_a_page):
    first = client.get("/releases/big-release/")
    second = client.get("/releases/big-release/?page=2")
    last = client.get("/releases/big-release/?page=3")
    assert names_on(first) == ["ann", "another-bob"]  # by name, then person_id
    assert names_on(second) == ["bob", "dan"]
    assert names_on(last) == ["eva"]
    text = second.content.decode()
    assert "Names 3–4 of 5, in alphabetical order" in text
    assert 'aria-label="Pages"' in text
    assert 'href="?page=1"' in text and 'href="?page=3"' in text


def test_every_page_keeps_the_counts_of_the_whole_event(client, event, two_a_page):
    for page in (1, 2, 3):
        text = client.get(f"/releases/big-release/?page={page}").content.decode()
        assert '<dd data-count="announced">9</dd>' in text
        assert '<dd data-count="recorded">6 (1 not named' in text


def test_a_page_past_the_end_or_not_a_number_is_404_like_the_other_lists(client, event, two_a_page):
    assert client.get("/releases/big-release/?page=4").status_code == 404
    assert client.get("/releases/big-release/?page=0").status_code == 404
    assert client.get("/releases/big-release/?page=nope").status_code == 404
    assert names_on(client.get("/releases/big-release/?page=last")) == ["eva"]


def test_an_event_with_no_one_named_has_one_empty_page(client):
    event = ReleaseEventFactory(event_id="quiet-release")
    release(event, visibility="anonymous")
    response = client.get("/releases/quiet-release/")
    assert "No one is recorded by name yet." in response.content.decode()
    assert 'aria-label="Pages"' not in response.content.decode()
    assert client.get("/releases/quiet-release/?page=2").status_code == 404


def test_a_single_page_shows_no_page_links(client, event):
    text = client.get("/releases/big-release/").content.decode()
    assert 'aria-label="Pages"' not in text
    assert "in alphabetical order" not in text


def test_no_page_of_an_event_shows_a_private_person(client, monkeypatch):
    monkeypatch.setattr(views.ReleaseEventDetailView, "paginate_by", 1)
    world = build_world()  # its event also released a draft and an anonymous person
    release(world.release_event, name="Zed Published", person_id="zed")
    url = world.release_event.get_absolute_url()
    pages = [client.get(url), client.get(f"{url}?page=2")]
    assert [names_on(page) for page in pages] == [["ales-bialiatski"], ["zed"]]
    for page in pages:
        text = page.content.decode()
        assert MARKER not in text.lower()
        assert "Схаваны" not in text
    assert client.get(f"{url}?page=3").status_code == 404


def test_the_event_page_runs_at_most_ten_queries_whatever_its_size(client, settings, two_a_page):
    settings.CACHE_SECONDS = 0
    for event_id, named in [("few-names", 3), ("many-names", 30)]:
        event = ReleaseEventFactory(event_id=event_id)
        for _ in range(named):
            release(event)
        release(event, visibility="anonymous")

    def queries(url):
        figures.ready()  # a rebuild after a change: held to a fixed number elsewhere
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = [queries("/releases/few-names/"), queries("/releases/few-names/?page=2")]
    many = [queries("/releases/many-names/"), queries("/releases/many-names/?page=2")]
    assert few == many
    assert max(many) <= 10


def test_the_lists_name_few_and_link_to_the_others(client, event, monkeypatch):
    monkeypatch.setattr(views, "NAMES_IN_LISTS", 2)
    small = ReleaseEventFactory(event_id="small-release", date="2025-12-20")
    release(small, name="Zoe")
    release(small, name=f"Draft {MARKER}", visibility="draft")
    for url in ("/releases/", "/releases/2025/", "/releases/2025/12/"):
        response = client.get(url)
        text = response.content.decode()
        events = {e.event_id: e for e in response.context["events"]}
        assert [r.detention.person.name for r in events["small-release"].named_releases] == [
            "Zoe"
        ], url
        assert not hasattr(events["big-release"], "named_releases"), url
        assert "Eva" not in text, url
        assert (
            '<a href="/releases/big-release/#who" aria-describedby="event-big-release" '
            'data-count="named">All 5 people named</a>'
        ) in text, url
        assert MARKER not in text.lower(), url


def test_the_lists_run_the_same_queries_whatever_the_number_of_names(client, settings, event):
    settings.CACHE_SECONDS = 0
    small = ReleaseEventFactory(event_id="small-release", date="2025-12-20")
    release(small)

    def counts():
        found = []
        for url in ("/releases/", "/releases/2025/", "/releases/2025/12/"):
            figures.ready()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    for _ in range(views.NAMES_IN_LISTS):
        release(event)
    for _ in range(views.NAMES_IN_LISTS - 1):
        release(small)  # up to the most a list names
    assert counts() == few
    assert max(few) <= 10


def test_the_recorded_counts_are_those_of_a_plain_count():
    """with_recorded_count against the records counted one by one: releases
    of published and anonymous people are recorded, of published people
    named; drafts count nowhere; an event without releases counts 0."""
    visibilities = {
        "first": ["published", "published", "anonymous", "draft"],
        "second": ["anonymous", "draft", "draft"],
        "third": ["published"],
        "empty": [],
    }
    for event_id, people in visibilities.items():
        event = ReleaseEventFactory(event_id=event_id)
        for visibility in people:
            release(event, visibility=visibility)
    # A release outside any event and one in an unpublished event.
    ReleaseFactory(detention=DetentionFactory(person=PersonFactory()), released_on="2025-01-01")
    hidden = ReleaseEventFactory(event_id="hidden", published=False)
    release(hidden)

    counted = {
        event.event_id: (event.recorded_count, event.named_count, event.unnamed_count)
        for event in ReleaseEvent.objects.with_recorded_count()
    }
    expected = {}
    for event in ReleaseEvent.objects.all():
        kinds = [r.detention.person.visibility for r in event.releases.all()]
        recorded = sum(kind in ("published", "anonymous") for kind in kinds)
        named = kinds.count("published")
        expected[event.event_id] = (recorded, named, recorded - named)
    assert counted == expected
    assert counted["first"] == (3, 2, 1)
    assert counted["empty"] == (0, 0, 0)


def test_the_home_page_lists_the_five_latest_events_with_their_counts(client):
    events = [
        ReleaseEventFactory(event_id=f"wave-{day:02d}", date=f"2025-01-{day:02d}")
        for day in range(1, 8)
    ]
    ReleaseEventFactory(event_id="unpublished-wave", date="2025-02-01", published=False)
    for _ in range(3):
        detention = DetentionFactory(person=PersonFactory(), detained_on="2024-01-01")
        ReleaseFactory(detention=detention, released_on="2025-01-07", release_event=events[-1])
    listed = client.get("/").context["release_events"]
    assert [e.event_id for e in listed] == [f"wave-{day:02d}" for day in (7, 6, 5, 4, 3)]
    assert (listed[0].recorded_count, listed[0].named_count) == (3, 3)
    assert listed[1].recorded_count == 0


def test_the_archives_name_the_other_releases_up_to_a_limit_then_count_them(client, monkeypatch):
    monkeypatch.setattr(views, "OTHER_RELEASES_NAMED", 2)
    unpublished = ReleaseEventFactory(event_id="unpublished-release", published=False)
    for name in ["Ann Alone", "Bob Alone"]:
        release(unpublished, name=name)
    release(unpublished, name=f"Draft {MARKER}", visibility="draft")
    text = client.get("/releases/2025/").content.decode()
    assert "Ann Alone" in text and "Bob Alone" in text
    assert MARKER not in text

    release(unpublished, name="Cy Alone")
    for url in ("/releases/2025/", "/releases/2025/12/"):
        text = client.get(url).content.decode()
        assert "Ann Alone" not in text and "Cy Alone" not in text
        assert "3 releases outside group releases: too many to name here." in text
        link = "/prisoners/?released_after=2025-{}&amp;released_before=2025-12-31"
        assert link.format("01-01" if url.endswith("2025/") else "12-01") in text
    listed = client.get("/prisoners/?released_after=2025-01-01&released_before=2025-12-31")
    assert listed.context["paginator"].count == 3
