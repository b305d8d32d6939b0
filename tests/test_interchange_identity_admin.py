"""The duplicate choice in the admin's import preview: each probable match
links to the recorded person and is answered "the same person" or "a
different person", without editing the file."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prisoners.models import NotSameAs, OtherId, Person

from .factories import PersonFactory
from .test_interchange_admin import staff

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_interchange_admin")]

URL = "/admin/prisoners/import/"
FILE = "person_id,name,born,region\nv-17,Бяляцкі Алесь,1962,Minsk\n"


@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(staff(django_user_model, "cora"))
    return client


@pytest.fixture
def ales():
    # A draft: a curator's import may change it (a published person only an editor).
    return PersonFactory(
        person_id="ales-bialiatski", name="Ales Bialiatski", born="1962-09-25", visibility="draft"
    )


def preview(client):
    response = client.post(URL, {"files": [SimpleUploadedFile("p.csv", FILE.encode())]})
    assert response.status_code == 200
    return response, re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]


def choose(client, token, answer):
    return client.post(
        URL,
        {
            "token": token,
            "choose": "1",
            "match-v-17": answer,
            "candidates-v-17": "ales-bialiatski",
        },
    )


def test_the_preview_names_the_match_and_links_to_the_recorded_person(curator_client, ales):
    response, _token = preview(curator_client)
    html = response.content.decode()
    assert "p.csv:2: name: looks like ales-bialiatski (Ales Bialiatski, born 1962-09-25)" in html
    assert f'href="/admin/prisoners/person/{ales.pk}/change/" target="_blank"' in html
    assert 'value="same:ales-bialiatski"' in html
    assert 'value="different"' in html


def test_choosing_the_same_person_updates_them_on_import(curator_client, ales):
    _response, token = preview(curator_client)
    response = choose(curator_client, token, "same:ales-bialiatski")
    html = response.content.decode()
    assert "The files check out" in html
    assert "is the same person as" in html
    confirmed = curator_client.post(URL, {"token": token})
    assert confirmed.status_code == 302
    assert Person.objects.count() == 1
    assert Person.objects.get().region == "Minsk"
    assert OtherId.objects.get().other_id == "v-17"


def test_choosing_a_different_person_creates_one_and_remembers_it(curator_client, ales):
    _response, token = preview(curator_client)
    assert "The files check out" in choose(curator_client, token, "different").content.decode()
    curator_client.post(URL, {"token": token})
    other = Person.objects.get(person_id="v-17")
    assert NotSameAs.objects.filter(**NotSameAs.pair(ales, other)).exists()


def test_a_choice_naming_someone_not_recorded_is_refused(curator_client, ales):
    _response, token = preview(curator_client)
    response = choose(curator_client, token, "same:nobody")
    assert "same_as: no person &#x27;nobody&#x27; is recorded" in response.content.decode()
    assert Person.objects.count() == 1


def test_a_curator_saying_same_person_cannot_change_a_published_one(curator_client, ales):
    ales.visibility = "published"
    ales.save()
    _response, token = preview(curator_client)
    html = choose(curator_client, token, "same:ales-bialiatski").content.decode()
    assert "only an editor may change what the public sees" in html
    assert "The files check out" not in html
    assert Person.objects.get().region != "Minsk"
