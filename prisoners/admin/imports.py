"""Import in the admin: upload, preview, confirm.

The same importer core as ``import_records``: the preview is a dry run (every
error, with the line numbers the command line gives, or what would be created,
updated and left unchanged); the confirm step imports the stored upload again,
checking it again. Curators import drafts; a user who may publish people
imports with an editor's rights.

Files of IMPORT_BACKGROUND_ROWS rows or more are checked and written in the
background (``import_jobs.py``): the curator is sent to the job's page, which
shows the progress, then the same preview, then what was imported.
"""

from __future__ import annotations

import json
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..interchange.changes import ACTIONS, Change
from ..interchange.columns import KINDS
from ..interchange.importer import SUMMARY_KINDS, SUMMARY_MODELS, ImportResult, run_import
from ..interchange.reading import Problem
from ..interchange.sheets import SUFFIXES
from ..messages import from_data, to_data
from ..models import ImportJob, Person
from . import mapping
from .import_jobs import (
    CRASHED,
    DATABASE_GONE,
    EXPIRED,
    VIA,
    count_rows,
    has_stopped,
    read_progress,
    seconds_left,
    start_job,
)
from .uploads import discard, keep, store, stored

RECENT_JOBS = 10
CHANGES_PER_PAGE = 50
REQUIRED_PERMISSIONS = [
    f"prisoners.{action}_{model}"
    for model in ("person", "detention", "release", "releaseevent", "sanctionsevent")
    for action in ("add", "change")
]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        if not any(files):
            return [super().clean(None, initial)]  # "This field is required."
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        # An empty file is reported in the format's own words, by the importer.
        allow_empty_file=True,
        widget=MultipleFileInput(attrs={"accept": ",".join(SUFFIXES)}),
        help_text=format_lazy(
            _(
                "Files of the interchange format ({files}), or your own spreadsheets: CSV "
                "(UTF-8 or Windows-1251), .xlsx, .xls or .ods (the first sheet). Files with "
                "their own column names are mapped to ours next. Files given together are "
                "checked together."
            ),
            files=", ".join(kind.filename for kind in KINDS),
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        too_big = upload_too_big(sum(f.size or 0 for f in files))
        if too_big:
            raise forms.ValidationError(too_big)
        names = [f.name for f in files]
        for name in names:
            if not name.lower().endswith(SUFFIXES):
                raise forms.ValidationError(
                    _("%(name)s is not a .csv, .xlsx, .xls or .ods file.") % {"name": name}
                )
            if names.count(name) > 1:
                raise forms.ValidationError(_("Two files are named %(name)s.") % {"name": name})
        return files


def upload_too_big(size: int) -> str | None:
    """Why an upload of ``size`` bytes is refused (beyond MAX_UPLOAD_MB), or None."""
    limit = settings.MAX_UPLOAD_MB
    if size <= limit * 1024 * 1024:
        return None
    return _(
        "The files are %(size)s MB together, more than the %(limit)s MB an upload may be. "
        "Split them, or import them on the command line (manage.py import_records), "
        "which takes files of any size."
    ) % {"size": f"{size / (1024 * 1024):.1f}", "limit": limit}


def can_import(user) -> bool:
    return user.is_active and user.is_staff and user.has_perms(REQUIRED_PERMISSIONS)


def can_publish(user) -> bool:
    return user.has_perm("prisoners.publish_person")


# The preview names each kind of record as the admin does, translated.
KIND_NAMES = {kind: model._meta.verbose_name_plural for kind, model in SUMMARY_MODELS.items()}


def _summary_table(result: ImportResult) -> list[dict]:
    return [
        {
            "kind": KIND_NAMES.get(kind, kind),
            **{
                w: result.summary.get(kind, {}).get(w, 0)
                for w in ("created", "updated", "unchanged", "deleted")
            },
        }
        for kind in SUMMARY_KINDS
    ]


def _summary_text(result: ImportResult) -> str:
    """Each kind of record touched, with its counts, in the admin's language."""
    counts = _("%(kind)s: created %(created)s, updated %(updated)s, unchanged %(unchanged)s")
    deleted = _("%(counts)s, deleted %(deleted)s")
    rows = [
        r
        for r in _summary_table(result)
        if any(r[w] for w in ("created", "updated", "unchanged", "deleted"))
    ]
    texts = [
        counts % r if not r["deleted"] else deleted % {"counts": counts % r, **r} for r in rows
    ]
    return "; ".join(texts)


def import_view(request, admin_site):
    """Upload (GET, POST with files), preview (the dry run), confirm (POST
    with the token)."""
    if not can_import(request.user):
        raise PermissionDenied
    publisher = can_publish(request.user)
    context = {
        **admin_site.each_context(request),
        "title": _("Import records"),
        "opts": Person._meta,
        "can_publish": publisher,
    }
    if request.method == "POST" and "reading" in request.POST:
        token = request.POST.get("token", "")
        files = stored(request, token)
        if files is None:
            return _expired(request)
        return mapping.answer(request, context, token, files) or _read(
            request, context, token, publisher
        )
    if request.method == "POST" and "choose" in request.POST:
        return _choose(request, context, request.POST.get("token", ""), publisher)
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, context, request.POST["token"], publisher)
    if request.method == "GET" and "token" in request.GET:
        return _preview_page(request, context, request.GET["token"])
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        return _read(request, context, keep(request, form.cleaned_data["files"]), publisher)
    jobs = list(ImportJob.objects.filter(user=request.user)[:RECENT_JOBS])
    for job in jobs:
        job.stopped = has_stopped(job, store() / job.token)
    return render(
        request,
        "admin/prisoners/import.html",
        {**context, "form": form, "jobs": jobs, "background_rows": settings.IMPORT_BACKGROUND_ROWS},
    )


