"""Name search by any spelling.

Every person keeps one normalized search text built from all their names. The
query goes through the same normalization, so "Бяляцкі", "БЯЛЯЦКІ" and
"Bialiatski" meet. Cyrillic is romanized as in Belarusian passports and the
press (the 2007 Belarusian national system without diacritics, close to
BGN/PCGN): Бяляцкі gives ``bialiatski``, Калеснікава ``kalesnikava``. Russian
letters that Belarusian lacks (и, щ, ъ) get their usual passport forms.
"""

import re
import unicodedata

CYRILLIC_TO_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "ё": "io",
    "ж": "zh",
    "з": "z",
    "і": "i",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "є": "ie",
    "ї": "i",
    "'": "",
    "’": "",
    "ʼ": "",
}
# Latin letters that Unicode does not decompose into a base letter and an accent.
LATIN_EXTRA = {"ł": "l", "ø": "o", "ß": "ss", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i"}

_TABLE = str.maketrans({**CYRILLIC_TO_LATIN, **LATIN_EXTRA})
_NOT_WORD = re.compile(r"[^\w]+|_")


def normalize(text: str) -> str:
    """Lower-case Latin words separated by single spaces, accents removed."""
    text = text.lower()
    # Й and Ё decompose under NFKD; romanize Cyrillic before stripping marks.
    text = unicodedata.normalize("NFC", text).translate(_TABLE)
    if not text.isascii():
        # Romanized names are mostly ASCII already, which has no marks to
        # strip: a large import normalizes every spelling of every person.
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.split(text)).strip()


def search_text(*names: str) -> str:
    """The normalized text stored on a person: every spelling, deduplicated."""
    words: list[str] = []
    for name in names:
        normalized = normalize(name or "")
        if normalized and normalized not in words:
            words.append(normalized)
    return " | ".join(words)


def query_terms(query: str) -> list[str]:
    """The words of a query, each of which must occur in the search text."""
    return normalize(query).split()
