"""The curators' admin: model admins, forms, actions, history and the
import screens. Django's autodiscovery imports this package."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from . import (
    mapping,  # noqa: F401  (registers the saved column mappings)
    model_admins,  # noqa: F401  (registers the model admins)
    places,  # noqa: F401  (registers facilities and the letter-writing guide)
    sanctions,  # noqa: F401  (registers sanctions targets)
    sentences,  # noqa: F401  (registers sentence changes, the detention's inline)
)

# django-tasks-db registers its task results in the admin: English-only raw
# rows of every task. Curators follow their imports on the job's page
# (imports.py); the worker's log has the tracebacks.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
