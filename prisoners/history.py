"""Who made a change: the logged-in user in the admin, or the user named on
the command line, or "command line" when nobody is named."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

_actor: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("actor", default=None)


@contextmanager
def acting_as(user=None, via: str = "command line"):
    """Record every change made inside the block as made by ``user`` through
    ``via`` (shown as the change reason in the history)."""
    token = _actor.set((user, via))
    try:
        yield
    finally:
        _actor.reset(token)


def history_user(request=None, **kwargs):
    actor = _actor.get()
    if actor is not None:
        return actor[0]
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(pre_create_historical_record)
def _note_how_the_change_was_made(sender, history_instance, **kwargs):
    actor = _actor.get()
    if actor is not None and not history_instance.history_change_reason:
        history_instance.history_change_reason = actor[1]


def data_last_changed():
    """When any record last changed: the latest history date over every
    historical table of the app, in one query (None before any change)."""
    from django.apps import apps
    from django.db import connection

    tables = [
        model._meta.db_table
        for model in apps.get_app_config("prisoners").get_models()
        if model.__name__.startswith("Historical")
        and any(f.name == "history_date" for f in model._meta.concrete_fields)
    ]
    if not tables:
        return None
    quote = connection.ops.quote_name
    union = " UNION ALL ".join(
        f"SELECT MAX(history_date) AS changed FROM {quote(t)}" for t in tables
    )
    history_date = apps.get_model("prisoners", "HistoricalPerson")._meta.get_field("history_date")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(changed) FROM ({union}) AS latest")
        value = cursor.fetchone()[0]
    if value is None:
        return None
    # SQLite gives text; let the field's converters make it a datetime.
    for converter in connection.ops.get_db_converters(
        history_date.get_col(history_date.model._meta.db_table)
    ):
        value = converter(value, history_date, connection)
    return value
