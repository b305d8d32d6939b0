"""The importer's error lines in the staff user's admin language:
``FILE:LINE: COLUMN: message`` keeps the file's own line numbers and column
names, and the message is said in Belarusian or Russian, in the preview, on
a background job's page and in its JSON status. A background job keeps its
errors as msgids and values, so each reader sees them in their language."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from prisoners.interchange.importer import run_import
from prisoners.models import ImportJob

from .factories import PersonFactory

# The import URLs before the admin's own, as the project wires them.
from .test_interchange_admin import GOOD, staff, urlpatterns  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/admin/prisoners/import/"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
BROKEN = (
    (
        "prisoners.csv",
        "person_id,name,born,detained_on,released_on,release_type\n"
        "p-1,Ales,1954-02-29,,,\n"
        "p-2,Maria,,2021-07-14,2021-06,pardon\n",
    ),
    ("release_events.csv", "event_id,title\nev-1,Freed\n"),
)
IN_ENGLISH = [
    "prisoners.csv:2: born: '1954-02-29' is not a real calendar date",
    "prisoners.csv:3: released_on: the release (2021-06) is before the arrest (2021-07-14)",
    "release_events.csv:2: date: a value is required",
]


@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(staff(django_user_model, "cora"))
    return client


def upload(client, files, language):
    return client.post(
        URL,
        {"files": [SimpleUploadedFile(name, text.encode()) for name, text in files]},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def error_lines(response) -> list[str]:
    return [str(line) for line in response.context["result"].errors]


def test_a_belarusian_admins_preview_says_each_error_in_belarusian(curator_client):
    response = upload(curator_client, BROKEN, "be")
    assert error_lines(response) == [
        "prisoners.csv:2: born: даты '1954-02-29' няма ў календары",
        "prisoners.csv:3: released_on: вызваленне (2021-06) раней за арышт (2021-07-14)",
        "release_events.csv:2: date: патрэбна значэнне",
    ]
    page = response.content.decode()
    assert "вызваленне (2021-06) раней за арышт (2021-07-14)" in page
    assert "is before the arrest" not in page


def test_an_english_admins_preview_is_unchanged(curator_client):
    assert error_lines(upload(curator_client, BROKEN, "en")) == IN_ENGLISH


def test_a_mapped_files_errors_name_its_own_columns_in_russian(curator_client):
    """The file's column names and line numbers are the file's: never translated."""
    files = (("list.csv", "Номер,ФИО,Дата задержания\nr-1,Алесь,31.02.2021\n"),)
    response = upload(curator_client, files, "ru")
    mapped = {"token": response.context["token"], "reading": "map", "dates": "DMY"}
    mapped |= {"column-0": "person_id", "column-1": "name", "column-2": "detained_on"}
    response = curator_client.post(URL, mapped, HTTP_ACCEPT_LANGUAGE="ru")
    assert error_lines(response) == [
        "list.csv:2: Дата задержания: даты '31.02.2021' нет в календаре"
    ]


@pytest.fixture
def background(settings, tmp_path):
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.IMPORT_DIR = tmp_path / "imports"
    settings.TASKS = IMMEDIATE


def test_a_failed_background_import_says_its_errors_in_each_readers_language(
    curator_client, background
):
    upload(curator_client, (("prisoners.csv", GOOD),), "ru")
    check = ImportJob.objects.get()
    # Meanwhile an editor publishes p-1: a curator may no longer change its name.
    PersonFactory(person_id="p-1", name="Someone Else")
    curator_client.post(f"{URL}jobs/{check.pk}/", {"token": check.token})
    write = ImportJob.objects.get(step="write")
    assert write.state == "failed"

    page = curator_client.get(f"{URL}jobs/{write.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    russian = (
        "prisoners.csv:2: name: человек p-1 опубликован: только редактор может изменить то, "
        "что видят все (name, person_sources, detained_on)"
    )
    assert page.context["errors"] == [russian]
    assert russian in page.content.decode()
    status = curator_client.get(f"{URL}jobs/{write.pk}/status/", HTTP_ACCEPT_LANGUAGE="ru")
    assert status.json()["errors"] == [russian]

    # The same job, read by someone whose admin is English.
    status = curator_client.get(f"{URL}jobs/{write.pk}/status/", HTTP_ACCEPT_LANGUAGE="en")
    assert status.json()["errors"] == [
        "prisoners.csv:2: name: person p-1 is published: only an editor may change what the "
        "public sees (name, person_sources, detained_on)"
    ]


def test_the_command_line_prints_its_errors_in_english(tmp_path, capsys):
    for name, text in BROKEN:
        (tmp_path / name).write_text(text)
    with pytest.raises(SystemExit):
        call_command("import_records", *(str(tmp_path / name) for name, _text in BROKEN))
    printed = capsys.readouterr().err
    for line in IN_ENGLISH:
        assert (
            line.replace("prisoners.csv", str(tmp_path / "prisoners.csv")).replace(
                "release_events.csv", str(tmp_path / "release_events.csv")
            )
            in printed
        )


def test_a_belarusian_curator_is_told_what_was_imported_in_belarusian(curator_client):
    response = upload(curator_client, (("prisoners.csv", GOOD),), "be")
    confirmed = curator_client.post(
        URL, {"token": response.context["token"]}, HTTP_ACCEPT_LANGUAGE="be", follow=True
    )
    said = [str(message) for message in confirmed.context["messages"]]
    assert said[0] == (
        "Імпартавана. людзі: створана 2, зменена 0, без змен 0; "
        "затрыманні: створана 2, зменена 0, без змен 0"
    )
    assert "Слупок published ігнаруецца" in said[1]


def test_a_row_of_too_many_cells_is_counted_in_the_russian_plural():
    files = [("p.csv", b"person_id,name\np-1,N,extra\n")]
    result = run_import(files, dry_run=True)
    with translation.override("ru"):
        assert result.errors == ["p.csv:2: -: в строке 3 ячейки, а в заголовке 2"]
    assert result.errors == ["p.csv:2: -: the row has 3 cells but the header has 2"]
