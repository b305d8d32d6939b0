"""Export records in the interchange format, streamed.

Each ``*_rows`` generator yields the header, then one list of cells per row,
reading the queryset in chunks with its related rows prefetched per chunk: the
number of queries grows with the number of chunks, never with the rows, and
memory stays flat. ``csv_files.csv_lines`` turns rows into text for a
streaming HTTP response; ``export_records`` writes the three files to a
directory. The public form asks prisoners.privacy who and what may be shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.db.models import QuerySet

from .. import privacy
from ..models import Person, ReleaseEvent, SanctionsEvent
from .bulk_values import people_values
from .columns import (
    EMPTY_DETENTION,
    FACILITIES,
    NAMES,
    PRISONERS,
    RELEASE_EVENTS,
    SANCTIONS_EVENTS,
    SANCTIONS_TARGETS,
    SENTENCE_CHANGES,
    STAYS,
    Kind,
)
from .csv_files import write_csv
from .event_values import release_event_values, sanctions_event_values
from .facilities import facility_rows, stay_rows
from .names import name_rows
from .sentence_changes import sentence_change_rows
from .targets import target_rows

CHUNK = 1000


def _header(kind: Kind, public: bool) -> list[str]:
    if not public:
        return kind.names
    private = privacy.private_field_names()
    return [name for name in kind.names if name not in private]


def _cells(kind: Kind, header: list[str], values: dict) -> list[str]:
    return [kind.by_name[name].write(values[name]) for name in header]


def prisoner_rows(
    people: QuerySet, public: bool = False, at: datetime | None = None
) -> Iterator[list[str]]:
    """prisoners.csv: one row per detention, a person without any detention on
    one row. Public: published people only (never anonymous or drafts), no
    internal_notes, no link to an unpublished release event. With ``at``,
    each person's values as the history read before that moment (as_of)."""
    header = _header(PRISONERS, public)
    yield header
    if public:
        people = privacy.public(people)
    # The order of the queryset (a list's sorting), then chunks read in bulk.
    pks = list(people.values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        for values, detentions in people_values(pks[start : start + CHUNK], public, at):
            for row in detentions or [EMPTY_DETENTION]:
                yield _cells(PRISONERS, header, values | row)


def release_event_rows(events: QuerySet, public: bool = False) -> Iterator[list[str]]:
    """release_events.csv. Public: published events, published sanctions only."""
    header = _header(RELEASE_EVENTS, public)
    yield header
    if public:
        events = privacy.public(events)
    events = events.prefetch_related("sanctions", "sources")
    for event in events.iterator(chunk_size=CHUNK):
        yield _cells(RELEASE_EVENTS, header, release_event_values(event, public))


def sanctions_event_rows(events: QuerySet, public: bool = False) -> Iterator[list[str]]:
    """sanctions_events.csv. Public: published events only."""
    header = _header(SANCTIONS_EVENTS, public)
    yield header
    if public:
        events = privacy.public(events)
    for event in events.prefetch_related("targets", "sources").iterator(chunk_size=CHUNK):
        yield _cells(SANCTIONS_EVENTS, header, sanctions_event_values(event))


def export_records(directory: str | Path, public: bool = False) -> dict[str, int]:
    """Write prisoners.csv, release_events.csv, sanctions_events.csv,
    sanctions_targets.csv, facilities.csv, stays.csv and sentence_changes.csv
    (and, unless ``public``, names.csv) into ``directory`` (created if
    needed); return the number of rows of each."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        PRISONERS.filename: prisoner_rows(Person.objects.order_by("person_id"), public),
        RELEASE_EVENTS.filename: release_event_rows(
            ReleaseEvent.objects.order_by("date_first", "event_id"), public
        ),
        SANCTIONS_EVENTS.filename: sanctions_event_rows(
            SanctionsEvent.objects.order_by("date_first", "event_id"), public
        ),
        FACILITIES.filename: facility_rows(public),
        STAYS.filename: stay_rows(public=public),
        SANCTIONS_TARGETS.filename: target_rows(public=public),
    }
    # Sentence changes are public as the sentence is: a published person's.
    files[SENTENCE_CHANGES.filename] = sentence_change_rows(Person.objects.all(), public)
    if not public:
        # Names a curator gave, also those no published record uses yet:
        # a backup's, not a public file.
        files[NAMES.filename] = name_rows()
    # Rows written, less the header.
    return {filename: write_csv(directory / filename, rows) - 1 for filename, rows in files.items()}
