"""Derived figures kept in the database: the people held on each day,
releases per day, and the facet counts of the whole published list.

Counting who was held on each day of ten years asks every detention of every
counted person: three aggregates over the whole table for each chart and
for the home page's headline. The figures change only on the
days a span starts or ends, so they are stored at those days (HeldChange,
and ReleaseDay for releases) and a chart reads a few thousand rows. The
counts beside the unfiltered list join every detention, charge and release;
they are stored as FacetCount rows, and
the releases recorded for each release event as EventCount rows.

They are never stale: every change to the records writes a history row in
the same transaction, so the newest history id of each table says which
state of the records a build saw (FigureBuild). A reader that finds the
records changed since the last build rebuilds, in the database, before it
reads; writers that bypass history (generate_synthetic) call mark_stale().
While another process rebuilds (PostgreSQL advisory lock), a reader counts
from the records instead of waiting.

Every date counts from its counting day (querysets.counting_day()): the day
itself for named people, the 1st of its month for anonymous ones, stored
and counted from the records alike, so that no figure says more than the
month of an anonymous person's date. Migration 0012 marked the figures
built before that rule stale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from itertools import accumulate

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, F, Max, OuterRef, Q, RowRange, Subquery, Sum, Window
from django.db.models.functions import Coalesce, TruncMonth

from .. import privacy
from ..models import (
    Detention,
    EventCount,
    FacetCount,
    FigureBuild,
    HeldChange,
    Person,
    Release,
    ReleaseDay,
    ReleaseEvent,
)
from ..querysets import FAR_FUTURE, counting_day, recognized_held_count
from ..rules import COUNTED
from .facets import DETENTION_FACETS, PEOPLE_FACETS, count_facets

SERIES, FACETS = "series", "facets"
# Stored with the facets (a FacetCount row per facility): how many published
# people each facility holds now (privacy.held_now_counts), by facility_id.
HELD_NOW_FACILITY = "held_now_facility"
# pg_advisory_xact_lock keys of the rebuilds: constants the app uses nowhere else.
REBUILD_LOCKS = {SERIES: 0x5E12E5, FACETS: 0x5E12E6}


def _history_ids() -> list[tuple[str, str]]:
    """(table, primary key column) of every history table, the many-to-many
    ones included."""
    return [
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_app_config("prisoners").get_models()
        if model.__name__.startswith("Historical")
    ]


def _states(name: str) -> tuple[str | None, str]:
    """The state the figures ``name`` were built from (None: never built or
    marked stale) and the records' state now, in one query."""
    quote = connection.ops.quote_name
    newest = [f"(SELECT MAX({quote(pk)}) FROM {quote(table)})" for table, pk in _history_ids()]
    built = f"(SELECT records_state FROM {quote(FigureBuild._meta.db_table)} WHERE name = %s)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {built}, {', '.join(newest)}", [name])
        built_state, *ids = cursor.fetchone()
    return built_state, ",".join(str(i or 0) for i in ids)


def _fresh(name: str) -> bool:
    built, now = _states(name)
    return built == now


def mark_stale() -> None:
    """For writers that change records without history: the next reader
    rebuilds."""
    FigureBuild.objects.all().delete()


# The figures found up to date within checked_once().
_fresh_here: ContextVar[set[str] | None] = ContextVar("fresh_figures", default=None)


@contextmanager
def checked_once():
    """Within the block, each figure is checked against the records once: a
    page that reads several figures and writes nothing asks once."""
    token = _fresh_here.set(set())
    try:
        yield
    finally:
        _fresh_here.reset(token)


def ready(name: str = SERIES) -> bool:
    """Whether the figures ``name`` reflect the records now, rebuilding them
    if needed; False while another process rebuilds them."""
    known = _fresh_here.get()
    if known is not None and name in known:
        return True
    fresh = _ready(name)
    if fresh and known is not None:
        known.add(name)
    return fresh


def _ready(name: str) -> bool:
    if _fresh(name):
        return True
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [REBUILD_LOCKS[name]])
                if not cursor.fetchone()[0]:
                    return False
        built, now = _states(name)  # someone may have rebuilt meanwhile
        if built == now:
            return True
        # The records are read after ``now`` was taken: a build is at least
        # as new as the state it is labelled with.
        BUILDERS[name]()
        FigureBuild.objects.filter(name=name).delete()
        FigureBuild.objects.create(name=name, records_state=now)
    return True


def _build_series() -> None:
    starts, ends = _span_days()
    changes, held = [], 0
    for day in sorted(starts.keys() | ends.keys()):
        if delta := starts[day] - ends[day]:
            held += delta
            changes.append(HeldChange(day=day, held=held))
    releases = _counted_releases().values_list("counted_on").annotate(n=Count("pk")).order_by()
    HeldChange.objects.all().delete()
    HeldChange.objects.bulk_create(changes, batch_size=1000)
    ReleaseDay.objects.all().delete()
    ReleaseDay.objects.bulk_create(
        (ReleaseDay(day=_as_date(day), released=n) for day, n in releases), batch_size=1000
    )
    counts = (
        ReleaseEvent.objects.with_recorded_count()
        .filter(recorded_count__gt=0)
        .values_list("pk", "recorded_count", "named_count")
        .order_by()
    )
    EventCount.objects.all().delete()
    EventCount.objects.bulk_create(
        (EventCount(release_event_id=pk, recorded=r, named=n) for pk, r, n in counts),
        batch_size=1000,
    )


