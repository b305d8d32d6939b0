"""The life of a sentence: the term in force, when the person is due out, and
how long they have been inside, from dates that may be known only to the
month or the year.

Pure functions over values, so that the models (which store what the list
sorts and filters on), the pages and the API ask the same ones.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .choices import NO_RELEASE_DATE, NON_CUSTODIAL
from .partial_dates import PartialDate, Precision


@dataclass(frozen=True)
class Term:
    """A sentence: its type and length, and since when it is in force (the
    first verdict's date, or the change's)."""

    sentence_type: str
    sentence_months: int | None
    since: PartialDate | None = None


def current_term(detention, changes: Iterable | None = None) -> Term:
    """The term in force: the latest sentence change's (by date, then the
    order recorded), else the detention's first sentence. ``changes`` are the
    detention's sentence changes (its prefetched ones when not given)."""
    if changes is None:
        changes = detention.sentence_changes.all()
    latest = max(
        changes, key=lambda c: (c.changed_on.first, c.changed_on.last, c.pk or 0), default=None
    )
    if latest is not None:
        return Term(latest.sentence_type, latest.sentence_months, latest.changed_on)
    return Term(detention.sentence_type, detention.sentence_months, detention.sentenced_on)


def add_months(day: date, months: int) -> date:
    """``day`` ``months`` later; the 31st of a shorter month becomes its last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def release_from_term(start: PartialDate | None, term: Term) -> PartialDate | None:
    """When a term counted from the arrest ends (time held before the verdict
    counts towards it), at the precision of the arrest: a day, a month or a
    year. None for an unknown arrest, an unknown length, or a sentence that
    keeps nobody in custody or sets no date (life, death)."""
    if start is None or not term.sentence_months:
        return None
    if term.sentence_type in NON_CUSTODIAL or term.sentence_type in NO_RELEASE_DATE:
        return None
    end = add_months(start.first, term.sentence_months)
    if start.precision == Precision.DAY:
        return PartialDate(end, Precision.DAY)
    if start.precision == Precision.MONTH:
        return PartialDate(end.replace(day=1), Precision.MONTH)
    return PartialDate(date(end.year, 1, 1), Precision.YEAR)


def expected_release(
    is_open: bool, start: PartialDate | None, term: Term, recorded: PartialDate | None
) -> PartialDate | None:
    """The expected release of a detention: only of an open one; the date
    the curators recorded wins over the one the term gives."""
    if not is_open:
        return None
    return recorded or release_from_term(start, term)


def ended_days(start: PartialDate | None, end: PartialDate | None) -> int | None:
    """Days from the first possible day of the arrest to that of the end:
    what the list sorts an ended detention by (filters and sorts use first
    days). None when either is unknown."""
    if start is None or end is None:
        return None
    return max(0, (end.first - start.first).days)


@dataclass(frozen=True)
class DayRange:
    """Days in custody: at least ``low``, at most ``high`` (equal when every
    date is known to the day)."""

    low: int
    high: int

    @property
    def exact(self) -> bool:
        return self.low == self.high


def days_in_custody(spans: Iterable[tuple], today: date) -> DayRange | None:
    """Days in custody over ``spans``, (start, end or None while still held)
    partial dates, each from its arrest to its end (today for an open
    one), as a range: the fewest days the dates allow (the latest possible
    arrest to the earliest possible end) to the most. A span with an
    unknown start or end is left out; None when none is known."""
    low = high = 0
    known = False
    for start, end, still_held in spans:
        if start is None or (end is None and not still_held):
            continue
        first, last = (today, today) if still_held else (end.first, end.last)
        low += max(0, (first - start.last).days)
        high += max(0, (last - start.first).days)
        known = True
    return DayRange(low, high) if known else None


def person_days_in_custody(person, today: date) -> DayRange | None:
    """days_in_custody() over a person's (prefetched) detentions."""
    return days_in_custody(
        ((d.detained_on, d.ended_on, d.is_open) for d in person.detentions.all()), today
    )
