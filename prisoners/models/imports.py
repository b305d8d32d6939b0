"""An import that runs in the background: who started it, where its files
wait, how far it is, and what came of it."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import ImportState, ImportStep


class ImportJob(models.Model):
    """One step (check or write) of an admin import, run as a task.

    While the task runs, its counters are kept beside the upload
    (``progress-<job>.json``, see ``admin/import_jobs.py``), not in this row: the
    write happens in one transaction, and a row updated inside it would not
    be seen by the progress page until the end. The row gets the final
    counters and the result when the step ends."""

    Step = ImportStep
    State = ImportState

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("user"),
    )
    # The upload's directory under settings.IMPORT_DIR, and the files' own names.
    token = models.CharField(_("upload"), max_length=64)
    names = models.JSONField(_("files"), default=list)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    # The curator's answers to probable matches (see interchange/matching.py).
    choices = models.JSONField(default=dict)
    # How the files are read (the admin's reading screens): a column mapping
    # and an encoding, as run_import takes them.
    reading = models.JSONField(default=dict)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    records_total = models.PositiveIntegerField(_("records"), default=0)
    records_written = models.PositiveIntegerField(_("records written"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # {"summary", "errors", "notices", "changes", "matches"}: what the
    # preview shows (ImportResult, as kept by admin/import_jobs.py).
    result = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    # Why a step failed when it is not the files' fault (the database went away, a crash).
    failure = models.TextField(_("failure"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A curator's recent imports, on the import page.
            models.Index(fields=["user", "-created_at"], name="import_job_recent"),
        ]

    def __str__(self) -> str:
        return f"{', '.join(self.names)} ({self.get_step_display()}, {self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
