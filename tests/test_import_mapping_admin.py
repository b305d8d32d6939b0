"""Importing curators' own files in the admin: spreadsheets, a CSV in
Windows-1251 shown before it is read, the column mapping (proposed, saved,
offered again, downloaded for the command line), and every bad input with a
clear message and nothing written."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from prisoners.models import ColumnMapping, Detention, Person

from .spreadsheets import ods, xls, xlsx
from .test_import_spreadsheets import OURS, RUSSIAN, csv_text

# The import URLs wired as the project wires them (that module's URLconf).
pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_interchange_admin")]

URL = "/admin/prisoners/import/"


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# The choices of the mapping screen for RUSSIAN's columns, in their order.
CHOICES = ["person_id", "name", "detained_on", "charges", "sentence_months", "facility", "gender"]


def upload(client, name: str, data: bytes):
    return client.post(URL, {"files": [SimpleUploadedFile(name, data)]})


def choose(client, response, choices=(*CHOICES, "-"), dates="DMY", action="map"):
    data = {"token": response.context["token"], "reading": action, "dates": dates}
    data.update({f"column-{n}": c for n, c in enumerate(choices)})
    return client.post(URL, data)


def confirm(client, response):
    return client.post(URL, {"token": response.context["token"]})


def proposed(response) -> list:
    form = response.context["form"]
    return [field.initial for field in form.column_fields()]


# Each format


@pytest.mark.parametrize("name,make", [("p.xlsx", xlsx), ("p.xls", xls), ("p.ods", ods)])
def test_a_spreadsheet_with_our_headers_goes_straight_to_the_preview(editor_client, name, make):
    response = upload(editor_client, name, make(OURS))
    assert response.templates[0].name == "admin/prisoners/import_preview.html"
    assert response.context["result"].ok, response.context["result"].errors
    confirm(editor_client, response)
    assert Detention.objects.get(person__person_id="p-1").sentence_months == 36


@pytest.mark.parametrize("name,make", [("l.xlsx", xlsx), ("l.xls", xls), ("l.ods", ods)])
def test_a_curator_maps_a_spreadsheets_columns_and_imports_it(curator_client, name, make):
    response = upload(curator_client, name, make(RUSSIAN))
    assert response.templates[0].name == "admin/prisoners/import_mapping.html"
    # Proposed from the headers; the notes column is left for the curator.
    assert proposed(response) == [*CHOICES, ""]
    assert response.context["form"]["dates"].initial == "DMY"
    assert "14.07.2021 → <strong>2021-07-14</strong>" in response.content.decode()
    assert not Person.objects.exists()

    response = choose(curator_client, response)
    assert response.templates[0].name == "admin/prisoners/import_preview.html"
    assert response.context["result"].ok, response.context["result"].errors
    assert not Person.objects.exists()
    confirm(curator_client, response)
    detention = Detention.objects.get(person__person_id="p-1")
    assert (str(detention.detained_on), detention.facility.name) == ("2021-07-14", "ИК-9")
    assert Person.objects.get(person_id="p-2").gender == "female"


def test_a_csv_in_windows_1251_is_shown_before_it_is_read(curator_client):
    data = csv_text([[str(c) for c in row] for row in RUSSIAN[:2]]).encode("cp1251")
    response = upload(curator_client, "list.csv", data)
    assert response.templates[0].name == "admin/prisoners/import_encoding.html"
    assert "Беляцкий Алесь" in response.content.decode()
    assert not Person.objects.exists()

    response = curator_client.post(URL, {"token": response.context["token"], "reading": "encoding"})
    assert response.templates[0].name == "admin/prisoners/import_mapping.html"
    response = choose(curator_client, response)
    assert response.context["result"].ok, response.context["result"].errors
    confirm(curator_client, response)
    assert Person.objects.get(person_id="p-1").name == "Беляцкий Алесь"


def test_a_utf8_csv_in_our_format_still_goes_straight_to_the_preview(curator_client):
    response = upload(curator_client, "p.csv", b"person_id,name\np-1,N\n")
    assert response.context["result"].ok


# The mapping, saved and offered again


def test_the_mapping_is_saved_and_offered_again_for_the_same_headers(curator_client):
    response = upload(curator_client, "l.xlsx", xlsx(RUSSIAN))
    choose(curator_client, response, choices=(*CHOICES[:-1], "-", "internal_notes"), dates="DMY")
    saved = ColumnMapping.objects.get()
    assert saved.columns["Пол"] is None
    assert saved.columns["Заметки"] == "internal_notes"
    assert saved.saved_by.username == "curator"

    response = upload(curator_client, "again.xlsx", xlsx(RUSSIAN))
    assert proposed(response) == [*CHOICES[:-1], "-", "internal_notes"]


def test_the_preview_of_rows_follows_the_choices_shown_again(curator_client):
    response = upload(curator_client, "l.xlsx", xlsx(RUSSIAN))
    response = choose(curator_client, response, dates="YMD", action="preview")
    assert response.templates[0].name == "admin/prisoners/import_mapping.html"
    assert "does not start with a four-digit year" in response.content.decode()
    assert not ColumnMapping.objects.exists()


def test_a_saved_mapping_downloads_as_the_command_lines_mapping_file(
    curator_client, tmp_path, monkeypatch
):
    response = upload(curator_client, "l.xlsx", xlsx(RUSSIAN))
    choose(curator_client, response)
    saved = ColumnMapping.objects.get()
    changelist = curator_client.get("/admin/prisoners/columnmapping/")
    assert changelist.status_code == 200
    download = curator_client.get(f"/admin/prisoners/columnmapping/{saved.pk}/download/")
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(download.content) == {
        "columns": dict(zip(RUSSIAN[0], [*CHOICES, None], strict=True)),
        "dates": "DMY",
    }
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mapping.json").write_bytes(download.content)
    (tmp_path / "l.xlsx").write_bytes(xlsx(RUSSIAN))
    call_command("import_records", "l.xlsx", "--mapping", "mapping.json", "--quiet")
    assert Person.objects.get(person_id="p-1").name == "Беляцкий Алесь"


def test_a_saved_mapping_can_be_edited_and_deleted(curator_client):
    response = upload(curator_client, "l.xlsx", xlsx(RUSSIAN))
    choose(curator_client, response)
    saved = ColumnMapping.objects.get()
    url = f"/admin/prisoners/columnmapping/{saved.pk}/change/"
    columns = {**saved.columns, "Заметки": "bio"}
    response = curator_client.post(url, {"columns": json.dumps(columns), "dates": "YMD"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.columns["Заметки"], saved.dates) == ("bio", "YMD")
    response = curator_client.post(url, {"columns": '{"ФИО": "full_name"}', "dates": "DMY"})
    assert response.status_code == 200
    assert "which is not a column of the format" in response.content.decode()
    curator_client.post(f"/admin/prisoners/columnmapping/{saved.pk}/delete/", {"post": "yes"})
    assert not ColumnMapping.objects.exists()


# Bad input


def test_a_column_left_without_a_choice_is_an_error(curator_client):
    response = upload(curator_client, "l.xlsx", xlsx(RUSSIAN))
    response = choose(curator_client, response, choices=CHOICES)
    assert response.templates[0].name == "admin/prisoners/import_mapping.html"
    assert "Choose one of our columns, or ignore it." in response.content.decode()
    assert not ColumnMapping.objects.exists()
    assert not Person.objects.exists()


def test_two_columns_mapped_to_one_is_an_error(curator_client):
    response = upload(curator_client, "l.xlsx", xlsx(RUSSIAN))
    response = choose(curator_client, response, choices=(*CHOICES, "name"))
    assert "ФИО, Заметки are all mapped to name" in response.content.decode()
    assert not ColumnMapping.objects.exists()


def test_a_required_column_left_unmapped_is_an_error(curator_client):
    response = upload(curator_client, "l.xlsx", xlsx(RUSSIAN))
    response = choose(curator_client, response, choices=("person_id", "-", *CHOICES[2:], "-"))
    assert "No column is mapped to name" in response.content.decode()


def test_a_date_order_a_value_contradicts_is_an_error_and_writes_nothing(curator_client):
    response = upload(curator_client, "l.xlsx", xlsx(RUSSIAN))
    response = choose(curator_client, response, dates="YMD")
    assert response.context["result"].errors == [
        "l.xlsx:2: Дата задержания: '14.07.2021' does not start with a four-digit year, as "
        "the date order YMD (year.month.day) says: is the file's order DMY?"
    ]
    assert b'name="token"' not in response.content
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "name,data,error",
    [
        ("l.xlsx", xlsx(OURS)[:300], "l.xlsx:1: -: the file cannot be read as a spreadsheet"),
        ("l.ods", ods([]), "l.ods:1: -: the sheet is empty: line 1 must be the header"),
        (
            "l.xlsx",
            xlsx([OURS[0], OURS[0], *OURS[1:]]),
            "l.xlsx:2: -: this row looks like a second header row",
        ),
    ],
)
def test_a_spreadsheet_that_cannot_be_read_is_reported(curator_client, name, data, error):
    response = upload(curator_client, name, data)
    errors = response.context["result"].errors
    assert len(errors) == 1 and errors[0].startswith(error)
    assert not Person.objects.exists()


def test_a_file_of_another_kind_is_refused_at_the_upload(curator_client):
    response = upload(curator_client, "list.txt", b"person_id,name\n")
    assert "list.txt is not a .csv, .xlsx, .xls or .ods file." in response.content.decode()


def test_the_saved_mappings_are_the_importers_only(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("visitor", is_staff=True))
    assert client.get("/admin/prisoners/columnmapping/").status_code == 403
    saved = ColumnMapping.objects.create(headers_key="фио", columns={"ФИО": "name"}, dates="DMY")
    response = client.get(f"/admin/prisoners/columnmapping/{saved.pk}/download/")
    assert response.status_code == 403


def test_an_events_file_with_an_unknown_column_gets_the_previews_error(curator_client):
    data = b"event_id,date,title,remark\nev-1,2025-12-13,T,x\n"
    response = upload(curator_client, "release_events.csv", data)
    assert response.context["result"].errors == [
        "release_events.csv:1: remark: unknown column for release_events.csv"
    ]


def test_our_prisoners_file_with_a_column_of_its_own_is_mapped(curator_client):
    response = upload(curator_client, "p.csv", "person_id,name,Кличка\np-1,N,Z\n".encode())
    assert response.templates[0].name == "admin/prisoners/import_mapping.html"
    assert proposed(response) == ["person_id", "name", ""]
    response = choose(curator_client, response, choices=("person_id", "name", "aliases"))
    assert response.context["result"].ok, response.context["result"].errors


def test_a_mapped_spreadsheet_is_checked_and_written_in_the_background(
    curator_client, settings, tmp_path
):
    """The mapping the curator chose travels with the background job: the
    worker reads the sheet as the mapping screen showed it."""
    from prisoners.models import ImportJob

    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.IMPORT_DIR = tmp_path / "imports"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    response = choose(curator_client, upload(curator_client, "l.xlsx", xlsx(RUSSIAN)))
    check = ImportJob.objects.get()
    assert response.status_code == 302
    assert (check.step, check.state, check.rows_total) == ("check", "done", 3)
    assert check.reading["mapping"]["dates"] == "DMY"
    assert not Person.objects.exists()

    curator_client.post(f"{URL}jobs/{check.pk}/", {"token": check.token})
    write = ImportJob.objects.get(step="write")
    assert write.state == "done", write.result
    detention = Detention.objects.get(person__person_id="p-1")
    assert (str(detention.detained_on), detention.facility.name) == ("2021-07-14", "ИК-9")
