"""Import in the admin: upload, preview, confirm, for a curator and an editor.

This module is its own URLconf, so that it tests the hook exactly as the
project wires it: the import URLs before the admin's own."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.urls import include, path

from prisoners.admin.imports import REQUIRED_PERMISSIONS, import_urls
from prisoners.interchange.importer import Importer
from prisoners.models import Person, ReleaseEvent

from .factories import PersonFactory

urlpatterns = [
    path("admin/", include(import_urls(admin.site))),
    path("admin/", admin.site.urls),
    path("", include("prisoners.public.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/admin/prisoners/import/"
GOOD = (
    "person_id,name,published,person_sources,detained_on\n"
    "p-1,Ales Bialiatski,yes,https://e.org/a,2021-07-14\n"
    "p-2,Maria Kalesnikava,no,,2020-09-07\n"
)
BAD = "person_id,name,born\np-8,N,1954-02-29\np-9,,\n"


def staff(django_user_model, name, *extra):
    user = django_user_model.objects.create_user(name, is_staff=True)
    for codename in [p.split(".")[1] for p in REQUIRED_PERMISSIONS] + list(extra):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(staff(django_user_model, "cora"))
    return client


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(staff(django_user_model, "eddie", "publish_person"))
    return client


def upload(client, *files):
    return client.post(
        URL, {"files": [SimpleUploadedFile(name, text.encode()) for name, text in files]}
    )


def test_the_upload_page_says_what_a_curator_import_does(curator_client):
    response = curator_client.get(URL)
    assert response.status_code == 200
    assert b"new records are created unpublished" in response.content
    assert b'type="file"' in response.content
    assert b"multiple" in response.content


def test_the_preview_counts_and_writes_nothing_until_confirmed(editor_client):
    response = upload(editor_client, ("prisoners.csv", GOOD))
    assert response.status_code == 200
    rows = [
        (r["kind"], r["created"], r["updated"], r["unchanged"]) for r in response.context["summary"]
    ]
    assert ("people", 2, 0, 0) in rows
    assert ("detentions", 2, 0, 0) in rows
    assert not Person.objects.exists()

    response = editor_client.post(URL, {"token": response.context["token"]})
    assert response.status_code == 302
    visibility = dict(Person.objects.values_list("person_id", "visibility"))
    assert visibility == {"p-1": "published", "p-2": "draft"}
    record = Person.history.filter(person_id="p-1").first()
    assert record.history_user.username == "eddie"
    assert record.history_change_reason == "admin import"

    # The token is spent.
    response = editor_client.post(URL, {"token": response.wsgi_request.POST["token"]})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_a_curator_imports_drafts_and_changes_nothing_published(curator_client):
    # Issue 15 changed this: a curator's import used to rename the published
    # p-1; now the row is an error naming the person and the fields.
    PersonFactory(person_id="p-1", name="Old name", visibility="published")
    response = upload(curator_client, ("prisoners.csv", GOOD))
    assert response.context["result"].errors == [
        "prisoners.csv:2: name: person p-1 is published: only an editor may change what the "
        "public sees (name, person_sources, detained_on)"
    ]
    Person.objects.filter(person_id="p-1").update(visibility="draft")
    response = upload(curator_client, ("prisoners.csv", GOOD))
    assert b"The published column is ignored" in response.content
    curator_client.post(URL, {"token": response.context["token"]})
    visibility = dict(Person.objects.values_list("person_id", "visibility"))
    assert visibility == {"p-1": "draft", "p-2": "draft"}
    assert Person.objects.get(person_id="p-1").name == "Ales Bialiatski"


def test_a_curator_cannot_publish_events(curator_client):
    response = upload(
        curator_client,
        ("release_events.csv", "event_id,date,title,published\nev-1,2025-12-13,T,yes\n"),
    )
    curator_client.post(URL, {"token": response.context["token"]})
    assert ReleaseEvent.objects.get().published is False


def test_the_preview_lists_every_error_with_the_command_line_numbers(editor_client):
    response = upload(editor_client, ("good.csv", GOOD), ("bad.csv", BAD))
    assert response.status_code == 200
    errors = response.context["result"].errors
    assert errors == [
        "bad.csv:2: born: '1954-02-29' is not a real calendar date",
        "bad.csv:3: name: a value is required",
    ]
    for error in errors:
        assert error.replace("'", "&#x27;").encode() in response.content
    assert b'name="token"' not in response.content
    assert not Person.objects.exists()


def test_an_empty_upload_is_reported_in_the_formats_words(editor_client):
    response = upload(editor_client, ("empty.csv", ""))
    assert response.context["result"].errors == [
        "empty.csv:1: -: the file is empty: line 1 must be the header"
    ]


def test_confirm_checks_again(editor_client):
    response = upload(editor_client, ("prisoners.csv", GOOD))
    # Meanwhile someone else stored a detention under the id the file uses.
    other = PersonFactory(person_id="someone-else")
    other.detentions.create(detention_id="p-1-2021-07-14", detained_on="2021-07-14")
    response = editor_client.post(URL, {"token": response.context["token"]})
    assert response.status_code == 200
    assert response.context["result"].errors == [
        "prisoners.csv:2: detention_id: detention p-1-2021-07-14 belongs to person someone-else"
    ]
    assert not Person.objects.filter(person_id="p-1").exists()


def test_no_file_is_a_form_error(editor_client):
    response = editor_client.post(URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors["files"]


def test_staff_without_the_permissions_may_not_import(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_database_lost_while_importing_is_the_503_page_and_the_upload_waits(
    editor_client, monkeypatch
):
    response = upload(editor_client, ("prisoners.csv", GOOD))
    token = response.context["token"]

    def lost(self, user, via, history=True):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(Importer, "write", lost)
        response = editor_client.post(URL, {"token": token})
    assert response.status_code == 503
    assert b"Temporarily unavailable" in response.content
    assert not Person.objects.exists()

    response = editor_client.post(URL, {"token": token})
    assert response.status_code == 302
    assert Person.objects.count() == 2