def _build_facets() -> None:
    facets = count_facets(Person.objects.published())
    FacetCount.objects.all().delete()
    FacetCount.objects.bulk_create(
        (
            FacetCount(facet=facet, position=position, value=value, n=n)
            for facet, counts in facets.items()
            for position, (value, n) in enumerate(counts)
        ),
        batch_size=1000,
    )
    FacetCount.objects.bulk_create(
        (
            FacetCount(facet=HELD_NOW_FACILITY, position=position, value=facility_id, n=n)
            for position, (facility_id, n) in enumerate(privacy.held_now_counts())
        ),
        batch_size=1000,
    )


BUILDERS: dict[str, Callable[[], None]] = {SERIES: _build_series, FACETS: _build_facets}


def whole_list_facets(rebuild: bool = True) -> dict[str, list[tuple[str, int]]] | None:
    """count_facets() of the unfiltered published list, stored; None
    while another process rebuilds them (or, without ``rebuild``, whenever
    they are not up to date)."""
    if not (ready(FACETS) if rebuild else _fresh(FACETS)):
        return None
    # A facet without values stores no rows, and is counted all the same.
    facets: dict[str, list[tuple[str, int]]] = {
        name: [] for name in PEOPLE_FACETS + DETENTION_FACETS
    }
    rows = (
        FacetCount.objects.exclude(facet=HELD_NOW_FACILITY)
        .order_by("facet", "position")
        .values_list("facet", "value", "n")
    )
    for facet, value, n in rows:
        facets.setdefault(facet, []).append((value, n))
    return facets


def with_held_now(facilities):
    """The public ``facilities`` with ``held_now``, from the stored counts
    (counted from the records while another process rebuilds them)."""
    if not ready(FACETS):
        return privacy.facilities_with_held_now().filter(pk__in=facilities.values("pk"))
    stored = FacetCount.objects.filter(facet=HELD_NOW_FACILITY, value=OuterRef("facility_id"))
    return facilities.annotate(held_now=Coalesce(Subquery(stored.values("n")), 0))


def with_event_counts(events):
    """Release ``events`` annotated as by with_recorded_count(), from the
    stored counts rather than counting every release of every event."""
    if not ready():
        return events.with_recorded_count()
    stored = EventCount.objects.filter(release_event=OuterRef("pk"))
    return events.annotate(
        recorded_count=Coalesce(Subquery(stored.values("recorded")), 0),
        named_count=Coalesce(Subquery(stored.values("named")), 0),
    ).annotate(unnamed_count=F("recorded_count") - F("named_count"))


def _held_spans() -> tuple[str, tuple]:
    """SQL of the held-and-recognized spans (``span_start``, ``span_end``),
    each start moved past the end of the same person's earlier spans, and
    those left empty dropped: disjoint spans whose union is the person's, so
    that a day counts a person once. Detentions known to the year or month
    may overlap on their first possible days (an arrest known as "2020"
    after a release in June 2020)."""
    spans = Detention.objects.recognized_held_spans().annotate(
        earlier_end=Window(
            Max("span_end"),
            partition_by=[F("person_id")],
            order_by=[F("span_start").asc(), F("pk").asc()],
            frame=RowRange(start=None, end=-1),
        )
    )
    # Unordered: the window sorts what it needs.
    columns = spans.order_by().values("span_start", "span_end", "earlier_end")
    sql, params = columns.query.sql_with_params()
    return (
        "SELECT CASE WHEN earlier_end > span_start THEN earlier_end ELSE span_start END"
        f" AS span_start, span_end FROM ({sql}) spans"
        " WHERE earlier_end IS NULL OR earlier_end < span_end",
        tuple(params),
    )


def _span_days(start: date | None = None, end: date | None = None) -> tuple[Counter, Counter]:
    """How many held-and-recognized spans (of _held_spans) start, and end,
    on each day (after ``start`` and up to ``end`` when given)."""
    spans_sql, params = _held_spans()
    starts, start_params = _within("span_start", start, end)
    ends, end_params = _within("span_end", start, end)
    sql = (
        f"WITH spans AS ({spans_sql})"
        f" SELECT 1, span_start, COUNT(*) FROM spans WHERE {starts} GROUP BY span_start"
        f" UNION ALL SELECT 0, span_end, COUNT(*) FROM spans WHERE {ends} AND span_end < %s"
        " GROUP BY span_end"
    )
    counted: tuple[Counter, Counter] = (Counter(), Counter())
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *start_params, *end_params, FAR_FUTURE))
        for is_start, day, n in cursor.fetchall():
            counted[0 if is_start else 1][_as_date(day)] = n
    return counted


