"""Long imports in the background: the check and the write run as tasks,
the curator follows them on the job's page (with or without JavaScript),
and a failed step writes nothing and says why.

Most tests run the tasks with Django's ImmediateBackend (the task runs
inside enqueue(), as a worker would run it); one runs the real database
backend and its worker, `db_worker --batch`."""

import json
import os
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, OperationalError
from django.utils import timezone

from prisoners.admin import import_jobs
from prisoners.admin.import_jobs import Progress, read_progress
from prisoners.admin.imports import job_errors
from prisoners.interchange.importer import Importer
from prisoners.models import ImportJob, Person

from .factories import PersonFactory

# The import URLs before the admin's own, as the project wires them.
from .test_interchange_admin import GOOD, staff, urlpatterns  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

URL = "/admin/prisoners/import/"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def background(settings, tmp_path):
    """Every upload of these tests (two rows and more) goes to the background."""
    settings.IMPORT_BACKGROUND_ROWS = 2
    settings.IMPORT_DIR = tmp_path / "imports"
    settings.TASKS = IMMEDIATE


@pytest.fixture
def curator(django_user_model):
    return staff(django_user_model, "cora")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(staff(django_user_model, "eddie", "publish_person"))
    return client


def upload(client, text=GOOD):
    return client.post(URL, {"files": [SimpleUploadedFile("prisoners.csv", text.encode())]})


def job_url(job):
    return f"{URL}jobs/{job.pk}/"


def test_an_import_is_checked_then_written_as_tasks(editor_client, settings):
    response = upload(editor_client)
    check = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(check)
    assert (check.step, check.state) == ("check", "done")
    assert (check.rows_total, check.rows_checked) == (2, 2)
    assert (check.records_total, check.records_written) == (2, 2)
    assert check.task_id
    assert not Person.objects.exists()

    preview = editor_client.get(job_url(check))
    assert b"The files check out" in preview.content
    assert preview.context["token"] == check.token

    response = editor_client.post(job_url(check), {"token": check.token})
    write = ImportJob.objects.get(step="write")
    assert response["Location"] == job_url(write)
    assert write.state == "done"
    assert write.result["summary"]["people"]["created"] == 2
    assert Person.objects.count() == 2
    done = editor_client.get(job_url(write))
    assert b"Imported. These records were written:" in done.content
    assert [str(m) for m in done.context["messages"]] == [
        "The import is done: the records are written."
    ]
    # The upload is removed once imported; a second confirm imports nothing again.
    assert not (settings.IMPORT_DIR / check.token).exists()
    again = editor_client.post(job_url(check), {"token": check.token}, follow=True)
    assert b"already imported" in again.content
    assert ImportJob.objects.filter(step="write").count() == 1


# The worker closes a connection left inside a transaction (PostgreSQL): no
# test transaction around this one.
@pytest.mark.django_db(transaction=True)
def test_the_progress_page_works_without_javascript_and_its_status_is_json(
    curator_client, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    upload(curator_client)
    job = ImportJob.objects.get()
    assert job.state == "queued"  # no worker has run yet

    page = curator_client.get(job_url(job))
    assert b"<progress" in page.content
    # Without JavaScript the page reloads itself; a link does it by hand.
    assert b'<noscript><meta http-equiv="refresh" content="5"></noscript>' in page.content
    assert f'href="{job_url(job)}">Refresh</a>'.encode() in page.content
    assert b"js/import_progress.js" in page.content
    status = curator_client.get(f"{job_url(job)}status/").json()
    assert status["state"] == "queued"
    assert not status["finished"]
    assert (status["rows_total"], status["rows_checked"]) == (2, 0)
    assert status["state_text"] == "Waiting for the worker to start it."
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(minutes=2))
    late = curator_client.get(f"{job_url(job)}status/").json()
    assert late["state_text"].startswith("Still waiting: no background worker seems to be running")

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    status = curator_client.get(f"{job_url(job)}status/").json()
    assert status["finished"]
    assert (status["state"], status["rows_checked"], status["records_written"]) == ("done", 2, 2)
    assert (status["progress_value"], status["progress_max"]) == (4, 4)
    reloaded = curator_client.get(job_url(job))
    assert b"The files check out" in reloaded.content
    assert b"<progress" not in reloaded.content


