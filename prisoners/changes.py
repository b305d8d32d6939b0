"""What changed in the public list from one day to another, read from the
history (django-simple-history's tables of people, detentions, releases).

For each person with a history row in the period, the public list's view
of them at the end of each day they changed is compared with the day
before: added (published that day), removed (unpublished, made anonymous or
deleted), recognized, recognition withdrawn, detained again (a detention
recorded for someone already on the list), released, died, and corrected
(which public fields). Only what the public could see counts: a person
neither published before nor after a day has no change that day (drafts
and anonymous people never appear), private fields never, and a record
published later appears once, as added, on the day it was published.

Views of the past apply today's visibility: a change is named only when
its person is published now; the others are counted, never named. Days
are calendar days in the site's TIME_ZONE (as_of.day_of). Links between
records (organizations, sources, charges) are not compared.

A day's changes depend only on the history rows dated before its end, so
once a day has settled (SETTLED after its end) what was found is stored
(ChangesDay, StoredChange) and read from then on: a month at 100,000
people is a read of a few thousand rows, not a replay of thousands of
people's history. Today and the days not yet settled are always replayed.
A write that reaches back into a stored day (a history row dated before it,
written, changed or deleted later) is noted by the triggers of migration
0029, and the stored days from its date on are dropped before the next
read (_drop_stale).

Not to be confused with interchange/changes.py: what one import changes,
for its preview.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import groupby

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import privacy
from .as_of import day_of, end_of
from .choices import ChangeKind, Visibility
from .models import (
    ChangesDay,
    ChangesState,
    Detention,
    Person,
    Release,
    ReleaseEvent,
    StoredChange,
)
from .partial_dates import PartialDate

# Up to this many people changed in a period are looked up by their ids
# (by index, each table once); more (a long period, a large import) by a
# subquery: SQLite takes at most 32,766 parameters.
LISTED_IDS = 10_000
# A day's changes are stored once it ended this long ago: a write still
# open then (a long import) has committed, and the history of the day is
# final unless a write reaches back into it, which the triggers of
# migration 0029 note (their SQL says the same six hours).
SETTLED = timedelta(hours=6)
# More runs of days not stored than this in one period are replayed as one.
MOST_SPANS = 3
# Raise when _replay() or _compare() finds other changes in the same
# history: the days stored before are then dropped and found again.
REPLAY_VERSION = 1
# What every format shows of a person named (their name in each script, and
# person_id for their page's address): NamedPerson's fields.
NAMED_FIELDS = ["person_id", "name", "name_be", "name_ru"]
# The order of the groups on the page and in every format.
KINDS = list(ChangeKind)
# Person fields whose first value is a change of its own, not a correction.
_FIRST_SET = {
    "recognized_on_first": ChangeKind.RECOGNIZED,
    "recognition_withdrawn_on_first": ChangeKind.WITHDRAWN,
    "died_on_first": ChangeKind.DIED,
}


@dataclass(frozen=True)
class NamedPerson:
    """What every format shows of a person named (NAMED_FIELDS): a month
    names thousands, too many to make Person objects of."""

    person_id: str
    name: str
    name_be: str
    name_ru: str

    get_absolute_url = Person.get_absolute_url


@dataclass
class Change:
    """One change to one person on one day. ``person`` is what may be shown
    of them today, None when they may not be named now."""

    day: date
    kind: ChangeKind
    person_pk: int
    person: NamedPerson | None = None
    fields: list[str] = field(default_factory=list)  # corrected: field names
    detained_on: PartialDate | None = None  # detained again
    released_on: PartialDate | None = None  # released
    release_type: str = ""
    release_event_id: int | None = None
    release_event: ReleaseEvent | None = None  # when published now


@dataclass
class Group:
    kind: ChangeKind
    changes: list[Change]  # named, by day then name
    not_named: int | None  # None: not counted (the list was filtered)

    @property
    def count(self) -> int:
        return len(self.changes) + (self.not_named or 0)

    @property
    def label(self):
        return self.kind.label


@dataclass
class Changes:
    start: date
    end: date
    groups: list[Group]

    @property
    def count(self) -> int:
        return sum(group.count for group in self.groups)

    def named(self) -> list[Change]:
        """Every named change, newest first (the feed's order)."""
        changes = [c for g in self.groups for c in g.changes]
        return sorted(changes, key=lambda c: (c.day, KINDS.index(c.kind)), reverse=True)


def _fields(model) -> list[str]:
    # What a change is read from: the public columns, without the record's
    # own id and the derived end of a detention (its release or a death).
    skip = {"id", "person_id", "detention_id", "end_reason"}
    return [
        name
        for name in privacy.public_field_names(model)
        if name not in skip and not name.startswith("ended_on_")
    ]


def field_name(column: str) -> str:
    """The field a column belongs to (``born_first`` → ``born``,
    ``facility_id`` → ``facility``)."""
    for suffix in ("_first", "_last", "_precision", "_id"):
        if column.endswith(suffix):
            return column.removesuffix(suffix)
    return column


def _history_rows(model, lookups: Q, names: list[str]) -> list[dict]:
    keys = ["id", "history_id", "history_date", "history_type"]
    if model is Detention:
        keys.append("person_id")
    if model is Release:
        keys.append("detention_id")
    rows = model.history.model.objects.filter(lookups).values(*keys, *names)
    return list(rows.order_by("history_date", "history_id"))


class _Person:
    """What the public list said of one person at a moment: the person's
    public columns (None when deleted), detentions and releases by id."""

    def __init__(self):
        self.row: dict | None = None
        self.detentions: dict[int, dict] = {}
        self.releases: dict[int, dict] = {}  # by detention id

    def copy(self) -> _Person:
        other = _Person()
        other.row, other.detentions, other.releases = (
            self.row,
            dict(self.detentions),
            dict(self.releases),
        )
        return other

    @property
    def public(self) -> bool:
        return self.row is not None and self.row["visibility"] == Visibility.PUBLISHED


def _apply(state: _Person, table: str, row: dict) -> None:
    deleted = row["history_type"] == "-"
    if table == "person":
        state.row = None if deleted else row
    elif table == "detention":
        if deleted:
            state.detentions.pop(row["id"], None)
        else:
            state.detentions[row["id"]] = row
    elif deleted:
        state.releases.pop(row["detention_id"], None)
    else:
        state.releases[row["detention_id"]] = row


def _differences(before: dict, after: dict, names: list[str]) -> set[str]:
    return {field_name(n) for n in names if before.get(n) != after.get(n)}


def _compare(
    before: _Person, after: _Person, day: date, pk: int, names, created: set[int]
) -> list[Change]:
    """The changes from ``before`` to ``after`` (the end of ``day``);
    ``created``: the detentions first written that day."""
    if not before.public and after.public:
        return [Change(day, ChangeKind.ADDED, pk)]
    if before.public and not after.public:
        return [Change(day, ChangeKind.REMOVED, pk)]
    if not after.public:
        return []
    changes, corrected = [], set()
    for column, kind in _FIRST_SET.items():
        if before.row[column] is None and after.row[column] is not None:
            changes.append(Change(day, kind, pk))
    # A date given for the first time is its own change, not a correction.
    first_set = {field_name(c) for c in _FIRST_SET if before.row[c] is None}
    person_columns = [
        n for n in names["person"] if n != "visibility" and field_name(n) not in first_set
    ]
    corrected |= _differences(before.row, after.row, person_columns)
    for detention_pk, row in after.detentions.items():
        old = before.detentions.get(detention_pk)
        if old is None and detention_pk not in created:
            # Moved here from another record (a merge): the list corrected.
            corrected.add("detentions")
        elif old is None:
            detained = PartialDate.from_columns(row, "detained_on")
            changes.append(Change(day, ChangeKind.DETAINED, pk, detained_on=detained))
        else:
            corrected |= _differences(old, row, names["detention"])
    if set(before.detentions) - set(after.detentions):
        corrected.add("detentions")
    for detention_pk, row in after.releases.items():
        old = before.releases.get(detention_pk)
        if old is None:
            changes.append(
                Change(
                    day,
                    ChangeKind.RELEASED,
                    pk,
                    released_on=PartialDate.from_columns(row, "released_on"),
                    release_type=row["release_type"],
                    release_event_id=row["release_event_id"],
                )
            )
        else:
            corrected |= _differences(old, row, names["release"])
    if set(before.releases) - set(after.releases):
        corrected.add("release")
    if corrected:
        changes.append(Change(day, ChangeKind.CORRECTED, pk, fields=sorted(corrected)))
    return changes


def _touched(start, end) -> QuerySet:
    """The ids of the people with a history row from ``start`` to ``end``
    (moments), their own, a detention's or a release's: a subquery."""
    window = Q(history_date__gte=start, history_date__lt=end)
    detentions = Detention.history.model.objects
    released = Release.history.model.objects.filter(window).values("detention_id")
    people = Person.history.model.objects.filter(
        Q(window)
        | Q(id__in=detentions.filter(window).values("person_id"))
        | Q(id__in=detentions.filter(id__in=released).values("person_id"))
    )
    return people.order_by().values("id")


def _touched_ids(start, end) -> list[int] | None:
    """_touched() as a list, each table read by its history_date index; None
    when there are more than LISTED_IDS."""
    window = Q(history_date__gte=start, history_date__lt=end)
    detentions = Detention.history.model.objects.order_by()
    released = Release.history.model.objects.order_by().filter(window).values("detention_id")
    ids = set()
    for rows in (
        Person.history.model.objects.order_by().filter(window).values_list("id", flat=True),
        detentions.filter(window).values_list("person_id", flat=True),
        detentions.filter(id__in=released).values_list("person_id", flat=True),
    ):
        ids.update(rows.distinct()[: LISTED_IDS + 1])
        if len(ids) > LISTED_IDS:
            return None
    return sorted(ids)


def changes_between(start: date, end: date, named: QuerySet[Person]) -> Changes:
    """What changed in the public list from the start of ``start`` to the end
    of ``end``. ``named``: the people who may be named (privacy.people());
    the others are counted as not named."""
    return _changes(start, end, named, count_unnamed=True)


def changes_of_filtered(start: date, end: date, named: QuerySet[Person]) -> Changes:
    """changes_between() for a filtered list: only the people the filters
    select, and no count of those not named (the filters may not be asked
    of them: see public/filters.NOT_NAMED_FILTERS)."""
    return _changes(start, end, named, count_unnamed=False)


def _changes(start: date, end: date, named: QuerySet[Person], count_unnamed: bool) -> Changes:
    found = _found(start, end)
    changed = sorted({c.person_pk for c in found})
    # A month can name thousands: only what a change shows of them.
    shown = {}
    for at in range(0, len(changed), LISTED_IDS):
        rows = named.filter(pk__in=changed[at : at + LISTED_IDS]).values_list("pk", *NAMED_FIELDS)
        shown.update((row[0], NamedPerson(*row[1:])) for row in rows)
    return _grouped(start, end, found, shown, count_unnamed)


def _found(start: date, end: date) -> list[Change]:
    """Every change from ``start`` to ``end``: the stored days read, the
    others replayed from the history, and stored when they have settled."""
    drops = _drop_stale()
    stored = set(
        ChangesDay.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True)
    )
    found = _read(stored)
    spans = _spans(start, end, stored)
    if len(spans) > MOST_SPANS:
        # Days stored here and there (earlier requests of short periods):
        # one replay over them all, of which the stored days are not kept.
        spans = [(spans[0][0], spans[-1][1])]
    settled = day_of(timezone.now() - SETTLED) - timedelta(days=1)
    for first, last in spans:
        replayed = [c for c in _replayed(first, last) if c.day not in stored]
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        _store([day for day in days if day <= settled and day not in stored], replayed, drops)
        found += replayed
    return found


