"""In a real browser: a curator's large import runs in the background; the
progress page follows the worker with its script (no reload needed) and
shows the preview, then what was imported, when each step ends."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from prisoners.models import ImportJob, Person
from tests.staff_login import upload_as_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILE = (
    b"person_id,name,published,person_sources,detained_on\n"
    b"p-1,Ales Bialiatski,yes,https://e.org/a,2021-07-14\n"
    b"p-2,Maria Kalesnikava,no,,2020-09-07\n"
)


@pytest.fixture
def roles():
    migration = importlib.import_module("prisoners.migrations.0003_roles")
    migration.create_roles(apps, None)


def run_the_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_the_progress_page_updates_itself_until_the_import_is_done(
    roles, editor, live_server, page, settings, tmp_path
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.IMPORT_DIR = tmp_path / "imports"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and errors.append(message.text),
    )
    upload_as_editor(page, live_server, "p.csv", FILE)
    page.wait_for_selector("progress")
    assert "Waiting for the worker" in page.inner_text(".import-state")

    run_the_worker()  # the check; the page notices without being reloaded by hand
    page.wait_for_selector("text=The files check out", timeout=10_000)
    assert not Person.objects.exists()
    page.click(".submit-row input[type=submit].default")
    page.wait_for_selector("progress")

    run_the_worker()  # the write
    page.wait_for_selector("text=Imported. These records were written:", timeout=10_000)
    assert Person.objects.count() == 2
    assert list(ImportJob.objects.values_list("step", "state").order_by("pk")) == [
        ("check", "done"),
        ("write", "done"),
    ]
    assert not errors  # no script error, nothing refused by the CSP
