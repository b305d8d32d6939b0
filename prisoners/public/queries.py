"""The queries of the public pages, named after what a page shows. Who and
what may be shown comes from prisoners.privacy, counts from stats; each
query's related rows are chosen for the page that reads them (the query
counts are guarded by tests/test_query_counts.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from .. import letters, privacy, sanctions
from ..choices import EndReason
from ..models import (
    Detention,
    Facility,
    Guide,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
    Stay,
)
from ..querysets import with_sources_of_people
from ..stats import figures

# What a list of the people named in a release shows of each.
NAMED_RELEASE_FIELDS = [
    "release_event",
    "released_on_first",
    "released_on_last",
    "released_on_precision",
    "release_type",
    "released_to",
    "detention__person__person_id",
    "detention__person__name",
    "detention__person__name_be",
    "detention__person__name_ru",
]


def release_events(*, links: bool = True) -> QuerySet[ReleaseEvent]:
    """Published release events with their counts and published sanctions
    (``links``, unless told not to), newest first."""
    # Meta.ordering does not apply to a query with aggregates (the counts
    # from the records, while the stored ones are rebuilt).
    events = figures.with_event_counts(privacy.release_events()).order_by("-date_first", "event_id")
    if not links:
        return events
    return events.prefetch_related(privacy.sanctions_of_release_events(to_attr="links"))


def latest_release_events(n: int) -> QuerySet[ReleaseEvent]:
    """The ``n`` latest published release events, with their counts (when
    they are counted from the records, while the stored ones are rebuilt,
    over those events' releases only, not the whole table); without their
    sanctions, which a short list of events does not show."""
    latest = privacy.release_events().order_by("-date_first", "event_id")[:n]
    return release_events(links=False).filter(pk__in=latest.values("pk"))


def without_counts(events: QuerySet[ReleaseEvent]) -> QuerySet[ReleaseEvent]:
    """The published events of ``events`` without their annotated counts,
    which do not mix with .dates()."""
    return privacy.release_events().filter(pk__in=events.order_by().values("pk"))


def sanctions_events(*, links: bool = True) -> QuerySet[SanctionsEvent]:
    """Published sanctions events with their targets and published release
    events (``links``, unless told not to)."""
    events = privacy.sanctions_events().prefetch_related(privacy.targets_of_sanctions_events())
    if not links:
        return events
    return events.prefetch_related(privacy.release_events_of_sanctions_events(to_attr="links"))


def sanctions_targets() -> QuerySet[SanctionsTarget]:
    """Public targets by name, each with its number of published acts (``acts``)."""
    published = Q(sanctions_events__published=True)
    return (
        privacy.sanctions_targets()
        .annotate(acts=Count("sanctions_events", filter=published))
        .order_by("name", "target_id")
    )


def target_choices() -> QuerySet[SanctionsTarget]:
    """The public targets, by name, as a filter's choices."""
    return privacy.sanctions_targets().only("target_id", "name", "name_be", "name_ru")


def target_history(target: SanctionsTarget) -> list[tuple[str, list[SanctionsEvent]]]:
    """The published acts on ``target``, by authority, each in the order it
    took effect: ``[(authority, [act…])…]``."""
    acts = (
        sanctions_events()
        .filter(targets=target)
        .with_effective_day()
        .order_by("authority", "effective_day", "event_id")
    )
    by_authority: dict[str, list[SanctionsEvent]] = {}
    for act in acts:
        by_authority.setdefault(act.authority, []).append(act)
    return list(by_authority.items())


def standings(day: date, targets: list[SanctionsTarget]) -> list[tuple[SanctionsTarget, list]]:
    """For each of ``targets``, where it stood under each authority on
    ``day`` (prisoners/sanctions.py), counting published acts only."""
    found = sanctions.standings_on(day, privacy.sanctions_events(), [t.pk for t in targets])
    return [(target, found.get(target.pk, [])) for target in targets]


def release_day_standings(event: ReleaseEvent) -> list[tuple[SanctionsTarget, list]]:
    """The targets of the published sanctions linked to ``event`` (read from
    its ``links``) and, under each authority, what was in force on the
    release day: what changed and what stayed."""
    targets = {t.pk: t for act in event.links for t in act.targets.all()}
    ordered = sorted(targets.values(), key=lambda t: t.name)
    return standings(event.date.first, ordered) if ordered else []


def sector_acts_in_force(event: ReleaseEvent) -> list[SanctionsEvent]:
    """The other published acts in force on the release day in the sectors
    of its linked sanctions (what stayed: the EU's potash measures beside a
    US licence), by authority."""
    sectors = {act.sector for act in event.links if act.sector}
    if not sectors:
        return []
    published = privacy.sanctions_events()
    return list(
        published.filter(sector__in=sectors)
        .exclude(pk__in=[act.pk for act in event.links])
        .in_force_on(event.date.first, among=published)
        .prefetch_related(privacy.targets_of_sanctions_events())
        .order_by("authority", "date_first", "event_id")
    )


def with_detentions(people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` with their detentions and releases in date order, as a
    list or a feed item shows them."""
    detentions = Detention.objects.select_related("release").order_by(
        "detained_on_first", "detention_id"
    )
    return people.prefetch_related(Prefetch("detentions", queryset=detentions))


def person_page(person_id: str) -> Person | None:
    """The published person ``person_id`` with all that their page shows:
    organizations, sources, and each detention's facility, charges, sources,
    release, its event and that event's published sanctions
    (``public_sanctions``), its stays and its sentence changes, each with
    their sources."""
    detentions = Detention.objects.select_related(
        "facility", "release", "release__release_event"
    ).prefetch_related(
        "charges",
        privacy.sanctions_of_a_release(to_attr="public_sanctions"),
        Prefetch("stays", queryset=Stay.objects.select_related("facility")),
        privacy.sentence_changes_of_detentions(sources=False),
    )
    person = (
        privacy.people()
        .prefetch_related("organizations", Prefetch("detentions", queryset=detentions))
        .filter(person_id=person_id)
        .first()
    )
    if person is not None:
        with_sources_of_people([person], stays=True)
    return person


def named_people(releases: QuerySet[Release]) -> QuerySet[Release]:
    """Those of ``releases`` whose person may be named, with the person, by
    name then person_id. Callers select them through the event's row
    (``release_event__event_id``), not on ``release_event_id``: PostgreSQL
    then looks each person up by index rather than reading every detention."""
    return (
        privacy.named_releases(releases)
        .select_related("detention__person")
        .only(*NAMED_RELEASE_FIELDS)
    )


def named_in(event: ReleaseEvent) -> QuerySet[Release]:
    """The releases of ``event`` whose person may be named, by name."""
    return named_people(Release.objects.filter(release_event__event_id=event.event_id))


def name_the_few(events, limit: int) -> None:
    """Give ``named_releases`` to the events that name at most ``limit``
    people, in one query: the others are too long to list on one page."""
    few = {event.pk: event for event in events if 0 < event.named_count <= limit}
    for event in few.values():
        event.named_releases = []
    if few:
        event_ids = [event.event_id for event in few.values()]
        for release in named_people(Release.objects.filter(release_event__event_id__in=event_ids)):
            few[release.release_event_id].named_releases.append(release)


def releases_outside_events(start: date, end: date) -> QuerySet[Release]:
    """Releases from ``start`` to ``end`` of people who may be named, outside
    any published release event, by date then name."""
    return (
        privacy.named_releases_outside_events(
            Release.objects.filter(released_on_first__range=(start, end))
        )
        .select_related("detention__person")
        .order_by("released_on_first", "detention__person__name")
    )


def by_last_public_change(people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` by their last public change, newest first: a stored column
    (Person.public_changed_at), read from the index person_public_changed."""
    return people.order_by("-public_changed_at", "person_id")


def with_last_change(records: QuerySet) -> QuerySet:
    """``records`` annotated with ``changed``, the latest date in their history."""
    history = records.model.history.model
    latest = (
        history.objects.filter(id=OuterRef("pk"))
        .values("id")
        .annotate(changed=Max("history_date"))
        .values("changed")
    )
    return records.annotate(changed=Subquery(latest, output_field=DateTimeField()))


def release_months() -> list[date]:
    """The months (their first days), in order, with a published release
    event or a release the archives name outside one: the archives' bounds."""
    events = privacy.release_events().dates("date_first", "month")
    others = privacy.named_releases_outside_events(Release.objects.all()).dates(
        "released_on_first", "month"
    )
    return sorted(set(events) | set(others))


# What a facility's page shows of each person held there: a link and a name.
PERSON_NAME_FIELDS = ["person_id", "name", "name_be", "name_ru"]


def facilities() -> QuerySet[Facility]:
    """Every facility with ``held_now`` (published people held there now), by name."""
    return figures.with_held_now(privacy.facilities()).order_by("name", "facility_id")


def held_now_at(facility: Facility) -> QuerySet[Detention]:
    """The published people held in ``facility`` now, by name: each
    detention with its person and its stays there (``stays_here``, the
    last one's start is "since")."""
    return (
        privacy.held_now_in(facility)
        .select_related("person")
        .only("facility", *(f"person__{name}" for name in PERSON_NAME_FIELDS))
        .prefetch_related(
            Prefetch("stays", queryset=Stay.objects.filter(facility=facility), to_attr="stays_here")
        )
        .order_by("person__name", "person__person_id")
    )


def held_before_at(facility: Facility) -> QuerySet[Stay]:
    """The stays in ``facility`` of published people, but for those who are
    there now (an open stay of an open detention whose facility it is), the
    latest first."""
    here_now = Q(
        ended_on_first__isnull=True,
        detention__end_reason=EndReason.OPEN,
        detention__facility=facility,
    )
    return (
        privacy.named_stays(Stay.objects.filter(facility=facility))
        .exclude(here_now)
        .select_related("detention__person")
        .only(
            "facility",
            "started_on_first",
            "started_on_last",
            "started_on_precision",
            "ended_on_first",
            "ended_on_last",
            "ended_on_precision",
            *(f"detention__person__{name}" for name in PERSON_NAME_FIELDS),
        )
        .order_by(
            F("ended_on_first").desc(nulls_last=True),
            F("started_on_first").desc(nulls_last=True),
            "pk",
        )
    )


def birthdays(month: int) -> QuerySet[Person]:
    """The published people held now (an open detention) born on a day of
    ``month`` (a birth date known to the day, Person.birthday), by day then
    name. From the people, read in birthday order from the index
    person_birthday, each asked for an open detention by the partial index
    detention_one_open_per_person: starting from the open detentions
    instead reads every one of them."""
    return (
        privacy.people()
        .filter(birthday__range=(month * 100 + 1, month * 100 + 31))
        .filter(Exists(Detention.objects.ongoing().filter(person=OuterRef("pk"))))
        .only(*BIRTHDAY_FIELDS)
        .order_by("birthday", "name", "person_id")
    )


# What a line of /birthdays/ reads of a person (not a bio of 200,000
# characters) and of their facility.
BIRTHDAY_FIELDS = [
    "person_id",
    "name",
    "name_be",
    "name_ru",
    "born_first",
    "born_last",
    "born_precision",
    "visibility",
    "letters",
    "letters_checked_on",
    "letters_addressee",
    "letters_withheld",
    "public_changed_at",
    "birthday",
]
FACILITY_FIELDS = [
    "facility_id",
    "name",
    "name_be",
    "name_ru",
    "address_be",
    "address_ru",
    "address_checked_on",
]


def guide(key: str) -> Guide | None:
    """The guide of ``key`` (choices.GuideKey), or None before it is seeded."""
    return Guide.objects.filter(key=key).first()


@dataclass(frozen=True)
class Birthday:
    """A line of /birthdays/: who, on which day, the age they turn, where
    they are held and, where the public may see it, where to write."""

    person: Person
    day: date  # the next birthday in the month asked for
    age: int
    facility: object  # a Facility or None
    letter: letters.LetterAddress | None


def birthday_rows(people, month: int, today: date) -> list[Birthday]:
    """The lines of ``people`` (of birthdays(month), or a page of them), with
    the facility each is held in now (one query): the birthday at the
    month's next occurrence from ``today`` (this year's, or next year's for
    a month already past)."""
    people = list(people)
    if not people:
        return []
    open_detentions = (
        Detention.objects.ongoing()
        .filter(person__in=[person.pk for person in people])
        .select_related("facility")
        .only("person", *(f"facility__{name}" for name in FACILITY_FIELDS))
    )
    facility_of = {detention.person_id: detention.facility for detention in open_detentions}
    year = today.year if month >= today.month else today.year + 1
    rows = []
    for person in people:
        facility = facility_of.get(person.pk)
        born = person.born.first
        # 29 February: 1 March in a year without it.
        day = date(year, month, born.day) if _real(year, month, born.day) else date(year, 3, 1)
        rows.append(
            Birthday(
                person=person,
                day=day,
                age=year - born.year,
                facility=facility,
                letter=letters.letter_address(person, facility),
            )
        )
    return rows


def _real(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
