"""What changed (/changes/ and its feed, CSV and API) and the list as it
stood (as_of=), both rebuilt from the history: one person's story over five
days, a draft and an anonymous person beside it."""

import csv
import io
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from prisoners import changes
from prisoners.models import Detention, Person, Release
from prisoners.stats import figures

from .factories import DetentionFactory, PersonFactory, ReleaseEventFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HISTORIES = [Person.history.model, Detention.history.model, Release.history.model]
DAY = {n: date(2025, 3, n) for n in range(1, 10)}


@contextmanager
def on_day(day: date):
    """Date every history row written in the block at noon of ``day`` (the
    site's TIME_ZONE), as if the curator had worked then."""
    before = [
        h.objects.order_by("-history_id").values_list("history_id", flat=True).first() or 0
        for h in HISTORIES
    ]
    yield
    noon = timezone.make_aware(datetime.combine(day, time(12)), timezone.get_default_timezone())
    for history, last in zip(HISTORIES, before, strict=True):
        history.objects.filter(history_id__gt=last).update(history_date=noon)


@pytest.fixture
def story(settings):
    """Ales: a draft on day 1, published on day 2, his occupation and birth
    date corrected on day 3, released on day 4 in a group release, and
    unpublished on day 5. Beside him, Maria, published on day 2 and kept;
    a draft nobody published; someone anonymous, released on day 4."""
    settings.CACHE_SECONDS = 0
    settings.API_THROTTLE_RATE = None
    with on_day(DAY[1]):
        ales = PersonFactory(
            person_id="ales",
            name="Ales Story",
            visibility="draft",
            occupation="lawyer",
            region="Minsk",
            recognized_on="2021-07-14",
        )
        detention = DetentionFactory(person=ales, detention_id="ales-1", detained_on="2021-07-14")
        draft = PersonFactory(person_id="draft-x", name="Draft Zqxmarker", visibility="draft")
        DetentionFactory(person=draft, detained_on="2024-01-01")
        hidden = PersonFactory(
            person_id="hidden-x",
            name="Hidden Zqxmarker",
            visibility="anonymous",
            recognized_on="2021-01-01",
        )
        hidden_detention = DetentionFactory(person=hidden, detained_on="2021-01-01")
    with on_day(DAY[2]):
        ales.visibility = "published"
        ales.save()
        maria = PersonFactory(person_id="maria", name="Maria Kept", region="Brest")
        DetentionFactory(person=maria, detention_id="maria-1", detained_on="2020-09-07")
    with on_day(DAY[3]):
        ales.occupation = "human-rights defender"
        ales.born = "1962-09-25"
        ales.internal_notes = "a private note zqxmarker"
        ales.save()
        draft.name = "Draft Renamed Zqxmarker"
        draft.save()
    event = ReleaseEventFactory(event_id="march-release", date="2025-03-04")
    with on_day(DAY[4]):
        ReleaseFactory(detention=detention, released_on="2025-03-04", release_event=event)
        ReleaseFactory(detention=hidden_detention, released_on="2025-03-04")
    with on_day(DAY[5]):
        ales.visibility = "draft"
        ales.save()
    return {"ales": ales, "maria": maria}


def text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def groups(client, query: str) -> dict:
    answer = client.get(f"/api/changes/?{query}")
    assert answer.status_code == 200, answer.content
    return {g["kind"]: g for g in answer.json()["groups"]}


def named(group) -> list[str]:
    return [change["person_id"] for change in group["changes"]]


