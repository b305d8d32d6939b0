"""Long imports in the background: each step (the check, then the write) of
an admin import runs as a django.tasks task, recorded in an ``ImportJob``.

Progress is written to a small file beside the upload (``progress-<job>.json``
in the upload's directory under IMPORT_DIR), at most once a second, by
replacing it whole. Not the job's row: the write pass runs in one transaction,
so an UPDATE made inside it would only be seen at its end, and on SQLite a
second connection could not write while the import holds the write lock. The
upload's directory is shared by the web and the worker anyway (the worker
reads the files there), so the progress file works on SQLite and PostgreSQL
alike. The job's row gets the final counters and the result when the step ends.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import os
import shutil
import threading
import time
from pathlib import Path

from django.db import OperationalError
from django.tasks import task
from django.utils import timezone

from ..interchange.importer import ImportResult, run_import
from ..interchange.sheets import Unreadable, is_spreadsheet, spreadsheet_rows
from ..messages import to_data
from ..models import ImportJob

logger = logging.getLogger(__name__)
VIA = "admin import"
# The progress file is rewritten at most this often.
PROGRESS_EVERY_SECONDS = 1.0
WRITING = "writing"
# The running task touches a file beside the upload this often, from a thread
# of its own, so that a long pass writing no progress still shows it alive.
HEARTBEAT_SECONDS = 30
# A running job with no sign of life (progress or heartbeat) for this long
# lost its worker (killed, the machine restarted): nothing of it was written,
# the write being one transaction.
STOPPED_AFTER_SECONDS = 10 * 60
# Why a step failed, when the files are not at fault (job.result["reason"]).
DATABASE_GONE = "database"
CRASHED = "crashed"
EXPIRED = "expired"


def upload_files(directory: Path, names: list[str]) -> list[tuple[str, Path]]:
    """The stored files of an upload, each with the name it was uploaded as."""
    return [(name, directory / f"{number}.csv") for number, name in enumerate(names)]


def count_rows(files: list[tuple[str, Path]]) -> int:
    """The records of ``files`` below their headers (a quoted cell over
    several lines is one record), for the progress bar and the choice to run
    in the background. Undecodable bytes are counted, not judged: the
    importer reports them."""
    rows = 0
    for name, path in files:
        if is_spreadsheet(name):
            rows += _sheet_rows(path)
            continue
        # A file the csv module cannot read is the importer's to report.
        with (
            path.open(encoding="utf-8", errors="replace", newline="") as stream,
            contextlib.suppress(csv.Error),
        ):
            rows += max(sum(1 for _record in csv.reader(stream)) - 1, 0)
    return rows


def _sheet_rows(path: Path) -> int:
    """A spreadsheet's rows below its header (a damaged one counts none:
    the importer reports it)."""
    with path.open("rb") as source:
        try:
            return max(sum(1 for _row in spreadsheet_rows(source)) - 1, 0)
        except Unreadable:
            return 0


def progress_file(job: ImportJob, directory: Path) -> Path:
    """Where a running job's counts are kept, beside its upload."""
    return directory / f"progress-{job.pk}.json"


def heartbeat_file(job: ImportJob, directory: Path) -> Path:
    return directory / f"alive-{job.pk}"


@contextlib.contextmanager
def heartbeat(path: Path):
    """Touch ``path`` every HEARTBEAT_SECONDS while the block runs: when the
    worker dies, so does the thread, and the file's time stands still."""
    done = threading.Event()

    def beat():
        while True:
            with contextlib.suppress(OSError):
                path.touch()
            if done.wait(HEARTBEAT_SECONDS):
                return

    thread = threading.Thread(target=beat, name=f"heartbeat {path.name}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        path.unlink(missing_ok=True)


def has_stopped(job: ImportJob, directory: Path) -> bool:
    """Whether a running job's worker is gone: no progress, no heartbeat
    and no start for STOPPED_AFTER_SECONDS."""
    if job.state != ImportJob.State.RUNNING or job.started_at is None:
        return False
    times = [job.started_at.timestamp()]
    for path in (progress_file(job, directory), heartbeat_file(job, directory)):
        with contextlib.suppress(OSError):
            times.append(path.stat().st_mtime)
    return time.time() - max(times) > STOPPED_AFTER_SECONDS


class Progress:
    """The ``progress`` of run_import (a tqdm-like wrapper of each pass's
    items) that counts rows read and records written, and keeps the counts
    in the job's progress file."""

    def __init__(self, job: ImportJob, directory: Path):
        self.path = progress_file(job, directory)
        self.counts = {
            "rows_total": job.rows_total,
            "rows_checked": 0,
            "records_total": 0,
            "records_written": 0,
        }
        self.saved_at = 0.0

    def __call__(self, items, total, desc):
        counter = "records_written" if desc == WRITING else "rows_checked"
        if desc == WRITING and total is not None:
            self.counts["records_total"] = total
        for item in items:
            yield item
            self.counts[counter] += 1
            if time.monotonic() - self.saved_at >= PROGRESS_EVERY_SECONDS:
                self.save()
        self.save()

    def save(self) -> None:
        self.saved_at = time.monotonic()
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(self.counts), encoding="utf-8")
        os.replace(partial, self.path)  # a reader never sees half a file


