"""Two records of one person made one: merge() and its undo().

The kept person takes, field by field, the value chosen from either record,
and every detention (with its release), source, organization, other id and
"not the same as" pair of the absorbed one; the absorbed person_id becomes
another id of the kept person (its URL then redirects), and the absorbed
person is deleted. The result is checked with the rules of rules.py before
anything is written; every write goes through save() or delete(), so the
history names the user and the data version moves. A MergeRecord keeps
what undo() needs to put both people back as they were.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .choices import Visibility
from .history import acting_as
from .models import (
    Detention,
    MergeRecord,
    NotSameAs,
    Organization,
    OtherId,
    Person,
    Release,
    Source,
)

# The fields an editor chooses between, in the order of the person form.
# person_id is not one: the kept person's stays, the other becomes an OtherId.
MERGED_FIELDS = [
    "name",
    "name_be",
    "name_ru",
    "aliases",
    "gender",
    "born",
    "died_on",
    "region",
    "occupation",
    "recognized_on",
    "recognition_withdrawn_on",
    "bio",
    "letters",
    "letters_checked_on",
    "letters_addressee",
    "letters_withheld",
    "internal_notes",
    "visibility",
]
# Written on save from the other fields, never copied.
_DERIVED = {"id", "status", "search_text", "birthday"}


class MergeRefused(Exception):
    """The merge (or its undo) would break a rule: nothing was written."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def columns(name: str) -> list[str]:
    """The database columns of a merged field (a partial date has three)."""
    partial = Person._partial_dates.get(name)
    if partial is not None:
        return [partial.first, partial.last, partial.precision]
    return [Person._meta.get_field(name).attname]


def _values(person: Person, names: Iterable[str]) -> dict:
    return {column: getattr(person, column) for name in names for column in columns(name)}


def _restore(person: Person, values: dict) -> None:
    for column, value in values.items():
        setattr(person, column, Person._meta.get_field(column).to_python(value))


def differing_fields(a: Person, b: Person) -> list[str]:
    """The merged fields whose values differ between ``a`` and ``b``."""
    return [name for name in MERGED_FIELDS if getattr(a, name) != getattr(b, name)]


def default_taken(keep: Person, absorb: Person) -> list[str]:
    """The fields to take from ``absorb`` unless the editor says otherwise:
    those the kept person leaves empty."""
    return [
        name
        for name in differing_fields(keep, absorb)
        if getattr(keep, name) in (None, "") and getattr(absorb, name) not in (None, "")
    ]


def default_kept(a: Person, b: Person) -> tuple[Person, Person]:
    """(keep, absorb): the published one, else the older record."""
    published = [p for p in (a, b) if p.visibility == Visibility.PUBLISHED]
    keep = published[0] if len(published) == 1 else min(a, b, key=lambda p: p.pk)
    return keep, (b if keep is a else a)


def _result(keep: Person, absorb: Person, taken: Iterable[str]) -> Person:
    """The kept person as the merge would leave it (not saved)."""
    result = Person.objects.get(pk=keep.pk)
    for name in taken:
        setattr(result, name, getattr(absorb, name))
    return result


def violations(keep: Person, absorb: Person, taken: Iterable[str]) -> list[rules.Violation]:
    """What the merged record would break, with the detentions of both."""
    result = _result(keep, absorb, taken)
    detentions = list(Detention.objects.filter(person__in=[keep, absorb]).select_related("release"))
    released = {r.detention_id for r in Release.objects.filter(detention__in=detentions)}
    open_count = sum(
        rules.is_open(d.pk in released, d.sentence_type, bool(result.died_on)) for d in detentions
    )
    has_source = Person.objects.filter(pk__in=[keep.pk, absorb.pk]).with_source().exists()
    found = [
        rules.death_not_before_birth(result.died_on, result.born),
        rules.withdrawal_not_before_recognition(
            result.recognition_withdrawn_on, result.recognized_on
        ),
        rules.one_open_detention(open_count > 1, open_count > 1),
        rules.source_to_publish(result.visibility, has_source),
        *(
            rules.death_not_before_arrest(result.died_on, d.detained_on, d.detention_id)
            for d in detentions
        ),
    ]
    return [v for v in found if v is not None]


def _messages(found: list[rules.Violation]) -> list[str]:
    return [str(v.message) % v.params if v.params else str(v.message) for v in found]


