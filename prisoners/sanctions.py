"""Sanctions acts in force: the one definition of "in force on a day" and a
target's standing under each authority, derived from the acts' dates, never
stored.

An act takes effect on its ``effective_on`` (the first day of its
announcement when not given) and, when it has one, no longer applies from
``expires_on``. Between those:

- a designation, sectoral measure or extension (choices.RESTRICTING) is in
  force for a target until a later delisting of the same target by the same
  authority takes effect;
- a delisting is in force for a target until a later designation of it by
  the same authority;
- a general licence or a suspension (choices.RELIEVING), and any other act,
  until it expires.

An act is in force on a day when it is in force for one of its targets (or,
having none, by its dates alone). Only the acts of ``among`` count as later
acts: the public pages pass the published ones, so that a draft delisting
ends nothing in public.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from .choices import RELIEVING, RESTRICTING, SanctionsKind, Standing
from .search import query_terms


def _effective_day():
    return Coalesce("effective_on", "date_first")


class SanctionsEventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def with_effective_day(self) -> SanctionsEventQuerySet:
        """Annotate ``effective_day``: ``effective_on``, else the first day
        of the announcement."""
        return self.annotate(effective_day=_effective_day())

    def pairs_in_force_on(self, day: date, among: QuerySet | None = None) -> QuerySet:
        """One row per act and target (``pair_target``: the target's pk, NULL
        for an act without targets) in force on ``day``: the definition of
        this module's docstring."""
        later = (among if among is not None else self.model.objects.all()).with_effective_day()
        same = {"authority": OuterRef("authority"), "targets": OuterRef("pair_target")}
        delisted_since = later.filter(
            kind=SanctionsKind.DELISTING,
            effective_day__gte=OuterRef("effective_day"),
            effective_day__lte=day,
            **same,
        ).exclude(pk=OuterRef("pk"))
        designated_since = later.filter(
            kind=SanctionsKind.DESIGNATION,
            effective_day__gt=OuterRef("effective_day"),
            effective_day__lte=day,
            **same,
        )
        return (
            self.with_effective_day()
            .annotate(pair_target=F("targets"))
            .filter(effective_day__lte=day)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=day))
            .exclude(Q(kind__in=RESTRICTING) & Exists(delisted_since))
            .exclude(Q(kind=SanctionsKind.DELISTING) & Exists(designated_since))
        )

    def in_force_on(self, day: date, among: QuerySet | None = None) -> SanctionsEventQuerySet:
        """The acts in force on ``day`` (for one of their targets at least)."""
        return self.filter(pk__in=self.pairs_in_force_on(day, among).values("pk"))


class SanctionsTargetQuerySet(models.QuerySet):
    def named(self, text: str) -> SanctionsTargetQuerySet:
        """Targets with every word of ``text`` in their id, a name (in any
        language) or an alias, ignoring case, accents and script (search.py)."""
        match = Q()
        for term in query_terms(text):
            match &= Q(search_text__contains=term)
        return self.filter(match)


def standing(in_force: list, earlier: list) -> Standing | None:
    """A target's standing under one authority on a day, from the acts in
    force for it then and every act on it that took effect by then."""
    kinds = {act.kind for act in in_force}
    if kinds & set(RESTRICTING):
        return Standing.LICENSED if kinds & set(RELIEVING) else Standing.DESIGNATED
    if SanctionsKind.DELISTING in kinds:
        return Standing.DELISTED
    if any(act.kind in RESTRICTING for act in earlier):
        return Standing.EXPIRED
    return None


@dataclass
class AuthorityStanding:
    """Where a target stands under one authority on a day, and why."""

    authority: str
    standing: Standing | None
    in_force: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.standing.label) if self.standing else ""


def standings_on(day: date, acts: QuerySet, target_pks) -> dict[int, list[AuthorityStanding]]:
    """For each target (by pk), its standing under each authority that ever
    acted on it by ``day``, counting the acts of ``acts`` only (the public
    pass the published ones). Two queries, whatever the number of targets."""
    mine = acts.filter(targets__in=target_pks)
    earlier = defaultdict(list)
    for act in (
        mine.with_effective_day()
        .annotate(pair_target=F("targets"))
        .filter(effective_day__lte=day, pair_target__in=target_pks)
        .order_by("authority", "effective_day", "event_id")
    ):
        earlier[(act.pair_target, act.authority)].append(act)
    in_force = defaultdict(list)
    for act in mine.pairs_in_force_on(day, among=acts).filter(pair_target__in=target_pks):
        in_force[(act.pair_target, act.authority)].append(act)
    result: dict[int, list[AuthorityStanding]] = defaultdict(list)
    for (target, authority), before in sorted(earlier.items()):
        now = sorted(in_force.get((target, authority), []), key=lambda a: a.effective_day)
        result[target].append(AuthorityStanding(authority, standing(now, before), now))
    return result
