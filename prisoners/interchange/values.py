"""Values as curators write them, turned into the format's text after a
mapping: dates written ``14.07.2021``, ``07.2021`` or ``ліпень 2021``,
spreadsheet date cells and Excel's date serials, whole numbers that a
spreadsheet gives as ``36.0``, sentences written ``3 года 6 месяцев``,
charges written ``ч. 1 ст. 342 УК``.

Each conversion either gives the format's text or raises ValueError with a
message fit to show a curator: a value it cannot read is an error on its
row, never a guess.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ..messages import say
from .columns import KINDS, read_date

DMY, YMD = "DMY", "YMD"
DATE_ORDERS = (DMY, YMD)

DATE_COLUMNS = frozenset(c.name for kind in KINDS for c in kind.columns if c.read is read_date)
COUNT_COLUMNS = frozenset({"sentence_months", "announced_count"})

# Excel counts days from 1899-12-30 (after its 1900 leap-year bug). A whole
# number from 1800 to 2100 in a date column is a year typed as a number,
# not a day of 1904-1905.
EXCEL_EPOCH = date(1899, 12, 30)
YEARS = range(1800, 2101)
LAST_SERIAL = 2958465  # 9999-12-31

_MONTH_FORMS = [
    # en, ru (nominative, genitive, short), be (nominative, genitive, short)
    "january jan январь января янв студзень студзеня студз",
    "february feb февраль февраля фев февр люты лютага лют",
    "march mar март марта мар сакавік сакавіка сак",
    "april apr апрель апреля апр красавік красавіка крас",
    "may май мая травень траўня травеня трав",
    "june jun июнь июня июн чэрвень чэрвеня чэрв",
    "july jul июль июля июл ліпень ліпеня ліп",
    "august aug август августа авг жнівень жніўня жнiўня жнів",
    "september sep sept сентябрь сентября сен сент верасень верасня вер",
    "october oct октябрь октября окт кастрычнік кастрычніка кастр",
    "november nov ноябрь ноября ноя нояб лістапад лістапада ліст",
    "december dec декабрь декабря дек снежань снежня снеж",
]
MONTHS = {form: number for number, forms in enumerate(_MONTH_FORMS, 1) for form in forms.split()}

_NUMERIC_DATE = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})[./-](\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
# "14 июля 2021 г.", "ліпень 2021", "July 2021"
_NAMED_MONTH = re.compile(
    r"^(?:(\d{1,2})\s+)?([^\W\d_]+)\.?,?\s+(\d{4})(?:\s*(?:г|года?|год)\.?)?$"
)
_WHOLE = re.compile(r"^\d+(?:[.,]0+)?$")
_TERM = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(лет|год|года|гады|гадоў|years?|yrs?|г\.?|"
    r"месяц\w*|месяц|мес\.?|месяцаў|месяцы|months?|m\.?)(?=\s|,|$)",
    re.IGNORECASE,
)
# An article after ст./статья/арт./артыкул, with its part if written
# ("ст. 361-1", "арт. 130¹" is written 130-1 in the format).
_ARTICLE = re.compile(r"(?:ст|стат\w*|арт|артыкул\w*|art\w*)\.?\s*(\d+(?:-\d+)?)", re.IGNORECASE)
_ARTICLES_ONLY = re.compile(r"^\d+(?:-\d+)?(?:\s*[,;]\s*\d+(?:-\d+)?)*$")
GENDERS = {
    "male": "male m м муж муж. мужской мужчина мужчына мужчынскі мужскi мужскі",
    "female": "female f ж жен жен. женский женщина жанчына жаночы",
}
GENDER_OF = {word: value for value, words in GENDERS.items() for word in words.split()}


def text_of(cell) -> str:
    """A cell as text: numbers a spreadsheet stores as 36.0 as 36, date
    cells as the format writes dates."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    return str(cell)


def _day(year: int, month: int, day: int, text: str, order: str) -> str:
    if not 1 <= month <= 12:
        raise ValueError(
            say(
                "%(value)r: there is no month %(month)s; is the date order %(order)s right?",
                value=text,
                month=month,
                order=order,
            )
        )
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(say("%(value)r is not a real calendar date", value=text)) from None


