"""Import files of the format: check everything, then write everything.

The first pass streams every record of every file, checks each cell and keeps
a compact plan per person and per event (parsed values only). The second step
checks what spans rows, files and the database: references, order of dates,
one open detention, a source for a published person. Only when nothing is
wrong does the write pass run, in one transaction. New people, with their
detentions and releases, are inserted in bulk with the columns their save()
would derive (Person.derive_from_names, Detention.end_with, then
PersonQuerySet.refresh_status for each chunk); stored records go through
their model's save(), and only when something in them changed, so importing
the same files again writes nothing. Either way one history row records who
did it (saving.HistoryBatch).
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import DatabaseError, OperationalError, transaction
from django.db.models import Prefetch

from ..data_version import bump_data_version
from ..history import acting_as
from ..models import (
    NON_CUSTODIAL,
    Charge,
    Detention,
    EndReason,
    Facility,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    Source,
)
from ..partial_dates import PartialDate
from .columns import (
    EMPTY_DETENTION,
    PERSON_COLUMN_NAMES,
    PRISONERS,
    RELEASE_COLUMN_NAMES,
    RELEASE_EVENTS,
    SANCTIONS_EVENTS,
    VISIBILITY_OF,
    Kind,
    detention_values,
    person_values,
    release_event_values,
    sanctions_event_values,
)
from .reading import Problems, Table
from .saving import HistoryBatch, Inserts, Links, References, chunks

SUMMARY_KINDS = ["people", "detentions", "releases", "release events", "sanctions events"]
PUBLISHED_IGNORED = (
    "The published column is ignored: only an editor may publish. New records are "
    "created unpublished and existing ones keep their state."
)

FileArg = str | os.PathLike | tuple[str, BinaryIO | bytes | str | os.PathLike]
Progress = Callable[[Iterable, int | None, str], Iterable]


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    summary: dict[str, Counter] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_lines(self) -> list[str]:
        """``people: 3 created, 1 updated, 10 unchanged`` for each kind touched."""
        lines = []
        for kind in SUMMARY_KINDS:
            counts = self.summary.get(kind, Counter())
            if not counts.total():
                continue
            parts = [f"{counts[w]} {w}" for w in ("created", "updated", "unchanged")]
            if counts["deleted"]:
                parts.append(f"{counts['deleted']} deleted")
            lines.append(f"{kind}: {', '.join(parts)}")
        return lines or ["nothing to import"]

    def __str__(self) -> str:
        if not self.ok:
            return "\n".join(self.errors)
        head = ["Dry run: nothing was written."] if self.dry_run else []
        return "\n".join(head + self.notices + self.summary_lines())


def run_import(
    files: Iterable[FileArg],
    *,
    user=None,
    via: str = "command line",
    can_publish: bool = True,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check ``files`` together and, if nothing is wrong, write them in one
    transaction (rolled back when ``dry_run``, which still counts what would
    change). ``files`` are paths or ``(display name, binary file or bytes)``
    pairs; errors name each file by its path or display name.

    ``can_publish=False`` is a curator's import: new records are unpublished
    and the ``published`` column is ignored (with a notice), never an error,
    so that a curator can import a file exported with every column.

    Raises OperationalError when the database goes away (or times out)
    while writing: nothing is written, and the files can be imported again."""
    importer = Importer(can_publish=can_publish, progress=progress)
    importer.read(files)
    importer.check()
    if not importer.problems:
        try:
            with transaction.atomic(), acting_as(user, via):
                importer.write(user, via)
                if dry_run:
                    transaction.set_rollback(True)
        except OperationalError:
            # The database went away (or timed out): not a fault of the
            # file. The admin answers its 503 page and keeps the upload.
            raise
        except (DatabaseError, ValidationError) as error:
            # The checks should have caught it; say where it happened.
            path, line, what = importer.writing
            importer.problems.add(path, line, "-", f"the database refused {what}: {error}")
    return ImportResult(
        errors=importer.problems.lines(),
        summary=importer.counts if not importer.problems else {},
        notices=importer.notices,
        dry_run=dry_run,
    )


