"""Anonymous people enter public figures by month, and the counts of named
people say how many more are counted without being named (issue #15)."""

import csv
import io
from datetime import date, timedelta
from itertools import pairwise

import pytest

from prisoners.models import Person
from prisoners.querysets import recognized_held_count
from prisoners.stats import figures
from tests.factories import (
    DetentionFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
)

pytestmark = pytest.mark.django_db

D = date.fromisoformat
START, END = D("2020-12-01"), D("2022-03-31")

# Published people, known to the day: (arrest, end, recognized, withdrawn).
PUBLISHED = {
    "pub-a": ("2021-01-10", "2021-06-15", "2021-02-03", None),
    "pub-b": ("2021-03-05", None, "2021-03-20", "2021-11-11"),
    "pub-c": ("2021-05-17", None, "2021-01-01", None),
}


def explained_by_published(day: date) -> int:
    """What the published people explain of the held figure of ``day``, from
    their exact days (the rule of DESIGN.md)."""
    held = 0
    for arrest, end, recognized, withdrawn in PUBLISHED.values():
        start = max(D(arrest), D(recognized))
        stop = min(D(end) if end else date.max, D(withdrawn) if withdrawn else date.max)
        held += start <= day < stop
    return held


@pytest.fixture
def people():
    """Published people known to the day, and anonymous people whose every
    date is mid-month: arrests, a release, a death, a non-custodial sentence,
    recognition given late and withdrawn."""
    for person_id, (arrest, end, recognized, withdrawn) in PUBLISHED.items():
        person = PersonFactory(
            person_id=person_id, recognized_on=recognized, recognition_withdrawn_on=withdrawn
        )
        detention = DetentionFactory(person=person, detained_on=arrest)
        if end:
            ReleaseFactory(detention=detention, released_on=end)
    released = PersonFactory(person_id="anon-1", visibility="anonymous", recognized_on="2021-02-17")
    ReleaseFactory(
        detention=DetentionFactory(person=released, detained_on="2021-03-17"),
        released_on="2021-08-23",
    )
    DetentionFactory(person=released, detained_on="2021-10-29")
    died = PersonFactory(
        person_id="anon-2",
        visibility="anonymous",
        recognized_on="2021-01-05",
        died_on="2021-09-09",
    )
    DetentionFactory(person=died, detained_on="2021-04-12")
    DetentionFactory(
        person=PersonFactory(
            person_id="anon-3",
            visibility="anonymous",
            recognized_on="2021-06-06",
            recognition_withdrawn_on="2022-01-19",
        ),
        detained_on="2021-05-25",
        sentence_type="fine",
        sentenced_on="2021-12-14",
    )
    # Within one month: by month, never held on any day.
    ReleaseFactory(
        detention=DetentionFactory(
            person=PersonFactory(
                person_id="anon-4", visibility="anonymous", recognized_on="2021-07-02"
            ),
            detained_on="2021-07-03",
        ),
        released_on="2021-07-28",
    )
    for person in Person.objects.all():
        person.refresh_status()


@pytest.fixture
def api(client, settings):
    settings.API_THROTTLE_RATE = None
    settings.CACHE_SECONDS = 0
    return client


def changes(values: dict[date, int]) -> list[date]:
    """The days on which ``values`` differ from the day before's."""
    days = sorted(values)
    return [d for prev, d in pairwise(days) if values[d] != values[prev]]


def remainder_changes(series: dict[date, int]) -> list[date]:
    """The days on which what the published people do not explain changes."""
    return changes({day: n - explained_by_published(day) for day, n in series.items()})


