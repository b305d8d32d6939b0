"""The series behind the timeline chart, per day, month or year."""

from __future__ import annotations

from datetime import date

from ..figures import held_series
from ..timeline import month_end, releases_per_month


def held_points(start: date, end: date, interval: str) -> list[tuple[date, int]]:
    """Per day, the held figure; per month, the figure of its last day (or of
    ``end`` for the last, unfinished month)."""
    series = held_series(start, end)
    if interval == "day":
        return series
    by_day = dict(series)
    months = sorted({day.replace(day=1) for day, _ in series})
    return [(min(month_end(m), end), by_day[min(month_end(m), end)]) for m in months]


def release_points(start: date, end: date, interval: str) -> list[tuple[str, int]]:
    monthly = releases_per_month(start, end)
    if interval == "month":
        return [(month.strftime("%Y-%m"), n) for month, n in monthly]
    years: dict[str, int] = {}
    for month, n in monthly:
        years[str(month.year)] = years.get(str(month.year), 0) + n
    return list(years.items())
