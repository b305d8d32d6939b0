"""A column mapping: which of our columns each of a file's own columns is.

Its file form, taken by ``import_records --mapping`` and downloaded from
the admin: ``{"columns": {"their header": "our column", "another": null},
"dates": "DMY"}`` (null: ignore the column; dates "DMY" or "YMD"). Every
column of a file must be mapped, to a column or to null: ignoring is a
choice, never a default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..messages import Message, say
from .columns import KINDS, PRISONERS, Kind, recognize
from .values import DATE_ORDERS, DMY, YMD


def header_key(header: str) -> str:
    """A header as mappings match it: case, spaces, ``ё`` and a trailing
    ``:`` or ``*`` do not count."""
    text = " ".join(str(header).split()).casefold().replace("ё", "е")
    return text.rstrip(":* ").strip()


def headers_key(headers: list[str]) -> str:
    """The set of a file's headers, as a saved mapping is found again."""
    return "\n".join(sorted({header_key(h) for h in headers if header_key(h)}))


# The headers curators commonly use, in be, ru and en, for each column of
# prisoners.csv (compared by header_key), separated by "; ".
PROPOSALS = {
    "person_id": "id; person id; ідэнтыфікатар; идентификатор",
    "name": (
        "фио; ф.и.о.; фамилия имя отчество; фамилия, имя; фамилия, имя, отчество; "
        "прозвішча, імя; прозвішча імя; прозвішча, імя, імя па бацьку; піб; name; full name"
    ),
    "name_be": "имя по-белорусски; імя па-беларуску; name (be)",
    "name_ru": "имя по-русски; імя па-руску; name (ru)",
    "gender": "пол; пол (м/ж); gender; sex",
    "born": "дата рождения; дата нараджэння; год рождения; год нараджэння; born; date of birth",
    "region": "регион; рэгіён; область; вобласць; region",
    "occupation": "профессия; род занятий; прафесія; род заняткаў; occupation",
    "organizations": "организация; организации; арганізацыя; арганізацыі; organizations",
    "recognized_on": (
        "дата признания; дата признания политзаключенным; дата прызнання; recognized on"
    ),
    "bio": "биография; біяграфія; bio; biography",
    "internal_notes": "примечание; примечания; заўвага; заўвагі; notes",
    "detained_on": (
        "дата задержания; дата ареста; дата затрымання; дата арышту; detained; detained on; "
        "date of detention; arrested"
    ),
    "charges": "статья; статьи; артыкул; артыкулы; статья ук; артыкул кк; charges; article",
    "sentence_months": (
        "приговор; срок; приговор (месяцев); прысуд; тэрмін; sentence; sentence months"
    ),
    "sentence_type": "вид наказания; тип приговора; від пакарання; sentence type",
    "sentenced_on": "дата приговора; дата прысуду; sentenced on",
    "facility": (
        "колония; место содержания; учреждение; калонія; месца ўтрымання; установа; "
        "facility; prison"
    ),
    "released_on": "дата освобождения; дата вызвалення; released on; release date",
    "sources": "источник; источники; крыніца; крыніцы; sources; source",
}
PROPOSED = {
    header_key(header): column
    for column, headers in PROPOSALS.items()
    for header in headers.split("; ")
}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


class MappingError(ValueError):
    """A mapping file that is not of the mapping's form."""


@dataclass
class Mapping:
    # The file's header (as written) → our column, or None to ignore it.
    columns: dict[str, str | None] = field(default_factory=dict)
    dates: str = DMY

    @classmethod
    def from_dict(cls, data) -> Mapping:
        """From the file form; MappingError says what is wrong with it."""
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            raise MappingError(
                say(
                    'a mapping is {"columns": {"their header": "our column" or null, …}, '
                    '"dates": "DMY" or "YMD"}'
                )
            )
        unknown = set(data) - {"columns", "dates"}
        if unknown:
            raise MappingError(
                say("unknown key %(key)r: a mapping has columns, dates", key=sorted(unknown)[0])
            )
        dates = data.get("dates", DMY)
        if dates not in DATE_ORDERS:
            raise MappingError(say("dates is %(dates)r: use DMY or YMD", dates=str(dates)))
        known = {c.name for kind in KINDS for c in kind.columns}
        for header, column in data["columns"].items():
            if column is not None and column not in known:
                raise MappingError(
                    say(
                        "%(header)r is mapped to %(column)r, which is not a column of the format",
                        header=header,
                        column=str(column),
                    )
                )
        return cls(dict(data["columns"]), dates)

    @classmethod
    def coerce(cls, value: Mapping | dict | None) -> Mapping | None:
        return cls.from_dict(value) if isinstance(value, dict) else value

    def as_dict(self) -> dict:
        return {"columns": dict(self.columns), "dates": self.dates}

    def column_of(self, header: str) -> tuple[bool, str | None]:
        """Whether ``header`` is mapped, and to which column (None: ignored)."""
        by_key = {header_key(h): c for h, c in self.columns.items()}
        key = header_key(header)
        return key in by_key, by_key.get(key)

    def apply(self, headers: list[str]) -> tuple[Kind | None, list[str | None], list]:
        """The kind of file and our column for each of ``headers``, with
        ``(header, message)`` for each thing wrong (then kind is None)."""
        errors: list[tuple[str, Message]] = []
        columns: list[str | None] = []
        given: dict[str, str] = {}
        for header in headers:
            mapped, column = self.column_of(header)
            if not header_key(header):
                errors.append(("-", say("a column has no name in the header")))
            elif not mapped:
                errors.append(
                    (
                        header,
                        say(
                            "the mapping does not say what this column is: map it to one of "
                            "the format's columns, or to null to ignore it"
                        ),
                    )
                )
            elif column and column in given:
                errors.append(
                    (
                        header,
                        say(
                            "is mapped to %(column)s, as %(other)r is: map only one column to it",
                            column=column,
                            other=given[column],
                        ),
                    )
                )
                column = None
            elif column:
                given[column] = header
            columns.append(column)
        kind = recognize(list(given)) if given else None
        if kind is None:
            errors.append(
                ("-", say("the mapping gives no %(column)s column", column=PRISONERS.id_column))
            )
        else:
            for column in kind.columns:
                if column.required and column.name not in given:
                    errors.append(
                        ("-", say("the mapping gives no %(column)s column", column=column.name))
                    )
            for column in given:
                if column not in kind.by_name:
                    errors.append(
                        (
                            given[column],
                            say(
                                "%(column)s is not a column of %(file)s",
                                column=column,
                                file=kind.filename,
                            ),
                        )
                    )
        return (None if errors else kind), columns, errors


def propose(headers: list[str], saved: Mapping | None = None) -> Mapping:
    """A mapping for ``headers``: the saved one where it says, else the
    columns curators' headers commonly mean (each column once), else
    nothing (the curator chooses). Day.month.year for be/ru headers."""
    columns: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        mapped, column = saved.column_of(header) if saved else (False, None)
        if not mapped:
            key = header_key(header)
            column = key if key in PRISONERS.by_name else PROPOSED.get(key)
            if not column or column in taken:
                continue  # left for the curator to choose
        columns[header] = column
        taken.add(column)
    cyrillic = any(_CYRILLIC.search(str(h)) for h in headers)
    dates = saved.dates if saved else (DMY if cyrillic else YMD)
    return Mapping(columns, dates)