NOTHING: frozenset[str] = frozenset()


class PersonPlan:
    """What the files say about one person: the person columns (first value
    given for each), where each was given, and their detentions."""

    __slots__ = ("broken", "detentions", "line", "lines", "path", "person_id", "present", "values")

    def __init__(self, person_id: str, path: str, line: int, present: frozenset):
        self.person_id, self.path, self.line, self.present = person_id, path, line, present
        self.values: dict = {}
        # Where a value was given, when not on the person's first row.
        self.lines: dict[str, tuple[str, int]] = {}
        self.detentions: list[RowPlan] = []
        self.broken: frozenset[str] = NOTHING

    def at(self, column: str) -> tuple[str, int]:
        """Where to report a problem with a person column."""
        return self.lines.get(column, (self.path, self.line))


class RowPlan:
    """One detention row, or one event row: its non-empty values."""

    __slots__ = ("broken", "key", "line", "path", "present", "values")

    def __init__(self, key: str, path: str, line: int, present: frozenset, values, broken):
        self.key, self.path, self.line, self.present = key, path, line, present
        self.values, self.broken = values, broken


def _empty(value) -> bool:
    return value is None or value == "" or value == ()


def _date(text: str) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


@contextmanager
def _opened(item: FileArg) -> Iterator[tuple[str, BinaryIO]]:
    if isinstance(item, str | os.PathLike):
        name, source = str(item), item
    else:
        name, source = item
    if isinstance(source, bytes | bytearray):
        yield name, io.BytesIO(source)
    elif isinstance(source, str | os.PathLike):
        with open(source, "rb") as binary:
            yield name, binary
    else:
        yield name, source


@contextmanager
def _pending_end(detention: Detention, released_on: PartialDate | None):
    """Save a detention already ended by the release about to be saved.

    compute_end() reads the release from the database, where it is not yet: a
    detention saved first as open would break "one open detention per person"
    while the person has another, and would write a second history row. Around
    the release's own save, it spares reading back what was just written."""
    if released_on is None:
        yield
        return
    detention.compute_end = lambda: (EndReason.RELEASE, released_on)
    try:
        yield
    finally:
        del detention.compute_end


@contextmanager
def _status_later(person: Person, later: list):
    """Leave the person's status to be derived once for a whole chunk of
    people (PersonQuerySet.refresh_status, the one path that writes it),
    rather than on every save of the person and of each of their detentions."""
    person.refresh_status = lambda: None
    try:
        yield
    finally:
        del person.refresh_status
    if person.pk:
        later.append(person.pk)


def _release_given(values: dict) -> bool:
    return any(not _empty(values[c]) for c in RELEASE_COLUMN_NAMES)


def _is_open(values: dict, died_on: str) -> bool:
    return (
        not _release_given(values) and values["sentence_type"] not in NON_CUSTODIAL and not died_on
    )


PERSON_SCALARS = [
    c for c in PERSON_COLUMN_NAMES if c not in ("person_id", "organizations", "person_sources")
]
DETENTION_SCALARS = ["detained_on", "sentence_type", "sentence_months", "sentenced_on", "facility"]
NEW_PERSON = {c.name: c.empty for c in PRISONERS.columns if c.of_person} | {"published": "no"}
# (column, many-to-many field, model of the names)
PERSON_M2M = [
    ("organizations", "organizations", Organization),
    ("person_sources", "sources", Source),
]
DETENTION_M2M = [("charges", "charges", Charge), ("sources", "sources", Source)]


