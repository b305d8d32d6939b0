"""The pages bench/compare.py measures, and the targets their issues set.

Each page is labelled; the label is the key of its row in the JSON, so keep
labels stable from run to run. Values exist in the synthetic data of seed 1;
the person, release event and name are looked up at run time (pick_examples).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RELEASED_RANGE = ("2025-12-01", "2025-12-31")
STATUS, REGION = "in_custody", "Minsk region"
TIMELINE = ("2016-07-01", "2026-06-30")
# The list as it stood a year before the synthetic history ends (#20).
AS_OF = (date.today().replace(year=date.today().year - 1)).isoformat()
QUALITY_PAGE = "/admin/prisoners/quality/"


@dataclass(frozen=True)
class Target:
    """One bound an issue sets on a page: ``measure`` is a key of the page's
    row (``ours_p95_ms``, ``queries``, …) or ``floor`` (#22: the HTTP median
    within twice the raw SQL plus 5 ms) or ``datasette`` (#22: a third of
    Datasette's median)."""

    issue: int
    measure: str
    limit: float = 0

    def describe(self) -> str:
        if self.measure == "floor":
            return f"#{self.issue} p50 ≤ 2×SQL+5"
        if self.measure == "datasette":
            return f"#{self.issue} p50 ≤ DS/3"
        unit = "" if self.measure == "queries" else " ms"
        what = {"queries": "queries", "ours_p95_ms": "p95", "ours_p50_ms": "p50"}[self.measure]
        return f"#{self.issue} {what} ≤ {self.limit:g}{unit}"

    def check(self, row: dict) -> bool | None:
        """Met, missed, or None when a figure is missing (HTTP skipped)."""
        if self.measure == "floor":
            ours, raw = row["ours_p50_ms"], row["raw_sql_p50_ms"]
            return None if ours is None else ours <= 2 * raw + 5
        if self.measure == "datasette":
            ours, theirs = row["ours_p50_ms"], row["datasette_p50_ms"]
            return None if ours is None or theirs is None else ours <= theirs / 3
        value = row[self.measure]
        return None if value is None else value <= self.limit


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    # The query string of the same rows in Datasette's flat table, if it has them.
    datasette: str | None = None
    targets: tuple[Target, ...] = ()
    # Admin pages are fetched as a staff user past two-factor; they are not
    # public pages (#22) and stay out of the throughput mix.
    staff: bool = False
    # At most this many timed requests and raw SQL runs, for a page of
    # seconds (the bench's other pages take milliseconds).
    max_runs: int | None = None


def public(*targets: Target, datasette: bool = False) -> tuple[Target, ...]:
    """#22 holds for every public page and API request: close to its raw
    SQL, at most 10 queries, and a third of Datasette's time where it has
    the page."""
    general = (Target(22, "floor"), Target(22, "queries", 10))
    return (*targets, *general, *((Target(22, "datasette"),) if datasette else ()))


# #19: each ≤ 150 ms p95 and ≤ 10 queries.
ISSUE_19 = (Target(19, "ours_p95_ms", 150), Target(19, "queries", 10))
# #20: embeds and SVG charts ≤ 100 ms (read as p95, like its other bounds).
EMBED = (Target(20, "ours_p95_ms", 100),)


def pages_for(examples: dict) -> list[Page]:
    name, misspelled = examples["name"].replace(" ", "+"), examples["misspelled"].replace(" ", "+")
    after, before = RELEASED_RANGE
    region = REGION.replace(" ", "+")
    span = f"from={TIMELINE[0]}&to={TIMELINE[1]}"
    return [
        Page("home", "/", targets=public()),
        Page("list, unfiltered", "/prisoners/", targets=public()),
        Page(
            "list, released in a month",
            f"/prisoners/?released_after={after}&released_before={before}",
            f"?released_on__gte={after}&released_on__lte={before}",
            public(datasette=True),
        ),
        Page(
            "list, status+region by -detained",
            f"/prisoners/?status={STATUS}&region={region}&ordering=-detained_on",
            f"?status={STATUS}&region={region}&_sort_desc=detained_on",
            public(datasette=True),
        ),
        Page(
            "search, exact name",
            f"/prisoners/?q={name}",
            f"?name__contains={name}",
            public(datasette=True),
        ),
        Page("search, misspelled", f"/prisoners/?q={misspelled}", targets=public()),
        Page("person page", f"/prisoners/{examples['person']}/", targets=public()),
        Page(
            # The size is in the JSON's examples: the label stays the same.
            "release event, the largest",
            f"/releases/{examples['event']}/",
            targets=public(),
        ),
        Page("timeline, 10 years", f"/timeline/?{span}", targets=public()),
        Page("embed, held 10 years", f"/embed/held/?{span}", targets=public(*EMBED)),
        Page("embed, releases 10 years", f"/embed/releases/?{span}", targets=public(*EMBED)),
        Page("embed, headline figure", "/embed/counter/", targets=public(*EMBED)),
        Page("chart SVG, held 10 years", f"/charts/held.svg?{span}", targets=public(*EMBED)),
        Page(
            "chart SVG, releases 10 years",
            f"/charts/releases.svg?{span}",
            targets=public(*EMBED),
        ),
        Page("facilities", "/facilities/", targets=public(*ISSUE_19)),
        # A synthetic colony (prisoners/synthetic.py): thousands of stays.
        Page("facility page", "/facilities/penal-colony-no-1/", targets=public(*ISSUE_19)),
        Page("birthdays, December", "/birthdays/?month=12", targets=public(*ISSUE_19)),
        Page(
            "list, by days in custody",
            "/prisoners/?ordering=-days_in_custody",
            targets=public(*ISSUE_19),
        ),
        Page(
            "changes, a month",
            f"/changes/?from={after}&to={before}",
            targets=public(Target(20, "ours_p95_ms", 300)),
        ),
        Page(
            "list as of a year ago",
            f"/prisoners/?as_of={AS_OF}",
            targets=public(Target(20, "ours_p95_ms", 1000)),
        ),
        Page("sanctions targets", "/sanctions/targets/", targets=public()),
        Page("API, page 2", "/api/prisoners/?page=2", targets=public()),
        # #15: the data-quality page under 2 s at 100,000 people.
        Page(
            "data-quality page (staff)",
            QUALITY_PAGE,
            targets=(Target(15, "ours_p95_ms", 2000),),
            staff=True,
            max_runs=5,
        ),
    ]


def pick_examples() -> dict:
    """A published person with a release, the largest published release
    event, an existing name and a misspelling of it."""
    from django.db.models import Count

    from prisoners.models import Person, ReleaseEvent

    person = (
        Person.objects.published()
        .filter(detentions__release__isnull=False)
        .order_by("person_id")
        .values_list("person_id", "name")
        .first()
    )
    event = (
        ReleaseEvent.objects.published()
        .annotate(n=Count("releases"))
        .order_by("-n", "event_id")
        .values_list("event_id", "n")
        .first()
    )
    first, last = person[1].split(" ", 1)
    # One letter changed in the surname: found on PostgreSQL by trigram similarity.
    swap = {"i": "y", "y": "i", "a": "o", "o": "a", "e": "i", "u": "o"}
    at = next(i for i in range(len(last) - 1, 0, -1) if last[i] in swap)
    misspelled = f"{first} {last[:at]}{swap[last[at]]}{last[at + 1 :]}"
    return {
        "person": person[0],
        "name": person[1],
        "misspelled": misspelled,
        "event": event[0],
        "event_size": event[1],
    }
