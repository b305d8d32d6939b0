"""What the public may see, in one place.

Published people and published events, what belongs to them, and the
organizations of published people; never drafts, never anonymous people by
name, never a private field, never a link to anything unpublished. Every
public page, export, feed, sitemap and API answer asks here; counts from
stats are added by the caller on top of these querysets.

A record's publication state (Person.visibility, an event's ``published``)
is not private: a public answer holds published records only, so the state
it could show is always "published" (the public CSV's ``published`` column
reads ``yes`` on every row, so that the file reads back into the importer).
"""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from .choices import Visibility
from .models import (
    Detention,
    Facility,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
    SentenceChange,
    Stay,
)
from .models.people import DERIVED_DETENTION_FIELDS, DERIVED_PERSON_FIELDS

# Fields whose values never reach the public, by model. Every other field of
# these models is public once its record is.
PRIVATE_FIELDS: dict[type[Model], frozenset[str]] = {
    # Curators' notes; the normalized search text is an index of the names,
    # not part of the public contract; whether the curators withheld where to
    # write (the public sees an unrecorded letters status instead, see
    # letters.public_letters); the birthday, an index of the birth date.
    Person: frozenset({"internal_notes", "search_text", "letters_withheld", "birthday"}),
}


# Columns of the interchange format that are no field of a model and never
# public: which people a curator judged different (not_same_as names drafts'
# and anonymous people's ids too), and same_as, only ever read.
PRIVATE_COLUMNS = frozenset({"same_as", "not_same_as"})


def private_field_names() -> frozenset[str]:
    """The names of every private field, whatever its model, and of the
    private columns."""
    return frozenset().union(*PRIVATE_FIELDS.values(), PRIVATE_COLUMNS)


# Fields derived from others or kept for the software, never a fact the
# public was told: a change to them alone is no public change.
# (The stored sums of sentences and custody are not in the history either.)
DERIVED_FIELDS = frozenset(
    {
        "status",
        "search_text",
        "public_changed_at",
        *DERIVED_PERSON_FIELDS,
        *DERIVED_DETENTION_FIELDS,
    }
)


def public_field_names(model: type[Model]) -> list[str]:
    """The columns (attnames) of ``model`` the public sees once its record
    is public: neither private nor derived."""
    private = PRIVATE_FIELDS.get(model, frozenset()) | DERIVED_FIELDS
    return [f.attname for f in model._meta.concrete_fields if f.name not in private]


def people() -> QuerySet[Person]:
    """The people the public may see, by name."""
    return Person.objects.published()


def person_under_other_id(other_id: str) -> Person | None:
    """The public person known by ``other_id`` (an id from another list, or
    that of a person merged into them), whose page that id redirects to; None
    when there is none or they are not published: an other id never tells
    that an unpublished record exists."""
    return people().filter(other_ids__other_id=other_id).first()


def release_events() -> QuerySet[ReleaseEvent]:
    return ReleaseEvent.objects.published()


def sanctions_events() -> QuerySet[SanctionsEvent]:
    return SanctionsEvent.objects.published()


def sanctions_targets() -> QuerySet[SanctionsTarget]:
    """Targets are public through published sanctions events only: a target
    that only drafts name (a designation being prepared) is shown nowhere."""
    return SanctionsTarget.objects.filter(
        Exists(
            SanctionsEvent.targets.through.objects.filter(
                sanctionstarget=OuterRef("pk"), sanctionsevent__published=True
            )
        )
    )


def targets_of_sanctions_events(to_attr: str | None = None) -> Prefetch:
    """The targets of each (published) sanctions event: public with it."""
    return Prefetch("targets", queryset=SanctionsTarget.objects.all(), to_attr=to_attr)


def public(records: QuerySet) -> QuerySet:
    """Those of ``records`` (people, release or sanctions events) the public
    may see."""
    return records.published()


def is_public(record: Person | ReleaseEvent | SanctionsEvent | None) -> bool:
    """Whether the public may see ``record`` (a loaded row; None is not)."""
    if record is None:
        return False
    if isinstance(record, Person):
        return record.visibility == Visibility.PUBLISHED
    return record.published


def sentence_changes() -> QuerySet[SentenceChange]:
    """The sentence changes the public may see: those of published people's
    detentions, public as the sentence is (never an anonymous person's: a
    change's date would date them)."""
    return SentenceChange.objects.filter(detention__person__in=people())