def _within(column: str, start: date | None, end: date | None) -> tuple[str, list]:
    """SQL for ``start < column <= end`` (either bound optional), and its
    parameters."""
    bounds = [(f"{column} > %s", start), (f"{column} <= %s", end)]
    given = [(condition, day) for condition, day in bounds if day]
    return " AND ".join(c for c, _day in given) or "1 = 1", [day for _c, day in given]


def _held_at(day: date) -> int:
    """People held and recognized on ``day``, from the records."""
    spans_sql, params = _held_spans()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH spans AS ({spans_sql})"
            " SELECT COUNT(*) FROM spans WHERE span_start <= %s AND span_end > %s",
            (*params, day, day),
        )
        return cursor.fetchone()[0]


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def held_series(start: date, end: date) -> list[tuple[date, int]]:
    """Recognized political prisoners held on each day from ``start`` to
    ``end``: recognized_held_count(day) for every day, in one read."""
    if not ready():
        return _held_series_from_records(start, end)
    latest_before = HeldChange.objects.filter(day__lte=start).order_by("-day").values("day")[:1]
    changes = dict(
        HeldChange.objects.filter(
            Q(day__gt=start, day__lte=end) | Q(day=Subquery(latest_before))
        ).values_list("day", "held")
    )
    earlier = [day for day in changes if day <= start]
    held = changes[max(earlier)] if earlier else 0
    series = [(start, held)]
    for day in _days(start, end)[1:]:
        held = changes.get(day, held)
        series.append((day, held))
    return series


def _held_series_from_records(start: date, end: date) -> list[tuple[date, int]]:
    """The same series counted from the records: who is held on the first
    day, and how many spans start and end on each later day."""
    held_at_start = _held_at(start)
    starts, ends = _span_days(start, end)
    days = _days(start, end)
    changes = [held_at_start] + [starts[d] - ends[d] for d in days[1:]]
    return list(zip(days, accumulate(changes), strict=True))


def held_on(day: date) -> int:
    """recognized_held_count(day), from the stored series."""
    if not ready():
        return recognized_held_count(day)
    latest = HeldChange.objects.filter(day__lte=day).order_by("-day").first()
    return latest.held if latest else 0


def _counted_releases(start: date | None = None, end: date | None = None):
    """Releases of people counted in totals, with ``counted_on``, the day
    from which each counts (querysets.counting_day()), from ``start`` to
    ``end`` when given."""
    releases = Release.objects.filter(detention__person__visibility__in=COUNTED).annotate(
        counted_on=counting_day("released_on_first", "detention__person__")
    )
    if start and end:
        releases = releases.filter(counted_on__range=(start, end))
    return releases


def releases_per_month(start: date, end: date, months: list[date]) -> list[tuple[date, int]]:
    """Releases of people counted in totals (published or anonymous) in each
    of ``months``, by counting day (first possible day; for anonymous
    people the 1st of the month) within the range."""
    if ready():
        rows = (
            ReleaseDay.objects.filter(day__range=(start, end))
            .annotate(month=TruncMonth("day"))
            .values_list("month")
            .annotate(n=Sum("released"))
            .order_by()
        )
    else:
        rows = (
            _counted_releases(start, end)
            .annotate(month=TruncMonth("counted_on"))
            .values_list("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
    counts = {_as_date(month): n for month, n in rows}
    return [(month, counts.get(month, 0)) for month in months]


def recognized_total() -> int:
    """Recognized political prisoners in total, held or not, anonymous people
    included: the home page's third figure."""
    return Person.objects.counted().recognized().count()


def not_named_figures(day: date) -> dict[str, int]:
    """Of the home page's figures, how many people are counted without being
    named: ``held`` (of held_on(day), on counting days) and ``recognized``
    (of recognized_total()), in one query."""
    anonymous = Person.objects.not_named()
    return anonymous.aggregate(
        held=Count("pk", filter=Q(pk__in=_not_named_held(day).values("pk"))),
        recognized=Count("pk", filter=Q(pk__in=anonymous.recognized().values("pk"))),
    )


def not_named_held(day: date) -> int:
    """Of held_on(day), how many people are counted without being named
    (the headline counter's note): a count of its own, in half the time of
    not_named_figures()'s aggregate at 100,000 people."""
    return _not_named_held(day).count()


def _not_named_held(day: date):
    return Person.objects.not_named().counted_held_on(day).counted_recognized_on(day)


def releases_between(start: date, end: date) -> int:
    """Releases of people counted in totals from ``start`` to ``end``."""
    if not ready():
        return _counted_releases(start, end).count()
    return ReleaseDay.objects.filter(day__range=(start, end)).aggregate(n=Sum("released"))["n"] or 0


def _as_date(value) -> date:
    # TruncMonth gives a date on PostgreSQL, and may give a datetime
    # elsewhere; raw SQL on SQLite gives the ISO text.
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value.date() if hasattr(value, "date") and callable(value.date) else value