def read_progress(job: ImportJob, directory: Path) -> dict:
    """The running job's counts from its progress file, or the row's own."""
    counts = {
        "rows_total": job.rows_total,
        "rows_checked": job.rows_checked,
        "records_total": job.records_total,
        "records_written": job.records_written,
    }
    if job.state == ImportJob.State.RUNNING:
        # Missing until the first rows are read.
        with contextlib.suppress(OSError, ValueError):
            counts.update(json.loads(progress_file(job, directory).read_text("utf-8")))
    return counts


def seconds_left(job: ImportJob, counts: dict) -> int | None:
    """An estimate from the pace so far: a row read and a record written
    count one each (before the write pass, as many records as rows)."""
    if job.state != ImportJob.State.RUNNING or not job.started_at:
        return None
    done = counts["rows_checked"] + counts["records_written"]
    total = counts["rows_total"] + (counts["records_total"] or counts["rows_total"])
    if not total or done < total * 0.02:
        return None
    elapsed = (timezone.now() - job.started_at).total_seconds()
    return max(round(elapsed * (total - done) / done), 0)


def result_data(result: ImportResult) -> dict:
    """What the job keeps of a step's ImportResult (the preview's list of
    changes stays beside the upload, in changes.json: it can be large)."""
    return {
        "summary": {kind: dict(counts) for kind, counts in result.summary.items()},
        # Kept as msgids and values: said in the language of whoever looks.
        "errors": [problem.as_data() for problem in result.problems],
        "notices": [to_data(notice) for notice in result.notices],
        "matches": [
            {
                "path": match.path,
                "line": match.line,
                "person_id": match.person_id,
                "name": match.name,
                "candidates": [
                    {"pk": c.pk, "person_id": c.person_id, "describe": to_data(c.describe())}
                    for c in match.candidates
                ],
            }
            for match in result.matches
        ],
    }


def start_job(
    user,
    token: str,
    files,
    step: str,
    choices: dict | None = None,
    reading: dict | None = None,
    rows: int | None = None,
) -> ImportJob:
    """Record a job for this step of the stored upload ``token`` (``files``:
    its (name, path) pairs) and enqueue its task. ``reading``: how the files
    are read (``mapping``, ``encoding``: the admin's reading screens);
    ``rows``: their rows, when the caller has counted them already (a
    spreadsheet is read whole to be counted)."""
    job = ImportJob.objects.create(
        user=user,
        token=token,
        names=[name for name, _path in files],
        step=step,
        choices=choices or {},
        reading={k: v for k, v in (reading or {}).items() if v},
        rows_total=count_rows(files) if rows is None else rows,
    )
    result = run_import_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    return job


@task()
def run_import_job(job_id: int) -> str:
    """Run one step of an admin import: the check (a dry run, whose changes
    are kept for the preview) or the write (as the curator who started it,
    with their rights now). Returns the job's final state."""
    # Imported here: imports.py starts jobs, and this module is its helper.
    from .imports import can_publish, keep_changes
    from .uploads import store

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.state != ImportJob.State.QUEUED:
        return job.state  # already run (a task delivered twice)
    directory = store() / job.token
    job.state = ImportJob.State.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["state", "started_at"])
    files = upload_files(directory, job.names)
    if not all(path.is_file() for _name, path in files):
        return _fail(job, EXPIRED)
    progress = Progress(job, directory)
    check = job.step == ImportJob.Step.CHECK
    try:
        with heartbeat(heartbeat_file(job, directory)):
            result = run_import(
                files,
                user=job.user,
                via=VIA,
                can_publish=can_publish(job.user),
                dry_run=check,
                progress=progress,
                choices=job.choices,
                **job.reading,
            )
    except OperationalError as error:
        logger.warning("Import job %s: the database went away: %s", job.pk, error)
        return _fail(job, DATABASE_GONE, progress.counts)
    except Exception as error:
        _fail(job, CRASHED, progress.counts, failure=f"{type(error).__name__}: {error}")
        raise  # the task's own result keeps the traceback
    if check and result.ok:
        keep_changes(job.token, result)
    job.result = result_data(result)
    if result.ok or check:
        job.state = ImportJob.State.DONE
    else:
        job.state = ImportJob.State.FAILED
    _finish(job, progress.counts)
    # An upload is removed once imported, or when it cannot be (unless a
    # choice about a probable match may still make it importable).
    if not check or not (result.ok or result.matches):
        shutil.rmtree(directory, ignore_errors=True)
    return job.state


def _fail(job: ImportJob, reason: str, counts: dict | None = None, failure: str = "") -> str:
    job.state = ImportJob.State.FAILED
    job.result = {"reason": reason}
    job.failure = failure
    _finish(job, counts or {})
    return job.state


def _finish(job: ImportJob, counts: dict) -> None:
    for name, value in counts.items():
        setattr(job, name, value)
    job.finished_at = timezone.now()
    job.save()