class Importer:
    def __init__(self, *, can_publish: bool, progress: Progress | None = None):
        self.can_publish = can_publish
        self.progress = progress or (lambda items, total, desc: items)
        self.problems = Problems()
        self.notices: list[str] = []
        self.people: dict[str, PersonPlan] = {}
        self.detentions: dict[str, RowPlan] = {}
        self.events: dict[Kind, dict[str, RowPlan]] = {RELEASE_EVENTS: {}, SANCTIONS_EVENTS: {}}
        # Reference rows named in the files, by model: created when new.
        self.names: dict[type, set[str]] = {
            m: set() for m in (Source, Organization, Charge, Facility)
        }
        self.release_event_dates: dict[str, str] = {}
        self.counts: dict[str, Counter] = {kind: Counter() for kind in SUMMARY_KINDS}
        # Where the write pass is, to name it if the database refuses a write.
        self.writing: tuple[str, int, str] = ("-", 0, "the record")

    # Reading: one pass over every record, cell checks and person accumulation.

    def read(self, files: Iterable[FileArg]) -> None:
        for item in files:
            with _opened(item) as (name, source):
                table = Table(name, source, self.problems)
                if table.kind is None:
                    continue
                ignored = "published" in table.present and not self.can_publish
                if ignored and PUBLISHED_IGNORED not in self.notices:
                    self.notices.append(PUBLISHED_IGNORED)
                records = self.progress(table.records(), None, name)
                if table.kind is PRISONERS:
                    self._read_prisoners(table, records)
                else:
                    self._read_events(table, records)

    def _parse(self, table: Table, line: int, cells: dict[str, str]) -> tuple[dict, set]:
        values, broken = {}, set()
        for name, cell in cells.items():
            column = table.kind.by_name[name]
            try:
                value = column.parse(cell)
            except ValueError as error:
                table.problem(line, name, str(error))
                broken.add(name)
                continue
            if not _empty(value):
                values[name] = value
            elif column.required and (table.kind is not PRISONERS or name == "person_id"):
                # A person's name may be given on one of their rows only.
                table.problem(line, name, "a value is required")
                broken.add(name)
        return values, frozenset(broken) if broken else NOTHING

    def _remember_names(self, values: dict, *pairs: tuple[str, type]) -> None:
        for column, model in pairs:
            value = values.get(column)
            if value:
                self.names[model].update((value,) if isinstance(value, str) else value)

    def _read_prisoners(self, table: Table, records) -> None:
        person_columns = frozenset(c for c in table.present if table.kind.by_name[c].of_person)
        detention_columns = table.present - person_columns
        for line, cells in records:
            values, broken = self._parse(table, line, cells)
            person_id = values.get("person_id")
            if not person_id:
                continue
            person = self.people.get(person_id)
            if person is None:
                person = PersonPlan(person_id, table.path, line, person_columns)
                self.people[person_id] = person
            elif not person_columns <= person.present:
                person.present = person.present | person_columns
            self._agree(table, line, person, values, broken & person_columns)
            self._remember_names(
                values, ("organizations", Organization), ("person_sources", Source)
            )
            detention = {c: v for c, v in values.items() if c in detention_columns}
            detention_broken = broken & detention_columns
            if detention or detention_broken:
                self._read_detention(table, line, person, detention, detention_broken)

    def _agree(self, table: Table, line: int, person: PersonPlan, values: dict, broken) -> None:
        """Person columns agree across a person's rows; an empty cell agrees."""
        if broken:
            person.broken = person.broken | broken
        first_row = line == person.line and table.path == person.path
        for column in person.present:
            value = values.get(column)
            if value is None or column == "person_id":
                continue
            earlier = person.values.get(column)
            if earlier is None:
                person.values[column] = value
                if not first_row:
                    person.lines[column] = (table.path, line)
            elif earlier != value:
                path, earlier_line = person.at(column)
                where = f"line {earlier_line}" if path == table.path else f"{path}:{earlier_line}"
                written = table.kind.by_name[column].write(earlier)
                table.problem(
                    line,
                    column,
                    f"disagrees with {where} for person {person.person_id}, "
                    f"which gives {written!r}",
                )

    def _read_detention(self, table, line, person: PersonPlan, values, broken) -> None:
        detention_id = values.get("detention_id")
        if not detention_id:
            if "detention_id" in broken or "detained_on" in broken:
                return
            if "detained_on" not in values:
                table.problem(
                    line, "detention_id", "a detention_id is required when detained_on is empty"
                )
                return
            detention_id = f"{person.person_id}-{values['detained_on']}"
            if len(detention_id) > 150:
                table.problem(
                    line, "detention_id", "the default id is longer than 150 characters: give one"
                )
                return
        earlier = self.detentions.get(detention_id)
        if earlier is not None:
            where = f"line {earlier.line}" if earlier.path == table.path else earlier.path
            table.problem(
                line, "detention_id", f"detention {detention_id} is already given on {where}"
            )
            return
        plan = RowPlan(detention_id, table.path, line, table.present, values, broken)
        self.detentions[detention_id] = plan
        person.detentions.append(plan)
        self._remember_names(
            values, ("charges", Charge), ("facility", Facility), ("sources", Source)
        )

    def _read_events(self, table: Table, records) -> None:
        events = self.events[table.kind]
        for line, cells in records:
            values, broken = self._parse(table, line, cells)
            event_id = values.get("event_id")
            if not event_id:
                continue
            earlier = events.get(event_id)
            if earlier is not None:
                where = f"line {earlier.line}" if earlier.path == table.path else earlier.path
                table.problem(line, "event_id", f"event {event_id} is already given on {where}")
                continue
            events[event_id] = RowPlan(event_id, table.path, line, table.present, values, broken)
            self._remember_names(values, ("sources", Source))

    # Checking what spans rows, files and the database.

    def check(self) -> None:
        self._check_new_events()
        self._check_release_event_references()
        self._check_sanctions_references()
        self._check_detention_owners()
        for chunk in chunks(self.people.values()):
            stored = self._stored_people(chunk)
            for plan in chunk:
                self._check_person(plan, stored.get(plan.person_id))

    def _check_new_events(self) -> None:
        """A new event needs its required columns (a stored one keeps the
        values of absent columns)."""
        for kind, model in ((RELEASE_EVENTS, ReleaseEvent), (SANCTIONS_EVENTS, SanctionsEvent)):
            plans = self.events[kind]
            stored = set()
            for chunk in chunks(plans):
                stored.update(
                    model.objects.filter(event_id__in=chunk).values_list("event_id", flat=True)
                )
            for plan in plans.values():
                if plan.key in stored:
                    continue
                for column in kind.columns:
                    if column.required and column.name not in plan.present:
                        self.problems.add(plan.path, plan.line, column.name, "a value is required")

    def _check_release_event_references(self) -> None:
        in_files = self.events[RELEASE_EVENTS]
        for event_id, plan in in_files.items():
            if "date" in plan.values:
                self.release_event_dates[event_id] = plan.values["date"]
        wanted = {
            d.values["release_event"]
            for d in self.detentions.values()
            if d.values.get("release_event") and d.values["release_event"] not in in_files
        }
        for chunk in chunks(wanted):
            for event in ReleaseEvent.objects.filter(event_id__in=chunk):
                self.release_event_dates[event.event_id] = str(event.date)
        for plan in self.detentions.values():
            event_id = plan.values.get("release_event")
            if event_id and event_id not in in_files and event_id not in self.release_event_dates:
                self.problems.add(
                    plan.path,
                    plan.line,
                    "release_event",
                    f"unknown release event {event_id!r}: not in the database "
                    "nor in a release events file of this import",
                )

    def _check_sanctions_references(self) -> None:
        in_files = self.events[SANCTIONS_EVENTS]
        wanted = {
            event_id
            for plan in self.events[RELEASE_EVENTS].values()
            for event_id in plan.values.get("sanctions", ())
            if event_id not in in_files
        }
        stored = set()
        for chunk in chunks(wanted):
            stored.update(
                SanctionsEvent.objects.filter(event_id__in=chunk).values_list("event_id", flat=True)
            )
        for plan in self.events[RELEASE_EVENTS].values():
            for event_id in plan.values.get("sanctions", ()):
                if event_id not in in_files and event_id not in stored:
                    self.problems.add(
                        plan.path,
                        plan.line,
                        "sanctions",
                        f"unknown sanctions event {event_id!r}: not in the database "
                        "nor in a sanctions events file of this import",
                    )

    def _check_detention_owners(self) -> None:
        owner_of_row = {
            detention.key: person.person_id
            for person in self.people.values()
            for detention in person.detentions
        }
        for chunk in chunks(self.detentions):
            stored = Detention.objects.filter(detention_id__in=chunk).values_list(
                "detention_id", "person__person_id"
            )
            for detention_id, owner in stored:
                if owner != owner_of_row[detention_id]:
                    plan = self.detentions[detention_id]
                    self.problems.add(
                        plan.path,
                        plan.line,
                        "detention_id",
                        f"detention {detention_id} belongs to person {owner}",
                    )

    def _stored_people(self, plans: list[PersonPlan]) -> dict[str, Person]:
        detentions = Detention.objects.select_related(
            "facility", "release__release_event"
        ).prefetch_related("charges", "sources")
        people = Person.objects.filter(person_id__in=[p.person_id for p in plans])
        people = people.prefetch_related(
            "organizations", "sources", Prefetch("detentions", queryset=detentions)
        )
        return {person.person_id: person for person in people}

    def _final_person(self, plan: PersonPlan, stored: Person | None) -> dict:
        values = person_values(stored) if stored else dict(NEW_PERSON)
        for column in plan.present - plan.broken - {"person_id"}:
            if column == "published" and not self.can_publish:
                continue
            values[column] = plan.values.get(column, NEW_PERSON[column])
        values["published"] = values["published"] or "no"
        return values

    def _final_detentions(self, plan: PersonPlan, stored: Person | None) -> list[tuple]:
        """``(row plan or None, stored detention or None, final values)`` for
        each detention of the person: stored ones absent from the files first."""
        by_id = {d.detention_id: d for d in stored.detentions.all()} if stored else {}
        in_files = []
        for row in plan.detentions:
            detention = by_id.pop(row.key, None)
            values = detention_values(detention) if detention else dict(EMPTY_DETENTION)
            for column in row.present - row.broken - {"detention_id"}:
                if column in EMPTY_DETENTION:
                    values[column] = row.values.get(column, EMPTY_DETENTION[column])
            if not values["released_on"] and values["release_event"]:
                values["released_on"] = self.release_event_dates.get(values["release_event"], "")
            in_files.append((row, detention, values))
        return [(None, d, detention_values(d)) for d in by_id.values()] + in_files

    def _check_person(self, plan: PersonPlan, stored: Person | None) -> None:
        person = self._final_person(plan, stored)
        detentions = self._final_detentions(plan, stored)
        problem = self.problems.add
        if not person["name"] and "name" not in plan.broken:
            problem(plan.path, plan.line, "name", "a value is required")
        born, died = _date(person["born"]), _date(person["died_on"])
        if born and died and not died.not_before(born):
            problem(*plan.at("died_on"), "died_on", f"death ({died}) is before birth ({born})")
        recognized = _date(person["recognized_on"])
        withdrawn = _date(person["recognition_withdrawn_on"])
        if withdrawn and not recognized:
            problem(
                *plan.at("recognition_withdrawn_on"),
                "recognition_withdrawn_on",
                "recognition is withdrawn but was never given: recognized_on is empty",
            )
        elif withdrawn and not withdrawn.not_before(recognized):
            problem(
                *plan.at("recognition_withdrawn_on"),
                "recognition_withdrawn_on",
                f"the withdrawal ({withdrawn}) is before the recognition ({recognized})",
            )
        open_one = None
        for row, stored_detention, values in detentions:
            path, line = (row.path, row.line) if row else plan.at("died_on")
            detained = _date(values["detained_on"])
            sentenced = _date(values["sentenced_on"])
            released = _date(values["released_on"])
            if detained and sentenced and not sentenced.not_before(detained):
                problem(
                    path,
                    line,
                    "sentenced_on",
                    f"the sentence ({sentenced}) is before the arrest ({detained})",
                )
            if _release_given(values):
                if not released and not values["release_event"]:
                    problem(
                        path,
                        line,
                        "released_on",
                        "a release needs a date: give released_on or a release_event",
                    )
                if not values["release_type"] and not (row and "release_type" in row.broken):
                    problem(path, line, "release_type", "release_type is required with a release")
                if detained and released and not released.not_before(detained):
                    problem(
                        path,
                        line,
                        "released_on",
                        f"the release ({released}) is before the arrest ({detained})",
                    )
            if died and detained and not died.not_before(detained):
                path, line = (row.path, row.line) if row else plan.at("died_on")
                problem(
                    path,
                    line,
                    "died_on",
                    f"death ({died}) is before the arrest ({detained}) of detention "
                    f"{row.key if row else stored_detention.detention_id}",
                )
            if _is_open(values, person["died_on"]) and not (row and row.broken):
                if open_one is None:
                    open_one = row.key if row else stored_detention.detention_id
                else:
                    problem(
                        path,
                        line,
                        "detained_on",
                        f"a second open detention: detention {open_one} has not ended; "
                        "give its release (released_on, release_type) first",
                    )
        if person["published"] == "yes" and not (
            person["person_sources"] or any(values["sources"] for _r, _d, values in detentions)
        ):
            problem(
                *plan.at("published"),
                "published",
                "a published person needs a source: give person_sources or sources",
            )

    # Writing, once everything checked out.

    def write(self, user, via: str) -> None:
        self.history = HistoryBatch(user, via)
        self.inserts = Inserts()
        self.links = Links()
        self.status_pending: list[int] = []
        self.new_people: list[Person] = []
        self.references = References(self.names, user, via)
        self._write_events(
            SANCTIONS_EVENTS, SanctionsEvent, sanctions_event_values, "sanctions events"
        )
        self._write_events(RELEASE_EVENTS, ReleaseEvent, release_event_values, "release events")
        wanted = {
            d.values["release_event"]
            for d in self.detentions.values()
            if "release_event" in d.values
        }
        self.release_event_pks = {}
        for chunk in chunks(wanted):
            self.release_event_pks.update(
                ReleaseEvent.objects.filter(event_id__in=chunk).values_list("event_id", "pk")
            )
        plans = self.progress(self.people.values(), len(self.people), "writing")
        for chunk in chunks(plans):
            stored = self._stored_people(chunk)
            new = [plan for plan in chunk if plan.person_id not in stored]
            for plan in chunk:
                self.writing = (plan.path, plan.line, "the record")
                if plan.person_id in stored:
                    self._write_person(plan, stored[plan.person_id])
                else:
                    self._add_person(plan)
            if new:
                # Inserted together: the database cannot say which one it refused.
                self.writing = (new[0].path, new[0].line, "the new records written in bulk")
            self._flush()
        if any(c["created"] or c["updated"] or c["deleted"] for c in self.counts.values()):
            # Bulk inserts send no signals for the page cache to see.
            transaction.on_commit(bump_data_version)

    def _flush(self) -> None:
        self.inserts.flush()
        self.links.flush()
        self.history.flush()
        self.status_pending.extend(person.pk for person in self.new_people)
        self.new_people = []
        if self.status_pending:
            Person.objects.filter(pk__in=self.status_pending).refresh_status()
            self.status_pending = []

    def _write_events(self, kind: Kind, model, values_of, label: str) -> None:
        plans = self.events[kind]
        m2m = {"sources": Source}
        if kind is RELEASE_EVENTS:
            m2m["sanctions"] = SanctionsEvent
            wanted = {i for p in plans.values() for i in p.values.get("sanctions", ())}
            sanctions = {}
            for chunk in chunks(wanted):
                sanctions.update(
                    (e.event_id, e) for e in SanctionsEvent.objects.filter(event_id__in=chunk)
                )
        scalars = [c for c in kind.names if c not in m2m and c != "event_id"]
        for chunk in chunks(plans.values()):
            keys = [p.key for p in chunk]
            stored = {
                e.event_id: e
                for e in model.objects.filter(event_id__in=keys).prefetch_related(*m2m)
            }
            for plan in chunk:
                self.writing = (plan.path, plan.line, "the record")
                event = stored.get(plan.key)
                current = values_of(event) if event else {}
                final = dict(current) if event else {c.name: c.empty for c in kind.columns}
                for column in plan.present - plan.broken - {"event_id"}:
                    if column == "published" and not self.can_publish:
                        continue
                    final[column] = plan.values.get(column, kind.by_name[column].empty)
                final["published"] = bool(final["published"])
                changed = [c for c in scalars if final[c] != current.get(c, object())]
                if event is None:
                    event = model(event_id=plan.key)
                    self.history.add(event, "+")
                elif changed:
                    self.history.add(event, "~")
                for column in changed:
                    setattr(event, column, final[column])
                if changed:
                    event.save()
                m2m_changed = False
                for column, target in m2m.items():
                    if final[column] == current.get(column, ()):
                        continue
                    if target is Source:
                        objects = [self.references.get(Source, url) for url in final[column]]
                    else:
                        objects = [sanctions[event_id] for event_id in final[column]]
                    self._set(event, column, objects, created=not current)
                    m2m_changed = True
                self._count(label, not current, changed or m2m_changed)
            self._flush()

    def _set(self, instance, attribute: str, objects: list, created: bool) -> None:
        """Set a many-to-many field: in bulk for a new record, else through the
        related manager (with one history row for the record)."""
        if created:
            self.links.add(instance, attribute, objects)
        else:
            self.history.add(instance, "~")
            getattr(instance, attribute).set(objects)

    def _count(self, label: str, created: bool, changed) -> None:
        self.counts[label]["created" if created else "updated" if changed else "unchanged"] += 1

    def _set_person_columns(self, person: Person, current: dict, final: dict) -> list[str]:
        """Set the person columns that differ from ``current``; their names."""
        changed = [c for c in PERSON_SCALARS if final[c] != current.get(c, object())]
        for column in changed:
            if column == "published":
                person.visibility = VISIBILITY_OF[final["published"]]
            elif column == "aliases":
                person.aliases = "; ".join(final["aliases"])
            else:
                setattr(person, column, final[column])
        return changed

    def _set_detention_columns(self, detention: Detention, current: dict, final: dict) -> list[str]:
        """Set the detention columns that differ from ``current``; their names."""
        changed = [c for c in DETENTION_SCALARS if final[c] != current[c]]
        for column in changed:
            if column == "facility":
                name = final["facility"]
                detention.facility = self.references.get(Facility, name) if name else None
            else:
                setattr(detention, column, final[column])
        return changed

    def _set_release_columns(self, release: Release, final: dict) -> None:
        release.released_on = final["released_on"]
        release.release_type = final["release_type"]
        event_id = final["release_event"]
        release.release_event_id = self.release_event_pks[event_id] if event_id else None
        release.released_to = final["released_to"]

    def _insert(self, instance) -> None:
        self.history.add(instance, "+")
        self.inserts.add(instance)

    def _add_person(self, plan: PersonPlan) -> None:
        """A new person, their detentions and releases: inserted in bulk on
        _flush(), with the columns their save() would derive (status is
        derived for the whole chunk once they are in)."""
        final = self._final_person(plan, None)
        person = Person(person_id=plan.person_id)
        self._set_person_columns(person, {}, final)
        person.derive_from_names()
        self._insert(person)
        self.new_people.append(person)
        self._set_m2m(person, {}, final, PERSON_M2M)
        self._count("people", True, True)
        for row, _stored, values in self._final_detentions(plan, None):
            detention = Detention(detention_id=row.key, person=person)
            self._set_detention_columns(detention, EMPTY_DETENTION, values)
            release_given = _release_given(values)
            released_on = _date(values["released_on"]) if release_given else None
            detention.end_reason, detention.ended_on = detention.end_with(released_on)
            self._insert(detention)
            self._set_m2m(detention, {}, values, DETENTION_M2M)
            self._count("detentions", True, True)
            if release_given:
                release = Release(detention=detention)
                self._set_release_columns(release, values)
                self._insert(release)
                self._count("releases", True, True)

    def _write_person(self, plan: PersonPlan, stored: Person) -> None:
        """A stored person: saved (with their detentions and releases) only
        where something changed."""
        final = self._final_person(plan, stored)
        detentions = self._final_detentions(plan, stored)
        current = person_values(stored)
        changed = self._set_person_columns(stored, current, final)
        # Closed detentions first: the one left open comes last, so that at no
        # moment does the person have two.
        detentions.sort(key=lambda d: _is_open(d[2], final["died_on"]))
        with _status_later(stored, self.status_pending):
            for row, detention, values in detentions:
                if row is not None:
                    self.writing = (row.path, row.line, "the record")
                    self._write_detention(stored, row, detention, values)
            self.writing = (plan.path, plan.line, "the record")
            if changed:
                self.history.add(stored, "~")
                stored.save()
        m2m_changed = self._set_m2m(stored, current, final, PERSON_M2M)
        self._count("people", False, changed or m2m_changed)

    def _set_m2m(self, instance, current: dict, final: dict, fields) -> bool:
        """Set the many-to-many fields whose names differ from ``current``
        (empty for a new record); whether any did."""
        changed = False
        for column, attribute, model in fields:
            if final[column] != current.get(column, ()):
                objects = [self.references.get(model, name) for name in final[column]]
                self._set(instance, attribute, objects, created=not current)
                changed = True
        return changed

    def _write_detention(self, person, row: RowPlan, stored: Detention | None, final) -> None:
        """A detention of a stored person, and its release, saved."""
        current = detention_values(stored) if stored else EMPTY_DETENTION
        detention = stored or Detention(detention_id=row.key)
        detention.person = person
        changed = self._set_detention_columns(detention, current, final)
        release_given = _release_given(final)
        release_changed = any(final[c] != current[c] for c in RELEASE_COLUMN_NAMES)
        if changed or stored is None:
            self.history.add(detention, "+" if stored is None else "~")
            released_on = _date(final["released_on"]) if release_given else None
            with _pending_end(detention, released_on):
                detention.save()
        m2m_changed = self._set_m2m(detention, current if stored else {}, final, DETENTION_M2M)
        self._count("detentions", stored is None, changed or m2m_changed)
        release = getattr(stored, "release", None) if stored else None
        if release_changed and release_given:
            created = release is None
            if created:
                release = Release(detention=detention)
            self.history.add(release, "+" if created else "~")
            release.detention = detention
            self._set_release_columns(release, final)
            # The detention's end is known: no need to read it back.
            with _pending_end(detention, _date(final["released_on"])):
                release.save()
            self._count("releases", created, True)
        elif release_changed:
            release.detention = detention
            release.delete()
            self.counts["releases"]["deleted"] += 1
        elif release_given:
            self._count("releases", False, False)
