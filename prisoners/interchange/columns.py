"""The columns of the files, how a cell reads and writes, and what a
stored record gives for each column.

A value read from a cell and a value taken from a stored record have the same
form (text, dates as written, sorted tuples for sets of names), so that the
importer can compare a file with the database and the exporter can write what
the importer reads back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from .. import letters
from ..choices import FacilityKind, Letters, NameKind, Visibility
from ..messages import Message, say, say_count
from ..models import (
    EVENT_ID_LETTER,
    ID_PATTERN,
    Charge,
    Detention,
    Facility,
    Gender,
    LocalName,
    NotSameAs,
    Organization,
    Person,
    Release,
    ReleaseEvent,
    ReleaseType,
    SanctionsAction,
    SanctionsEvent,
    SanctionsKind,
    SanctionsTarget,
    SentenceChangeKind,
    SentenceType,
    Source,
    TargetKind,
)
from ..partial_dates import PartialDate
from ..privacy import is_public
from . import dates
from .urls import is_url

_ID = re.compile(ID_PATTERN)
_EVENT_LETTER = re.compile(EVENT_ID_LETTER)
_WHOLE_NUMBER = re.compile(r"^\d+$")


def _max(model, field: str) -> int:
    """The model's limit, the one the admin's forms hold too: whatever the
    admin saves, the importer reads back."""
    return model._meta.get_field(field).max_length


def clean_text(value: str) -> str:
    """Cell text as stored and compared: no surrounding space, ``\\n`` line ends."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


# Readers take a non-empty, cleaned cell and raise ValueError with a message
# fit to show a curator (a messages.Message, said in the reader's language).
# Writers give the cell for a value.


def _too_long(limit: int, value: str = "") -> Message:
    if value:
        return say_count(
            "%(value)r… is longer than %(limit)s character",
            "%(value)r… is longer than %(limit)s characters",
            "limit",
            value=value[:40],
            limit=limit,
        )
    return say_count(
        "is longer than %(limit)s character",
        "is longer than %(limit)s characters",
        "limit",
        limit=limit,
    )


def _not_one_of(value: str, choices: list[str]) -> Message:
    # The choices are the file's words (yes, no, pardon…): never translated.
    return say("%(value)r is not one of: %(choices)s", value=value, choices=", ".join(choices))


def read_text(max_length: int | None = None) -> Callable[[str], str]:
    def read(cell: str) -> str:
        if max_length and len(cell) > max_length:
            raise ValueError(_too_long(max_length))
        return cell

    return read


def read_id(max_length: int, event: bool = False) -> Callable[[str], str]:
    def read(cell: str) -> str:
        if not _ID.match(cell):
            raise ValueError(
                say(
                    "%(value)r is not an id: use lower-case letters, digits and '-', "
                    "starting with a letter or digit",
                    value=cell,
                )
            )
        if event and not _EVENT_LETTER.search(cell):
            raise ValueError(
                say("%(value)r is not an event id: it needs at least one letter", value=cell)
            )
        if len(cell) > max_length:
            raise ValueError(_too_long(max_length))
        return cell

    return read


def read_date(cell: str) -> str:
    return dates.written(cell)


def read_day(cell: str) -> str:
    """A whole date, YYYY-MM-DD (a date a curator checked something on)."""
    day = PartialDate.parse(cell)
    if len(str(day)) != 10:
        raise ValueError(say("%(value)r is not a whole date: use YYYY-MM-DD", value=cell))
    return str(day)


def read_url(cell: str) -> str:
    if len(cell.split()) > 1:
        raise ValueError(say("%(value)r… is not one URL", value=cell[:40]))
    return read_urls(cell)[0]


def read_choice(choices: list[str]) -> Callable[[str], str]:
    def read(cell: str) -> str:
        value = cell.lower()
        if value not in choices:
            raise ValueError(_not_one_of(cell, choices))
        return value

    return read


def read_count(what: str) -> Callable[[str], int]:
    """A whole number of ``what``: "months" or "people"."""

    def read(cell: str) -> int:
        if _WHOLE_NUMBER.match(cell):
            return int(cell)
        if what == "months":
            raise ValueError(
                say(
                    "%(value)r is not a number of months: use a whole number, 0 or more",
                    value=cell,
                )
            )
        raise ValueError(
            say("%(value)r is not a number of people: use a whole number, 0 or more", value=cell)
        )

    return read


