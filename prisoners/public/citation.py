"""How every public answer says when the data last changed and how to cite it."""

from __future__ import annotations

from datetime import datetime

from django.utils.http import http_date

from .. import query_strings
from ..history import data_last_changed

SITE = "Political Prisoner Tracker"


def citation(url: str, changed: datetime | None) -> str:
    as_of = f", data as of {changed.date().isoformat()}" if changed else ""
    return f"{SITE}, {url}{as_of}"


def cite_url(request) -> str:
    """The address to cite an answer by: its path and the filters in use."""
    return request.build_absolute_uri(query_strings.citable_path(request))


def add_citation_headers(request, response) -> datetime | None:
    """Last-Modified, X-Data-Last-Changed, a cite-as link and X-Cite-As."""
    changed = data_last_changed()
    url = cite_url(request)
    if changed:
        response["Last-Modified"] = http_date(changed.timestamp())
        response["X-Data-Last-Changed"] = changed.isoformat()
    response["Link"] = f'<{url}>; rel="cite-as"'
    # Header values must be ASCII; the URL is already percent-encoded.
    response["X-Cite-As"] = citation(url, changed).encode("ascii", "replace").decode()
    return changed
