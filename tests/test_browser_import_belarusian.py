"""In a real browser, in Belarusian (issue 17's test): a curator chooses
Беларуская in the admin header, uploads an .xlsx with Russian headers, maps
its columns on the screen that proposes them, watches the progress of the
check and of the write in the background (the real worker, db_worker) and
sees the records written; every step is read in Belarusian."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from prisoners.models import ColumnMapping, Detention, ImportJob, Person, StaffPreference

from .spreadsheets import xlsx
from .test_import_spreadsheets import RUSSIAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def roles():
    migration = importlib.import_module("prisoners.migrations.0003_roles")
    migration.create_roles(apps, None)


def run_the_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_a_curator_in_belarusian_maps_a_russian_xlsx_and_imports_it_in_the_background(
    roles, curator, live_server, page, settings, tmp_path
):
    settings.IMPORT_BACKGROUND_ROWS = 2  # the file's 3 rows go to the worker
    settings.IMPORT_DIR = tmp_path / "imports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/prisoners/import/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "curator-pass-1234")
    page.click("input[type=submit]")

    # The header's language chooser, as a curator uses it.
    page.select_option("#admin-language", "be")
    page.click(".language-chooser button[type=submit]")
    page.wait_for_selector("html[lang=be]")
    assert "Мова" in page.inner_text(".language-chooser")
    assert StaffPreference.objects.get(user=curator).language == "be"

    page.set_input_files(
        "input[name=files]", {"name": "спіс.xlsx", "mimeType": XLSX, "buffer": xlsx(RUSSIAN)}
    )
    page.click("#content-main input[type=submit]")

    # The mapping screen proposes the columns it knows and converts the rows.
    page.wait_for_selector(".import-mapping-preview")
    content = page.inner_text("#content-main")
    assert "Які наш слупок адпавядае кожнаму слупку вашага файла?" in content
    assert page.get_by_label("ФИО").input_value() == "name"
    assert page.get_by_label("Дата задержания").input_value() == "detained_on"
    assert page.get_by_label("Статья").input_value() == "charges"
    assert "14.07.2021 → 2021-07-14" in page.inner_text(".import-mapping-preview")
    page.get_by_label("Заметки").select_option("-")  # ignoring is chosen
    page.click("button[value=map]")

    # The check, in the background: the bar and the counts, in Belarusian.
    page.wait_for_selector("progress")
    assert "Файлы правяраюцца ў фоне" in page.inner_text("#content-main")
    assert "Чакаем, пакуль фонавы апрацоўшчык яго пачне." in page.inner_text(".import-state")
    counts = page.inner_text(".import-counts")
    assert "Правераныя радкі" in counts
    assert "0 / 3" in counts
    run_the_worker()
    page.wait_for_selector("text=Файлы ў парадку. Імпарт запіша:", timeout=10_000)
    assert not Person.objects.exists()

    # The write, in the background, then what was written.
    page.click(".submit-row input[type=submit].default")
    page.wait_for_selector("progress")
    assert "Файлы імпартуюцца ў фоне" in page.inner_text("#content-main")
    assert "Захаваныя запісы" in page.inner_text(".import-counts")
    run_the_worker()
    page.wait_for_selector("text=Імпартавана. Захаваныя запісы:", timeout=10_000)
    summary = page.inner_text("#content-main table")
    assert "СТВОРАНА" in summary.upper()
    assert "Людзі\t3\t0\t0\t0" in summary
    assert "Затрыманні\t3\t0\t0\t0" in summary
    assert "Names" not in summary  # every kind named in Belarusian

    assert sorted(Person.objects.values_list("person_id", flat=True)) == ["p-1", "p-2", "p-3"]
    detention = Detention.objects.get(person__person_id="p-1")
    assert str(detention.detained_on) == "2021-07-14"
    assert list(detention.charges.values_list("article", flat=True)) == ["228"]
    assert ColumnMapping.objects.get().columns["Заметки"] is None
    assert list(ImportJob.objects.values_list("step", "state").order_by("pk")) == [
        ("check", "done"),
        ("write", "done"),
    ]
    assert not errors
