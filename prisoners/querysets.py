"""Querysets named after the questions curators and journalists ask."""

from __future__ import annotations

from datetime import date

from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from .choices import EndReason, Status, Visibility
from .rules import BY_MONTH, COUNTED

# Stands for "no end yet" where an end date must be compared.
FAR_FUTURE = date(9999, 12, 31)


def _far_future() -> Value:
    return Value(FAR_FUTURE, output_field=DateField())


class MonthStart(Func):
    """The first day of a date's month (NULL stays NULL)."""

    arity = 1
    output_field = DateField()
    template = "CAST(DATE_TRUNC('month', %(expressions)s) AS date)"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s, 'start of month')", **extra
        )


class DaysBetween(Func):
    """Whole days from the second date to the first, as an integer."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def counting_day(date_field: str, person: str = "") -> Case:
    """The day from which a counted person's date counts in public figures
    (rules.BY_MONTH): the first day of its month for anonymous people, the
    day itself for named ones. ``person`` is the path to the person
    (``"person__"`` from a detention), empty on a person."""
    return Case(
        When(**{f"{person}visibility__in": BY_MONTH}, then=MonthStart(date_field)),
        default=F(date_field),
        output_field=DateField(),
    )


class PersonQuerySet(models.QuerySet):
    def published(self) -> PersonQuerySet:
        """People the public may see by name."""
        return self.filter(visibility=Visibility.PUBLISHED)

    def counted(self) -> PersonQuerySet:
        """People who count in totals and charts (rules.COUNTED)."""
        return self.filter(visibility__in=COUNTED)

    def not_named(self) -> PersonQuerySet:
        """People counted in totals and charts but never named: anonymous."""
        return self.counted().exclude(visibility=Visibility.PUBLISHED)

    def with_source(self) -> PersonQuerySet:
        """People with a source of their own or on one of their detentions."""
        detention = self.model.detentions.rel.related_model
        own = self.model.sources.through.objects.filter(person=OuterRef("pk"))
        on_detention = detention.sources.through.objects.filter(detention__person=OuterRef("pk"))
        return self.filter(Exists(own) | Exists(on_detention))

    def recognized_on(self, day: date) -> PersonQuerySet:
        """Recognized as political prisoners on or before ``day`` and not
        withdrawn by then (an empty withdrawal date: never withdrawn)."""
        return self.filter(recognized_on_first__lte=day).filter(
            Q(recognition_withdrawn_on_first__isnull=True)
            | Q(recognition_withdrawn_on_first__gt=day)
        )

    def not_recognized_on(self, day: date) -> PersonQuerySet:
        """Not recognized on ``day``: not yet, never, or withdrawn by then."""
        return self.filter(
            Q(recognized_on_first__isnull=True)
            | Q(recognized_on_first__gt=day)
            | Q(recognition_withdrawn_on_first__lte=day)
        )

    def counted_recognized_on(self, day: date) -> PersonQuerySet:
        """recognized_on(day) as the figures count it: on counting days
        (counting_day(): anonymous people's dates from the 1st of their month)."""
        return (
            self.annotate(
                counted_recognized=counting_day("recognized_on_first"),
                counted_withdrawn=counting_day("recognition_withdrawn_on_first"),
            )
            .filter(counted_recognized__lte=day)
            .filter(Q(counted_withdrawn__isnull=True) | Q(counted_withdrawn__gt=day))
        )

    def recognized(self) -> PersonQuerySet:
        """Recognized as political prisoners, the recognition not withdrawn."""
        return self.filter(
            recognized_on_first__isnull=False, recognition_withdrawn_on_first__isnull=True
        )

    def not_recognized(self) -> PersonQuerySet:
        """Never recognized, or the recognition was withdrawn."""
        return self.filter(
            Q(recognized_on_first__isnull=True) | Q(recognition_withdrawn_on_first__isnull=False)
        )

    def with_detentions_matching(self, detentions: models.QuerySet) -> PersonQuerySet:
        """People with at least one of ``detentions``: filters chained on that
        queryset apply to one and the same detention."""
        return self.filter(Exists(detentions.filter(person=OuterRef("pk"))))

    def with_latest_dates(self) -> PersonQuerySet:
        """Annotate ``latest_detained_on`` (first day of the latest known
        arrest) and ``latest_released_on`` (first day of the latest release),
        for sorting; NULL when there is none."""
        from .models import Detention, Release

        detentions = Detention.objects.filter(
            person=OuterRef("pk"), detained_on_first__isnull=False
        )
        releases = Release.objects.filter(detention__person=OuterRef("pk"))
        # MAX() per person, not ORDER BY date DESC LIMIT 1: with the latter,
        # PostgreSQL walks the whole date index backwards for each person.
        return self.annotate(
            latest_detained_on=Subquery(
                detentions.values("person")
                .annotate(latest=Max("detained_on_first"))
                .values("latest")
            ),
            latest_released_on=Subquery(
                releases.values("detention__person")
                .annotate(latest=Max("released_on_first"))
                .values("latest")
            ),
        )

    def with_days_in_custody(self, today: date) -> PersonQuerySet:
        """Annotate ``days_in_custody``: the days of their ended detentions
        and of the open one up to ``today``, on first possible days (as
        filters count; terms.days_in_custody gives the range the dates
        allow). Read from the stored columns custody_days and custody_since
        (refresh_status), so that the list sorts 100,000 people without
        reading a detention."""
        held_now = DaysBetween(Value(today, output_field=DateField()), F("custody_since"))
        return self.annotate(
            days_in_custody=F("custody_days")
            + Case(
                When(custody_since__isnull=False, then=held_now),
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def expected_release_between(self, start: date | None, end: date | None) -> PersonQuerySet:
        """People whose open detention's expected release (its first possible
        day) falls from ``start`` to ``end``, inclusive (either may be None)."""
        if start:
            self = self.filter(expected_release_first__gte=start)
        if end:
            self = self.filter(expected_release_first__lte=end)
        return self

    def held_on(self, day: date) -> PersonQuerySet:
        """People with a detention held on ``day``."""
        from .models import Detention

        held = Detention.objects.held_on(day).filter(person=OuterRef("pk"))
        return self.filter(Exists(held))

    def counted_held_on(self, day: date) -> PersonQuerySet:
        """held_on(day) as the figures count it, on counting days."""
        from .models import Detention

        held = Detention.objects.counted_held_on(day).filter(person=OuterRef("pk"))
        return self.filter(Exists(held))

    def refresh_status(self) -> int:
        """Write the derived status of these people: the code path that keeps
        the stored copy in sync (Person.refresh_status() calls it too; only a
        new person inserted with their detentions gets it from
        Person.derive_status(), the same rule in Python).

        deceased if a death date is set; else in_custody if a detention is
        open; else released if a detention ended in release; else unknown.

        With it, what the list sorts and filters on by time inside
        (Person.expected_release, custody_days, custody_since), from the
        detentions' derived columns (Detention.derive_term)."""
        from .models import Detention

        detentions = Detention.objects.filter(person=OuterRef("pk"))
        open_one = detentions.ongoing()
        ended_days = (
            detentions.exclude(custody_days__isnull=True)
            .values("person")
            .annotate(days=Sum("custody_days"))
            .values("days")
        )
        return self.update(
            expected_release_first=Subquery(open_one.values("expected_release_first")[:1]),
            expected_release_last=Subquery(open_one.values("expected_release_last")[:1]),
            expected_release_precision=Coalesce(
                Subquery(open_one.values("expected_release_precision")[:1]), Value("")
            ),
            custody_days=Coalesce(Subquery(ended_days), Value(0)),
            custody_since=Subquery(open_one.values("detained_on_first")[:1]),
            status=Case(
                When(died_on_first__isnull=False, then=Value(Status.DECEASED)),
                When(Exists(detentions.ongoing()), then=Value(Status.IN_CUSTODY)),
                When(
                    Exists(detentions.filter(end_reason=EndReason.RELEASE)),
                    then=Value(Status.RELEASED),
                ),
                default=Value(Status.UNKNOWN),
            ),
        )

    def search(self, query: str) -> PersonQuerySet:
        """People with every word of ``query`` in some spelling of their name.

        On PostgreSQL a word that is not found as it is may also match a word
        of the name that is close to it (trigram word similarity above
        pg_trgm.word_similarity_threshold, 0.6 by default), so "bialiatsky"
        finds "bialiatski". The GIN index person_search_trgm serves both the
        LIKE and the %> operator."""
        from .search import query_terms

        fuzzy = connections[self.db].vendor == "postgresql"
        for term in query_terms(query):
            match = Q(search_text__contains=term)
            # Short words are similar to too many names to be worth guessing.
            if fuzzy and len(term) >= 4:
                match |= Q(search_text__trigram_word_similar=term)
            self = self.filter(match)
        return self


def recognized_held_count(day: date) -> int:
    """The headline figure: recognized political prisoners held on ``day``,
    anonymous people included, on counting days (counting_day())."""
    from .models import Detention

    spans = Detention.objects.recognized_held_spans()
    held = spans.filter(span_start__lte=day, span_end__gt=day)
    return held.values("person_id").distinct().count()


class DetentionQuerySet(models.QuerySet):
    def ongoing(self) -> DetentionQuerySet:
        """Detentions with no end: the person is still held (or, for an unknown
        start, was held when last heard of)."""
        return self.filter(end_reason=EndReason.OPEN)

    def held_on(self, day: date) -> DetentionQuerySet:
        """Detentions with start <= day < end, on first possible days.

        An open detention (no end) is held on every day from its start. A start
        that is unknown is held on no day. A non-custodial sentence ends at
        sentencing; without a sentencing date its end is unknown (NULL), so the
        comparison fails and it is held on no day."""
        return self.filter(detained_on_first__lte=day).filter(
            Q(end_reason=EndReason.OPEN) | Q(ended_on_first__gt=day)
        )

    def counted_held_on(self, day: date) -> DetentionQuerySet:
        """held_on(day) as the figures count it, on counting days
        (counting_day(): an anonymous person's arrest and end count from the
        1st of their month)."""
        return (
            self.annotate(
                counted_start=counting_day("detained_on_first", "person__"),
                counted_end=counting_day("ended_on_first", "person__"),
            )
            .filter(counted_start__lte=day)
            .filter(Q(end_reason=EndReason.OPEN) | Q(counted_end__gt=day))
        )

    def recognized_held_spans(self) -> DetentionQuerySet:
        """Spans of counted people's detentions during which they were held
        *and* recognized: ``span_start`` <= day < ``span_end`` exactly when
        the person counts in recognized_held_count(day) through this detention.

        The start is the later of arrest and recognition; the end the earlier
        of the detention's end and the withdrawal (FAR_FUTURE for neither),
        each on its counting day (counting_day(): anonymous people's from the
        1st of the month, so a stay of theirs within one month is no span).
        Detentions with an unknown start, or that ended with an unknown date
        (a non-custodial sentence without a sentencing date), are held on no
        day and left out. A person's spans may overlap on first possible
        days (dates known to the month or year): figures._held_spans() makes
        them disjoint before counting people."""
        from .models import Person

        counted = Person.objects.counted().filter(recognized_on_first__isnull=False)
        return (
            self.filter(person__in=counted, detained_on_first__isnull=False)
            .filter(Q(end_reason=EndReason.OPEN) | Q(ended_on_first__isnull=False))
            .annotate(
                span_start=Greatest(
                    counting_day("detained_on_first", "person__"),
                    counting_day("person__recognized_on_first", "person__"),
                ),
                span_end=Least(
                    Coalesce(counting_day("ended_on_first", "person__"), _far_future()),
                    Coalesce(
                        counting_day("person__recognition_withdrawn_on_first", "person__"),
                        _far_future(),
                    ),
                ),
            )
            .filter(span_start__lt=F("span_end"))
        )


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def with_recorded_count(self) -> EventQuerySet:
        """Release events only: annotate ``recorded_count``, the releases
        recorded for the event of people who count in totals (published or
        anonymous), ``named_count``, those of published people, and
        ``unnamed_count``, the difference.

        One aggregate, not a subquery a count: each release's person is read
        once for the three counts, and only for the events the query keeps
        (by index for a few, in one hash join for many). Subqueries read it
        once a count, twice more for unnamed_count (Django writes them out
        again), and PostgreSQL may hash every detention once an event: they
        were slower on every page but for the home page's five latest events
        (docs/performance.md). A LIMIT applies after the aggregate: to count
        only the few events a page shows, narrow the events to pk__in their
        ids first."""
        return self.annotate(
            recorded_count=Count(
                "releases", filter=Q(releases__detention__person__visibility__in=COUNTED)
            ),
            named_count=Count(
                "releases",
                filter=Q(releases__detention__person__visibility=Visibility.PUBLISHED),
            ),
        ).annotate(unnamed_count=F("recorded_count") - F("named_count"))


def prefetched(model: type[models.Model], objects: list) -> models.QuerySet:
    """A queryset of ``model`` that is ``objects``, as a prefetch leaves one in
    an object's cache: for related rows read some other way (from the
    history, or several relations in one query), so that ``.all()`` on the
    relation gives them without a query."""
    listing = model.objects.none()
    listing._result_cache = list(objects)
    listing._prefetch_done = True
    return listing


def with_sources_of_people(people: list, *, stays: bool = False) -> list:
    """``people`` with the sources of each, of their detentions, of their
    sentence changes and, with ``stays``, of their stays, in one query: what
    a person's page and the API's people show (with_sources())."""
    held = [detention for person in people for detention in person.detentions.all()]
    records = [*people, *held]
    records += [change for detention in held for change in detention.sentence_changes.all()]
    if stays:
        records += [stay for detention in held for stay in detention.stays.all()]
    with_sources(records)
    return people


def with_sources(records: list) -> None:
    """Each of ``records``, of any models with ``sources``, with its sources
    (by url, as ``.sources.all()`` gives them) in one query for all: a
    person's page and the API show the sources of people, detentions, stays
    and sentence changes, which prefetch_related reads in a query each."""
    from .models import Source

    kinds: dict[type, dict[int, object]] = {}
    for record in records:
        kinds.setdefault(type(record), {})[record.pk] = record
    links = []
    for kind, (model, found) in enumerate(kinds.items()):
        relation = model.sources.field
        owner = f"{relation.m2m_field_name()}_id"
        links.append(
            relation.remote_field.through.objects.filter(**{f"{owner}__in": found})
            .annotate(kind=Value(kind))
            .values_list(owner, "source_id", "source__url", "source__title", "kind")
        )
    found_sources: dict[tuple[int, int], list[Source]] = {}
    if links:
        # By url in the database's collation, as Source.Meta.ordering sorts.
        for owner, pk, url, title, kind in (
            links[0].union(*links[1:], all=True).order_by("source__url")
        ):
            found_sources.setdefault((kind, owner), []).append(Source(pk=pk, url=url, title=title))
    for kind, found in enumerate(kinds.values()):
        for pk, record in found.items():
            sources = found_sources.get((kind, pk), [])
            cache = vars(record).setdefault("_prefetched_objects_cache", {})
            cache["sources"] = prefetched(Source, sources)