def sentence_changes_of_detentions(*, sources: bool = True) -> Prefetch:
    """From detentions already public (a published person's): their sentence
    changes in date order, with sources unless the caller reads those."""
    changes = SentenceChange.objects.order_by("changed_on_first", "id")
    return Prefetch(
        "sentence_changes", queryset=changes.prefetch_related("sources") if sources else changes
    )


def sanctions_of_release_events(to_attr: str) -> Prefetch:
    """The published sanctions events linked to each release event."""
    return Prefetch(
        "sanctions",
        queryset=sanctions_events().prefetch_related(targets_of_sanctions_events()),
        to_attr=to_attr,
    )


def release_events_of_sanctions_events(to_attr: str) -> Prefetch:
    """The published release events linked to each sanctions event."""
    return Prefetch("release_events", queryset=release_events(), to_attr=to_attr)


def sanctions_of_a_release(to_attr: str) -> Prefetch:
    """From a detention: the published sanctions events of its release's event."""
    return Prefetch(
        "release__release_event__sanctions",
        queryset=sanctions_events().prefetch_related(targets_of_sanctions_events()),
        to_attr=to_attr,
    )


def named_releases(releases: QuerySet[Release]) -> QuerySet[Release]:
    """Those of ``releases`` whose person may be named, by name then
    person_id.

    published() stays a subquery: a condition on the joined person lets
    PostgreSQL walk every published person in name order
    (person_published_name) to find the first page's names."""
    return releases.filter(detention__person__in=people()).order_by(
        "detention__person__name", "detention__person__person_id", "pk"
    )


def named_releases_outside_events(releases: QuerySet[Release]) -> QuerySet[Release]:
    """Those of ``releases`` whose person may be named and that belong to
    no published release event (none, or one not published), unordered."""
    return releases.filter(detention__person__in=people()).exclude(
        published_release_event("release_event")
    )


def organizations() -> QuerySet[Organization]:
    """Organizations with at least one published person, with
    ``people_count``, the number of those, by name."""
    published = Q(people__visibility=Visibility.PUBLISHED)
    return (
        Organization.objects.annotate(people_count=Count("people", filter=published))
        .filter(people_count__gt=0)
        .order_by("name")
    )


def facilities() -> QuerySet[Facility]:
    """The facilities where a published person has been held (a stay), as
    organizations() are those of a published person: a facility only a
    draft or anonymous person's record names (a name typed by an import,
    perhaps a detail of theirs) is shown nowhere. What a facility tells of
    people is only ``held_now`` (facilities_with_held_now) and the stays of
    named_stays()."""
    published = Stay.objects.filter(
        facility=OuterRef("pk"), detention__person__visibility=Visibility.PUBLISHED
    )
    return Facility.objects.filter(Exists(published))


def held_now_in(facility: Facility | OuterRef) -> QuerySet[Detention]:
    """The open detentions of published people held in ``facility`` now: an
    open detention's facility is its last stay's (Stay.sync_facility).
    Published people only: a per-facility count of anonymous or draft
    people could locate them."""
    return Detention.objects.ongoing().filter(
        facility=facility, person__visibility=Visibility.PUBLISHED
    )


def facilities_with_held_now() -> QuerySet[Facility]:
    """The public facilities with ``held_now``, how many published people
    each holds now, counted from the records a facility at a time
    (stats/figures.with_held_now() reads the stored counts instead)."""
    held = held_now_in(OuterRef("pk")).order_by().values("facility")
    count = held.annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return facilities().annotate(held_now=Coalesce(Subquery(count), 0))


def held_now_counts() -> QuerySet:
    """``(facility_id, n)``: how many published people each facility holds
    now, in one pass over the open detentions (the stored counts)."""
    return (
        Detention.objects.ongoing()
        .filter(person__in=people(), facility__isnull=False)
        .values_list("facility__facility_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def named_stays(stays: QuerySet[Stay]) -> QuerySet[Stay]:
    """Those of ``stays`` whose person may be named (published, not anonymous)."""
    return stays.filter(detention__person__visibility=Visibility.PUBLISHED)


def published_release_event(path: str) -> Q:
    """The condition that the release event at ``path`` (a lookup such as
    ``release__release_event``) is published."""
    return Q(**{f"{path}__published": True})