def test_the_running_counts_come_from_the_progress_file(curator, settings, tmp_path):
    job = ImportJob.objects.create(
        user=curator, token="t", names=["p.csv"], step="write", rows_total=3, state="running"
    )
    progress = Progress(job, tmp_path)
    assert list(progress(["a", "b", "c"], None, "p.csv")) == ["a", "b", "c"]
    assert list(progress(["a", "b"], 2, "writing")) == ["a", "b"]
    counts = read_progress(job, tmp_path)
    assert counts == {
        "rows_total": 3,
        "rows_checked": 3,
        "records_total": 2,
        "records_written": 2,
    }
    assert json.loads((tmp_path / f"progress-{job.pk}.json").read_text()) == counts


def test_another_user_cannot_see_the_job(curator_client, client, django_user_model):
    upload(curator_client)
    job = ImportJob.objects.get()
    client.force_login(staff(django_user_model, "other", "publish_person"))
    assert client.get(job_url(job)).status_code == 404
    assert client.get(f"{job_url(job)}status/").status_code == 404
    assert client.post(job_url(job), {"token": job.token}).status_code == 404
    assert job_url(job).encode() not in client.get(URL).content


def test_the_curator_can_leave_and_come_back_from_another_session(
    curator_client, client, curator, django_user_model
):
    upload(curator_client)
    job = ImportJob.objects.get()
    curator_client.logout()
    client.force_login(curator)
    listed = client.get(URL)
    assert f'href="{job_url(job)}"'.encode() in listed.content
    client.post(job_url(job), {"token": job.token})
    assert Person.objects.count() == 2


def test_a_write_refused_after_a_change_since_the_check_writes_nothing_and_says_why(
    curator_client,
):
    upload(curator_client)
    check = ImportJob.objects.get()
    # Meanwhile an editor publishes p-1: a curator may no longer change its name.
    PersonFactory(person_id="p-1", name="Someone Else")
    curator_client.post(job_url(check), {"token": check.token})
    write = ImportJob.objects.get(step="write")
    assert write.state == "failed"
    assert Person.objects.count() == 1
    page = curator_client.get(job_url(write))
    assert b"The import failed: nothing was written." in page.content
    assert b"person p-1 is published" in page.content


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (OperationalError("server closed the connection"), b"The database went away"),
        (RuntimeError("out of luck"), b"RuntimeError: out of luck"),
    ],
)
def test_a_write_that_breaks_writes_nothing_and_says_why(editor_client, monkeypatch, error, says):
    upload(editor_client)
    check = ImportJob.objects.get()

    def breaks(self, user, via, history=True):
        raise error

    monkeypatch.setattr(Importer, "write", breaks)
    editor_client.post(job_url(check), {"token": check.token})
    write = ImportJob.objects.get(step="write")
    assert write.state == "failed"
    assert not Person.objects.exists()
    assert says in editor_client.get(job_url(write)).content


def test_a_database_refusal_is_an_error_line_of_the_failed_job(editor_client, monkeypatch):
    upload(editor_client)
    check = ImportJob.objects.get()

    def refused(self, user, via, history=True):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(Importer, "write", refused)
    editor_client.post(job_url(check), {"token": check.token})
    write = ImportJob.objects.get(step="write")
    assert write.state == "failed"
    assert job_errors(write) == ["-:0: -: the database refused the record: duplicate key"]


def test_a_file_with_errors_is_shown_as_today_and_its_upload_removed(editor_client, settings):
    upload(editor_client, "person_id,name,born\np-8,N,1954-02-29\np-9,,\n")
    job = ImportJob.objects.get()
    assert job.state == "done"
    page = editor_client.get(job_url(job))
    assert b"errors: nothing was imported" in page.content
    assert not (settings.IMPORT_DIR / job.token).exists()