def _expired(request):
    messages.error(request, _("This upload has expired or was already imported: upload again."))
    return redirect("prisoners_import")


def _read(request, context, token: str, publisher: bool):
    """The reading screens the upload needs (mapping.py), then the dry run."""
    files = stored(request, token)
    screen = mapping.next_screen(request, context, token, files)
    if screen is not None:
        return screen
    if rows := _background_rows(files):
        return _start(request, token, files, ImportJob.Step.CHECK, rows)
    result = _run(request, token, files, publisher, dry_run=True)
    _keep_or_discard(request, token, result)
    return _preview(request, context, result, token, [name for name, _p in files])


def _run(request, token: str, files, publisher: bool, **options) -> ImportResult:
    """The importer on an upload, as this user, read as the curator chose
    on the reading screens (mapping.py: ``mapping`` and ``encoding``, both
    JSON-friendly)."""
    return run_import(
        files,
        user=request.user,
        via=VIA,
        can_publish=publisher,
        **_reading(request, token),
        **options,
    )


def _reading(request, token: str) -> dict:
    """How the upload is read (mapping.py's answers, kept in the session),
    or, from another session, as the upload's background import read it."""
    answers = mapping.reading(request, token)
    if not any(answers.values()):
        job = ImportJob.objects.filter(user=request.user, token=token).order_by("-pk").first()
        if job is not None:
            return {**answers, **job.reading}
    return answers


def _preview(request, context, result: ImportResult, token: str, names: list[str]):
    return render(
        request,
        "admin/prisoners/import_preview.html",
        {
            **context,
            "result": result,
            "token": token if result.ok else "",
            "names": names,
            "summary": _summary_table(result),
            **_match_context(request, result, token),
            **_change_list(request, result.changes, token),
        },
    )


def _keep_or_discard(request, token: str, result: ImportResult) -> None:
    """After a dry run: keep its changes for the preview's pages, or drop the
    upload when it cannot be imported (unless a choice about a probable
    match may still make it importable)."""
    if result.ok:
        keep_changes(token, result)
    elif not result.matches:
        discard(request, token)


