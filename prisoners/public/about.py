"""/about/data/: how the list counts, and a data dictionary of every column
of every public CSV and every filter, read at request time from the
definitions the code uses (the exports' own headers, interchange/columns.py,
the FilterSets of public/filters.py, the range form), so that it cannot
drift from what the site does. A column or filter without a description
here is still listed, with its type."""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ..choices import Gender, ReleaseType, SanctionsAction, SentenceType
from ..interchange import columns
from ..stats.series import HELD_COLUMNS, RELEASE_COLUMNS, Interval
from . import exports
from .filters import MultipleTextFilter, PersonFilter, ReleaseEventFilter, SanctionsEventFilter
from .timeline import RangeForm


@dataclass
class Entry:
    name: str
    kind: str
    help: str
    values: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Table:
    title: str
    where: list[str]  # the URLs (names) that write or take it
    entries: list[Entry]
    query: str = ""  # an example query of the list, for a link


CHOICES = {
    "gender": Gender.choices,
    "sentence_type": SentenceType.choices,
    "release_type": ReleaseType.choices,
    "action": SanctionsAction.choices,
}

# What each column holds. Keyed by name; (file, name) where one name means
# different things in different files.
COLUMN_HELP = {
    ("sanctions_events.csv", "kind"): _(
        "The instrument: designation, delisting, general licence, sectoral measure, extension, "
        "suspension or other."
    ),
    "official_url": _("The act's text on the authority's site."),
    "effective_on": _("The day the act takes effect."),
    "expires_on": _("The first day a licence or measure no longer applies; empty when open."),
    "letters": _("Whether letters reach the person: yes, no or unknown."),
    "letters_checked_on": _("The day a curator last checked whether letters reach the person."),
    "letters_addressee": _(
        "The name to write on the envelope, in the form the facility requires, when it is not "
        "the Russian name and year of birth."
    ),
    "expected_release_on": _(
        "The expected release of the detention as the sources give it; empty when it follows "
        "from the arrest and the sentence."
    ),
    "person_id": _("The person's id on this site: the last part of the address of their page."),
    "name": _("Name in Latin script, as written in the press and passports."),
    "name_be": _("Name in Belarusian."),
    "name_ru": _("Name in Russian."),
    "aliases": _("Other spellings and names the person is known by."),
    "gender": _("Gender."),
    "born": _("Date of birth."),
    "died_on": _("Date of death."),
    "region": _("Region the person is from."),
    "occupation": _("Occupation."),
    "organizations": _("Organizations the person belongs to."),
    "recognized_on": _(
        "Day human-rights organizations recognized the person as a political prisoner."
    ),
    "recognition_withdrawn_on": _("Day that recognition was withdrawn, if it was."),
    "bio": _("Public biography in English."),
    "bio_be": _("Public biography in Belarusian."),
    "bio_ru": _("Public biography in Russian."),
    "published": _("Whether the record is published: always yes in public files."),
    "person_sources": _("Sources about the person (URLs)."),
    "same_as": _("Used on import only (which recorded person a row describes): empty in exports."),
    "not_same_as": _("Ids of people recorded as different people with a similar name."),
    "other_ids": _(
        "Other ids the person was known by (other lists, merged records); they redirect here."
    ),
    "detention_id": _("The detention's id: one row per detention."),
    "other_detention_ids": _("Other ids the detention was known by."),
    "detained_on": _("Day of the arrest."),
    "charges": _("Articles of the criminal code charged."),
    "sentence_type": _("Kind of sentence."),
    "sentence_months": _("Length of the sentence in months."),
    "sentenced_on": _("Day of the sentence."),
    "facility": _("Place of detention."),
    "released_on": _("Day of release."),
    "release_type": _("How the detention ended."),
    "release_event": _("The group release it was part of (its id in the file of group releases)."),
    "released_to": _("Country the person went to on release."),
    "sources": _("Sources of this row (URLs)."),
    "status": _("The person's status today: in custody, released, deceased or unknown."),
    "url": _("The person's public page."),
    "matches_filter": _(
        "Whether this row is the detention the filters matched "
        "(a person's other detentions are included too)."
    ),
    "event_id": _("The event's id on this site."),
    "date": _("Day of the event."),
    "title": _("Title in English."),
    "title_be": _("Title in Belarusian."),
    "title_ru": _("Title in Russian."),
    "announced_count": _("How many people the authorities or negotiators announced as released."),
    "negotiator": _("Who negotiated the release."),
    "sanctions": _(
        "Sanctions events linked to the release (their ids in the file of sanctions events)."
    ),
    "description": _("Description in English."),
    "description_be": _("Description in Belarusian."),
    "description_ru": _("Description in Russian."),
    "authority": _("Who imposes the sanctions (a state or a union of states)."),
    "action": _("What the authority did."),
    "target": _("Who or what the sanctions apply to."),
    "sector": _("Sector of the economy."),
    "legal_reference": _("Official reference of the legal act."),
    ("held.csv", "date"): _("A day (per month: the month's last day in the range)."),
    "held": _("Recognized political prisoners held on that day, people not named included."),
    "period": _("A month (YYYY-MM) or a year."),
    "releases": _("Releases in that period, people not named included."),
}

