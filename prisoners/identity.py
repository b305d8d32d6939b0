"""One person, one record: who of the people recorded a new record probably
describes.

A probable match has the same name in some spelling, in any script, alias
included, compared normalized (search.normalize: "Бяляцкі Алесь" and
"Ales Bialiatski" meet, surname first or last), and birth dates that do not
contradict (either unknown, or their possible days overlap). Pairs a curator
said are different people (NotSameAs) are never proposed again. The
importer, the admin's person form, the merge and the data-quality page all
ask here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from .messages import Message, say
from .models import NotSameAs, Person
from .partial_dates import PartialDate
from .search import normalize


def spelling_key(text: str) -> str:
    """A spelling as compared: normalized, its words in any order."""
    return " ".join(sorted(normalize(text or "").split()))


def spelling_keys(*names: str) -> set[str]:
    return {key for key in map(spelling_key, names) if key}


def births_compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    """Whether two birth dates may be the same day: either unknown, or their
    possible days overlap ("1962" and "1962-09-25" do)."""
    if not a or not b:
        return True
    return a.first <= b.last and b.first <= a.last


def starts_compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    """Whether two detentions' starts may be the same day ("2020" and
    "2020-09-17" are). An unknown start meets only an unknown start: it says
    too little to join a known arrest."""
    if not a or not b:
        return not a and not b
    return births_compatible(a, b)


PRECISE = {"day": 3, "month": 2, "year": 1}


def more_precise(a: PartialDate | None, b: PartialDate | None) -> PartialDate | None:
    """Of two compatible dates, the more precise (``a`` when they tie)."""
    if not a or not b:
        return a or b
    return b if PRECISE[b.precision] > PRECISE[a.precision] else a


@dataclass(frozen=True)
class Recorded:
    """A recorded person as the matching sees them."""

    pk: int
    person_id: str
    name: str
    born: PartialDate | None

    def describe(self) -> Message:
        """``<person_id> (<name>, born <born>)``, as problems name them."""
        if self.born:
            return say(
                "%(id)s (%(name)s, born %(born)s)",
                id=self.person_id,
                name=self.name,
                born=self.born,
            )
        return say("%(id)s (%(name)s)", id=self.person_id, name=self.name)


def stored_spelling_keys(search_text: str) -> set[str]:
    """The spelling keys of a person's stored search text (every normalized
    spelling, " | " between them)."""
    return {" ".join(sorted(s.split())) for s in search_text.split(" | ") if s.strip()}


def _born(first: date | None, precision: str) -> PartialDate | None:
    return PartialDate(first, precision) if first else None


class MatchIndex:
    """Every recorded person's spellings, read once: an import checks
    thousands of rows against it without a query a row."""

    def __init__(self, people=None):
        people = Person.objects.all() if people is None else people
        self.by_key: dict[str, list[Recorded]] = defaultdict(list)
        self.by_person_id: dict[str, Recorded] = {}
        rows = people.order_by().values_list(
            "pk", "person_id", "name", "search_text", "born_first", "born_precision"
        )
        for pk, person_id, name, text, first, precision in rows.iterator(chunk_size=5000):
            recorded = Recorded(pk, person_id, name, _born(first, precision))
            self.by_person_id[person_id] = recorded
            for key in stored_spelling_keys(text):
                self.by_key[key].append(recorded)
        self.different = {
            frozenset(pair) for pair in NotSameAs.objects.values_list("person_id", "other_id")
        }

    def matches(
        self,
        names: Iterable[str],
        born: PartialDate | None,
        *,
        exclude_pks: Iterable[int] = (),
    ) -> list[Recorded]:
        """The recorded people ``names`` and ``born`` probably describe, by
        person_id; ``exclude_pks`` are ruled out (the record itself, and the
        people it was said not to be)."""
        excluded = set(exclude_pks)
        found: dict[int, Recorded] = {}
        for key in spelling_keys(*names):
            for recorded in self.by_key.get(key, ()):
                if recorded.pk in excluded or not births_compatible(born, recorded.born):
                    continue
                found[recorded.pk] = recorded
        return sorted(found.values(), key=lambda r: r.person_id)

    def said_different(self, a_pk: int, b_pk: int) -> bool:
        return frozenset((a_pk, b_pk)) in self.different


def probable_matches(
    names: Iterable[str], born: PartialDate | None, *, exclude_pk: int | None = None
) -> list[Recorded]:
    """The recorded people a single record probably describes (one query on
    the stored search text, then the same comparison as MatchIndex)."""
    keys = spelling_keys(*names)
    if not keys:
        return []
    # Every word of a spelling is in the stored text: narrow by the longest.
    condition = Q()
    for key in keys:
        condition |= Q(search_text__contains=max(key.split(), key=len))
    people = Person.objects.filter(condition)
    if exclude_pk is not None:
        people = people.exclude(pk=exclude_pk)
        different = NotSameAs.objects.filter(Q(person=exclude_pk) | Q(other=exclude_pk))
        ruled_out = {pk for pair in different.values_list("person", "other") for pk in pair}
        people = people.exclude(pk__in=ruled_out)
    index = MatchIndex(people)
    index.different = set()
    return index.matches(keys, born)