def test_it_groups_a_published_persons_changes_by_the_day_they_were_made(client, story):
    # Day 2 alone: Ales and Maria added.
    day2 = groups(client, "from=2025-03-02&to=2025-03-02")
    assert day2["added"]["count"] == 2
    assert named(day2["added"]) == ["maria"]  # Ales is not published now
    assert day2["added"]["not_named_count"] == 1
    assert all(day2[k]["count"] == 0 for k in day2 if k != "added")

    # Day 3: his correction, by its public fields only.
    day3 = groups(client, "from=2025-03-03&to=2025-03-03")
    assert day3["corrected"]["count"] == 1
    assert day3["corrected"]["not_named_count"] == 1
    assert sum(g["count"] for g in day3.values()) == 1  # the draft's rename is no change

    # Day 4: released (the anonymous person's release is no public change).
    day4 = groups(client, "from=2025-03-04&to=2025-03-04")
    assert day4["released"]["count"] == 1
    assert sum(g["count"] for g in day4.values()) == 1

    # Day 5: removed, counted, not named.
    day5 = groups(client, "from=2025-03-05&to=2025-03-05")
    assert day5["removed"]["count"] == 1 and day5["removed"]["changes"] == []

    # The whole week: each change on its day.
    week = groups(client, "from=2025-03-01&to=2025-03-07")
    counts = {kind: group["count"] for kind, group in week.items()}
    assert counts == {
        "added": 2,
        "removed": 1,
        "recognized": 0,
        "recognition_withdrawn": 0,
        "detained_again": 0,
        "released": 1,
        "died": 0,
        "corrected": 1,
    }
    # Before anything was published: nothing.
    assert sum(g["count"] for g in groups(client, "from=2025-03-01&to=2025-03-01").values()) == 0


def test_it_names_who_is_published_now_with_the_public_fields_corrected(client, story):
    ales = story["ales"]
    ales.visibility = "published"
    ales.save()  # today: published again, so named in the past's changes
    week = groups(client, "from=2025-03-01&to=2025-03-07")
    assert named(week["added"]) == ["ales", "maria"]
    corrected = week["corrected"]["changes"]
    assert [c["fields"] for c in corrected] == [["born", "occupation"]]  # not internal_notes
    assert corrected[0]["day"] == "2025-03-03"
    released = week["released"]["changes"][0]
    assert (released["released_on"], released["release_event"]) == ("2025-03-04", "march-release")
    assert named(week["removed"]) == ["ales"]


def test_a_record_published_later_appears_on_its_publication_day(client, story):
    with on_day(DAY[6]):
        late = PersonFactory(person_id="late", name="Late Person", visibility="draft")
        DetentionFactory(person=late, detained_on="2019-01-01")
    with on_day(DAY[7]):
        late.visibility = "published"
        late.save()
    day6 = groups(client, "from=2025-03-06&to=2025-03-06")
    assert sum(g["count"] for g in day6.values()) == 0
    assert named(groups(client, "from=2025-03-07&to=2025-03-07")["added"]) == ["late"]


def test_filters_narrow_the_changes_and_count_no_one_not_named(client, story):
    week = groups(client, "from=2025-03-01&to=2025-03-07&region=Brest")
    assert named(week["added"]) == ["maria"]
    assert week["added"]["count"] == 1
    assert week["added"]["not_named_count"] is None
    nobody = groups(client, "from=2025-03-01&to=2025-03-07&region=Gomel")
    assert sum(g["count"] for g in nobody.values()) == 0


def test_the_page_the_feed_the_csv_and_the_api_agree(client, story):
    query = "from=2025-03-01&to=2025-03-07"
    api = groups(client, query)
    page = client.get(f"/changes/?{query}")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert 'href="/prisoners/maria/"' in html
    assert "Ales Story" not in html and "zqxmarker" not in html.lower()
    rows = list(csv.DictReader(io.StringIO(text(client.get(f"/changes/export.csv?{query}")))))
    named_rows = [(r["change"], r["person_id"]) for r in rows if r["person_id"]]
    assert named_rows == [(k, pid) for k, g in api.items() for pid in named(g)]
    not_named = {r["change"]: int(r["not_named"]) for r in rows if not r["person_id"]}
    assert not_named == {k: g["not_named_count"] for k, g in api.items() if g["not_named_count"]}
    feed = ElementTree.fromstring(client.get(f"/changes/feed.atom?{query}").content)
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
    assert links == ["http://testserver/prisoners/maria/"] or all(
        link.endswith("/prisoners/maria/") for link in links
    )
    assert len(links) == 1


