"""The column values of many people at once, read with ``values()`` queries.

The same values as ``columns.person_values`` and ``columns.detention_values``
give for model instances (a test holds them equal), without building model
instances: the full export of 100,000 people is bound by the database, not by
the ORM. Eleven queries per chunk of people, whatever the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime

from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL

from ..as_of import latest_rows
from ..models import Detention, NotSameAs, OtherDetentionId, OtherId, Person, Release
from ..partial_dates import PartialDate
from .columns import PUBLISHED_OF, _day, _text, public_letters

PERSON_DATES = ["born", "died_on", "recognized_on", "recognition_withdrawn_on"]
DETENTION_DATES = ["detained_on", "sentenced_on", "expected_release_on"]


def _among(ids: Sequence[int]):
    """The right side of ``__in`` for many ids. On PostgreSQL one array
    parameter: preparing a thousand ``%s`` costs more than running the query."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])
    return ids


def _date(row: dict, name: str) -> str:
    first = row[f"{name}_first"]
    return str(PartialDate(first, row[f"{name}_precision"])) if first else ""


def _pairs(queryset, key: str, value: str) -> dict[int, tuple[str, ...]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner, item in queryset.values_list(key, value):
        grouped[owner].append(item)
    return {owner: tuple(sorted(items)) for owner, items in grouped.items()}


def not_same_as_of(pks: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """The person_ids each person was said not to be (a pair is stored once)."""
    grouped: dict[int, list[str]] = defaultdict(list)
    for side, other in (("person", "other"), ("other", "person")):
        pairs = NotSameAs.objects.filter(**{f"{side}_id__in": _among(pks)})
        for owner, other_id in pairs.values_list(f"{side}_id", f"{other}__person_id"):
            grouped[owner].append(other_id)
    return {owner: tuple(sorted(ids)) for owner, ids in grouped.items()}


RELEASE_COLUMNS = [
    "released_on_first",
    "released_on_precision",
    "release_type",
    "released_to",
    "release_event__event_id",
    "release_event__published",
]


def _people_then(pks: Sequence[int], at: datetime | None):
    """The people of ``pks`` now, or as their history read before ``at``
    (as_of.py: the list as it stood), keyed ``pk``."""
    if at is None:
        return Person.objects.filter(pk__in=_among(pks)).annotate(key=F("pk"))
    return latest_rows(Person, at, id__in=_among(pks)).annotate(key=F("id"))


def _detentions_then(pks: Sequence[int], at: datetime | None) -> list[dict]:
    """The detentions of the people of ``pks`` with their releases
    (``release__…``), now or as their history read before ``at``."""
    release = [f"release__{column}" for column in RELEASE_COLUMNS]
    theirs = {"person_id__in": _among(pks)}
    detentions = Detention.objects if at is None else latest_rows(Detention, at, **theirs)
    rows = (
        detentions.filter(**theirs)
        # Unknown arrest dates first on every database, as the exporter orders them.
        .order_by(F("detained_on_first").asc(nulls_first=True), "detention_id")
        .annotate(key=F("id"))
        .values(
            "key",
            "person_id",
            "detention_id",
            "sentence_type",
            "sentence_months",
            "facility__name",
            *(release if at is None else []),
            *[f"{d}_{part}" for d in DETENTION_DATES for part in ("first", "precision")],
        )
    )
    rows = list(rows)
    if at is not None:
        releases = latest_rows(Release, at, detention_id__in=_among([row["key"] for row in rows]))
        by_detention = {
            r["detention_id"]: r for r in releases.values("detention_id", *RELEASE_COLUMNS)
        }
        for row in rows:
            found = by_detention.get(row["key"], {})
            row.update({f"release__{c}": found.get(c) for c in RELEASE_COLUMNS})
    return rows


def people_values(
    pks: Sequence[int], public: bool = False, at: datetime | None = None
) -> Iterator[tuple[dict, list[dict]]]:
    """(person values, [detention values…]) for each pk, in the order given;
    with ``at``, as the history read before that moment (their links to
    organizations, sources, charges and other ids are today's)."""
    date_columns = [f"{d}_{part}" for d in PERSON_DATES for part in ("first", "precision")]
    people = {
        row["key"]: row
        for row in _people_then(pks, at).values(
            "key",
            "person_id",
            "name",
            "name_be",
            "name_ru",
            "aliases",
            "gender",
            "region",
            "occupation",
            "bio",
            "bio_be",
            "bio_ru",
            "internal_notes",
            "visibility",
            "letters",
            "letters_checked_on",
            "letters_addressee",
            "letters_withheld",
            *date_columns,
        )
    }
    organizations = _pairs(
        Person.organizations.through.objects.filter(person_id__in=_among(pks)),
        "person_id",
        "organization__name",
    )
    person_sources = _pairs(
        Person.sources.through.objects.filter(person_id__in=_among(pks)), "person_id", "source__url"
    )
    other_ids = _pairs(OtherId.objects.filter(person_id__in=_among(pks)), "person_id", "other_id")
    not_same_as = not_same_as_of(pks)
    detentions: dict[int, list[dict]] = defaultdict(list)
    rows = _detentions_then(pks, at)
    detention_pks = [row["key"] for row in rows]
    charges = _pairs(
        Detention.charges.through.objects.filter(detention_id__in=_among(detention_pks)),
        "detention_id",
        "charge__article",
    )
    sources = _pairs(
        Detention.sources.through.objects.filter(detention_id__in=_among(detention_pks)),
        "detention_id",
        "source__url",
    )
    other_detention_ids = _pairs(
        OtherDetentionId.objects.filter(detention_id__in=_among(detention_pks)),
        "detention_id",
        "other_id",
    )
    for row in rows:
        released = row["release__released_on_first"] is not None
        event = row["release__release_event__event_id"]
        if event and public and not row["release__release_event__published"]:
            event = None
        detentions[row["person_id"]].append(
            {
                "detention_id": row["detention_id"],
                "other_detention_ids": other_detention_ids.get(row["key"], ()),
                "detained_on": _date(row, "detained_on"),
                "charges": charges.get(row["key"], ()),
                "sentence_type": row["sentence_type"],
                "sentence_months": row["sentence_months"],
                "sentenced_on": _date(row, "sentenced_on"),
                "expected_release_on": _date(row, "expected_release_on"),
                "facility": row["facility__name"] or "",
                "sources": sources.get(row["key"], ()),
                "released_on": str(
                    PartialDate(
                        row["release__released_on_first"], row["release__released_on_precision"]
                    )
                )
                if released
                else "",
                "release_type": row["release__release_type"] if released else "",
                "release_event": (event or "") if released else "",
                "released_to": _text(row["release__released_to"]) if released else "",
            }
        )
    for pk in pks:
        person = people.get(pk)
        if person is None:  # not yet written at ``at``
            continue
        values = {
            "person_id": person["person_id"],
            "name": _text(person["name"]),
            "name_be": _text(person["name_be"]),
            "name_ru": _text(person["name_ru"]),
            "aliases": tuple(a.strip() for a in person["aliases"].split(";") if a.strip()),
            "gender": person["gender"],
            "region": _text(person["region"]),
            "occupation": _text(person["occupation"]),
            "organizations": organizations.get(pk, ()),
            "bio": _text(person["bio"]),
            "bio_be": _text(person["bio_be"]),
            "bio_ru": _text(person["bio_ru"]),
            "internal_notes": _text(person["internal_notes"]),
            "published": PUBLISHED_OF[person["visibility"]],
            "person_sources": person_sources.get(pk, ()),
            "letters": person["letters"],
            "letters_checked_on": _day(person["letters_checked_on"]),
            "letters_addressee": _text(person["letters_addressee"]),
            "letters_withheld": person["letters_withheld"],
            "same_as": "",
            "not_same_as": not_same_as.get(pk, ()),
            "other_ids": other_ids.get(pk, ()),
            **{name: _date(person, name) for name in PERSON_DATES},
        }
        yield (public_letters(values) if public else values), detentions.get(pk, [])
