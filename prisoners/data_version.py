"""The data version: one number that every change of the records moves.

Every save, delete and import bumps it (signals on every model of the app;
bulk writes bump it themselves), so that the page cache, keyed on it, never
serves a page older than the records.
"""

from __future__ import annotations

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

VERSION_KEY = "tracker:data-version"


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh cache: start from a value no earlier page can carry.
        version = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_data_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        data_version()
        cache.incr(VERSION_KEY)


def records_changed(**kwargs) -> None:
    """A save, delete or many-to-many change: bump now, and again once it is
    committed, since a page built in between shows the records before the
    change under the new version."""
    bump_data_version()
    transaction.on_commit(bump_data_version)


def connect_signals() -> None:
    for model in apps.get_app_config("prisoners").get_models():
        if getattr(model, "derived", False):
            continue  # stored figures follow the records; they are not records
        uid = f"bump-data-version-{model._meta.label}"
        post_save.connect(records_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(records_changed, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(records_changed, dispatch_uid="bump-data-version-m2m")