def to_date(cell, order: str = DMY) -> str:
    """The format's partial date (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``)
    of a cell, reading day.month.year or year.month.day as ``order`` says."""
    if isinstance(cell, datetime | date):
        return text_of(cell)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial(cell)
    text = " ".join(str(cell).split()).strip()
    try:
        return read_date(text)  # already the format's
    except ValueError:
        pass
    if match := _NUMERIC_DATE.match(text):
        first, month, last = match.groups()
        if order == DMY:
            if len(last) != 4:
                raise ValueError(
                    say(
                        "%(value)r does not end in a four-digit year, as the date order DMY "
                        "(day.month.year) says: is the file's order YMD?",
                        value=text,
                    )
                )
            return _day(int(last), int(month), int(first), text, order)
        if len(first) != 4:
            raise ValueError(
                say(
                    "%(value)r does not start with a four-digit year, as the date order YMD "
                    "(year.month.day) says: is the file's order DMY?",
                    value=text,
                )
            )
        return _day(int(first), int(month), int(last), text, order)
    if match := _MONTH_YEAR.match(text) or _YEAR_MONTH.match(text):
        numbers = [int(n) for n in match.groups()]
        month, year = sorted(numbers)
        return _day(year, month, 1, text, order)[:7]
    if match := _NAMED_MONTH.match(text.casefold()):
        day, name, year = match.groups()
        month = MONTHS.get(name.rstrip("."))
        if month is None:
            raise ValueError(
                say(
                    "%(value)r is not a date: %(name)r is not a month's name",
                    value=text,
                    name=name,
                )
            )
        iso = _day(int(year), month, int(day or 1), text, order)
        return iso if day else iso[:7]
    raise ValueError(
        say("%(value)r is not a date: write it as DD.MM.YYYY, MM.YYYY or YYYY", value=text)
    )


def _serial(number: float) -> str:
    if float(number).is_integer() and int(number) in YEARS:
        return str(int(number))
    if 0 < number <= LAST_SERIAL:
        # A time of day after the point is dropped: the day is what we keep.
        return (EXCEL_EPOCH + timedelta(days=int(number))).isoformat()
    raise ValueError(say("%(value)r is not a date", value=text_of(number)))


def to_count(cell) -> str:
    """A whole number (36.0 is 36); a term as ``3 года 6 месяцев`` or
    ``2 years`` in months."""
    text = text_of(cell).strip()
    if _WHOLE.match(text):
        return str(int(float(text.replace(",", "."))))
    months, rest = 0.0, text
    for number, unit in _TERM.findall(text):
        value = float(number.replace(",", "."))
        is_month = unit.lower().startswith(("мес", "month", "m"))
        months += value if is_month else value * 12
        rest = rest.replace(number, "", 1).replace(unit, "", 1)
    if months and not rest.strip(" ,.и"):
        if not months.is_integer():
            raise ValueError(say("%(value)r is not a whole number of months", value=text))
        return str(int(months))
    raise ValueError(say("%(value)r is not a whole number", value=text))


def to_charges(cell) -> str:
    """Articles of the criminal code, ``;``-separated as the format writes
    them: ``ч. 1 ст. 342 УК`` gives 342."""
    text = text_of(cell).strip()
    found = _ARTICLE.findall(text)
    if found:
        return ";".join(dict.fromkeys(found))
    if _ARTICLES_ONLY.match(text):
        return ";".join(a.strip() for a in re.split(r"[,;]", text))
    raise ValueError(say("%(value)r names no article: write it as 'ст. 342' or 342", value=text))


def to_gender(cell) -> str:
    text = text_of(cell).strip()
    return GENDER_OF.get(text.casefold(), text)


def convert(column: str, cell, order: str = DMY) -> str:
    """A mapped cell as the format's text for ``column`` (empty stays empty)."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return ""
    if column in DATE_COLUMNS:
        return to_date(cell, order)
    if column in COUNT_COLUMNS:
        return to_count(cell)
    if column == "charges":
        return to_charges(cell)
    if column == "gender":
        return to_gender(cell)
    return text_of(cell)