def _spans(start: date, end: date, stored: set[date]) -> list[tuple[date, date]]:
    """The runs of days from ``start`` to ``end`` that are not ``stored``."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    runs = [list(run) for missing, run in groupby(days, lambda d: d not in stored) if missing]
    return [(run[0], run[-1]) for run in runs]


def _made_with() -> str:
    """What the stored days were found with: the site's TIME_ZONE (where
    days end), the fields compared and the version of the replay. Stored
    days found otherwise are all dropped."""
    return f"{settings.TIME_ZONE} {_compared()} replay-{REPLAY_VERSION}"


@cache
def _compared() -> str:
    """The fields a change is read from, hashed (fixed while the code runs)."""
    names = [
        f"{model.__name__}.{n}" for model in (Person, Detention, Release) for n in _fields(model)
    ]
    return hashlib.sha256(" ".join(names).encode()).hexdigest()[:16]


def _drop_stale() -> int:
    """Drop the stored days a write has reached back into since (the
    triggers of migration 0029 note its earliest date), then forget it; all
    of them when they were found otherwise (_made_with). Returns how many
    drops there have been, for _store()."""
    made_with = _made_with()
    state = ChangesState.objects.values_list("stale_from", "made_with", "drops").first()
    if state is not None and state[:2] == (None, made_with):
        return state[2]
    with transaction.atomic():
        state, _new = ChangesState.objects.select_for_update().get_or_create(pk=1)
        if state.made_with != made_with:
            StoredChange.objects.all().delete()
            ChangesDay.objects.all().delete()
        elif state.stale_from is not None:
            first = day_of(state.stale_from)
            StoredChange.objects.filter(day__gte=first).delete()
            ChangesDay.objects.filter(day__gte=first).delete()
        state.stale_from, state.made_with = None, made_with
        state.drops += 1
        state.save(update_fields=["stale_from", "made_with", "drops"])
        return state.drops


def _read(days: set[date]) -> list[Change]:
    if not days:
        return []
    # In the order they were stored: the replay's.
    rows = StoredChange.objects.filter(day__in=sorted(days)).order_by("id").values()
    return [
        Change(
            row["day"],
            ChangeKind(row["kind"]),
            row["person_pk"],
            fields=row["fields"].split(";") if row["fields"] else [],
            detained_on=PartialDate.from_columns(row, "detained_on"),
            released_on=PartialDate.from_columns(row, "released_on"),
            release_type=row["release_type"],
            release_event_id=row["release_event_id"],
        )
        for row in rows
    ]


def _store(days: list[date], found: list[Change], drops: int) -> None:
    """Store ``days`` with their changes among ``found``, replayed after
    ``drops`` drops of stored days. A day another request has just stored is
    left as it is (its ChangesDay row is the unique key): this one's rows
    are undone, so no change is stored twice. Nothing is stored if a write
    has reached back since the replay began (it may have missed that write),
    or if the database is busy (SQLite during an import): the answer is
    given all the same."""
    if not days:
        return
    wanted = set(days)
    rows = [
        StoredChange(
            day=c.day,
            kind=c.kind.value,
            person_pk=c.person_pk,
            fields=";".join(c.fields),
            detained_on_first=c.detained_on.first if c.detained_on else None,
            detained_on_precision=c.detained_on.precision if c.detained_on else "",
            released_on_first=c.released_on.first if c.released_on else None,
            released_on_precision=c.released_on.precision if c.released_on else "",
            release_type=c.release_type,
            release_event_id=c.release_event_id,
        )
        for c in found
        if c.day in wanted
    ]
    try:
        with transaction.atomic():
            # Locked: a backdated write that noted itself waits for this
            # store, or this store for it, and then sees it.
            state = ChangesState.objects.select_for_update().filter(pk=1).first()
            if state is None or state.stale_from is not None or state.drops != drops:
                return
            ChangesDay.objects.bulk_create([ChangesDay(day=day) for day in days])
            StoredChange.objects.bulk_create(rows, batch_size=2000)
    except (IntegrityError, OperationalError):
        pass


def _replayed(start: date, end: date) -> list[Change]:
    """The changes from ``start`` to ``end``, replayed from the history."""
    since, until = end_of(start - timedelta(days=1)), end_of(end)
    # The people changed, read once: each query below looks their rows up by
    # index.
    touched = _touched_ids(since, until)
    if touched is None:
        touched = _touched(since, until)
    names = {
        "person": _fields(Person),
        "detention": _fields(Detention),
        "release": _fields(Release),
    }
    before_end = Q(history_date__lt=until)
    rows = [
        ("person", r)
        for r in _history_rows(Person, before_end & Q(id__in=touched), names["person"])
    ]
    detention_rows = _history_rows(
        Detention, before_end & Q(person_id__in=touched), names["detention"]
    )
    person_of = {r["id"]: r["person_id"] for r in detention_rows}
    rows += [("detention", r) for r in detention_rows]
    their_detentions = (
        list(person_of)
        if isinstance(touched, list)
        else (Detention.history.model.objects.filter(person_id__in=touched).values("id"))
    )
    release_rows = _history_rows(
        Release, before_end & Q(detention_id__in=their_detentions), names["release"]
    )
    rows += [("release", r) for r in release_rows]
    by_person: dict[int, list] = defaultdict(list)
    for table, row in rows:
        pk = (
            row["id"]
            if table == "person"
            else row.get("person_id") or person_of.get(row.get("detention_id"))
        )
        by_person[pk].append((row["history_date"], row["history_id"], table, row))
    found: list[Change] = []
    for pk, history in by_person.items():
        history.sort(key=lambda item: (item[0], item[1]))
        found += _replay(pk, history, since, names)
    return found


def _replay(pk: int, history: list, since, names) -> list[Change]:
    state, found = _Person(), []
    days: dict[date, list] = defaultdict(list)
    for moment, _id, table, row in history:
        if moment < since:
            _apply(state, table, row)
        else:
            days[day_of(moment)].append((table, row))
    for day in sorted(days):
        before = state.copy()
        created = set()
        for table, row in days[day]:
            _apply(state, table, row)
            if table == "detention" and row["history_type"] == "+":
                created.add(row["id"])
        found += _compare(before, state, day, pk, names, created)
    return found


def _grouped(start, end, found: list[Change], people: dict, count_unnamed: bool) -> Changes:
    """The changes in groups, each named when its person is in ``people``."""
    event_ids = {c.release_event_id for c in found if c.release_event_id}
    events = privacy.release_events().in_bulk(event_ids)
    groups = []
    for kind in KINDS:
        of_kind = [c for c in found if c.kind == kind]
        shown = []
        for change in of_kind:
            change.person = people.get(change.person_pk)
            if change.person is not None:
                change.release_event = events.get(change.release_event_id)
                shown.append(change)
        shown.sort(key=lambda c: (c.day, c.person.name, c.person.person_id))
        unnamed = len(of_kind) - len(shown) if count_unnamed else None
        groups.append(Group(kind, shown, unnamed))
    return Changes(start, end, groups)


def field_labels(fields: list[str]) -> list[str]:
    """The names a reader knows the corrected ``fields`` by (a field of a
    person, a detention or a release, or ``detentions`` / ``release`` for
    one removed), translated."""
    labels = []
    for name in fields:
        if name == "detentions":
            labels.append(str(Detention._meta.verbose_name_plural))
            continue
        if name == "release":
            labels.append(str(Release._meta.verbose_name))
            continue
        for model in (Person, Detention, Release):
            dates = getattr(model, "_partial_dates", {})
            if name in dates:
                labels.append(str(dates[name].verbose_name))
                break
            try:
                labels.append(str(model._meta.get_field(name).verbose_name))
                break
            except FieldDoesNotExist:
                continue
        else:
            labels.append(name)
    return labels