def merge(keep: Person, absorb: Person, taken: Iterable[str], user) -> MergeRecord:
    """Merge ``absorb`` into ``keep``, taking the fields named in ``taken``
    from ``absorb``; raise MergeRefused, writing nothing, when the result
    would break a rule."""
    taken = [name for name in MERGED_FIELDS if name in set(taken)]
    if keep.pk == absorb.pk:
        raise MergeRefused([_("A person cannot be merged with themselves.")])
    with transaction.atomic(), acting_as(user, via="merged in the admin"):
        # Both rows locked and read again: the check is on what is written.
        locked = {
            p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, absorb.pk])
        }
        if len(locked) != 2:
            raise MergeRefused([_("One of the two people no longer exists.")])
        keep, absorb = locked[keep.pk], locked[absorb.pk]
        found = violations(keep, absorb, taken)
        if found:
            raise MergeRefused(_messages(found))
        pairs = NotSameAs.objects.filter(person=absorb) | NotSameAs.objects.filter(other=absorb)
        record = MergeRecord(
            kept=keep,
            absorbed_person_id=absorb.person_id,
            absorbed_name=absorb.name,
            absorbed={
                "fields": {
                    f.attname: getattr(absorb, f.attname)
                    for f in Person._meta.concrete_fields
                    if f.attname not in _DERIVED
                },
                "pk": absorb.pk,
                "sources": sorted(absorb.sources.values_list("pk", flat=True)),
                "organizations": sorted(absorb.organizations.values_list("pk", flat=True)),
            },
            kept_before=_values(keep, taken),
            taken=taken,
            merged_by=user,
        )
        moved = {
            "detentions": sorted(absorb.detentions.values_list("pk", flat=True)),
            "other_ids": sorted(absorb.other_ids.values_list("pk", flat=True)),
            "sources": sorted(
                set(absorb.sources.values_list("pk", flat=True))
                - set(keep.sources.values_list("pk", flat=True))
            ),
            "organizations": sorted(
                set(absorb.organizations.values_list("pk", flat=True))
                - set(keep.organizations.values_list("pk", flat=True))
            ),
            "not_same_as": [[p.person_id, p.other_id] for p in pairs],
            "not_same_as_added": [],
        }
        for pair in list(pairs):
            pair.delete()
        for person_pk, other_pk in moved["not_same_as"]:
            other = other_pk if person_pk == absorb.pk else person_pk
            if other != keep.pk:
                values = NotSameAs.pair(keep, other)
                if not NotSameAs.objects.filter(**values).exists():
                    moved["not_same_as_added"].append(NotSameAs.objects.create(**values).pk)
        for name in taken:
            setattr(keep, name, getattr(absorb, name))
        keep.save()
        keep.sources.add(*moved["sources"])
        keep.organizations.add(*moved["organizations"])
        for other_id in absorb.other_ids.all():
            other_id.person = keep
            other_id.save()
        for detention in absorb.detentions.all():
            detention.person = keep
            detention.save()
        absorb.delete()
        OtherId.objects.create(person=keep, other_id=record.absorbed_person_id)
        keep.refresh_status()
        record.kept_after = _values(keep, taken)
        record.moved = moved
        record.save()
    return record


def undo(record: MergeRecord, user) -> tuple[Person, list[str]]:
    """Put both people back as they were before ``record``'s merge: the
    absorbed person recreated with their id, values and links, what moved
    moved back, the kept person's overwritten fields restored (those changed
    since the merge are left as they are, and their names returned), the
    redirect removed. Raise MergeRefused, writing nothing, when it cannot."""
    try:
        with transaction.atomic(), acting_as(user, via="merge undone in the admin"):
            record = MergeRecord.objects.select_for_update().get(pk=record.pk)
            return _undo(record, user)
    except (IntegrityError, ValidationError) as error:
        raise MergeRefused(
            [_("The merge cannot be undone: %(error)s") % {"error": error}]
        ) from None


def _undo(record: MergeRecord, user) -> tuple[Person, list[str]]:
    if record.undone_at is not None:
        raise MergeRefused([_("This merge was undone already.")])
    keep = Person.objects.select_for_update().filter(pk=record.kept_id).first()
    if keep is None:
        raise MergeRefused([_("The kept person has been deleted since the merge.")])
    absorbed = record.absorbed
    if Person.objects.filter(person_id=record.absorbed_person_id).exists():
        raise MergeRefused(
            [_("Another person now has the id %(id)s.") % {"id": record.absorbed_person_id}]
        )
    OtherId.objects.filter(person=keep, other_id=record.absorbed_person_id).delete()
    person = Person(pk=absorbed["pk"])
    _restore(person, absorbed["fields"])
    person.save(force_insert=True)
    person.sources.set(Source.objects.filter(pk__in=absorbed["sources"]))
    person.organizations.set(Organization.objects.filter(pk__in=absorbed["organizations"]))
    moved = record.moved
    # Back first, then the kept person's fields: a death restored on the
    # absorbed person closes their detention before the kept one reopens.
    for detention in Detention.objects.filter(pk__in=moved["detentions"], person=keep):
        detention.person = person
        detention.save()
    for other_id in OtherId.objects.filter(pk__in=moved["other_ids"], person=keep):
        other_id.person = person
        other_id.save()
    for pair in NotSameAs.objects.filter(pk__in=moved["not_same_as_added"]):
        pair.delete()
    for person_pk, other_pk in moved["not_same_as"]:
        if Person.objects.filter(pk__in=[person_pk, other_pk]).count() == 2:
            NotSameAs.record(person_pk, other_pk)
    changed_since = []
    for name in record.taken:
        current = _values(keep, [name])
        after = {
            c: Person._meta.get_field(c).to_python(v)
            for c, v in record.kept_after.items()
            if c in current
        }
        if current == after:
            _restore(keep, {c: record.kept_before[c] for c in current})
        else:
            changed_since.append(name)
    keep.save()
    keep.sources.remove(*moved["sources"])
    keep.organizations.remove(*moved["organizations"])
    keep.refresh_status()
    person.refresh_status()
    record.undone_at = timezone.now()
    record.undone_by = user
    record.save()
    return person, changed_since