def keep_changes(token: str, result: ImportResult) -> None:
    """Keep the dry run's outcome beside the upload, so that the preview's
    other pages read it rather than run the import again."""
    kept = {
        "summary": {kind: dict(counts) for kind, counts in result.summary.items()},
        "notices": [to_data(notice) for notice in result.notices],
        "changes": [change.as_dict() for change in result.changes],
    }
    (store() / token / "changes.json").write_text(json.dumps(kept), encoding="utf-8")


def _preview_page(request, context, token: str):
    """Another page (or filter) of a preview this session made."""
    files = stored(request, token)
    kept = store() / token / "changes.json"
    if files is None or not kept.is_file():
        messages.error(request, _("This upload has expired or was already imported: upload again."))
        return redirect("prisoners_import")
    result = _kept_result(token)
    return _preview(request, context, result, token, [name for name, _path in files])


def _kept_result(token: str) -> ImportResult:
    data = json.loads((store() / token / "changes.json").read_text(encoding="utf-8"))
    return ImportResult(
        summary=data["summary"],
        notices=[from_data(notice) for notice in data["notices"]],
        dry_run=True,
        changes=[Change.from_dict(change) for change in data["changes"]],
    )


def _change_list(request, changes: list[Change], token: str) -> dict:
    """One page of the records an import creates, updates or leaves
    unchanged, filtered by ``?show=`` (an action)."""
    show = request.GET.get("show", "")
    if show not in ACTIONS:
        show = ""
    shown = [change for change in changes if change.action == show] if show else changes
    page = Paginator(shown, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "changes_page": page,
        # Each change with its kind's name, translated.
        "changes_rows": [(KIND_NAMES.get(c.kind, c.kind), c) for c in page.object_list],
        "changes_show": show,
        "changes_filters": [("", _("all"), len(changes))]
        + [
            (action, label, sum(1 for c in changes if c.action == action))
            for action, label in zip(
                ACTIONS, (_("created"), _("updated"), _("unchanged")), strict=True
            )
        ],
        "changes_token": token,
    }


def _confirm(request, context, token: str, publisher: bool):
    files = stored(request, token)
    if files is None:
        messages.error(request, _("This upload has expired or was already imported: upload again."))
        return redirect("prisoners_import")
    choices = _choices(request, token)
    if rows := _background_rows(files):
        return _start(request, token, files, ImportJob.Step.WRITE, rows, choices)
    result = _run(request, token, files, publisher, choices=choices)
    if not result.ok:
        # Something changed since the preview: show what is wrong now.
        discard(request, token)
        return _preview(request, context, result, token, [name for name, _p in files])
    discard(request, token)
    messages.success(request, _("Imported. %(summary)s") % {"summary": _summary_text(result)})
    for notice in result.notices:
        messages.warning(request, str(notice))
    return redirect("admin:prisoners_person_changelist")


# The duplicate choice: a new person of the files who probably is someone
# recorded is the same person (same_as) or a different one (not_same_as), as
# the curator answers in the preview, without editing the file.


def _choices(request, token: str) -> dict:
    """The answers given in this session, or (coming back to a background
    import from another session) those its last check ran with."""
    chosen = request.session.get(f"import-{token}-choices")
    if chosen is None and token:
        checks = ImportJob.objects.filter(user=request.user, token=token, step="check")
        chosen = checks.values_list("choices", flat=True).first()
    return chosen or {}


def _match_context(request, result: ImportResult, token: str) -> dict:
    """What the choice include (import_matches.html) shows: the matches
    still open, with the token to answer them, and the answers given."""
    chosen = _choices(request, token) if token else {}
    return {
        "matches": result.matches,
        "match_token": token if result.matches else "",
        "chosen": [
            {"person_id": person_id, "same_as": answer}
            if isinstance(answer, str)
            else {"person_id": person_id, "not_same_as": answer}
            for person_id, answer in sorted(chosen.items())
        ],
    }


