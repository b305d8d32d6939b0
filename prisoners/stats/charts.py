"""The geometry of the charts the server draws as SVG: a step line of the
held figure and bars of releases per month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from ..partial_dates import PartialDate, Precision, short_month
from .series import month_starts

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
            [short_month(m, with_year=m.month == 1 or m == marks[0]) for m in marks]
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
    # x_of and y_of written out: at a hundred thousand people the figure
    # changes nearly every day, and ten years are 3,650 steps.
    first, base = start.toordinal(), HEIGHT - BOTTOM
    for day, n in held[1:]:
        if n != previous:
            x = LEFT + plot_w * (day.toordinal() - first) / days
            parts.append(f"H{round(x, 1)} V{round(base - plot_h * n / y_max, 1)}")
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
    return monthly_bars(releases, end, str(_("Releases per month")))


def relief_chart(relief: list[tuple[date, int]], start: date, end: date) -> Chart:
    """Sanctions relief acts per month, on the releases' months. Months
    without relief draw no bar (most months: a bar of height 0 for each
    would weigh as much as the releases' chart; the table lists the acts)."""
    chart = monthly_bars(relief, end, str(_("Sanctions relief per month")))
    chart.bars = [bar for bar in chart.bars if bar.height]
    return chart


def monthly_bars(releases: list[tuple[date, int]], end: date, title: str) -> Chart:
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
                label=f"{PartialDate(month, Precision.MONTH).display()}: {n}",
            )
        )
    months = [m for m, _n in releases]

    def x_of(day: date) -> float:
        return LEFT + slot * months.index(day.replace(day=1))

    return Chart(
        title=title,
        y_max=y_max,
        bars=bars,
        x_ticks=_x_ticks(months[0], end, x_of),
        y_ticks=_y_ticks(y_max),
    )
