"""The data version: one row every process reads (prisoners/data_version.py)."""

from django.db import models


class DataVersion(models.Model):
    """The one row (pk 1) that says which state of the records a cached page
    shows (``version``, moved on every commit that changed a record) and
    when public data last changed (``public_changed_at``). In the database,
    not in a process's memory, so that every worker sees the same."""

    derived = True  # not a record: no history, no signals, never exported

    version = models.BigIntegerField(default=0)
    public_changed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"version {self.version}, public data changed {self.public_changed_at}"
