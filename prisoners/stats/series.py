"""Series over time: months of a range, releases per month or year, and the
held figure per day or month (the points of the charts, the timeline's table
and the stats API)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models

from .. import privacy
from ..choices import RELIEF
from . import figures
from .figures import held_series


class Interval(models.TextChoices):
    """The step of a series."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


# The columns of the series as CSV (/api/stats/held.csv, /api/stats/releases.csv).
HELD_COLUMNS = ["date", "held"]
RELEASE_COLUMNS = ["period", "releases"]


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


def relief_per_month(start: date, end: date) -> list[tuple[date, list]]:
    """The published sanctions relief acts (choices.RELIEF: licences,
    suspensions, delistings) taking effect in each month of the range."""
    acts = (
        privacy.sanctions_events()
        .with_effective_day()
        .filter(kind__in=RELIEF, effective_day__range=(start, end))
        .order_by("effective_day", "event_id")
        .prefetch_related(privacy.targets_of_sanctions_events())
    )
    by_month: dict[date, list] = {month: [] for month in month_starts(start, end)}
    for act in acts:
        by_month[act.effective_day.replace(day=1)].append(act)
    return list(by_month.items())


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


def held_points(start: date, end: date, interval: str) -> list[tuple[date, int]]:
    """Per day, the held figure; per month, the figure of its last day (or of
    ``end`` for the last, unfinished month)."""
    series = held_series(start, end)
    if interval == Interval.DAY:
        return series
    by_day = dict(series)
    months = sorted({day.replace(day=1) for day, _ in series})
    return [(min(month_end(m), end), by_day[min(month_end(m), end)]) for m in months]


def release_points(start: date, end: date, interval: str) -> list[tuple[str, int]]:
    monthly = releases_per_month(start, end)
    if interval == Interval.MONTH:
        return [(month.strftime("%Y-%m"), n) for month, n in monthly]
    years: dict[str, int] = {}
    for month, n in monthly:
        years[str(month.year)] = years.get(str(month.year), 0) + n
    return list(years.items())
