"""The public list as it stood at the end of a day, rebuilt from the history
(django-simple-history's tables): who was on it and what it said of them.

Views of the past apply today's visibility (privacy.py): a person on the
list then who is unpublished, anonymous or deleted now is counted where
they were counted, never named. Days are calendar days in the site's
TIME_ZONE: "the end of 3 March" is midnight starting 4 March there.

Who was on the list is one subquery (the history row of each person in
force at that moment, if it says "published"), so the FilterSet's count,
facets, CSV, feed and API narrow by it like any filter. What the list said
of the few people a page shows is rebuilt in three queries
(``as_it_stood``). The row in force is the last one (by history_id) written
before the moment: every writer adds rows in the order it saves (the
importer's batch too), and ties of history_date (one transaction) cannot
mislead it. Each row stores when a later one took over (``superseded_at``,
kept by triggers: models/base.Superseded), so that row is found by a range
on two dates rather than by grouping the whole history.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Model, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from . import privacy, rules
from .choices import EndReason, Visibility
from .models import Detention, Person, Release, ReleaseEvent, Stay
from .querysets import prefetched


def end_of(day: date) -> datetime:
    """The first moment after ``day`` in the site's TIME_ZONE."""
    return timezone.make_aware(
        datetime.combine(day + timedelta(days=1), time.min), timezone.get_default_timezone()
    )