def read_yes_no(cell: str) -> bool:
    value = cell.lower()
    if value not in ("yes", "no"):
        raise ValueError(_not_one_of(cell, ["yes", "no"]))
    return value == "yes"


def read_names(max_length: int | None = None, ordered: bool = False) -> Callable[[str], tuple]:
    """A ``;``-separated list; a set (sorted) unless ``ordered``."""

    def read(cell: str) -> tuple:
        names = list(dict.fromkeys(n.strip() for n in cell.split(";") if n.strip()))
        for name in names:
            if max_length and len(name) > max_length:
                raise ValueError(_too_long(max_length, name))
        return tuple(names if ordered else sorted(names))

    return read


def read_event_ids(cell: str) -> tuple:
    ids = read_names()(cell)
    return tuple(read_id(_max(SanctionsEvent, "event_id"), event=True)(i) for i in ids)


def read_ids(max_length: int) -> Callable[[str], tuple]:
    """A ``;``-separated set of record ids (sorted)."""

    def read(cell: str) -> tuple:
        return tuple(read_id(max_length)(i) for i in read_names()(cell))

    return read


def read_urls(cell: str) -> tuple:
    urls = sorted(set(cell.split()))
    for url in urls:
        if len(url) > (limit := _max(Source, "url")):
            raise ValueError(_too_long(limit, url))
        if not is_url(url):
            raise ValueError(say("%(value)r is not a URL (separate URLs by spaces)", value=url))
    return tuple(urls)


def write_text(value) -> str:
    return "" if value is None else str(value)


def write_yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def write_list(separator: str) -> Callable[[tuple], str]:
    return lambda value: separator.join(value)


@dataclass(frozen=True)
class Column:
    name: str
    read: Callable[[str], object]
    write: Callable[[object], str] = write_text
    empty: object = ""
    required: bool = False
    # In prisoners.csv: a column of the person (repeated on each of their rows)
    # rather than of the detention on that row.
    of_person: bool = False

    def parse(self, cell: str):
        """The value of a cell; ValueError on a bad one."""
        cell = clean_text(cell)
        return self.read(cell) if cell else self.empty


def _person(name, read, **kwargs) -> Column:
    return Column(name, read, of_person=True, **kwargs)


def _values(choices) -> list[str]:
    return [value for value in choices.values if value]


PUBLISHED_CHOICES = ["yes", "no", "anonymous"]
VISIBILITY_OF = {
    "yes": Visibility.PUBLISHED,
    "no": Visibility.DRAFT,
    "anonymous": Visibility.ANONYMOUS,
}
PUBLISHED_OF = {visibility: word for word, visibility in VISIBILITY_OF.items()}

URL_LIST = {"read": read_urls, "write": write_list(" "), "empty": ()}
ID_LIST = {"read": read_ids(_max(Person, "person_id")), "write": write_list(";"), "empty": ()}

PRISONER_COLUMNS = [
    _person("person_id", read_id(_max(Person, "person_id")), required=True),
    _person("name", read_text(_max(Person, "name")), required=True),
    _person("name_be", read_text(_max(Person, "name_be"))),
    _person("name_ru", read_text(_max(Person, "name_ru"))),
    _person("aliases", read_names(ordered=True), write=write_list("; "), empty=()),
    _person("gender", read_choice(_values(Gender))),
    _person("born", read_date),
    _person("died_on", read_date),
    _person("region", read_text(_max(Person, "region"))),
    _person("occupation", read_text(_max(Person, "occupation"))),
    _person(
        "organizations", read_names(_max(Organization, "name")), write=write_list("; "), empty=()
    ),
    _person("recognized_on", read_date),
    _person("recognition_withdrawn_on", read_date),
    _person("bio", read_text(_max(Person, "bio"))),
    _person("bio_be", read_text(_max(Person, "bio_be"))),
    _person("bio_ru", read_text(_max(Person, "bio_ru"))),
    _person("internal_notes", read_text(_max(Person, "internal_notes"))),
    _person("published", read_choice(PUBLISHED_CHOICES)),
    _person("person_sources", **URL_LIST),
    # Letters (docs/interchange.md): whether they reach the person, when that
    # was checked, the addressee as the facility wants it (empty: the name in
    # Russian and the year of birth), and whether the curators withheld
    # where to write (private).
    _person("letters", read_choice(_values(Letters)), empty=Letters.UNKNOWN.value),
    _person("letters_checked_on", read_day, empty=None),
    _person("letters_addressee", read_text(_max(Person, "letters_addressee"))),
    _person("letters_withheld", read_yes_no, write=write_yes_no, empty=False),
    # One person, one record (docs/interchange.md): which recorded person a
    # row describes, who it is not, and the ids the person is also known by.
    _person("same_as", read_id(_max(Person, "person_id"))),
    _person("not_same_as", **ID_LIST),
    _person("other_ids", **ID_LIST),
    Column("detention_id", read_id(_max(Detention, "detention_id"))),
    Column(
        "other_detention_ids",
        read_ids(_max(Detention, "detention_id")),
        write=write_list(";"),
        empty=(),
    ),
    Column("detained_on", read_date),
    Column("charges", read_names(_max(Charge, "article")), write=write_list(";"), empty=()),
    Column("sentence_type", read_choice(_values(SentenceType))),
    Column("sentence_months", read_count("months"), empty=None),
    Column("sentenced_on", read_date),
    Column("expected_release_on", read_date),
    Column("facility", read_text(_max(Facility, "name"))),
    Column("released_on", read_date),
    Column("release_type", read_choice(_values(ReleaseType))),
    Column("release_event", read_id(_max(ReleaseEvent, "event_id"), event=True)),
    Column("released_to", read_text(_max(Release, "released_to"))),
    Column("sources", **URL_LIST),
]