@pytest.mark.parametrize(
    "query",
    [
        "from=2025-02-30",
        "to=yesterday",
        "from=2025-03-07&to=2025-03-01",
        "from=1800-01-01",
        "status=jailed",
    ],
)
def test_invalid_ranges_and_filters_answer_400(client, query):
    for path in ("/changes/", "/changes/feed.atom", "/changes/export.csv", "/api/changes/"):
        assert client.get(f"{path}?{query}").status_code == 400, (path, query)


def test_it_shows_the_last_seven_days_by_default(client):
    answer = client.get("/api/changes/").json()
    today = timezone.localdate()
    assert answer["to"] == today.isoformat()
    assert (today - date.fromisoformat(answer["from"])).days == 6


# The list as it stood


def test_as_of_shows_the_value_before_a_correction(client, story):
    ales = story["ales"]
    ales.visibility = "published"
    ales.save()
    page = client.get("/prisoners/ales/?as_of=2025-03-02").content.decode()
    assert "lawyer" in page and "human-rights defender" not in page
    assert "As published on" in page
    assert "human-rights defender" in client.get("/prisoners/ales/").content.decode()
    # Before the release, none shown; after it, the release.
    assert "march-release" not in client.get("/prisoners/ales/?as_of=2025-03-03").content.decode()
    assert (
        "/releases/march-release/"
        in client.get("/prisoners/ales/?as_of=2025-03-04").content.decode()
    )
    api = client.get("/api/prisoners/?as_of=2025-03-02").json()
    by_id = {p["id"]: p for p in api["results"]}
    assert set(by_id) == {"ales", "maria"}
    assert by_id["ales"]["occupation"] == "lawyer"
    then = text(client.get("/prisoners/export.csv?as_of=2025-03-02"))
    assert "lawyer" in then and "human-rights defender" not in then
    released = text(client.get("/prisoners/export.csv?as_of=2025-03-04"))
    assert "march-release" in released and "march-release" not in then
    assert "human-rights defender" in text(client.get("/prisoners/export.csv"))


def test_as_of_counts_a_person_unpublished_since_without_naming_them(client, story):
    page = client.get("/prisoners/?as_of=2025-03-04")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Maria Kept" in html and "Ales Story" not in html
    assert 'data-count="not-named-now"' in html
    assert client.get("/prisoners/ales/?as_of=2025-03-04").status_code == 404
    # Before anyone was published: an empty list.
    assert client.get("/api/prisoners/?as_of=2025-03-01").json()["count"] == 0
    # After he was unpublished: only Maria was on the list.
    assert client.get("/api/prisoners/?as_of=2025-03-05").json()["count"] == 1
    feed = client.get("/prisoners/feed.atom?as_of=2025-03-04").content.decode()
    assert "Maria Kept" in feed and "Ales Story" not in feed
    csv_text = text(client.get("/prisoners/export.csv?as_of=2025-03-04"))
    assert "maria" in csv_text and "Ales Story" not in csv_text


def test_the_home_figures_as_of_a_day_count_anonymous_people_without_naming_them(client, story):
    figures.mark_stale()
    page = client.get("/?as_of=2025-03-03").content.decode()
    assert "As published on" in page
    # Ales (recognized, published then) and the anonymous person were held.
    assert 'data-figure="held-now">2<' in page
    assert 'data-count="not-named-held"' in page
    after = client.get("/?as_of=2025-03-04").content.decode()
    assert 'data-figure="held-now">0<' in after
    assert "zqxmarker" not in (page + after).lower()


