"""Data in the reader's language: the one rule that picks a record's text
in the page's language (``in_language``), the Belarusian and Russian names of
values the records write as text (``LocalNames``), and the order of names as
a reader of each language expects them (``collation_key``)."""

from __future__ import annotations

import unicodedata

from django.utils import translation
from django.utils.html import format_html

# The languages a curator may give a record's text in, beside English.
LOCAL_LANGUAGES = ("be", "ru")


def active_local_language(language: str | None = None) -> str | None:
    """``be`` or ``ru`` when the page is in that language, else None."""
    language = (language or translation.get_language() or "").split("-")[0]
    return language if language in LOCAL_LANGUAGES else None


def in_language(record, field: str, language: str | None = None) -> str:
    """``record.<field>_be`` on a Belarusian page (``_ru`` on a Russian one)
    when a curator gave it, else ``record.<field>``, the English text (or
    the value as recorded)."""
    local = active_local_language(language)
    if local:
        text = getattr(record, f"{field}_{local}", "") or ""
        if text.strip():
            return text
    return getattr(record, field) or ""


# The spelling of a person's name in each language's script, when recorded.
NAME_FIELDS = {"be": "name_be", "ru": "name_ru"}


def local_person_name(person) -> str:
    """The person's name in the active language's script, or "" if the
    record has none (or the language writes names in Latin)."""
    field = NAME_FIELDS.get(translation.get_language() or "")
    return (getattr(person, field, "") or "").strip() if field else ""


def html_name(person) -> str:
    """The name as HTML, in the page's script with the Latin form beside it."""
    local = local_person_name(person)
    if not local or local == person.name:
        return format_html("{}", person.name)
    language = translation.get_language()
    return format_html(
        '<span lang="{}">{}</span> <span class="latin" lang="{}-Latn">({})</span>',
        language,
        local,
        language,
        person.name,
    )


def display_name(person) -> str:
    """Plain text (a <title>, a feed's entry): "Алесь Бяляцкі (Ales
    Bialiatski)" on a Belarusian page, "Ales Bialiatski" where there is no
    such spelling."""
    local = local_person_name(person)
    if local and local != person.name:
        return f"{local} ({person.name})"
    return person.name


def shown_status(person) -> str:
    """The person's status in the form that agrees with their recorded
    gender ("памерлая", "памерлы"), the status's own label otherwise."""
    return status_label(person.status, person.gender)


def status_label(status: str, gender: str) -> str:
    """shown_status() of a status and gender read as columns."""
    from .choices import GENDERED_STATUS
    from .models import Person

    gendered = GENDERED_STATUS.get((status, gender))
    return str(gendered) if gendered else str(Person.label_of("status", status))


class LocalNames:
    """The Belarusian and Russian names of the values records write as text
    (regions, countries, authorities): read once, then looked up."""

    def __init__(self) -> None:
        # Read on the first be/ru lookup: an English page asks nothing.
        self._rows: dict | None = None

    def shown(self, kind: str, value: str, language: str | None = None) -> str:
        """``value`` as the page's language writes it, or as recorded."""
        if not value or not active_local_language(language):
            return value
        if self._rows is None:
            from .models import LocalName

            self._rows = {(row.kind, row.name): row for row in LocalName.objects.all()}
        row = self._rows.get((kind, value))
        return in_language(row, "name", language) if row else value


def shown_names(kind: str, values, language: str | None = None) -> dict[str, str]:
    """Each of ``values`` (as recorded) of a kind of name (choices.NameKind)
    as the page's language writes it: one query."""
    from .choices import FREE_TEXT_KINDS, NameKind
    from .models import Facility, Organization

    values = list(values)
    if not active_local_language(language):
        return {value: value for value in values}
    if kind in FREE_TEXT_KINDS:
        names = LocalNames()
        return {value: names.shown(kind, value, language) for value in values}
    model = {NameKind.ORGANIZATION.value: Organization, NameKind.FACILITY.value: Facility}.get(kind)
    shown = {value: value for value in values}
    if model is not None and values and active_local_language(language):
        for record in model.objects.filter(name__in=values):
            shown[record.name] = in_language(record, "name", language)
    return shown


# Each language's alphabet in its order: the code points put і and ў (and ё)
# after я, where neither a Belarusian nor a Russian reader looks for them.
ALPHABETS = {
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
}


def collation_key(text: str, language: str | None = None) -> tuple:
    """A sort key for ``text`` in the page's language: case and accents
    ignored; on a Belarusian or Russian page its alphabet's order, Cyrillic
    before Latin (as CLDR's collations for be and ru order scripts); digits
    and signs first. The same in Python whatever the database, so SQLite and
    PostgreSQL sort alike."""
    alphabet = ALPHABETS.get(active_local_language(language) or "", "")
    key = []
    for char in unicodedata.normalize("NFC", str(text).casefold()):
        if char in alphabet:
            key.append((2, alphabet.index(char)))
            continue
        base = unicodedata.normalize("NFD", char)[0]
        if base.isalpha():
            key.append((3 if alphabet else 2, ord(base)))
        elif char.isspace():
            key.append((0, 0))
        else:
            key.append((1, ord(char)))
    return tuple(key)