# sentence_changes.csv: how a detention's sentence changed after the first
# verdict. A row is known by (detention_id, changed_on, kind); its term is
# the whole term from then on.
SENTENCE_CHANGE_COLUMNS = [
    Column("detention_id", read_id(_max(Detention, "detention_id")), required=True),
    Column("changed_on", read_date, required=True),
    Column("kind", read_choice(_values(SentenceChangeKind)), required=True),
    Column("sentence_type", read_choice(_values(SentenceType))),
    Column("sentence_months", read_count("months"), empty=None),
    Column("sources", **URL_LIST),
]

RELEASE_EVENT_COLUMNS = [
    Column("event_id", read_id(_max(ReleaseEvent, "event_id"), event=True), required=True),
    Column("date", read_date, required=True),
    Column("title", read_text(_max(ReleaseEvent, "title")), required=True),
    Column("title_be", read_text(_max(ReleaseEvent, "title_be"))),
    Column("title_ru", read_text(_max(ReleaseEvent, "title_ru"))),
    Column("announced_count", read_count("people"), empty=None),
    Column("negotiator", read_text(_max(ReleaseEvent, "negotiator"))),
    Column("sanctions", read_event_ids, write=write_list(";"), empty=()),
    Column("description", read_text(_max(ReleaseEvent, "description"))),
    Column("description_be", read_text(_max(ReleaseEvent, "description_be"))),
    Column("description_ru", read_text(_max(ReleaseEvent, "description_ru"))),
    Column("sources", **URL_LIST),
    Column("published", read_yes_no, write=write_yes_no, empty=None),
]

SANCTIONS_EVENT_COLUMNS = [
    Column("event_id", read_id(_max(SanctionsEvent, "event_id"), event=True), required=True),
    Column("date", read_date, required=True),
    Column("authority", read_text(_max(SanctionsEvent, "authority")), required=True),
    Column("action", read_choice(_values(SanctionsAction)), required=True),
    # Empty: the kind its action gave the events recorded before kinds.
    Column("kind", read_choice(_values(SanctionsKind))),
    # Targets by target_id, name or alias (a name not recorded yet makes a
    # new target); written back as target ids.
    Column(
        "target",
        read_names(_max(SanctionsTarget, "name")),
        write=write_list("; "),
        empty=(),
        required=True,
    ),
    Column("sector", read_text(_max(SanctionsEvent, "sector"))),
    Column("legal_reference", read_text(_max(SanctionsEvent, "legal_reference"))),
    Column("official_url", read_url),
    Column("effective_on", read_day),
    Column("expires_on", read_day),
    Column("description", read_text(_max(SanctionsEvent, "description"))),
    Column("description_be", read_text(_max(SanctionsEvent, "description_be"))),
    Column("description_ru", read_text(_max(SanctionsEvent, "description_ru"))),
    Column("sources", **URL_LIST),
    Column("published", read_yes_no, write=write_yes_no, empty=None),
]

