"""Whether a cell's word is a URL, with the answers of Django's URLValidator,
for less.

Reading the sources of a 10,000-row file spent about half of its cells'
time in URLValidator (its host pattern spans all of Unicode, then
urlsplit). Most sources are plain: http(s), an ASCII host name, a path.
Those match ``_PLAIN``, which accepts only what URLValidator accepts (each
part is a narrower form of URLValidator's own; tests/test_import_urls.py
compares the two over tricky and random text); anything else is asked of
URLValidator itself.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_validator = URLValidator()
_LONGEST = URLValidator.max_length
# A label: 1 to 63 letters, digits or inner hyphens (URLValidator's
# hostname_re and domain_re, ASCII only); the top-level domain letters only
# (narrower than its tld_re). Then a path, query or fragment of printable
# ASCII (URLValidator takes any character but whitespace there).
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN = re.compile(
    r"(?:[Hh][Tt][Tt][Pp][Ss]?)://"
    r"(?P<host>(?:" + _LABEL + r"\.)+[A-Za-z]{2,63})"
    r"(?:[/?#][!-~]*)?"
)


def is_url(text: str) -> bool:
    """Whether Django's URLValidator accepts ``text``."""
    plain = _PLAIN.fullmatch(text)
    # URLValidator's limits: the whole URL, and a host name of 253.
    if plain and len(text) <= _LONGEST and len(plain["host"]) <= 253:
        return True
    try:
        _validator(text)
    except ValidationError:
        return False
    return True