def day_of(moment: datetime) -> date:
    """The calendar day of ``moment`` in the site's TIME_ZONE."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def in_force(moment: datetime) -> Q:
    """The history rows in force at ``moment``: written before it, and not
    superseded by then (NULL: still the record's latest row). Each record
    has one at most: superseded_at is the earliest date of its later rows."""
    return Q(history_date__lt=moment) & (
        Q(superseded_at__isnull=True) | Q(superseded_at__gte=moment)
    )


def latest_rows(model: type[Model], moment: datetime, **lookups) -> QuerySet:
    """The last history row of each record of ``model`` written before
    ``moment``, records deleted by then left out; with ``lookups``, those
    last rows that match them (``person_id__in=…``: a page's detentions)."""
    rows = model.history.model.objects.filter(in_force(moment))
    return rows.exclude(history_type="-").filter(**lookups)


def on_the_list(day: date) -> QuerySet:
    """The ids (``id``) of the people the public list showed at the end of
    ``day``, whatever they are now."""
    rows = latest_rows(Person, end_of(day))
    return rows.filter(visibility=Visibility.PUBLISHED).values("id")


def not_named_now(day: date) -> int:
    """How many people on the public list at the end of ``day`` are not
    named now (unpublished, made anonymous or deleted since)."""
    rows = latest_rows(Person, end_of(day)).filter(visibility=Visibility.PUBLISHED)
    return rows.exclude(id__in=privacy.people().values("pk")).count()


def _rebuilt(model: type[Model], row: dict) -> Model:
    """A record of ``model`` as a history row saw it (never saved)."""
    names = {f.attname for f in model._meta.concrete_fields}
    record = model(**{name: value for name, value in row.items() if name in names})
    record._state.adding = False
    record._state.db = "default"
    return record


def _rows(model: type[Model], moment: datetime, **lookups) -> list[dict]:
    # The columns the history keeps (not the derived ones: see models/people.py).
    kept = {f.attname for f in model.history.model.tracked_fields}
    names = [f.attname for f in model._meta.concrete_fields if f.attname in kept]
    return list(latest_rows(model, moment, **lookups).values(*names))


def as_it_stood(
    people: list[Person],
    day: date,
    *,
    detail: bool = False,
    page: bool = False,
    rows_only: bool = False,
) -> list[Person]:
    """``people`` (today's public records, in order) as the public list showed
    them at the end of ``day``: their fields, detentions and releases then,
    status derived from those (rules.status), releases' events and today's
    sentence changes loaded, unless ``rows_only`` (the list's rows show
    neither); with ``detail``, each detention's charges, sources and
    facility; for a person's ``page``, the events' ``public_sanctions`` and
    the stays too (its sources are read by querysets.with_sources_of_people).
    Organizations, sources and charges are today's (their links keep no
    dated history here). One not on the list then is left out."""
    if not people:
        return []
    moment = end_of(day)
    pks = [p.pk for p in people]
    then = {row["id"]: row for row in _rows(Person, moment, id__in=pks)}
    detentions: dict[int, list[Detention]] = {pk: [] for pk in pks}
    found = {}
    for row in _rows(Detention, moment, person_id__in=pks):
        detention = _rebuilt(Detention, row)
        detentions[detention.person_id].append(detention)
        found[detention.pk] = detention
    releases = [_rebuilt(Release, row) for row in _rows(Release, moment, detention_id__in=found)]
    events = {}
    if not rows_only:
        events = ReleaseEvent.objects.in_bulk({r.release_event_id for r in releases} - {None})
    if page and events:
        prefetch_related_objects(
            list(events.values()),
            privacy.sanctions_of_release_events(to_attr="public_sanctions"),
        )
    for release in releases:
        if not rows_only:
            # Through the cache: assigning None would also clear the event's id.
            release._state.fields_cache["release_event"] = events.get(release.release_event_id)
        found[release.detention_id].release = release
    released = {release.detention_id for release in releases}
    if not rows_only:
        # Today's sentence changes (the term in force, the expected release);
        # a page reads every source it shows in one query of its own.
        changes = privacy.sentence_changes_of_detentions(sources=not page)
        prefetch_related_objects(list(found.values()), changes)
    if detail:
        prefetch_related_objects(list(found.values()), "charges", "sources", "facility")
    elif page:
        stays = Prefetch("stays", queryset=Stay.objects.select_related("facility"))
        prefetch_related_objects(list(found.values()), "charges", "facility", stays)
    rebuilt = []
    for person in people:
        row = then.get(person.pk)
        if row is None or row["visibility"] != Visibility.PUBLISHED:
            continue
        old = _rebuilt(Person, row)
        held = sorted(
            detentions[person.pk],
            key=lambda d: (d.detained_on_first or date.min, d.detention_id),
        )
        for detention in held:
            detention.person = old
            if detention.pk not in released:
                # None in the cache: no query for a release of today's.
                detention._state.fields_cache["release"] = None
        old.status = rules.status(bool(old.died_on_first), [d.end_reason for d in held])
        old.public_changed_at = person.public_changed_at
        old._prefetched_objects_cache = {
            **getattr(person, "_prefetched_objects_cache", {}),
            "detentions": prefetched(Detention, held),
        }
        rebuilt.append(old)
    return rebuilt


def person_as_it_stood(person: Person, day: date) -> Person | None:
    """One person's page as of ``day``; None when they were not on the list."""
    rebuilt = as_it_stood([person], day, page=True)
    return rebuilt[0] if rebuilt else None


def _counting_day(day: date | None, visibility: str) -> date | None:
    """rules.BY_MONTH (querysets.counting_day() in SQL) on one value."""
    if day is None or visibility not in rules.BY_MONTH:
        return day
    return day.replace(day=1)


def home_figures(day: date) -> dict[str, int]:
    """The home page's figures as recorded at the end of ``day``: recognized
    political prisoners held on ``day`` (``held``), releases recorded in its
    year (``released``), people recognized in total (``recognized``), and
    of the first and the last how many are not named now (``held_not_named``,
    ``recognized_not_named``). Counted as the figures count (rules.COUNTED,
    counting days by the visibility then); named as today's visibility
    allows."""
    moment = end_of(day)
    counted = latest_rows(Person, moment).filter(visibility__in=rules.COUNTED)
    named_now = privacy.people().values("pk")
    recognized = counted.filter(
        recognized_on_first__isnull=False, recognition_withdrawn_on_first__isnull=True
    )
    # Held on the day: its month's last day bounds anonymous people's starts.
    month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    candidates = counted.filter(recognized_on_first__lte=month_end)
    people = {
        row["id"]: row
        for row in candidates.values(
            "id", "visibility", "recognized_on_first", "recognition_withdrawn_on_first"
        )
    }
    detentions = (
        latest_rows(Detention, moment)
        .filter(person_id__in=candidates.values("id"), detained_on_first__lte=month_end)
        .filter(Q(end_reason=EndReason.OPEN) | Q(ended_on_first__gt=day))
        .values("person_id", "detained_on_first", "ended_on_first", "end_reason")
    )
    held = set()
    for detention in detentions:
        person = people[detention["person_id"]]
        seen = person["visibility"]
        start = _counting_day(detention["detained_on_first"], seen)
        end = _counting_day(detention["ended_on_first"], seen)
        since = _counting_day(person["recognized_on_first"], seen)
        until = _counting_day(person["recognition_withdrawn_on_first"], seen)
        detained = start <= day and (detention["end_reason"] == EndReason.OPEN or end > day)
        if detained and since <= day and (until is None or until > day):
            held.add(detention["person_id"])
    named = set(privacy.people().filter(pk__in=held).values_list("pk", flat=True))
    return {
        "held": len(held),
        "held_not_named": len(held - named),
        "released": _released_in_year(day, moment, counted),
        "recognized": recognized.count(),
        "recognized_not_named": recognized.exclude(id__in=named_now).count(),
    }


def _released_in_year(day: date, moment: datetime, counted: QuerySet) -> int:
    """Releases of counted people dated in ``day``'s year, as recorded then."""
    year = (date(day.year, 1, 1), date(day.year, 12, 31))
    detentions = latest_rows(Detention, moment).filter(person_id__in=counted.values("id"))
    releases = latest_rows(Release, moment).filter(
        released_on_first__range=year, detention_id__in=detentions.values("id")
    )
    return releases.count()