FILTER_HELP = {
    "q": _("Any spelling of a name, in any script, ignoring case and accents."),
    "status": _("The person's status today."),
    "gender": _("Gender."),
    "region": _("Region the person is from."),
    "organization": _("An organization the person belongs to."),
    "recognized": _(
        "Recognized as a political prisoner (together with the day held: on that day)."
    ),
    "recognized_after": _("Recognized on or after this day."),
    "recognized_before": _("Recognized on or before this day."),
    "charge": _("An article of the criminal code."),
    "release_type": _("How a detention ended."),
    "release_event": _("A group release, by its id."),
    "detained_after": _("Detained on or after this day."),
    "detained_before": _("Detained on or before this day."),
    "released_after": _("Released on or after this day."),
    "released_before": _("Released on or before this day."),
    "held_on": _("People held on that day: arrested before or on it, not yet released."),
    "as_of": _("The list as it was published at the end of that day."),
    "ordering": _("The order of the list."),
    "date_after": _("Events on or after this day."),
    "date_before": _("Events on or before this day."),
    "authority": _("The authority, ignoring case."),
    "action": _("What the authority did."),
    "target": _("Part of the target's name."),
    "from": _("First day of the range (default: a few years back)."),
    "to": _("Last day of the range (default: today)."),
    "interval": _("Step of the series (API only)."),
}

INTERVALS = {
    Interval.DAY: _("per day (held only)"),
    Interval.MONTH: _("per month"),
    Interval.YEAR: _("per year (releases only)"),
}

EXPORT_TITLES = {
    "person-export": _("People: one row per detention"),
    "release-export": _("Group releases"),
    "sanctions-export": _("Sanctions events"),
}
KINDS = {
    "person-export": columns.PRISONERS,
    "release-export": columns.RELEASE_EVENTS,
    "sanctions-export": columns.SANCTIONS_EVENTS,
}


def column_type(column: columns.Column | None, name: str) -> str:
    if name in CHOICES:
        return str(_("one of the values listed"))
    if column is None:
        return str(_("text"))
    if column.read is columns.read_date:
        return str(_("date: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known"))
    if column.read is columns.read_yes_no:
        return str(_("yes or no"))
    if column.read is columns.read_urls:
        return str(_("URLs separated by spaces"))
    if column.empty == ():
        return str(_("values separated by ;"))
    if column.empty is None:
        return str(_("whole number"))
    return str(_("text"))


def _help(file: str, name: str) -> str:
    text = COLUMN_HELP.get((file, name)) or COLUMN_HELP.get(name)
    return str(text) if text else ""


def _entry(file: str, name: str, column: columns.Column | None) -> Entry:
    return Entry(name, column_type(column, name), _help(file, name), CHOICES.get(name, []))


def export_tables() -> list[Table]:
    """Every public CSV, with the header its writer writes."""
    tables = []
    for url_name in exports.EXPORTS:
        kind = KINDS[url_name]
        entries = [
            _entry(kind.filename, name, kind.by_name.get(name)) for name in exports.header(url_name)
        ]
        tables.append(Table(str(EXPORT_TITLES[url_name]), [url_name], entries))
    for title, file, names, url_name in (
        (_("Held over time"), "held.csv", HELD_COLUMNS, "api-stats-held-csv"),
        (_("Releases over time"), "releases.csv", RELEASE_COLUMNS, "api-stats-releases-csv"),
    ):
        entries = [Entry(n, str(_("text")), _help(file, n)) for n in names]
        entries[1].kind = str(_("whole number"))
        tables.append(Table(str(title), [url_name], entries))
    return tables


def filter_type(f) -> str:
    if isinstance(f, django_filters.DateFilter):
        return str(_("date: YYYY-MM-DD"))
    if isinstance(f, django_filters.MultipleChoiceFilter):
        return str(_("one or more of the values listed (repeat the parameter)"))
    if isinstance(f, django_filters.ChoiceFilter):
        return str(_("one of the values listed"))
    if isinstance(f, MultipleTextFilter):
        return str(_("text; repeat the parameter for any of several"))
    return str(_("text"))


def _filter_help(name: str, f) -> str:
    text = FILTER_HELP.get(name) or f.extra.get("help_text") or f.label or ""
    return str(text)


FILTERS = [
    (
        _("People"),
        ["person-list", "person-export", "person-feed", "api-prisoner-list"],
        PersonFilter,
    ),
    (
        _("Group releases"),
        ["release-list", "release-export", "api-release-event-list"],
        ReleaseEventFilter,
    ),
    (
        _("Sanctions events"),
        ["sanctions-list", "sanctions-export", "api-sanctions-event-list"],
        SanctionsEventFilter,
    ),
]


def filter_tables() -> list[Table]:
    """Every filter of every FilterSet, and the range of the charts."""
    tables = []
    for title, where, filterset in FILTERS:
        entries = [
            Entry(
                name,
                filter_type(f),
                _filter_help(name, f),
                [(str(v), str(label)) for v, label in f.extra.get("choices", [])],
            )
            for name, f in filterset.base_filters.items()
        ]
        tables.append(Table(str(title), where, entries))
    form = RangeForm(today=None)
    entries = [
        Entry(name, str(_("date: YYYY-MM-DD")), str(FILTER_HELP[name])) for name in form.fields
    ]
    entries.append(
        Entry(
            "interval",
            str(_("one of the values listed")),
            str(FILTER_HELP["interval"]),
            [(v, str(label)) for v, label in INTERVALS.items()],
        )
    )
    where = ["timeline", "embed-held", "chart-held", "api-stats-held"]
    tables.append(Table(str(_("Charts and series")), where, entries))
    return tables


def about_data(request):
    return render(
        request,
        "prisoners/about_data.html",
        {"exports": export_tables(), "filters": filter_tables()},
    )
