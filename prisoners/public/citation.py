"""How every public answer says when the data last changed and how to cite
it, and the one way absolute URLs are made: from ``SITE_URL``, never from
the request's Host header (a client chooses it, and the page cache would
hand what one client sent to every reader after them)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.http import http_date

from .. import query_strings
from ..history import data_last_changed

SITE = "Political Prisoner Tracker"


def absolute(path: str) -> str:
    """``path`` (from reverse() or get_absolute_url()) under ``SITE_URL``."""
    return settings.SITE_URL + path


def site_url(request) -> dict:
    """Context processor: ``SITE_URL`` for templates (the citation line)."""
    return {"SITE_URL": settings.SITE_URL}


def citation(url: str, changed: datetime | None) -> str:
    as_of = f", data as of {changed.date().isoformat()}" if changed else ""
    return f"{SITE}, {url}{as_of}"


def cite_url(request) -> str:
    """The address to cite an answer by: its path and the filters in use."""
    return absolute(query_strings.citable_path(request))


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
