"""The combined timeline: release and sanctions events in one chronology,
the range form of /timeline/, and the rows of a person's timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import privacy, terms
from ..models import Detention, Release, ReleaseEvent, SanctionsEvent, SentenceChange, Stay
from ..partial_dates import PartialDate, Precision
from ..stats.ranges import EARLIEST, RangeError, date_range
from ..stats.series import MonthRow
from . import queries


@dataclass(frozen=True)
class Row:
    """One line of the chronology."""

    date: PartialDate
    kind: str  # "release" or "sanctions"
    event: ReleaseEvent | SanctionsEvent


_KIND_ORDER = {"release": 0, "sanctions": 1}


def merge_events(release_events=(), sanctions_events=()) -> list[Row]:
    """Release and sanctions events as one chronology, by first possible day
    (a release before the sanctions move of the same day), then id."""
    rows = [Row(e.date, "release", e) for e in release_events]
    rows += [Row(e.date, "sanctions", e) for e in sanctions_events]
    rows.sort(key=lambda r: (r.date.first, _KIND_ORDER[r.kind], r.event.event_id))
    return rows


def chronology(start: date, end: date) -> list[Row]:
    """Published release and sanctions events from ``start`` to ``end``
    (without their links to each other: a line shows none)."""
    return merge_events(
        queries.release_events(links=False).filter(date_first__range=(start, end)),
        queries.sanctions_events(links=False).filter(date_first__range=(start, end)),
    )


def chronology_lines(rows: list[Row]) -> list[dict]:
    """The chronology as the page shows it: each line's day as written, its
    event's link and a release's title, worked out here once a line."""
    return [
        {
            "kind": row.kind,
            "date": row.date,
            "when": row.date.display(),
            "url": row.event.get_absolute_url(),
            "event": row.event,
            "title": row.event.shown_title if row.kind == "release" else "",
        }
        for row in rows
    ]


def month_rows(table: list[MonthRow]) -> list[dict]:
    """The charts' table as the page shows it: each month's name and the link
    to its releases, worked out here once a row rather than by template tags."""
    return [
        {
            "url": reverse("release-month", args=[f"{row.month:%Y}", f"{row.month:%m}"]),
            "month": PartialDate(row.month, Precision.MONTH).display(),
            "held": row.held,
            "releases": row.releases,
        }
        for row in table
    ]


class RangeForm(forms.Form):
    """``?from=&to=``, both optional, ``YYYY-MM-DD``."""

    def __init__(self, data=None, *, today: date, start_by_default=None):
        """``start_by_default(end)``: the start when none is given (the
        timeline's, default_start(), unless told)."""
        super().__init__(data)
        self.today = today
        self.start_by_default = start_by_default or default_start
        self.fields["from"] = forms.DateField(
            required=False, input_formats=["%Y-%m-%d"], label=_("From")
        )
        self.fields["to"] = forms.DateField(
            required=False, input_formats=["%Y-%m-%d"], label=_("To")
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["start"], data["end"] = date_range(
                data.get("from"),
                data.get("to"),
                today=self.today,
                default_start=self.start_by_default,
            )
        except RangeError as error:
            # On the parameter to blame: a text answer names it (``from: …``).
            self.add_error(error.param, forms.ValidationError(error.message, code=error.code))
        return data


def default_start(end: date) -> date:
    """The timeline shows from 1 January four years before ``end``."""
    return date(max(end.year - 4, EARLIEST.year), 1, 1)


@dataclass
class PersonRow:
    """One line of a person's timeline; ``date`` is None when unknown."""

    date: PartialDate | None
    kind: str
    detention: Detention | None = None
    release: Release | None = None
    # The release event and its sanctions, when published.
    event: ReleaseEvent | None = None
    sanctions: list[SanctionsEvent] = field(default_factory=list)
    # Where the person was held: the stay of a "detained" row (its first,
    # when its start is unknown or the arrest's) or of a "transferred" row.
    stay: Stay | None = None
    change: SentenceChange | None = None


_PERSON_ORDER = {
    "detained": 0,
    "transferred": 1,
    "sentenced": 1,
    "sentence_changed": 2,
    "recognized": 3,
    "released": 4,
    "recognition_withdrawn": 5,
    "died": 6,
}


def _with_arrest(stay: Stay, detention: Detention) -> bool:
    """Whether a detention's first stay began with the arrest (its start
    unknown or the arrest's): shown on the arrest's row, not as a transfer."""
    return stay.started_on is None or stay.started_on == detention.detained_on


def person_rows(person) -> list[PersonRow]:
    """A person's detentions, sentences, releases, recognition and death in
    date order, with each change of a sentence. An arrest of unknown date
    sits just before what followed it. Uses the person's prefetched
    detentions (with release, release event and its published sanctions as
    ``public_sanctions``, and sentence changes)."""
    rows: list[tuple[date, PersonRow]] = []
    for detention in person.detentions.all():
        known = [d for d in (detention.sentenced_on, detention.ended_on) if d]
        fallback = known[0].first if known else date.max
        start = detention.detained_on.first if detention.detained_on else fallback
        stays = list(detention.stays.all())
        first = stays[0] if stays and _with_arrest(stays[0], detention) else None
        rows.append((start, PersonRow(detention.detained_on, "detained", detention, stay=first)))
        for stay in stays[1:] if first else stays:
            # A transfer of unknown date follows what is known before it.
            on = stay.started_on.first if stay.started_on else start
            rows.append((on, PersonRow(stay.started_on, "transferred", detention, stay=stay)))
        if detention.sentenced_on or detention.sentence_type:
            on = detention.sentenced_on.first if detention.sentenced_on else start
            rows.append((on, PersonRow(detention.sentenced_on, "sentenced", detention)))
        for change in detention.sentence_changes.all():
            row = PersonRow(change.changed_on, "sentence_changed", detention, change=change)
            rows.append((change.changed_on.first, row))
        release = getattr(detention, "release", None)
        if release is not None:
            event = release.release_event
            public = event if privacy.is_public(event) else None
            rows.append(
                (
                    release.released_on.first,
                    PersonRow(
                        release.released_on,
                        "released",
                        detention,
                        release,
                        public,
                        list(getattr(event, "public_sanctions", [])) if public else [],
                    ),
                )
            )
    for kind in ("recognized", "recognition_withdrawn", "died"):
        on = getattr(person, "recognized_on" if kind == "recognized" else f"{kind}_on")
        if on:
            rows.append((on.first, PersonRow(on, kind)))
    rows.sort(key=lambda pair: (pair[0], _PERSON_ORDER[pair[1].kind]))
    return [row for _day, row in rows]


@dataclass(frozen=True)
class TimeInside:
    """What a person's page says of their time inside: the days in custody
    (a range when dates are partial), and of the open detention, the term in
    force and the expected release (recorded, or from the term)."""

    days: terms.DayRange | None
    term: terms.Term | None
    expected_release: object | None
    recorded: bool


def time_inside(person, today: date) -> TimeInside:
    """From the person's prefetched detentions and sentence changes."""
    held = next((d for d in person.detentions.all() if d.is_open), None)
    term = terms.current_term(held) if held else None
    return TimeInside(
        days=terms.person_days_in_custody(person, today),
        term=term if term and (term.sentence_type or term.sentence_months) else None,
        expected_release=held.expected_release if held else None,
        recorded=bool(held and held.expected_release_on),
    )