def _choose(request, context, token: str, publisher: bool):
    """Keep the curator's answers to the matches, then preview again."""
    files = stored(request, token)
    if files is None:
        messages.error(request, _("This upload has expired or was already imported: upload again."))
        return redirect("prisoners_import")
    choices = dict(_choices(request, token))
    for key, answer in request.POST.items():
        if not key.startswith("match-"):
            continue
        person_id = key.removeprefix("match-")
        if answer.startswith("same:"):
            choices[person_id] = answer.removeprefix("same:")
        elif answer == "different":
            candidates = request.POST.get(f"candidates-{person_id}", "").split()
            choices[person_id] = sorted(candidates)
    request.session[f"import-{token}-choices"] = choices
    if rows := _background_rows(files):
        return _start(request, token, files, ImportJob.Step.CHECK, rows, choices)
    result = _run(request, token, files, publisher, dry_run=True, choices=choices)
    _keep_or_discard(request, token, result)
    return _preview(request, context, result, token, [name for name, _p in files])


# In the background: an upload of IMPORT_BACKGROUND_ROWS rows or more is
# checked, and written once confirmed, by a task (import_jobs.py); the
# curator follows it on the job's page and may leave it and come back.


STATE_TEXTS = {
    ImportJob.State.QUEUED: _("Waiting for the worker to start it."),
    ImportJob.State.RUNNING: _("Running."),
    ImportJob.State.DONE: _("Done."),
    ImportJob.State.FAILED: _("Failed."),
}


# A job still queued after this long probably has no worker to run it.
WORKER_SILENT_SECONDS = 60
STOPPED = _(
    "The import stopped: the background worker ended before it finished (it was stopped, "
    "or the server restarted). Nothing was written: an import is written whole or not at "
    "all. Upload the files again."
)
NO_WORKER = _(
    "Still waiting: no background worker seems to be running. Ask the administrator "
    "to start it (manage.py db_worker); the import then starts by itself."
)


def _state_text(job: ImportJob, stopped: bool):
    if stopped:
        return STOPPED
    return NO_WORKER if _waiting_long(job) else STATE_TEXTS[job.state]


def _waiting_long(job: ImportJob) -> bool:
    waited = (timezone.now() - job.created_at).total_seconds()
    return job.state == ImportJob.State.QUEUED and waited > WORKER_SILENT_SECONDS


def _background_rows(files: list[tuple[str, Path]]) -> int | None:
    """The files' rows when they are many enough to go to the background."""
    rows = count_rows(files)
    return rows if rows >= settings.IMPORT_BACKGROUND_ROWS else None


def _start(request, token: str, files, step: str, rows: int, choices: dict | None = None):
    """Record a job for this step of the upload, enqueue it, show its page."""
    if step == ImportJob.Step.WRITE:
        started = ImportJob.objects.filter(token=token, step=step).first()
        if started:  # confirmed twice (a second click, the back button)
            return redirect("prisoners_import_job", started.pk)
    job = start_job(request.user, token, files, step, choices, _reading(request, token), rows)
    return redirect("prisoners_import_job", job.pk)


def _own_job(request, pk: int) -> ImportJob:
    """A job its user (or a superuser) may see; anyone else gets a 404."""
    jobs = ImportJob.objects.all() if request.user.is_superuser else request.user.import_jobs
    return get_object_or_404(jobs, pk=pk)


def job_status(job: ImportJob) -> dict:
    """What the progress page shows, and its script reads as JSON: the
    counts, the bar (a row read and a record written count one each; before
    the write pass, as many records as rows) and texts in the page's language."""
    counts = read_progress(job, store() / job.token)
    left = seconds_left(job, counts)
    stopped = has_stopped(job, store() / job.token)
    return {
        "id": job.pk,
        "step": job.step,
        "state": job.state,
        # A running job whose worker is gone ends there (import_jobs.has_stopped).
        "stopped": stopped,
        "finished": job.finished or stopped,
        **counts,
        "progress_value": counts["rows_checked"] + counts["records_written"],
        "progress_max": counts["rows_total"] + (counts["records_total"] or counts["rows_total"]),
        "seconds_left": left,
        "state_text": str(_state_text(job, stopped)),
        # The file's errors, in the page's language (the job keeps them as msgids).
        "errors": job_errors(job),
        "time_left": (
            ngettext("about %(seconds)s second", "about %(seconds)s seconds", left)
            % {"seconds": left}
            if left is not None
            else gettext("not known yet")
        ),
    }


