"""The query string of a link to a list, or of its citation: the filters in
use only. A GET form sends every field, empty or not
(``?q=&ordering=name&recognized=``); a link naming only what narrows the
list is shorter, and two links to the same list read the same."""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import QueryDict
from django.utils.encoding import escape_uri_path

# Values that change nothing when named: the order a list takes when none is
# given. (A link to page 1 keeps naming it: "previous" reads as a page.)
DEFAULTS = {"ordering": "name"}


def in_use(query: QueryDict, **changes: str | list[str] | None) -> str:
    """``?name=value&…`` of the non-empty values of ``query``, defaults
    left out ("" when nothing is left). Each of ``changes`` replaces a
    parameter's values (a list for several; None removes it)."""
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        if name not in changes:
            kept.setlist(name, values)
    for name, value in changes.items():
        if value is not None:
            kept.setlist(name, value if isinstance(value, list) else [value])
    for name in list(kept):
        values = [str(v) for v in kept.getlist(name) if str(v).strip()]
        values = [v for v in values if v != DEFAULTS.get(name)]
        if values:
            kept.setlist(name, values)
        else:
            del kept[name]
    encoded = kept.urlencode()
    return f"?{encoded}" if encoded else ""


def values_in_use(query: QueryDict, names) -> int:
    """How many values of the parameters ``names`` narrow the list
    (``?region=a&region=b&q=`` has two)."""
    return sum(
        1
        for name in names
        for value in query.getlist(name)
        if value.strip() and value != DEFAULTS.get(name)
    )


def citable_path(request) -> str:
    """The path and filters in use of a request: what a citation names
    (the path escaped as ``get_full_path()`` escapes it). A query Django
    refused to read (too many fields: the 400 page itself) names none."""
    try:
        query = request.GET
    except SuspiciousOperation:
        query = QueryDict()
    return escape_uri_path(request.path) + in_use(query)
