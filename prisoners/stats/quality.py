"""The questions of the data-quality page: where the records are probably
wrong or stale. Each is a function named after the question; the admin's
page (admin/quality.py) and the admin index's counts ask them, and
bench/quality_bench.py times them.

Every question looks at every recorded person (drafts and anonymous people
are curators' work too) unless it says "published".
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from ..choices import SentenceType
from ..data_version import data_version
from ..identity import Recorded, stored_spelling_keys
from ..models import Detention, NotSameAs, Person, Release, ReleaseEvent
from ..partial_dates import PartialDate

# A published record nobody has changed (nor opened and saved) for this long
# is listed as not reviewed.
REVIEW_DAYS = 180

# How long the index's counts are kept at most (a new data version or day
# replaces them sooner).
COUNTS_SECONDS = 60 * 60

# Sentences with no end to reach.
ENDLESS = [SentenceType.LIFE, SentenceType.DEATH]


class DuplicatePair(NamedTuple):
    """Two recorded people whose spellings and births match: ``first`` has
    the lower primary key (as NotSameAs stores the pair)."""

    first: Recorded
    second: Recorded


def probable_duplicates() -> list[tuple[int, int]]:
    """Pairs of recorded people (primary keys, the lower first, in order)
    with the same name in some spelling and birth dates that do not
    contradict, as identity.MatchIndex compares them, except pairs a
    curator said are different people (NotSameAs); describe() gives the
    people of the pairs a page shows.

    MatchIndex is not built for this: it describes all 100,000 people to
    answer about a few; here only the spellings and births are read, the
    people are described for the page's pairs alone. Within the people
    sharing a spelling, those with an unknown birth pair with everyone; the
    others are swept in order of their first possible birthday, so the work
    grows with the pairs found, not with the square of a common name's
    bearers."""
    by_key: dict[str, list[tuple[int, tuple[date, date] | None]]] = defaultdict(list)
    rows = Person.objects.order_by().values_list(
        "pk", "search_text", "born_first", "born_precision"
    )
    # Read in one go, not through a server-side cursor: at 100,000 people the
    # rows take some 30 MB for a moment, and the cursor's round trips cost more.
    # Probable duplicates often have the very same stored text: split once.
    keys_of: dict[str, set[str]] = {}
    for pk, text, first, precision in rows:
        born = (first, PartialDate(first, precision).last) if first else None
        keys = keys_of.get(text)
        if keys is None:
            keys = keys_of[text] = stored_spelling_keys(text)
        for key in keys:
            by_key[key].append((pk, born))
    pairs: set[tuple[int, int]] = set()
    seen_groups: set[tuple[int, ...]] = set()
    for group in by_key.values():
        if len(group) < 2:
            continue
        # Several spellings (Latin, Belarusian, Russian) often give the same group.
        pks = tuple(sorted(pk for pk, _born in group))
        if pks in seen_groups:
            continue
        seen_groups.add(pks)
        pairs.update(_compatible_pairs(group))
    said_different = set(NotSameAs.objects.values_list("person_id", "other_id"))
    return sorted(pairs - said_different)


def _compatible_pairs(group):
    unknown = [pk for pk, born in group if born is None]
    known = sorted(((born, pk) for pk, born in group if born is not None))
    others = unknown + [pk for _born, pk in known]
    for i, a in enumerate(unknown):
        for b in others[i + 1 :]:
            yield (a, b) if a < b else (b, a)
    # Sorted by first possible day, b starts on or after a: the two overlap
    # exactly when b starts on or before a's last possible day.
    for i, ((_a_first, a_last), a) in enumerate(known):
        for (b_first, _b_last), b in known[i + 1 :]:
            if b_first > a_last:
                break
            yield (a, b) if a < b else (b, a)


def describe(pairs: list[tuple[int, int]]) -> list[DuplicatePair]:
    """The people of ``pairs``, as identity describes them (one query)."""
    pks = {pk for pair in pairs for pk in pair}
    rows = Person.objects.filter(pk__in=pks).values_list(
        "pk", "person_id", "name", "born_first", "born_precision"
    )
    people = {
        pk: Recorded(pk, person_id, name, PartialDate(first, precision) if first else None)
        for pk, person_id, name, first, precision in rows
    }
    return [DuplicatePair(people[a], people[b]) for a, b in pairs]


def published_people_with_unsourced_detentions() -> QuerySet:
    """Published people with a detention that has no source of its own
    (unsourced_detention_ids() names them). A source on the person does
    not stand for the detention's facts."""
    # NOT EXISTS, not a LEFT JOIN on the sources: PostgreSQL hashes the
    # detentions once instead of grouping every person.
    unsourced = Detention.objects.filter(~Exists(_detention_sources()), person=OuterRef("pk"))
    return Person.objects.published().filter(Exists(unsourced)).order_by("name", "person_id")


