"""names.csv: the Belarusian and Russian names of what records name, and a
charge's title in English.

A row names a value as the records write it (``kind``, ``name``): a region,
country or sanctions authority is a LocalName; an organization, charge or
facility is that record itself (created when new, as prisoners.csv creates
it), whose own fields hold the names. So each fact has one home: a charge's
English title is ``Charge.title``, which ``name_en`` reads and writes.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_noop

from ..choices import FREE_TEXT_KINDS, NameKind
from ..messages import Message, say, say_count
from ..models import Charge, Facility, LocalName, Organization
from .columns import NAMES, Kind, clean_text
from .plans import RowPlan
from .reading import Table

REFUSED_NAME = gettext_noop("the database refused the name: %(error)s")

# The record a kind names, and its field holding ``name``.
RECORDS = {
    NameKind.ORGANIZATION.value: (Organization, "name"),
    NameKind.CHARGE.value: (Charge, "article"),
    NameKind.FACILITY.value: (Facility, "name"),
}
# The columns of a row and the fields they are, by kind (name_en: a
# charge's title only; a region's or an organization's English name is
# its name).
CHARGE_FIELDS = {"name_en": "title", "name_be": "title_be", "name_ru": "title_ru"}
NAME_FIELDS = {"name_be": "name_be", "name_ru": "name_ru"}
# Written in this order by the full export.
KIND_ORDER = [kind.value for kind in NameKind]


def fields_of(kind: str) -> dict[str, str]:
    return CHARGE_FIELDS if kind == NameKind.CHARGE else NAME_FIELDS


def name_values(kind: str, record) -> dict:
    """The columns of names.csv for a stored LocalName, organization, charge
    or facility."""
    key = RECORDS[kind][1] if kind in RECORDS else "name"
    values = {"kind": kind, "name": getattr(record, key), "name_en": ""}
    for column, field in fields_of(kind).items():
        values[column] = clean_text(getattr(record, field) or "")
    return values


def stored_names() -> Iterator[tuple[str, object]]:
    """``(kind, record)`` for every name a curator gave, in the order the
    full export writes them: the LocalNames, then the organizations and
    charges that have a name in Belarusian or Russian (or, for a charge, a
    title). A facility's names are written in facilities.csv (names.csv's
    facility rows of older files are still read)."""
    by_kind: dict[str, list] = {kind: [] for kind in KIND_ORDER}
    for row in LocalName.objects.order_by("kind", "name"):
        by_kind[row.kind].append(row)
    for kind, (model, key) in RECORDS.items():
        if kind == NameKind.FACILITY:
            continue
        named = model.objects.exclude(**dict.fromkeys(fields_of(kind).values(), ""))
        by_kind[kind] = list(named.order_by(key))
    for kind in KIND_ORDER:
        for record in by_kind[kind]:
            yield kind, record


def _limit(kind: str, column: str) -> int:
    if kind in RECORDS:
        model, key = RECORDS[kind]
        field = key if column == "name" else fields_of(kind)[column]
        return model._meta.get_field(field).max_length
    return LocalName._meta.get_field(column).max_length


class NamesPass:
    """Reading and writing names.csv (a part of the Importer)."""

    name_plans: dict[tuple[str, str], RowPlan]

    def _read_names(self, table: Table, records) -> None:
        for line, cells in records:
            values, broken = self._parse(table, line, cells)
            kind, name = values.get("kind"), values.get("name")
            if not kind or not name:
                continue
            if self._name_refused(table, line, kind, values):
                continue
            earlier = self.name_plans.get((kind, name))
            if earlier is not None:
                values = {"kind": kind, "name": name, "line": earlier.line, "path": earlier.path}
                if earlier.path == table.path:
                    message = say(
                        "the %(kind)s %(name)r is already given on line %(line)s", **values
                    )
                else:
                    message = say("the %(kind)s %(name)r is already given on %(path)s", **values)
                table.problem(line, "name", message)
                continue
            plan = RowPlan(f"{kind} {name}", table.path, line, table.present, values, broken)
            self.name_plans[(kind, name)] = plan
            if kind in RECORDS:
                self.names[RECORDS[kind][0]].add(name)

    def _name_refused(self, table: Table, line: int, kind: str, values: dict) -> bool:
        """Whether the row breaks a rule of its kind (each problem reported)."""
        refused = False
        if values.get("name_en") and kind != NameKind.CHARGE:
            table.problem(
                line,
                "name_en",
                _a(
                    kind,
                    say(
                        "only a charge has an English title: the English name of a %(kind)s "
                        "is its name as recorded",
                        kind=kind,
                    ),
                    say(
                        "only a charge has an English title: the English name of an %(kind)s "
                        "is its name as recorded",
                        kind=kind,
                    ),
                ),
            )
            refused = True
        if kind in (NameKind.ORGANIZATION, NameKind.CHARGE) and ";" in values["name"]:
            table.problem(line, "name", say("cannot contain ';', which separates names in lists"))
            refused = True
        for column in ("name", *fields_of(kind)):
            limit = _limit(kind, column)
            if len(values.get(column, "")) > limit:
                too_long = _a(
                    kind,
                    say_count(
                        "is longer than %(limit)s character for a %(kind)s",
                        "is longer than %(limit)s characters for a %(kind)s",
                        "limit",
                        limit=limit,
                        kind=kind,
                    ),
                    say_count(
                        "is longer than %(limit)s character for an %(kind)s",
                        "is longer than %(limit)s characters for an %(kind)s",
                        "limit",
                        limit=limit,
                        kind=kind,
                    ),
                )
                table.problem(line, column, too_long)
                refused = True
        return refused

    def _write_names(self) -> None:
        stored = {
            (row.kind, row.name): row
            for row in LocalName.objects.filter(
                kind__in=FREE_TEXT_KINDS, name__in=[name for _kind, name in self.name_plans]
            )
        }
        for (kind, name), plan in self.name_plans.items():
            self.writing = (plan.path, plan.line, REFUSED_NAME)
            if kind in RECORDS:
                record = self.references.get(RECORDS[kind][0], name)
                new = False
            else:
                record = stored.get((kind, name))
                new = record is None
                if new:
                    record = LocalName(kind=kind, name=name)
            current = {} if new else name_values(kind, record)
            final = dict(current) or {c.name: c.empty for c in NAMES.columns} | {
                "kind": kind,
                "name": name,
            }
            fields = fields_of(kind)
            for column in plan.present - plan.broken - {"kind", "name"}:
                if column in fields:
                    final[column] = plan.values.get(column, "")
            changed = [c for c in fields if final[c] != current.get(c, object())]
            if new or changed:
                self.history.add(record, "+" if new else "~")
                for column in changed:
                    setattr(record, fields[column], final[column])
                record.save()
            self._note(NAMES.name, plan.key, True, [] if new else changed, current, final)
        self._flush()


def name_rows(kind: Kind = NAMES) -> Iterator[list[str]]:
    """names.csv of the full export: the header, then a row per name."""
    yield kind.names
    for name_kind, record in stored_names():
        values = name_values(name_kind, record)
        yield [kind.by_name[column].write(values[column]) for column in kind.names]


def _a(kind: str, after_a: Message, after_an: Message) -> Message:
    """The message saying "a region" or "an organization" (the kind is the
    file's word; a translation need not keep the article)."""
    return after_an if kind[:1] in "aeiou" else after_a
