"""One person, one record in an import (the Importer's step between reading
and checking, and its last writes).

Each person of the files is resolved to the record it describes: the person
recorded under its person_id, or under it as another id (OtherId), or the
one its ``same_as`` names. A person none of these names is new, and is
compared with every recorded person (prisoners.identity.MatchIndex, read
once): a probable match is an error on the row, unless ``not_same_as``
rules it out. (Two people of the files are not compared with each other: a
list's own ids tell its people apart.) A matched person's detentions are
matched to the recorded ones by their start. The ids the files give that
the records do not have are kept as other ids, and the pairs said
different as NotSameAs, so that the same files import again without
asking.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..data_version import records_written
from ..identity import MatchIndex, Recorded, more_precise, starts_compatible
from ..messages import Message, either, say, say_count
from ..models import Detention, NotSameAs, OtherDetentionId, OtherId, Person
from .plans import PersonPlan, RowPlan, date_of
from .saving import chunks

# A curator's answers, by the person_id a file gives: the person_id of the
# recorded person it is (same_as), or the person_ids it is not (not_same_as).
Choices = dict[str, str | list[str]]


@dataclass
class Match:
    """A new person of the files who probably is someone recorded."""

    path: str
    line: int
    person_id: str
    name: str
    candidates: list[Recorded] = field(default_factory=list)


def recorded_ids(model, id_field: str, other_model, owner: str, ids: set[str]) -> dict[str, str]:
    """The recorded id of each of ``ids`` that is a record's own id or one of
    its other ids (``other_model``, whose ``owner`` is the record)."""
    found = {}
    for chunk in chunks(ids):
        own = model.objects.filter(**{f"{id_field}__in": chunk}).values_list(id_field, flat=True)
        found.update((i, i) for i in own)
        others = other_model.objects.filter(other_id__in=chunk)
        found.update(others.values_list("other_id", f"{owner}__{id_field}"))
    return found


def _names(plan: PersonPlan) -> list[str]:
    values = plan.values
    return [values.get(c, "") for c in ("name", "name_be", "name_ru")] + list(
        values.get("aliases", ())
    )


class MatchPass:
    """Resolving who each person and detention of the files is."""

    def resolve(self, choices: Choices | None = None) -> None:
        self.matches: list[Match] = []
        # (file id, recorded person_id) and (file key, recorded detention_id)
        # to keep as other ids; (person_id, person_id) pairs said different.
        self.new_other_ids: list[tuple[str, str]] = []
        self.new_other_detention_ids: list[tuple[str, str]] = []
        self.new_not_same: list[tuple[str, str]] = []
        plans = list(self.people.values())
        for plan in plans:
            self._apply_choice(plan, (choices or {}).get(plan.file_id))
        named = set(self.people)
        for plan in plans:
            if plan.values.get("same_as"):
                named.add(plan.values["same_as"])
            named.update(plan.values.get("not_same_as", ()))
            named.update(plan.values.get("other_ids", ()))
        self.recorded_ids = self._recorded(named)
        targets: dict[str, PersonPlan] = {}
        new = []
        for plan in plans:
            target = self._target(plan)
            if target is None:
                new.append(plan)
                continue
            if target == "":
                continue  # refused: the problem is reported
            earlier = targets.get(target)
            if earlier is not None:
                self.problems.add(
                    plan.path,
                    plan.line,
                    "same_as" if "same_as" in plan.values else "person_id",
                    say(
                        "describes person %(id)s, as %(other)s on %(path)s:%(line)s does: "
                        "give one row per person",
                        id=target,
                        other=earlier.file_id,
                        path=earlier.path,
                        line=earlier.line,
                    ),
                )
                continue
            targets[target] = plan
            plan.person_id = target
        if new:
            self._match_new(new)
        self._check_id_lists(plans)
        self.person_of_file_id = {plan.file_id: plan.person_id for plan in plans}
        self.people = {plan.person_id: plan for plan in plans}
        self._resolve_detentions(plans)

    def _apply_choice(self, plan: PersonPlan, choice) -> None:
        if choice is None:
            return
        if isinstance(choice, str):
            plan.values["same_as"] = choice
            plan.present = plan.present | {"same_as"}
        else:
            given = plan.values.get("not_same_as", ())
            plan.values["not_same_as"] = tuple(sorted({*given, *choice}))
            plan.present = plan.present | {"not_same_as"}

    def _recorded(self, ids: set[str]) -> dict[str, str]:
        return recorded_ids(Person, "person_id", OtherId, "person", ids)

    def _target(self, plan: PersonPlan) -> str | None:
        """The recorded person_id the plan describes, None for a new person,
        "" when the row is refused."""
        recorded = self.recorded_ids.get(plan.file_id)
        same_as = plan.values.get("same_as")
        if same_as:
            named = self.recorded_ids.get(same_as)
            if named is None:
                self.problems.add(
                    *plan.at("same_as"),
                    "same_as",
                    say("no person %(id)r is recorded", id=same_as),
                )
                return ""
            if recorded is not None and recorded != named:
                self.problems.add(
                    *plan.at("same_as"),
                    "same_as",
                    say(
                        "%(id)s is recorded as person %(recorded)s, not %(named)s: "
                        "merge the two people in the admin",
                        id=plan.file_id,
                        recorded=recorded,
                        named=named,
                    ),
                )
                return ""
            recorded = named
        if recorded is not None and plan.file_id not in self.recorded_ids:
            self.new_other_ids.append((plan.file_id, recorded))
        return recorded

    def _match_new(self, new: list[PersonPlan]) -> None:
        index = MatchIndex()
        for plan in new:
            if "name" not in plan.values:
                continue  # the checks say a name is required
            born = date_of(plan.values.get("born", "")) if "born" not in plan.broken else None
            ruled_out = set(plan.values.get("not_same_as", ()))
            excluded = [
                index.by_person_id[self.recorded_ids[i]].pk
                for i in ruled_out
                if i in self.recorded_ids and self.recorded_ids[i] in index.by_person_id
            ]
            candidates = index.matches(_names(plan), born, exclude_pks=excluded)
            if candidates:
                described = either([c.describe() for c in candidates])
                self.problems.add(
                    *plan.at("name"), "name", say("looks like %(people)s", people=described)
                )
                self.matches.append(
                    Match(plan.path, plan.line, plan.file_id, plan.values["name"], candidates)
                )

    def _check_id_lists(self, plans: list[PersonPlan]) -> None:
        """not_same_as names recorded people or people of the files; other_ids
        are nobody else's ids."""
        in_files = {plan.file_id: plan for plan in plans}
        for plan in plans:
            for other in plan.values.get("not_same_as", ()):
                person = self.recorded_ids.get(other) or (other if other in in_files else None)
                if person is None:
                    self.problems.add(
                        *plan.at("not_same_as"),
                        "not_same_as",
                        say("no person %(id)r is recorded or in the files", id=other),
                    )
                elif person == plan.person_id:
                    self.problems.add(
                        *plan.at("not_same_as"),
                        "not_same_as",
                        say("%(id)r is this person (%(person)s)", id=other, person=plan.person_id),
                    )
                else:
                    self.new_not_same.append((plan.person_id, other))
            for other in plan.values.get("other_ids", ()):
                if other in (plan.file_id, plan.person_id):
                    continue
                owner = self.recorded_ids.get(other)
                if other in in_files and other != plan.file_id:
                    owner = in_files[other].person_id
                if owner is not None and owner != plan.person_id:
                    self.problems.add(
                        *plan.at("other_ids"),
                        "other_ids",
                        say("%(id)r is person %(person)s", id=other, person=owner),
                    )
                elif owner is None:
                    self.new_other_ids.append((other, plan.person_id))

    def _resolve_detentions(self, plans: list[PersonPlan]) -> None:
        rows = [row for plan in plans for row in plan.detentions]
        keys = {row.key for row in rows}
        keys |= {i for row in rows for i in row.values.get("other_detention_ids", ())}
        recorded = recorded_ids(Detention, "detention_id", OtherDetentionId, "detention", keys)
        matched = [p for p in plans if p.person_id != p.file_id]
        stored: dict[str, list[Detention]] = defaultdict(list)
        for chunk in chunks(matched):
            ids = [p.person_id for p in chunk]
            detentions = Detention.objects.filter(person__person_id__in=ids)
            for detention in detentions.select_related("person"):
                stored[detention.person.person_id].append(detention)
        claimed = {recorded[row.key] for row in rows if row.key in recorded}
        for plan in plans:
            for row in plan.detentions:
                if row.key in recorded:
                    row.key = recorded[row.key]
                elif plan.person_id != plan.file_id:
                    self._match_detention(plan, row, stored[plan.person_id], claimed)
        self._keep_precise_starts(rows)
        self.detentions = {}
        for row in rows:
            earlier = self.detentions.get(row.key)
            if earlier is not None:
                self.problems.add(
                    row.path,
                    row.line,
                    "detention_id",
                    say(
                        "detention %(id)s is already given on %(path)s:%(line)s",
                        id=row.key,
                        path=earlier.path,
                        line=earlier.line,
                    ),
                )
                continue
            self.detentions[row.key] = row
            for other in row.values.get("other_detention_ids", ()):
                owner = recorded.get(other)
                if owner is not None and owner != row.key:
                    self.problems.add(
                        row.path,
                        row.line,
                        "other_detention_ids",
                        say("%(id)r is detention %(detention)s", id=other, detention=owner),
                    )
                elif owner is None:
                    self.new_other_detention_ids.append((other, row.key))

    def _keep_precise_starts(self, rows: list[RowPlan]) -> None:
        """A row given under another id of a detention does not make its
        start less precise (another list may know only the year)."""
        rows = [row for row in rows if row.key != row.file_key and row.values.get("detained_on")]
        starts = {}
        for chunk in chunks({row.key for row in rows}):
            for detention in Detention.objects.filter(detention_id__in=chunk):
                starts[detention.detention_id] = detention.detained_on
        for row in rows:
            start = date_of(row.values["detained_on"])
            if starts.get(row.key) and starts_compatible(start, starts[row.key]):
                row.values["detained_on"] = str(more_precise(starts[row.key], start))

    def _match_detention(self, plan, row: RowPlan, stored: list[Detention], claimed: set) -> None:
        """A matched person's row with an id the records do not have: their
        recorded detention with a compatible start, or a new one."""
        start = None if "detained_on" in row.broken else date_of(row.values.get("detained_on", ""))
        same = [
            d
            for d in stored
            if d.detention_id not in claimed and starts_compatible(start, d.detained_on)
        ]
        if len(same) > 1:
            ids = either([d.detention_id for d in same])
            self.problems.add(
                row.path,
                row.line,
                "detention_id",
                say(
                    "could be detention %(ids)s of person %(person)s: give the id of one",
                    ids=ids,
                    person=plan.person_id,
                ),
            )
            return
        if not same:
            return
        detention = same[0]
        claimed.add(detention.detention_id)
        self.new_other_detention_ids.append((row.key, detention.detention_id))
        row.key = detention.detention_id

    def write_identities(self, user, via: str) -> None:
        """Keep the other ids and the pairs said different (after every
        person and detention of the files is written)."""
        resolve = {**self.recorded_ids, **self.person_of_file_id}
        wanted = {resolve.get(p, p) for pair in self.new_not_same for p in pair}
        wanted |= {person_id for _other, person_id in self.new_other_ids}
        pks = {}
        for chunk in chunks(wanted):
            pks.update(Person.objects.filter(person_id__in=chunk).values_list("person_id", "pk"))
        # An id named in a file is a recorded person's other id, or the person_id
        # of a person just written.
        resolve = {**self.recorded_ids, **self.person_of_file_id}
        pairs = {
            tuple(sorted((pks[a], pks[resolve.get(b, b)])))
            for a, b in self.new_not_same
            if a in pks and resolve.get(b, b) in pks and pks[a] != pks[resolve.get(b, b)]
        }
        new_pairs = [
            NotSameAs(**NotSameAs.pair(*pair))
            for pair in sorted(pairs)
            if not NotSameAs.objects.filter(**NotSameAs.pair(*pair)).exists()
        ]
        other_ids = [
            OtherId(other_id=other, person=Person(pk=pks[person_id]))
            for other, person_id in dict(self.new_other_ids).items()
        ]
        detentions = dict(self.new_other_detention_ids)
        detention_pks = {}
        for chunk in chunks(set(detentions.values())):
            detention_pks.update(
                Detention.objects.filter(detention_id__in=chunk).values_list("detention_id", "pk")
            )
        other_detention_ids = [
            OtherDetentionId(other_id=other, detention=Detention(pk=detention_pks[detention_id]))
            for other, detention_id in detentions.items()
        ]
        for model, new in (
            (NotSameAs, new_pairs),
            (OtherId, other_ids),
            (OtherDetentionId, other_detention_ids),
        ):
            if new:
                model.objects.bulk_create(new, batch_size=500)
                model.history.bulk_history_create(
                    new, batch_size=500, default_user=user, default_change_reason=via
                )
                records_written(new)
        kept = [
            say_count(
                "%(count)s other id of people",
                "%(count)s other ids of people",
                "count",
                count=len(other_ids),
            ),
            say_count(
                "%(count)s other id of detentions",
                "%(count)s other ids of detentions",
                "count",
                count=len(other_detention_ids),
            ),
            say_count(
                "%(count)s pair said to be different people",
                "%(count)s pairs said to be different people",
                "count",
                count=len(new_pairs),
            ),
        ]
        kept = [message for message in kept if message.params["count"]]
        if kept:
            self.notices.append(say("Kept: %(what)s.", what=_listed(kept)))


def _listed(items: list) -> Message:
    """``a, b, c``, said in the reader's language."""
    if len(items) == 1:
        return items[0]
    return say("%(these)s, %(that)s", these=_listed(items[:-1]), that=items[-1])