@pytest.mark.parametrize("query", ["as_of=2025-13-01", "as_of=2999-01-01", "as_of=yesterday"])
def test_invalid_or_future_as_of_answers_400(client, story, query):
    for path in (
        "/",
        "/prisoners/",
        "/prisoners/export.csv",
        "/prisoners/feed.atom",
        "/api/prisoners/",
        "/prisoners/maria/",
    ):
        assert client.get(f"{path}?{query}").status_code == 400, path


def test_changes_and_as_of_keep_their_query_counts(client, story, django_assert_max_num_queries):
    for n in range(30):
        with on_day(DAY[6]):
            person = PersonFactory(person_id=f"more-{n}")
            DetentionFactory(person=person)
    # The first request drops the stored days the story's backdated history
    # reached into and stores these days anew: more, once.
    with django_assert_max_num_queries(24):
        assert client.get("/changes/?from=2025-03-01&to=2025-03-07").status_code == 200
    for url in (
        "/changes/?from=2025-03-01&to=2025-03-07",
        "/changes/export.csv?from=2025-03-01&to=2025-03-07",
        "/changes/feed.atom?from=2025-03-01&to=2025-03-07",
        "/api/changes/?from=2025-03-01&to=2025-03-07&region=Brest",
        "/prisoners/?as_of=2025-03-06",
        "/api/prisoners/?as_of=2025-03-06",
        "/prisoners/feed.atom?as_of=2025-03-06",
        "/prisoners/maria/?as_of=2025-03-06",
        "/?as_of=2025-03-06",
    ):
        with django_assert_max_num_queries(16):
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        assert response.status_code == 200, url


def test_the_field_labels_read_as_the_models_name_them():
    assert changes.field_labels(["born", "facility", "released_on", "detentions"]) == [
        "born",
        "facility",
        "released on",
        "detentions",
    ]


def test_synthetic_people_have_a_history_that_changes_and_as_of_read():
    from django.core.management import call_command

    from prisoners import as_of

    call_command("generate_synthetic", persons=120, seed=5, quiet=True)
    today = timezone.localdate()
    published = Person.objects.published()
    assert published.filter(pk__in=as_of.on_the_list(today)).count() == published.count()
    found = changes.changes_between(today - timedelta(days=800), today, Person.objects.published())
    added = {g.kind: g for g in found.groups}["added"]
    assert len(added.changes) == published.count()
    assert {g.kind: g for g in found.groups}["corrected"].count > 0


def test_the_page_names_a_few_a_group_and_sends_to_the_csv_for_all(client, story, monkeypatch):
    from prisoners.public import views

    monkeypatch.setattr(views, "CHANGES_NAMED", 1)
    with on_day(DAY[2]):
        PersonFactory(person_id="another", name="Another Person")
    html = client.get("/changes/?from=2025-03-01&to=2025-03-07").content.decode()
    assert "The first 1 of 2 named" in html
    assert html.count('href="/prisoners/another/"') + html.count('href="/prisoners/maria/"') == 1


def test_a_merge_is_a_removal_and_a_correction_not_an_arrest(client, story, editor):
    from prisoners import merging

    with on_day(DAY[1]):
        twin = PersonFactory(person_id="maria-twin", name="Maria Twin")
        DetentionFactory(person=twin, detention_id="twin-1", detained_on="2019-01-01")
        ReleaseFactory(detention=twin.detentions.get(), released_on="2019-06-01")
    with on_day(DAY[6]):
        merging.merge(story["maria"], twin, [], editor)
    day6 = groups(client, "from=2025-03-06&to=2025-03-06")
    assert day6["removed"]["count"] == 1
    assert day6["detained_again"]["count"] == 0 and day6["released"]["count"] == 0
    assert [c["fields"] for c in day6["corrected"]["changes"]] == [["detentions"]]


def test_many_people_changed_are_read_by_a_subquery_with_the_same_answer(
    client, story, monkeypatch
):
    listed = groups(client, "from=2025-03-01&to=2025-03-07")
    monkeypatch.setattr(changes, "LISTED_IDS", 1)
    assert groups(client, "from=2025-03-01&to=2025-03-07") == listed