def job_view(request, admin_site, pk: int):
    """A background import: its progress while queued or running, then the
    preview (after the check) or what was imported (after the write). The
    preview's forms post here, as they post to the import page."""
    if not can_import(request.user):
        raise PermissionDenied
    job = _own_job(request, pk)
    if request.method == "POST":
        return import_view(request, admin_site)
    context = {
        **admin_site.each_context(request),
        "title": _("Import records"),
        "opts": Person._meta,
        "can_publish": can_publish(request.user),
        "job": job,
        "status": job_status(job),
    }
    if job.state == ImportJob.State.DONE and job.step == ImportJob.Step.CHECK:
        return _job_preview(request, context, job)
    if job.state == ImportJob.State.DONE:
        messages.success(request, _("The import is done: the records are written."))
        context["summary"] = _summary_table(ImportResult(summary=job.result.get("summary", {})))
        context["notices"] = [from_data(notice) for notice in job.result.get("notices", [])]
    if job.state == ImportJob.State.FAILED:
        context.update(_failure(job))
    if context["status"]["stopped"]:
        context["failure"] = STOPPED
    return render(request, "admin/prisoners/import_job.html", context)


def _job_preview(request, context, job: ImportJob):
    """The preview of a background check, from what the task kept."""
    data = job.result
    kept = store() / job.token / "changes.json"
    if not data.get("errors") and not kept.is_file():
        messages.error(request, _("This upload has expired or was already imported: upload again."))
        return redirect("prisoners_import")
    if data.get("errors"):
        result = ImportResult(
            problems=[Problem.from_data(error) for error in data["errors"]],
            notices=[from_data(notice) for notice in data["notices"]],
            dry_run=True,
        )
        result.matches = [
            {
                **match,
                "candidates": [
                    {**c, "describe": from_data(c["describe"])} for c in match["candidates"]
                ],
            }
            for match in data.get("matches", [])
        ]
    else:
        result = _kept_result(job.token)
    return _preview(request, context, result, job.token, job.names)


def _failure(job: ImportJob) -> dict:
    reason = job.result.get("reason")
    why = {
        DATABASE_GONE: _("The database went away while importing: nothing was written. Try again."),
        EXPIRED: _("This upload has expired or was already imported: upload again."),
        CRASHED: _("The import stopped on an unexpected error: nothing was written (%(error)s).")
        % {"error": job.failure},
    }.get(reason, "")
    return {"failure": why, "errors": job_errors(job)}


def job_errors(job: ImportJob) -> list[str]:
    """A job's error lines, in the language active now."""
    return [str(Problem.from_data(error)) for error in job.result.get("errors", [])]


def job_status_view(request, pk: int):
    if not can_import(request.user):
        raise PermissionDenied
    return JsonResponse(job_status(_own_job(request, pk)))


def import_urls(admin_site) -> list[URLPattern]:
    """URL patterns to include under the admin's prefix, before the admin's own:
    ``path("admin/", include(import_urls(admin.site)))``."""

    def view(request):
        return import_view(request, admin_site)

    def job(request, pk):
        return job_view(request, admin_site, pk)

    return [
        path("prisoners/import/", admin_site.admin_view(view), name="prisoners_import"),
        path(
            "prisoners/import/jobs/<int:pk>/",
            admin_site.admin_view(job),
            name="prisoners_import_job",
        ),
        path(
            "prisoners/import/jobs/<int:pk>/status/",
            admin_site.admin_view(job_status_view),
            name="prisoners_import_job_status",
        ),
    ]
