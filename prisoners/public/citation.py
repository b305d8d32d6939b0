"""How every public answer says when the data last changed and how to cite
it, and the one way absolute URLs are made: from ``SITE_URL``, never from
the request's Host header (a client chooses it, and the page cache would
hand what one client sent to every reader after them).

The data version a reader saw is the time public data last changed
(history.data_last_changed). A citation pins its day (``as_of``, the day
in the site's TIME_ZONE) on the answers that can show the list as it stood
on a day, so that the link shows later what the journalist saw."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import http_date

from .. import query_strings
from ..history import data_last_changed

SITE = "Political Prisoner Tracker"
AS_OF = "as_of"
# The answers that take ``as_of`` (the list as published at the end of a
# day): their citations pin the data version's day. Others (releases,
# sanctions, the timeline) are cited as they are: their past is not rebuilt.
AS_OF_ANSWERS = {
    "home",
    "person-list",
    "person-export",
    "person-feed",
    "person-detail",
    "api-prisoner-list",
    "api-prisoner-detail",
}


def absolute(path: str) -> str:
    """``path`` (from reverse() or get_absolute_url()) under ``SITE_URL``."""
    return settings.SITE_URL + path


def site_url(request) -> dict:
    """Context processor: ``SITE_URL`` for templates (the citation line)."""
    return {"SITE_URL": settings.SITE_URL}


def last_changed(request=None) -> datetime | None:
    """When public data last changed: one query a request, however many
    parts of the answer (headers, footer, chart) name it."""
    if request is None:
        return data_last_changed()
    if not hasattr(request, "_data_last_changed"):
        request._data_last_changed = data_last_changed()
    return request._data_last_changed


def version_day(changed: datetime | None) -> date | None:
    """The calendar day of a data version in the site's TIME_ZONE."""
    if changed is None:
        return None
    return timezone.localtime(changed, timezone.get_default_timezone()).date()


def _query(request) -> QueryDict:
    try:
        return request.GET
    except SuspiciousOperation:  # a query Django refused to read (the 400 page)
        return QueryDict()


def _asked_day(request) -> date | None:
    """The ``as_of`` day the request asked for, if it is a day."""
    try:
        return date.fromisoformat(_query(request).get(AS_OF, "").strip())
    except ValueError:
        return None


def takes_as_of(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name in AS_OF_ANSWERS


def cited_day(request, changed: datetime | None) -> date | None:
    """The day a citation of this answer names: the ``as_of`` asked for, or
    the data version's day."""
    return (_asked_day(request) if takes_as_of(request) else None) or version_day(changed)


def cite_url(request, changed: datetime | None = None) -> str:
    """The address to cite an answer by: its path, the filters in use and,
    where the answer takes it, ``as_of`` the data version's day (kept as
    asked when the reader already looks at a past day)."""
    path = query_strings.citable_path(request)
    day = version_day(changed)
    if day is not None and takes_as_of(request) and AS_OF not in _query(request):
        path += ("&" if "?" in path else "?") + f"{AS_OF}={day.isoformat()}"
    return absolute(path)


def citation(url: str, day: date | datetime | None) -> str:
    if isinstance(day, datetime):
        day = version_day(day)
    as_of = f", data as of {day.isoformat()}" if day else ""
    return f"{SITE}, {url}{as_of}"


def add_citation_headers(request, response, last_modified: bool = True) -> datetime | None:
    """X-Data-Last-Changed (the data version), a cite-as link, X-Cite-As and
    (unless ``last_modified`` is False) Last-Modified."""
    changed = last_changed(request)
    url = cite_url(request, changed)
    if changed:
        if last_modified:
            response["Last-Modified"] = http_date(changed.timestamp())
        response["X-Data-Last-Changed"] = changed.isoformat()
    response["Link"] = f'<{url}>; rel="cite-as"'
    # Header values must be ASCII; the URL is already percent-encoded.
    text = citation(url, cited_day(request, changed))
    response["X-Cite-As"] = text.encode("ascii", "replace").decode()
    return changed