SANCTIONS_TARGET_COLUMNS = [
    Column("target_id", read_id(_max(SanctionsTarget, "target_id")), required=True),
    Column("name", read_text(_max(SanctionsTarget, "name"))),
    Column("name_be", read_text(_max(SanctionsTarget, "name_be"))),
    Column("name_ru", read_text(_max(SanctionsTarget, "name_ru"))),
    Column("aliases", read_names(ordered=True), write=write_list("; "), empty=()),
    Column("kind", read_choice(_values(TargetKind))),
    Column("country", read_text(_max(SanctionsTarget, "country"))),
    Column("ofac_id", read_text(_max(SanctionsTarget, "ofac_id"))),
    Column("eu_id", read_text(_max(SanctionsTarget, "eu_id"))),
    Column("opensanctions_id", read_text(_max(SanctionsTarget, "opensanctions_id"))),
    Column("sources", **URL_LIST),
]

# names.csv: the Belarusian and Russian names of what records name (and a
# charge's title in English). Each name's limit is checked by its kind
# (interchange/names.py): an organization's name is shorter than a region's.
NAME_COLUMNS = [
    Column("kind", read_choice(_values(NameKind)), required=True),
    Column("name", read_text(_max(LocalName, "name")), required=True),
    Column("name_en", read_text(_max(Charge, "title"))),
    Column("name_be", read_text(_max(LocalName, "name_be"))),
    Column("name_ru", read_text(_max(LocalName, "name_ru"))),
]

# facilities.csv: the facility records (a facility's names in be/ru, once
# given in names.csv, are here now).
FACILITY_COLUMNS = [
    Column("facility_id", read_id(_max(Facility, "facility_id")), required=True),
    Column("name", read_text(_max(Facility, "name"))),
    Column("name_be", read_text(_max(Facility, "name_be"))),
    Column("name_ru", read_text(_max(Facility, "name_ru"))),
    Column("kind", read_choice(_values(FacilityKind))),
    Column("region", read_text(_max(Facility, "region"))),
    Column("address_be", read_text(_max(Facility, "address_be"))),
    Column("address_ru", read_text(_max(Facility, "address_ru"))),
    Column("address_checked_on", read_day),
    Column("sources", **URL_LIST),
]

# stays.csv: where a detention's person was held, one row a stay, in order.
STAY_COLUMNS = [
    Column("detention_id", read_id(_max(Detention, "detention_id")), required=True),
    Column("facility", read_text(_max(Facility, "name")), required=True),
    Column("from", read_date),
    Column("until", read_date),
    Column("sources", **URL_LIST),
]

PERSON_COLUMN_NAMES = [c.name for c in PRISONER_COLUMNS if c.of_person]
# Not fields of the person: the importer resolves and records them (identity.py).
IDENTITY_COLUMN_NAMES = ["same_as", "not_same_as", "other_ids"]
RELEASE_COLUMN_NAMES = ["released_on", "release_type", "release_event", "released_to"]


class Kind:
    """One of the files."""

    def __init__(self, name: str, filename: str, id_column: str, columns: list[Column]):
        self.name = name  # as in the summary: "prisoners", "release events"…
        self.filename = filename
        # The column that names a record, and so tells the kinds apart.
        self.id_column = id_column
        self.columns = columns
        self.by_name = {c.name: c for c in columns}
        self.names = [c.name for c in columns]

    def __repr__(self) -> str:
        return f"<Kind {self.filename}>"


PRISONERS = Kind("prisoners", "prisoners.csv", "person_id", PRISONER_COLUMNS)
RELEASE_EVENTS = Kind("release events", "release_events.csv", "event_id", RELEASE_EVENT_COLUMNS)
SANCTIONS_EVENTS = Kind(
    "sanctions events", "sanctions_events.csv", "event_id", SANCTIONS_EVENT_COLUMNS
)
SANCTIONS_TARGETS = Kind(
    "sanctions targets", "sanctions_targets.csv", "target_id", SANCTIONS_TARGET_COLUMNS
)
# Told apart from prisoners.csv (which has name, name_be, name_ru too) by kind.
NAMES = Kind("names", "names.csv", "kind", NAME_COLUMNS)
FACILITIES = Kind("facilities", "facilities.csv", "facility_id", FACILITY_COLUMNS)
# Told apart from prisoners.csv (which has detention_id too) by its few columns.
STAYS = Kind("stays", "stays.csv", "detention_id", STAY_COLUMNS)
# Told apart from prisoners.csv (which has detention_id too) by changed_on.
SENTENCE_CHANGES = Kind(
    "sentence changes", "sentence_changes.csv", "changed_on", SENTENCE_CHANGE_COLUMNS
)
KINDS = [
    PRISONERS,
    RELEASE_EVENTS,
    SANCTIONS_EVENTS,
    SANCTIONS_TARGETS,
    NAMES,
    FACILITIES,
    STAYS,
    SENTENCE_CHANGES,
]