def test_it_finds_no_day_of_anonymous_people_in_the_day_series(api, people):
    """The attack of issue #15: the day series (JSON and CSV) minus what the
    published people explain changes only on the 1st of a month."""
    url = f"/api/stats/held/?from={START}&to={END}&interval=day"
    points = {D(p["date"]): p["held"] for p in api.get(url).json()["results"]}
    assert len(points) == (END - START).days + 1
    changed = remainder_changes(points)
    assert changed, "the anonymous people are counted"
    assert all(day.day == 1 for day in changed), changed
    rows = csv.DictReader(io.StringIO(api.get(url.replace("held/", "held.csv")).content.decode()))
    assert {D(row["date"]): int(row["held"]) for row in rows} == points
    # Counted from the records (while another process rebuilds): the same.
    assert figures._held_series_from_records(START, END) == sorted(points.items())


def test_it_finds_no_day_of_anonymous_people_in_the_month_series(api, people):
    """Each month's point says what the day series says on the month's 1st,
    whatever day ``to`` falls on."""
    days = {
        D(p["date"]): p["held"]
        for p in api.get(f"/api/stats/held/?from={START}&to={END}").json()["results"]
    }
    for end in [D("2021-08-22"), D("2021-08-23"), D("2021-09-08"), D("2021-09-09"), END]:
        url = f"/api/stats/held/?from={START}&to={end}&interval=month"
        for point in api.get(url).json()["results"]:
            day = D(point["date"])
            unexplained = point["held"] - explained_by_published(day)
            assert unexplained == days[day.replace(day=1)] - explained_by_published(
                day.replace(day=1)
            ), point


def test_it_finds_no_day_of_anonymous_people_in_the_releases_series(api, people):
    """Moving either end of the range one day at a time over the months of
    the anonymous releases, the releases the published people do not explain
    change only as an end crosses the 1st of a month."""
    published = [D("2021-06-15")]

    def unexplained(start: date, end: date) -> int:
        url = f"/api/stats/releases/?from={start}&to={end}&interval=year"
        total = sum(p["releases"] for p in api.get(url).json()["results"])
        return total - sum(start <= day <= end for day in published)

    days = [D("2021-06-25") + timedelta(days=i) for i in range(70)]
    assert changes({day: unexplained(START, day) for day in days}) == [
        D("2021-07-01"),
        D("2021-08-01"),
    ]
    # A release counted on the 1st leaves the range once it starts on the 2nd.
    assert changes({day: unexplained(day, END) for day in days}) == [
        D("2021-07-02"),
        D("2021-08-02"),
    ]


def test_named_people_stay_exact_to_the_day(people):
    assert figures.held_on(D("2021-05-16")) - figures.held_on(D("2021-05-15")) == 0
    # pub-c is arrested on 17 May: the figure moves that day.
    assert figures.held_on(D("2021-05-17")) - figures.held_on(D("2021-05-16")) == 1
    assert figures.releases_between(D("2021-06-15"), D("2021-06-15")) == 1


# Month boundaries and the anonymous people's own days.
CHECKED_DAYS = [
    "2021-01-31",
    "2021-02-01",
    "2021-02-17",
    "2021-03-01",
    "2021-03-17",
    "2021-04-01",
    "2021-04-12",
    "2021-06-30",
    "2021-07-01",
    "2021-07-15",
    "2021-08-01",
    "2021-08-22",
    "2021-08-23",
    "2021-08-31",
    "2021-09-01",
    "2021-09-09",
    "2021-10-01",
    "2021-10-29",
    "2021-12-01",
    "2021-12-14",
    "2022-01-01",
    "2022-01-19",
]


@pytest.mark.parametrize("day", CHECKED_DAYS)
def test_the_list_held_on_and_recognized_and_its_not_named_count_make_the_figure(api, people, day):
    figure = api.get(f"/api/stats/held/?from={day}&to={day}").json()["results"][0]["held"]
    assert figure == recognized_held_count(D(day)) == figures.held_on(D(day))
    body = api.get(f"/api/prisoners/?held_on={day}&recognized=yes").json()
    assert body["count"] + body["not_named_count"] == figure
    page = api.get(f"/prisoners/?held_on={day}&recognized=yes")
    assert page.context["paginator"].count + page.context["not_named_count"] == figure