def sentence_end(sentenced_last: date, months: int) -> date:
    """The day a sentence of ``months`` ends: the last possible day of
    sentencing plus the months, on the month's last day when it is shorter
    (sentenced on 31 August to 6 months: 28 or 29 February)."""
    month_index = sentenced_last.month - 1 + months
    year, month = sentenced_last.year + month_index // 12, month_index % 12 + 1
    day = min(sentenced_last.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def open_detentions_past_sentence(today: date) -> QuerySet:
    """Open detentions whose sentence ended before ``today``:
    sentence_end(last possible day of sentencing, sentence_months) < today.
    Life and death sentences never end; a detention without a sentencing
    date or a term is not asked about.

    Compared in whole months, then days, so that it is one portable
    expression: the end is before today when more months than the term
    have passed since sentencing, or exactly the term and today's day of
    the month is later than sentencing's (sentence_end()'s end-of-month
    rule gives the same answer)."""
    today_months = today.year * 12 + today.month
    end_months = (
        ExtractYear("sentenced_on_last") * 12
        + ExtractMonth("sentenced_on_last")
        + F("sentence_months")
    )
    return (
        Detention.objects.ongoing()
        .filter(sentenced_on_last__isnull=False, sentence_months__isnull=False)
        .exclude(sentence_type__in=ENDLESS)
        .alias(end_months=end_months, sentenced_day=ExtractDay("sentenced_on_last"))
        .filter(
            Q(end_months__lt=today_months) | Q(end_months=today_months, sentenced_day__lt=today.day)
        )
        .select_related("person")
        .order_by("sentenced_on_last", "detention_id")
    )


def release_events_over_announced() -> QuerySet:
    """Release events with more releases recorded (people of every
    visibility) than announced, annotated with ``recorded``."""
    return (
        ReleaseEvent.objects.filter(announced_count__isnull=False)
        .annotate(recorded=Count("releases"))
        .filter(recorded__gt=F("announced_count"))
        .order_by("-date_first", "event_id")
    )


def published_people_not_reviewed(today: date, days: int = REVIEW_DAYS) -> QuerySet:
    """Published people that nobody has reviewed for ``days``: no history
    row of the person, of their detentions or of their releases since then.
    Reviewing is saving: a curator who checked a record opens it and saves
    it (an unchanged save still writes a history row, naming them). A record
    never saved through the models (no history) was never reviewed."""
    since = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))
    recent = {"history_date__gte": since}
    # Sets of ids, not subqueries per person: a release's person found
    # through its detention inside a correlated subquery made PostgreSQL
    # test every pair of person and release row (minutes at 100,000 people).
    reviewed = [
        Person.history.model.objects.filter(**recent).values("id"),
        Detention.history.model.objects.filter(**recent).values("person_id"),
        Detention.objects.filter(
            pk__in=Release.history.model.objects.filter(**recent).values("detention_id")
        ).values("person_id"),
    ]
    people = Person.objects.published()
    for ids in reviewed:
        people = people.exclude(pk__in=ids)
    return people.order_by("name", "person_id")


def unsourced_detention_ids(people) -> dict[int, list[str]]:
    """The ids of the detentions without a source of each of ``people``
    (one query, for the rows a page shows)."""
    found: dict[int, list[str]] = {person.pk: [] for person in people}
    rows = (
        Detention.objects.filter(person__in=list(found))
        .filter(~Exists(_detention_sources()))
        .order_by("detained_on_first", "detention_id")
        .values_list("person", "detention_id")
    )
    for person_pk, detention_id in rows:
        found[person_pk].append(detention_id)
    return found


def _detention_sources() -> QuerySet:
    return Detention.sources.through.objects.filter(detention=OuterRef("pk"))


def sections(today: date) -> dict[str, list | QuerySet]:
    """Every question's rows, by the name the page and the index use."""
    return {
        "duplicates": probable_duplicates(),
        "unsourced": published_people_with_unsourced_detentions(),
        "past_sentence": open_detentions_past_sentence(today),
        "over_announced": release_events_over_announced(),
        "not_reviewed": published_people_not_reviewed(today),
    }


def counts(today: date) -> dict[str, int]:
    """How many rows each question has: the admin index shows these,
    remembered for the data version and the day (cached_counts)."""
    return {
        name: len(rows) if isinstance(rows, list) else rows.count()
        for name, rows in sections(today).items()
    }


def _counts_key(today: date) -> str:
    return f"tracker:quality-counts:{data_version()}:{today.isoformat()}"


def cached_counts(today: date) -> dict[str, int]:
    """counts(), computed once for each data version and day: the admin
    index asks on every visit, and at 100,000 people the questions take a
    second (docs/performance.md); any change of the records moves the
    version, so the figures are never older than the records."""
    key = _counts_key(today)
    found = cache.get(key)
    if found is None:
        found = counts(today)
        cache.set(key, found, COUNTS_SECONDS)
    return found


def remember_counts(today: date, found: dict[str, int]) -> None:
    """Store counts the data-quality page has just made, for the index."""
    cache.set(_counts_key(today), found, COUNTS_SECONDS)
