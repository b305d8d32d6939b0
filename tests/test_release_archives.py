"""The year and month archives of releases exist for the data's years only,
and their previous and next links end at the first and last period with a
release: no endless chain of empty pages for a crawler."""

import pytest

from tests.factories import DetentionFactory, PersonFactory, ReleaseEventFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def release(on: str, visibility: str = "published", **kwargs):
    person = PersonFactory(visibility=visibility)
    return ReleaseFactory(
        detention=DetentionFactory(person=person, detained_on="2010-01-01"),
        released_on=on,
        release_type="sentence_served",
        **kwargs,
    )


@pytest.fixture
def releases():
    """A release in March 2021, a group release in June 2023 and one in
    December 2025; nothing in 2022 or 2024."""
    release("2021-03-10")
    ReleaseEventFactory(event_id="2023-06-release", date="2023-06-02")
    ReleaseEventFactory(event_id="2025-12-release", date="2025-12-13")


@pytest.mark.parametrize(
    "url",
    [
        "/releases/0000/",
        "/releases/0001/",
        "/releases/0001/01/",
        "/releases/2020/",
        "/releases/2020/12/",
        "/releases/2026/",
        "/releases/2026/01/",
        "/releases/9999/",
        "/releases/9999/12/",
        "/be/releases/0001/",
        "/ru/releases/9999/12/",
    ],
)
def test_it_answers_404_for_an_archive_outside_the_data_years(client, releases, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url", ["/releases/2021/", "/releases/2022/", "/releases/2021/01/", "/releases/2024/07/"]
)
def test_it_shows_an_empty_period_within_the_data_years(client, releases, url):
    assert client.get(url).status_code == 200


def test_it_has_no_archive_without_any_release(client):
    assert client.get("/releases/2025/").status_code == 404
    assert client.get("/releases/2025/12/").status_code == 404


def test_it_takes_no_bound_from_a_release_the_archive_may_not_show(client, releases):
    """A draft person's release and an unpublished group release date
    nothing: the archive would otherwise say that something happened then."""
    release("2019-05-05", visibility="draft")
    ReleaseEventFactory(event_id="2027-hidden", date="2027-01-01", published=False)
    assert client.get("/releases/2019/").status_code == 404
    assert client.get("/releases/2027/").status_code == 404


@pytest.mark.parametrize(
    "url, previous, following",
    [
        ("/releases/2021/", None, "/releases/2023/"),
        ("/releases/2022/", "/releases/2021/", "/releases/2023/"),
        ("/releases/2023/", "/releases/2021/", "/releases/2025/"),
        ("/releases/2025/", "/releases/2023/", None),
        ("/releases/2021/03/", None, "/releases/2023/06/"),
        ("/releases/2022/01/", "/releases/2021/03/", "/releases/2023/06/"),
        ("/releases/2023/06/", "/releases/2021/03/", "/releases/2025/12/"),
        ("/releases/2025/12/", "/releases/2023/06/", None),
    ],
)
def test_the_links_go_to_the_nearest_year_or_month_with_releases(
    client, releases, url, previous, following
):
    response = client.get(url)
    period, form = ("month", "%Y/%m") if url.count("/") == 4 else ("year", "%Y")
    links = [
        f"/releases/{d:{form}}/" if d else None
        for d in (response.context[f"previous_{period}"], response.context[f"next_{period}"])
    ]
    assert links == [previous, following]
    text = response.content.decode()
    for link in (previous, following):
        if link:
            assert f'href="{link}"' in text


def test_the_links_follow_the_language_of_the_page(client, releases):
    text = client.get("/be/releases/2023/06/").content.decode()
    assert 'href="/be/releases/2021/03/"' in text
    assert 'href="/be/releases/2025/12/"' in text


def test_a_crawler_following_the_next_links_stops_at_the_last_month(client, releases):
    url, seen = "/releases/2021/03/", []
    while url and len(seen) < 10:
        seen.append(url)
        following = client.get(url).context["next_month"]
        url = f"/releases/{following:%Y/%m}/" if following else None
    assert seen == ["/releases/2021/03/", "/releases/2023/06/", "/releases/2025/12/"]
