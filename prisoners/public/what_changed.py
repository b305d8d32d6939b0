"""/changes/ as CSV rows (its input: filters.ask_changes())."""

from __future__ import annotations

from ..changes import Changes
from .citation import absolute

COLUMNS = [
    "day",
    "change",
    "person_id",
    "name",
    "url",
    "fields",
    "detained_on",
    "released_on",
    "release_type",
    "release_event",
    "not_named",
]


def rows(changes: Changes):
    """The changes as CSV rows: one a named change (by day), then one a
    group with people not named, with their number only."""
    yield COLUMNS
    for group in changes.groups:
        for change in group.changes:
            person = change.person
            event = change.release_event
            yield [
                change.day.isoformat(),
                group.kind.value,
                person.person_id,
                person.name,
                absolute(person.get_absolute_url()),
                ";".join(change.fields),
                str(change.detained_on or ""),
                str(change.released_on or ""),
                change.release_type,
                event.event_id if event else "",
                "",
            ]
        if group.not_named:
            yield ["", group.kind.value, *[""] * (len(COLUMNS) - 3), group.not_named]
