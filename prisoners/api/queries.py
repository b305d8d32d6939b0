"""The queries of the API's answers, named after what an answer shows. Who
and what may be shown comes from prisoners.privacy, counts from stats."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch, QuerySet

from .. import privacy
from ..models import (
    Detention,
    Facility,
    Person,
    Release,
    ReleaseEvent,
    SanctionsEvent,
    SanctionsTarget,
)
from ..stats import figures


def people() -> QuerySet[Person]:
    """Published people with their organizations and detentions (facility,
    release and its event, charges, sentence changes): their sources are
    read a page at a time (querysets.with_sources_of_people)."""
    detentions = Detention.objects.select_related(
        "facility", "release__release_event"
    ).prefetch_related("charges", privacy.sentence_changes_of_detentions(sources=False))
    return privacy.people().prefetch_related(
        Prefetch("detentions", queryset=detentions), "organizations"
    )


def facilities() -> QuerySet[Facility]:
    """The public facilities with ``held_now`` and their sources, by id."""
    return (
        figures.with_held_now(privacy.facilities())
        .prefetch_related("sources")
        .order_by("facility_id")
    )


def release_events() -> QuerySet[ReleaseEvent]:
    """Published release events, newest first, with their counts, sources
    and published sanctions (``public_sanctions``)."""
    return (
        figures.with_event_counts(privacy.release_events())
        .prefetch_related(
            "sources", privacy.sanctions_of_release_events(to_attr="public_sanctions")
        )
        .order_by("-date_first", "event_id")
    )


def sanctions_events() -> QuerySet[SanctionsEvent]:
    """Published sanctions events, newest first, with their sources and
    published release events (``public_release_events``)."""
    return (
        privacy.sanctions_events()
        .prefetch_related(
            "sources",
            privacy.targets_of_sanctions_events(),
            privacy.release_events_of_sanctions_events(to_attr="public_release_events"),
        )
        .order_by("-date_first", "event_id")
    )


def sanctions_targets() -> QuerySet[SanctionsTarget]:
    """Public targets (through published events), by name, with their sources."""
    return privacy.sanctions_targets().prefetch_related("sources").order_by("name", "target_id")


def name_people(events) -> None:
    """Set ``named_person_ids`` on each of ``events``: the person_ids of the
    people it may name, by name. One query of pairs, not a Release, Detention
    and Person for each: an event may name thousands."""
    named = defaultdict(list)
    pairs = privacy.named_releases(
        Release.objects.filter(release_event__in=[event.pk for event in events])
    ).values_list("release_event_id", "detention__person__person_id")
    for event_pk, person_id in pairs:
        named[event_pk].append(person_id)
    for event in events:
        event.named_person_ids = named[event.pk]