def test_small_files_still_run_at_once(editor_client, settings):
    settings.IMPORT_BACKGROUND_ROWS = 3
    response = upload(editor_client)
    assert response.status_code == 200
    assert b"The files check out" in response.content
    assert not ImportJob.objects.exists()


def test_answers_to_probable_matches_are_kept_for_the_background_write(
    curator_client, client, curator
):
    ales = PersonFactory(
        person_id="ales-bialiatski", name="Ales Bialiatski", born="1962-09-25", visibility="draft"
    )
    upload(
        curator_client, "person_id,name,born,region\nv-17,Бяляцкі Алесь,1962,Minsk\nv-18,X Y,,\n"
    )
    first = ImportJob.objects.get()
    page = curator_client.get(job_url(first))
    assert b"import-matches" in page.content
    curator_client.post(
        job_url(first),
        {"token": first.token, "choose": "1", "match-v-17": "same:ales-bialiatski"},
    )
    second = ImportJob.objects.exclude(pk=first.pk).get()
    assert (second.step, second.state) == ("check", "done")
    assert second.choices == {"v-17": "ales-bialiatski"}
    # Back from another session: the write takes the answers of the last check.
    client.force_login(curator)
    client.post(job_url(second), {"token": second.token})
    ales.refresh_from_db()
    assert ales.region == "Minsk"
    assert Person.objects.count() == 2


def running_job(curator, settings, minutes_ago: int) -> ImportJob:
    """A job the worker started ``minutes_ago`` and that wrote nothing since."""
    started = timezone.now() - timedelta(minutes=minutes_ago)
    (settings.IMPORT_DIR / "t0ken").mkdir(parents=True)
    return ImportJob.objects.create(
        user=curator,
        token="t0ken",
        names=["prisoners.csv"],
        step="write",
        state="running",
        rows_total=2,
        created_at=started,
        started_at=started,
    )


def test_a_job_whose_worker_died_is_shown_stopped_with_what_to_do(
    curator_client, curator, settings
):
    job = running_job(curator, settings, minutes_ago=11)
    status = curator_client.get(f"{job_url(job)}status/").json()
    assert status["stopped"] and status["finished"]
    assert status["state_text"].startswith("The import stopped:")
    page = curator_client.get(job_url(job))
    assert b"<progress" not in page.content
    assert b"Nothing was written: an import is written whole or not at all." in page.content
    assert b"Upload the files again." in page.content
    assert b"Upload again</a>" in page.content
    listed = curator_client.get(URL, HTTP_ACCEPT_LANGUAGE="be")
    assert "Спынены" in listed.content.decode()


def test_a_running_job_with_a_recent_sign_of_life_is_still_running(
    curator_client, curator, settings
):
    job = running_job(curator, settings, minutes_ago=11)
    # The worker's heartbeat (or its progress) was written a minute ago.
    beat = settings.IMPORT_DIR / "t0ken" / f"alive-{job.pk}"
    beat.touch()
    a_minute_ago = time.time() - 60
    os.utime(beat, (a_minute_ago, a_minute_ago))
    status = curator_client.get(f"{job_url(job)}status/").json()
    assert not status["stopped"] and not status["finished"]
    assert status["state_text"] == "Running."
    # Without one for longer, it has stopped.
    long_ago = time.time() - 11 * 60
    os.utime(beat, (long_ago, long_ago))
    assert curator_client.get(f"{job_url(job)}status/").json()["stopped"]


def test_the_running_task_keeps_a_heartbeat_and_removes_it_at_the_end(tmp_path, monkeypatch):
    monkeypatch.setattr(import_jobs, "HEARTBEAT_SECONDS", 0.01)
    path = tmp_path / "alive-1"
    with import_jobs.heartbeat(path):
        time.sleep(0.05)
        first = path.stat().st_mtime_ns
        time.sleep(0.05)
        assert path.stat().st_mtime_ns > first
    assert not path.exists()