def test_the_list_says_how_many_more_are_counted_without_being_named(api, people):
    page = api.get("/prisoners/?held_on=2021-08-31&recognized=yes")
    text = page.content.decode()
    # anon-2 (dies in September) and anon-3; anon-1's release in August
    # counts from 1 August.
    assert page.context["not_named_count"] == 2
    assert '<span data-count="not-named">and 2 not named</span>' in text
    assert "counts from the first day of its month" in text
    for person_id in ("anon-1", "anon-2", "anon-3", "anon-4"):
        assert person_id not in text
    # held_on alone: held, recognized or not.
    assert api.get("/prisoners/?held_on=2021-05-20").context["not_named_count"] == 3
    # recognized alone: recognized and not withdrawn, as the home page's total.
    assert api.get("/prisoners/?recognized=yes").context["not_named_count"] == 3
    russian = api.get("/ru/prisoners/?held_on=2021-08-31&recognized=yes").content.decode()
    assert '<span data-count="not-named">и 2 не названы</span>' in russian


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=person",
        "recognized=no",
        "held_on=2021-09-01&region=Minsk",
        "held_on=2021-09-01&status=in_custody",
        "recognized=yes&detained_after=2021-01-01",
        "held_on=2021-09-01&charge=342",
    ],
)
def test_it_counts_no_one_not_named_for_filters_that_may_not_be_asked_of_them(api, people, query):
    """A name, a region, a status, a charge or a date range would tell what is
    not public about people counted without being named."""
    assert api.get(f"/api/prisoners/?{query}").json()["not_named_count"] is None
    page = api.get(f"/prisoners/?{query}")
    assert page.context["not_named_count"] is None
    assert 'data-count="not-named"' not in page.content.decode()


def test_recognized_with_held_on_means_recognized_on_that_day(api, people):
    """pub-b is recognized on 20 March 2021, after the arrest, and withdrawn
    in November: held on 10 March, recognized later."""

    def listed(query):
        return {p["id"] for p in api.get(f"/api/prisoners/?{query}").json()["results"]}

    assert "pub-b" in listed("held_on=2021-03-10")
    assert "pub-b" not in listed("held_on=2021-03-10&recognized=yes")
    assert "pub-b" in listed("held_on=2021-03-10&recognized=no")
    assert "pub-b" in listed("held_on=2021-03-20&recognized=yes")
    assert "pub-b" in listed("held_on=2021-11-11&recognized=no")


def test_the_home_page_says_how_many_of_its_figures_are_not_named(api, people, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: D("2021-08-31"))
    page = api.get("/")
    assert page.context["not_named"] == {"held": 2, "recognized": 3}
    assert page.context["held_now"] == 2 + 2  # pub-b, pub-c and two not named
    text = page.content.decode()
    assert '<span data-count="not-named-held">(2 of them not named)</span>' in text
    assert "/prisoners/?held_on=2021-08-31&amp;recognized=yes" in text


def test_the_timeline_says_how_anonymous_people_are_counted(api, people):
    text = api.get("/timeline/?from=2021-01-01&to=2021-12-31").content.decode()
    assert "counts from the first day of its month" in text


def test_a_release_event_counts_its_people_not_named_on_its_day(api, people):
    event = ReleaseEventFactory(event_id="group", date="2021-08-23")
    for visibility in ("published", "anonymous", "anonymous"):
        detention = DetentionFactory(person=PersonFactory(visibility=visibility))
        ReleaseFactory(detention=detention, released_on="2021-08-23", release_event=event)
    text = api.get("/releases/group/").content.decode()
    assert '<dd data-count="recorded">3 (2 not named' in text
    assert "And 2 not named, counted at their families" in text


def test_the_api_schema_describes_the_not_named_count(api):
    schema = api.get("/api/schema/?format=json").json()
    page = schema["components"]["schemas"]["PaginatedPersonList"]["properties"]
    assert list(page)[:2] == ["count", "not_named_count"]
    assert page["not_named_count"]["nullable"] is True
