"""The read pass of an import: one pass over every record of every file,
checking each cell, into a compact plan per person and per event (parsed
values only), and the final values of a person that the checks and the
write pass both read: what is stored, with what the files change.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from django.db.models import Prefetch

from .. import rules
from ..messages import Message, reason, say
from ..models import Charge, Detention, Facility, Organization, Person, Source, Stay
from ..partial_dates import PartialDate
from . import dates
from .bulk_values import not_same_as_of
from .columns import (
    EMPTY_DETENTION,
    FACILITIES,
    IDENTITY_COLUMN_NAMES,
    NAMES,
    PERSON_COLUMN_NAMES,
    PRISONERS,
    RELEASE_COLUMN_NAMES,
    SANCTIONS_TARGETS,
    SENTENCE_CHANGES,
    STAYS,
    detention_values,
    person_values,
)
from .reading import UNREADABLE, Table

FileArg = str | os.PathLike | tuple[str, BinaryIO | bytes | str | os.PathLike]
PUBLISHED_IGNORED = say(
    "The published column is ignored: only an editor may publish. New records are "
    "created unpublished and existing ones keep their state."
)
NOTHING: frozenset[str] = frozenset()
REQUIRED = say("a value is required")


class PersonPlan:
    """What the files say about one person: the person columns (first value
    given for each), where each was given, and their detentions."""

    __slots__ = (
        "broken",
        "detentions",
        "file_id",
        "line",
        "lines",
        "path",
        "person_id",
        "present",
        "values",
    )

    def __init__(self, person_id: str, path: str, line: int, present: frozenset):
        self.person_id, self.path, self.line, self.present = person_id, path, line, present
        # The id the files give; person_id becomes the recorded person's id
        # when the row describes someone recorded under another (matching.py).
        self.file_id = person_id
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

    __slots__ = ("broken", "file_key", "key", "line", "path", "present", "values")

    def __init__(self, key: str, path: str, line: int, present: frozenset, values, broken):
        self.key, self.path, self.line, self.present = key, path, line, present
        # As for PersonPlan.file_id: key becomes the recorded detention's id.
        self.file_key = key
        self.values, self.broken = values, broken


def _empty(value) -> bool:
    return value is None or value == "" or value == ()


def date_of(text: str) -> PartialDate | None:
    return dates.parse(text) if text else None


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


def release_given(values: dict) -> bool:
    """Whether the final values of a detention give a release (a date may
    still be missing: the checks say so)."""
    return any(not _empty(values[c]) for c in RELEASE_COLUMN_NAMES)


PERSON_SCALARS = [
    c
    for c in PERSON_COLUMN_NAMES
    if c not in ("person_id", "organizations", "person_sources", *IDENTITY_COLUMN_NAMES)
]
DETENTION_SCALARS = [
    "detained_on",
    "sentence_type",
    "sentence_months",
    "sentenced_on",
    "expected_release_on",
    "facility",
]


def stays_open(values: dict, died_on: str) -> bool:
    """Whether the final values of a detention leave it open."""
    return rules.is_open(release_given(values), values["sentence_type"], bool(died_on))


NEW_PERSON = {c.name: c.empty for c in PRISONERS.columns if c.of_person} | {"published": "no"}


def given_before(what: str, key: str, earlier: RowPlan, table: Table) -> Message:
    """That ``what`` (a detention, an event) ``key`` is given on an earlier row."""
    values = {"id": key, "line": earlier.line, "path": earlier.path}
    if what == "detention" and earlier.path == table.path:
        return say("detention %(id)s is already given on line %(line)s", **values)
    if what == "detention":
        return say("detention %(id)s is already given on %(path)s", **values)
    if what == "target" and earlier.path == table.path:
        return say("target %(id)s is already given on line %(line)s", **values)
    if what == "target":
        return say("target %(id)s is already given on %(path)s", **values)
    if what == "change" and earlier.path == table.path:
        return say("this change of %(id)s is already given on line %(line)s", **values)
    if what == "change":
        return say("this change of %(id)s is already given on %(path)s", **values)
    if what == "facility" and earlier.path == table.path:
        return say("facility %(id)s is already given on line %(line)s", **values)
    if what == "facility":
        return say("facility %(id)s is already given on %(path)s", **values)
    if earlier.path == table.path:
        return say("event %(id)s is already given on line %(line)s", **values)
    return say("event %(id)s is already given on %(path)s", **values)


class ReadPass:
    """Reading the files into plans (the Importer's first step)."""

    def read(self, files: Iterable[FileArg]) -> None:
        for item in files:
            with _opened(item) as (name, source):
                table = Table(name, source, self.problems, self.mapping, self.encoding)
                if table.kind is None:
                    continue
                ignored = "published" in table.present and not self.can_publish
                if ignored and PUBLISHED_IGNORED not in self.notices:
                    self.notices.append(PUBLISHED_IGNORED)
                records = self.progress(table.records(), None, name)
                if table.kind is PRISONERS:
                    self._read_prisoners(table, records)
                elif table.kind is NAMES:
                    self._read_names(table, records)  # names.NamesPass
                elif table.kind is FACILITIES:
                    self._read_facilities(table, records)  # facilities.FacilitiesPass
                elif table.kind is STAYS:
                    self._read_stays(table, records)
                elif table.kind is SENTENCE_CHANGES:
                    self._read_sentence_changes(table, records)  # sentence_changes.py
                elif table.kind is SANCTIONS_TARGETS:
                    self._read_targets(table, records)  # targets.TargetsPass
                else:
                    self._read_events(table, records)

    def _parse(self, table: Table, line: int, cells: dict[str, str]) -> tuple[dict, set]:
        values, broken = {}, set()
        for name, cell in cells.items():
            column = table.kind.by_name[name]
            if cell is UNREADABLE:
                broken.add(name)
                continue
            try:
                value = column.parse(cell)
            except ValueError as error:
                table.problem(line, name, reason(error))
                broken.add(name)
                continue
            if not _empty(value):
                values[name] = value
            elif column.required and (table.kind is not PRISONERS or name == "person_id"):
                # A person's name may be given on one of their rows only.
                table.problem(line, name, REQUIRED)
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
                values = {
                    "line": earlier_line,
                    "path": path,
                    "id": person.person_id,
                    "value": table.kind.by_name[column].write(earlier),
                }
                if path == table.path:
                    message = say(
                        "disagrees with line %(line)s for person %(id)s, which gives %(value)r",
                        **values,
                    )
                else:
                    message = say(
                        "disagrees with %(path)s:%(line)s for person %(id)s, which gives %(value)r",
                        **values,
                    )
                table.problem(line, column, message)

    def _read_detention(self, table, line, person: PersonPlan, values, broken) -> None:
        detention_id = values.get("detention_id")
        if not detention_id:
            if "detention_id" in broken or "detained_on" in broken:
                return
            if "detained_on" not in values:
                table.problem(
                    line,
                    "detention_id",
                    say("a detention_id is required when detained_on is empty"),
                )
                return
            detention_id = f"{person.person_id}-{values['detained_on']}"
            if len(detention_id) > 150:
                table.problem(
                    line,
                    "detention_id",
                    say("the default id is longer than 150 characters: give one"),
                )
                return
        earlier = self.detentions.get(detention_id)
        if earlier is not None:
            table.problem(
                line, "detention_id", given_before("detention", detention_id, earlier, table)
            )
            return
        plan = RowPlan(detention_id, table.path, line, table.present, values, broken)
        self.detentions[detention_id] = plan
        person.detentions.append(plan)
        self._remember_names(
            values, ("charges", Charge), ("facility", Facility), ("sources", Source)
        )

    def _read_events(self, table: Table, records) -> None:
        self._read_records(table, records, self.events[table.kind], "event")

    def _read_records(self, table: Table, records, plans: dict, what: str) -> None:
        """Rows of a file with one record a row (events, sanctions targets)
        into ``plans``, by the file's id column; an id given twice refused."""
        id_column = table.kind.id_column
        for line, cells in records:
            values, broken = self._parse(table, line, cells)
            key = values.get(id_column)
            if not key:
                continue
            earlier = plans.get(key)
            if earlier is not None:
                table.problem(line, id_column, given_before(what, key, earlier, table))
                continue
            plans[key] = RowPlan(key, table.path, line, table.present, values, broken)
            self._remember_names(values, ("sources", Source))

    def _stored_people(self, plans: list[PersonPlan]) -> dict[str, Person]:
        stays = Stay.objects.select_related("facility").prefetch_related("sources")
        detentions = Detention.objects.select_related(
            "facility", "release__release_event"
        ).prefetch_related(
            "charges", "sources", "other_ids", Prefetch("stays", queryset=stays), "sentence_changes"
        )
        people = Person.objects.filter(person_id__in=[p.person_id for p in plans])
        people = people.prefetch_related(
            "organizations", "sources", "other_ids", Prefetch("detentions", queryset=detentions)
        )
        found = {person.person_id: person for person in people}
        # columns.person_values reads them here rather than a query a person.
        different = not_same_as_of([person.pk for person in found.values()])
        for person in found.values():
            person.not_same_as_cache = different.get(person.pk, ())
        return found

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
