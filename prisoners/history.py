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
    """When public data last changed (None before any change), in one query:
    see data_version.py for what counts as a public change."""
    from .data_version import public_changed_at

    return public_changed_at()
