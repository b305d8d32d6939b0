"""The rows of the long public lists, projected once in Python. A template
reads a dict's key far faster than it calls a record's methods, filters and
tags, and a list page renders fifty rows of them: each row's values are
worked out here and the template only places them."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from django.db.models import QuerySet
from django.urls import reverse

from .. import local_names
from ..changes import Change, field_labels
from ..local_names import NAME_FIELDS, LocalNames
from ..models import Detention, Release
from ..partial_dates import PartialDate, Precision

# What a row shows of a person and of each detention, as columns.
PERSON_COLUMNS = ("pk", "person_id", "name", *NAME_FIELDS.values(), "status", "gender", "region")
DETENTION_COLUMNS = (
    "person_id",
    "detained_on_first",
    "detained_on_precision",
    "release__id",
    "release__released_on_first",
    "release__released_on_precision",
    "release__release_type",
)


def as_columns(people: QuerySet) -> list[SimpleNamespace]:
    """The people of a page of today's list (``people``, in order) as the
    columns its rows show, not records: making fifty people, their
    detentions and releases into models takes longer than the SQL that
    reads them."""
    return [SimpleNamespace(**row) for row in people.values(*PERSON_COLUMNS)]


def list_rows(found: list[SimpleNamespace]) -> list[dict]:
    """The rows of people read by as_columns(), with their detentions read
    as columns too (one query)."""
    held: dict[int, list[dict]] = {person.pk: [] for person in found}
    detentions = (
        Detention.objects.filter(person_id__in=held)
        .order_by("detained_on_first", "detention_id")
        .values(*DETENTION_COLUMNS)
    )
    for row in detentions:
        release = row["release__id"] and (
            PartialDate.from_columns(row, "release__released_on"),
            Release.label_of("release_type", row["release__release_type"]),
        )
        held[row["person_id"]].append(
            _detention(PartialDate.from_columns(row, "detained_on"), release)
        )
    return _rows(found, lambda person: held[person.pk])


def person_rows(people, as_of: date | None = None) -> list[dict]:
    """The rows of ``people`` as records (a list as it stood, rebuilt from
    the history): the same rows as list_rows(), each linking the person's
    page as it stood too."""
    return _rows(
        people,
        lambda person: [
            _detention(
                detention.detained_on,
                (release := getattr(detention, "release", None))
                and (release.released_on, release.get_release_type_display()),
            )
            for detention in person.detentions.all()
        ],
        f"?as_of={as_of.isoformat()}" if as_of else "",
    )


def change_rows(changes: list[Change]) -> list[dict]:
    """The rows of a group of /changes/ (people named): the day, the person's
    link and name (HTML), and what changed: the fields corrected (as a
    reader knows them), a new detention's date, a release's date and event."""
    link = _person_link()
    rows = []
    for change in changes:
        row = {
            "day": change.day.isoformat(),
            "day_shown": PartialDate(change.day, Precision.DAY).display(),
            "url": link(change.person.person_id),
            "name": local_names.html_name(change.person),
            "fields": ", ".join(field_labels(change.fields)) if change.fields else "",
        }
        for name in ("detained_on", "released_on"):
            if on := getattr(change, name):
                row[name], row[f"{name}_shown"] = on, on.display()
        if event := change.release_event:
            row["event_url"], row["event_title"] = event.get_absolute_url(), event.shown_title
        rows.append(row)
    return rows


def _person_link(suffix: str = ""):
    """reverse("person-detail") of a person_id, for a page of them: reversed
    once, not once a row (a person_id is a slug, the URL's converter: there
    is nothing in it to quote)."""
    before, after = reverse("person-detail", args=["person-id"]).rsplit("person-id", 1)
    return lambda person_id: f"{before}{person_id}{after}{suffix}"


def _rows(people, detentions_of, suffix: str = "") -> list[dict]:
    """Link, name (HTML), status in the person's gender, region in the
    page's language, and each detention's dates."""
    names = LocalNames()
    link = _person_link(suffix)
    statuses = {}  # translated once a page, not once a row
    return [
        {
            "url": link(person.person_id),
            "name": local_names.html_name(person),
            "status": statuses.get(key := (person.status, person.gender))
            or statuses.setdefault(key, local_names.status_label(*key)),
            "region": names.shown("region", person.region) or "—",
            "detentions": detentions_of(person),
        }
        for person in people
    ]


def _detention(detained_on: PartialDate | None, release: tuple | None) -> dict:
    """A detention's dates; ``release`` (its date and type's label) is None
    for a detention still open or ended otherwise."""
    row = {"detained_on": detained_on, "detained": detained_on.display() if detained_on else ""}
    if release:
        released_on, release_type = release
        row["release"] = {
            "released_on": released_on,
            "released": released_on.display() if released_on else "",
            "type": release_type,
        }
    return row