def recognize(header: list[str]) -> Kind | None:
    """The kind whose id column the header has and that knows most of its
    columns; None when that is not one kind."""
    scores = sorted(
        ((len(set(header) & set(kind.names)), kind) for kind in KINDS if kind.id_column in header),
        key=lambda pair: -pair[0],
    )
    if not scores or (len(scores) > 1 and scores[0][0] == scores[1][0]):
        return None
    return scores[0][1]


def _text(value: str) -> str:
    return clean_text(value or "")


def _date(value: PartialDate | None) -> str:
    return str(value) if value else ""


def _day(value) -> str | None:
    return value.isoformat() if value else None


def public_letters(values: dict) -> dict:
    """The letters columns of a person's ``values`` as the public may read
    them (letters.public_letters)."""
    status, checked_on, addressee = letters.public_letters(
        values["letters"],
        values["letters_checked_on"],
        values["letters_addressee"],
        values["letters_withheld"],
    )
    return values | {
        "letters": str(status),
        "letters_checked_on": checked_on,
        "letters_addressee": addressee,
    }


def person_values(person: Person) -> dict:
    """The person columns of a stored person (m2m read through .all(), so a
    prefetch serves them)."""
    return {
        "person_id": person.person_id,
        "name": _text(person.name),
        "name_be": _text(person.name_be),
        "name_ru": _text(person.name_ru),
        "aliases": tuple(person.alias_list),
        "gender": person.gender,
        "born": _date(person.born),
        "died_on": _date(person.died_on),
        "region": _text(person.region),
        "occupation": _text(person.occupation),
        "organizations": tuple(sorted(o.name for o in person.organizations.all())),
        "recognized_on": _date(person.recognized_on),
        "recognition_withdrawn_on": _date(person.recognition_withdrawn_on),
        "bio": _text(person.bio),
        "bio_be": _text(person.bio_be),
        "bio_ru": _text(person.bio_ru),
        "internal_notes": _text(person.internal_notes),
        "published": PUBLISHED_OF[person.visibility],
        "person_sources": tuple(sorted(s.url for s in person.sources.all())),
        "letters": person.letters,
        "letters_checked_on": _day(person.letters_checked_on),
        "letters_addressee": _text(person.letters_addressee),
        "letters_withheld": person.letters_withheld,
        # A person's own row describes them: same_as is only ever read.
        "same_as": "",
        "not_same_as": not_same_as_ids(person),
        "other_ids": tuple(sorted(o.other_id for o in person.other_ids.all())),
    }


def not_same_as_ids(person: Person) -> tuple[str, ...]:
    """The person_ids of the people said not to be ``person``, sorted. The
    importer reads them for a whole chunk at once and leaves them on the
    person as ``not_same_as_cache``."""
    cached = getattr(person, "not_same_as_cache", None)
    if cached is not None:
        return cached
    pairs = NotSameAs.objects.filter(Q(person=person) | Q(other=person))
    ids = pairs.values_list("person__person_id", "other__person_id")
    return tuple(sorted(a if b == person.person_id else b for a, b in ids))


def detention_values(detention: Detention, public: bool = False) -> dict:
    """The detention columns of a stored detention and its release. Public:
    a release event that is not published is left out."""
    values = {
        "detention_id": detention.detention_id,
        "other_detention_ids": tuple(sorted(o.other_id for o in detention.other_ids.all())),
        "detained_on": _date(detention.detained_on),
        "charges": tuple(sorted(c.article for c in detention.charges.all())),
        "sentence_type": detention.sentence_type,
        "sentence_months": detention.sentence_months,
        "sentenced_on": _date(detention.sentenced_on),
        "expected_release_on": _date(detention.expected_release_on),
        "facility": detention.facility.name if detention.facility_id else "",
        "sources": tuple(sorted(s.url for s in detention.sources.all())),
        "released_on": "",
        "release_type": "",
        "release_event": "",
        "released_to": "",
    }
    release = getattr(detention, "release", None)
    if release is not None:
        event = release.release_event
        values.update(
            released_on=_date(release.released_on),
            release_type=release.release_type,
            release_event=event.event_id if event and (is_public(event) or not public) else "",
            released_to=_text(release.released_to),
        )
    return values


EMPTY_DETENTION = {c.name: c.empty for c in PRISONER_COLUMNS if not c.of_person}
