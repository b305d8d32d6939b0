"""The combined timeline: release and sanctions events in one chronology, the
series of recognized political prisoners held on each day and of releases per
month, and the geometry of the chart the server draws from them."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from . import figures
from .models import Detention, Release, ReleaseEvent, SanctionsEvent
from .partial_dates import PartialDate

# A longer range makes a chart too dense to read and a page too slow to draw.
MAX_YEARS = 30
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


@dataclass(frozen=True)
class Row:
    """One line of the chronology."""

    date: PartialDate
    kind: str  # "release" or "sanctions"
    event: ReleaseEvent | SanctionsEvent


_KIND_ORDER = {"release": 0, "sanctions": 1}


def merge_events(
    release_events=(), sanctions_events=(), *, newest_first: bool = False
) -> list[Row]:
    """Release and sanctions events as one chronology, by first possible day
    (a release before the sanctions move of the same day), then id."""
    rows = [Row(e.date, "release", e) for e in release_events]
    rows += [Row(e.date, "sanctions", e) for e in sanctions_events]
    rows.sort(key=lambda r: (r.date.first, _KIND_ORDER[r.kind], r.event.event_id))
    if newest_first:
        rows.sort(key=lambda r: r.date.first, reverse=True)
    return rows


def public_release_events():
    """Published release events with their counts and published sanctions."""
    return (
        figures.with_event_counts(ReleaseEvent.objects.published())
        .prefetch_related(
            Prefetch("sanctions", queryset=SanctionsEvent.objects.published(), to_attr="links")
        )
        # Meta.ordering does not apply to a query with aggregates (the
        # counts from the records, while the stored ones are rebuilt).
        .order_by("-date_first", "event_id")
    )


def latest_release_events(n: int):
    """The ``n`` latest published release events, with their counts: when
    they are counted from the records (while the stored ones are rebuilt),
    over those events' releases only (at 100,000 people, 250 ms for the
    whole table against 20 ms)."""
    latest = ReleaseEvent.objects.published().order_by("-date_first", "event_id")[:n]
    return public_release_events().filter(pk__in=latest.values("pk"))


def public_sanctions_events():
    """Published sanctions events with their published release events."""
    return SanctionsEvent.objects.published().prefetch_related(
        Prefetch("release_events", queryset=ReleaseEvent.objects.published(), to_attr="links")
    )


def chronology(start: date, end: date) -> list[Row]:
    """Published release and sanctions events from ``start`` to ``end``."""
    return merge_events(
        public_release_events().filter(date_first__range=(start, end)),
        public_sanctions_events().filter(date_first__range=(start, end)),
    )


def month_starts(start: date, end: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def releases_per_month(start: date, end: date) -> list[tuple[date, int]]:
    """Releases of people counted in totals (published or anonymous) in each
    month of the range, by first possible day, within the range."""
    return figures.releases_per_month(start, end, month_starts(start, end))


@dataclass
class MonthRow:
    month: date
    held: int  # on the month's last day in the range
    releases: int


def monthly_table(
    held: list[tuple[date, int]], releases: list[tuple[date, int]], end: date
) -> list[MonthRow]:
    """The chart as a table: per month, the held figure of its last day (the
    range's last day for the last month) and its releases."""
    by_day = dict(held)
    return [MonthRow(month, by_day[min(month_end(month), end)], count) for month, count in releases]


# Chart geometry, in SVG user units.
WIDTH, HEIGHT = 800, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten not below ``value``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


@dataclass
class Tick:
    x: float
    y: float
    label: str


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass
class Chart:
    title: str
    y_max: int
    path: str = ""
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _y_ticks(y_max: int) -> list[Tick]:
    plot = HEIGHT - BOTTOM - TOP
    values = [0, y_max // 2, y_max] if y_max % 2 == 0 and y_max > 1 else [0, y_max]
    return [Tick(LEFT - 6, round(HEIGHT - BOTTOM - plot * v / y_max, 1), str(v)) for v in values]


def _x_ticks(start: date, end: date, x_of) -> list[Tick]:
    """A label on each 1 January, or on each month for a range under two
    years; at most about twelve."""
    months = month_starts(start, end)
    if (end - start).days > 2 * 366:
        marks = [m for m in months if m.month == 1 and m >= start]
        labels = [str(m.year) for m in marks]
    else:
        marks = [m for m in months if m >= start]
        labels = (
            [
                m.strftime("%b %Y") if m.month == 1 or m == marks[0] else m.strftime("%b")
                for m in marks
            ]
            if marks
            else []
        )
    keep = max(1, -(-len(marks) // 12))
    return [
        Tick(round(x_of(m), 1), HEIGHT - BOTTOM + 18, label)
        for i, (m, label) in enumerate(zip(marks, labels, strict=True))
        if i % keep == 0
    ]


def held_chart(held: list[tuple[date, int]]) -> Chart:
    """A step line of the held figure, one step a day."""
    start, end = held[0][0], held[-1][0]
    days = (end - start).days + 1
    y_max = nice_ceiling(max((n for _d, n in held), default=0) or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day: date) -> float:
        return LEFT + plot_w * (day - start).days / days

    def y_of(n: int) -> float:
        return round(HEIGHT - BOTTOM - plot_h * n / y_max, 1)

    parts = [f"M{LEFT} {y_of(held[0][1])}"]
    previous = held[0][1]
    for day, n in held[1:]:
        if n != previous:
            parts.append(f"H{round(x_of(day), 1)} V{y_of(n)}")
            previous = n
    parts.append(f"H{WIDTH - RIGHT}")
    return Chart(
        title=str(_("Recognized political prisoners held")),
        y_max=y_max,
        path=" ".join(parts),
        x_ticks=_x_ticks(start, end, x_of),
        y_ticks=_y_ticks(y_max),
    )


def releases_chart(releases: list[tuple[date, int]], start: date, end: date) -> Chart:
    """One bar per month."""
    y_max = nice_ceiling(max((n for _m, n in releases), default=0) or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(releases))
    bars = []
    for i, (month, n) in enumerate(releases):
        height = round(plot_h * n / y_max, 1)
        bars.append(
            Bar(
                x=round(LEFT + i * slot + slot * 0.1, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(max(slot * 0.8, 0.5), 1),
                height=height,
                label=f"{month:%b %Y}: {n}",
            )
        )
    months = [m for m, _n in releases]

    def x_of(day: date) -> float:
        return LEFT + slot * months.index(day.replace(day=1))

    return Chart(
        title=str(_("Releases per month")),
        y_max=y_max,
        bars=bars,
        x_ticks=_x_ticks(months[0], end, x_of),
        y_ticks=_y_ticks(y_max),
    )


class RangeForm(forms.Form):
    """``?from=&to=``, both optional, ``YYYY-MM-DD``."""

    def __init__(self, data=None, *, today: date):
        super().__init__(data)
        self.today = today
        self.fields["from"] = forms.DateField(
            required=False, input_formats=["%Y-%m-%d"], label=_("From")
        )
        self.fields["to"] = forms.DateField(
            required=False, input_formats=["%Y-%m-%d"], label=_("To")
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        end = data.get("to") or self.today
        start = data.get("from") or date(max(end.year - 4, EARLIEST.year), 1, 1)
        if not (start >= EARLIEST and end <= LATEST):
            raise forms.ValidationError(
                _("Choose dates from %(earliest)s to %(latest)s.")
                % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}
            )
        if start > end:
            raise forms.ValidationError(_("'from' is after 'to'."))
        if (end - start).days > MAX_YEARS * 366:
            raise forms.ValidationError(
                _("Choose a range of at most %(years)s years.") % {"years": MAX_YEARS}
            )
        data["start"], data["end"] = start, end
        return data


@dataclass
class PersonRow:
    """One line of a person's timeline; ``date`` is None when unknown."""

    date: PartialDate | None
    kind: str
    detention: Detention | None = None
    release: Release | None = None
    # The release event and its sanctions, when published.
    event: ReleaseEvent | None = None
    sanctions: list[SanctionsEvent] = field(default_factory=list)


_PERSON_ORDER = {
    "detained": 0,
    "sentenced": 1,
    "recognized": 2,
    "released": 3,
    "recognition_withdrawn": 4,
    "died": 5,
}


def person_rows(person) -> list[PersonRow]:
    """A person's detentions, sentences, releases, recognition and death in
    date order. An arrest of unknown date sits just before what followed it.
    Uses the person's prefetched detentions (with release, release event and
    its published sanctions as ``public_sanctions``)."""
    rows: list[tuple[date, PersonRow]] = []
    for detention in person.detentions.all():
        known = [d for d in (detention.sentenced_on, detention.ended_on) if d]
        fallback = known[0].first if known else date.max
        start = detention.detained_on.first if detention.detained_on else fallback
        rows.append((start, PersonRow(detention.detained_on, "detained", detention)))
        if detention.sentenced_on or detention.sentence_type:
            on = detention.sentenced_on.first if detention.sentenced_on else start
            rows.append((on, PersonRow(detention.sentenced_on, "sentenced", detention)))
        release = getattr(detention, "release", None)
        if release is not None:
            event = release.release_event
            public = event if event is not None and event.published else None
            rows.append(
                (
                    release.released_on.first,
                    PersonRow(
                        release.released_on,
                        "released",
                        detention,
                        release,
                        public,
                        list(getattr(event, "public_sanctions", [])) if public else [],
                    ),
                )
            )
    for kind in ("recognized", "recognition_withdrawn", "died"):
        on = getattr(person, "recognized_on" if kind == "recognized" else f"{kind}_on")
        if on:
            rows.append((on.first, PersonRow(on, kind)))
    rows.sort(key=lambda pair: (pair[0], _PERSON_ORDER[pair[1].kind]))
    return [row for _day, row in rows]
