"""Nothing that is not public appears on a public URL."""

import json

import pytest

from tests.public_urls import (
    MARKER,
    build_world,
    embed_urls,
    private_urls,
    public_urls,
    public_urls_in_languages,
    redirect_urls,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_it_shows_no_private_record_on_any_public_url(client, world):
    for url in public_urls(world) + public_urls_in_languages(world) + embed_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        # JSON escapes non-ASCII text: compare decoded data too.
        text = body.decode()
        if response["Content-Type"].startswith("application/json"):
            text += json.dumps(response.json(), ensure_ascii=False)
        assert MARKER not in text.lower(), url
        assert "Схаваны" not in text, url


def test_it_answers_404_for_private_records(client, world):
    for url in private_urls(world):
        assert client.get(url).status_code == 404, url


def test_it_redirects_other_ids_of_public_people_only(client, world):
    for url, target in redirect_urls(world):
        response = client.get(url)
        assert response.status_code == 301, url
        assert response["Location"] == target, url
        assert MARKER not in response.content.decode().lower(), url


def test_it_names_the_published_records(client, world):
    """The guard above would pass on empty pages: the public story is there."""
    assert "Ales Bialiatski" in client.get("/prisoners/").content.decode()
    page = client.get(world.release_event.get_absolute_url()).content.decode()
    assert "Ales Bialiatski" in page
    assert world.sanctions_event.get_absolute_url() in page
    person_page = client.get(world.person.get_absolute_url()).content.decode()
    assert world.release_event.get_absolute_url() in person_page
    assert world.sanctions_event.get_absolute_url() in person_page


def test_it_shows_no_link_or_title_of_an_unpublished_release_event(client, world):
    page = client.get("/prisoners/public-other/").content.decode()
    assert "Released" in page
    assert "hidden-release" not in page
    assert "Unpublished release" not in page


def test_it_counts_anonymous_releases_without_naming_them(client, world):
    response = client.get(world.release_event.get_absolute_url())
    event = response.context["event"]
    assert event.recorded_count == 2  # Ales and the anonymous person; never the draft
    assert event.named_count == 1
    names = [r.detention.person.name for r in response.context["named_releases"]]
    assert names == ["Ales Bialiatski"]


def test_it_ignores_private_records_in_facets(client, world):
    facets = {
        group["name"]: [o["value"] for o in group["options"]]
        for group in client.get("/prisoners/").context["facets"]
    }
    assert not any(MARKER in value for values in facets.values() for value in values)
    assert "Viasna" in facets["organization"]


def test_it_does_not_filter_by_an_unpublished_release_event(client, world):
    response = client.get(f"/prisoners/?release_event=hidden-release-{MARKER}")
    assert response.status_code == 200
    assert response.context["paginator"].count == 0
