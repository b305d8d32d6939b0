"""The date range of a series (the timeline's chart and the stats API): its
bounds, its longest span, and one wording for each error. The default start
is the caller's: each page shows its own span by default."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Far enough for any record; month arithmetic near date.max would overflow.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)
# A longer range makes a chart too dense to read and a page too slow to draw.
MAX_YEARS = 30


class RangeError(ValueError):
    """An invalid range: ``param`` is the parameter to blame (``from`` or ``to``)."""

    def __init__(self, param: str, message: str, code: str):
        super().__init__(message)
        self.param, self.message, self.code = param, message, code


def date_range(
    start: date | None,
    end: date | None,
    *,
    today: date,
    default_start: Callable[[date], date],
) -> tuple[date, date]:
    """``start`` to ``end`` inclusive: ``end`` defaults to ``today`` and
    ``start`` to ``default_start(end)``. Raise RangeError for a date given
    outside EARLIEST..LATEST, a start after the end, or more than MAX_YEARS."""
    for param, day in (("from", start), ("to", end)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise RangeError(
                param,
                _("Choose dates between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
                "out_of_bounds",
            )
    end = end or today
    start = start or default_start(end)
    if start > end:
        raise RangeError("from", _("'from' is after 'to'."), "reversed")
    if (end - start).days > MAX_YEARS * 366:
        raise RangeError(
            "from",
            ngettext(
                "Choose a range of at most %(years)s year.",
                "Choose a range of at most %(years)s years.",
                MAX_YEARS,
            )
            % {"years": MAX_YEARS},
            "too_long",
        )
    return start, end
