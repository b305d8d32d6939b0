"""CSV exports of the public lists, in the interchange format's public form,
streamed: memory stays flat whatever the size. The list's FilterSet decides
who is in, so the export always matches the page."""

from django.http import StreamingHttpResponse
from django.utils import timezone

from .. import as_of, privacy
from ..interchange.csv_files import csv_lines
from ..interchange.exporter import prisoner_rows, release_event_rows, sanctions_event_rows
from ..interchange.targets import target_rows
from ..models import Person, ReleaseEvent, SanctionsEvent
from . import errors, what_changed
from .citation import add_citation_headers
from .filters import (
    PersonFilter,
    ReleaseEventFilter,
    SanctionsEventFilter,
    SanctionsTargetFilter,
    ask_changes,
)


def _export(request, filterset_class, queryset, rows, name):
    filterset = filterset_class(request.GET, queryset=queryset)
    if not filterset.is_valid():
        return errors.text_400(filterset.form)
    return _csv(request, rows(filterset.qs, public=True), name)


def _csv(request, rows, name):
    response = StreamingHttpResponse(
        csv_lines(rows, public=True),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_citation_headers(request, response)
    return response


def prisoners_csv(request):
    filterset = PersonFilter(request.GET, queryset=privacy.people())
    if not filterset.is_valid():
        return errors.text_400(filterset.form)
    day = filterset.as_of_day()
    # With as_of, each person's values as the list showed them then.
    at = as_of.end_of(day) if day else None
    return _csv(request, prisoner_rows(filterset.qs, public=True, at=at), "prisoners")


def release_events_csv(request):
    return _export(
        request,
        ReleaseEventFilter,
        privacy.release_events(),
        release_event_rows,
        "release_events",
    )


def sanctions_events_csv(request):
    return _export(
        request,
        SanctionsEventFilter,
        privacy.sanctions_events(),
        sanctions_event_rows,
        "sanctions_events",
    )


# Every public CSV of records: its URL's name, the rows it writes and the
# records they come from. The data dictionary (/about/data/) lists the
# header each one writes, read from the writer itself.
EXPORTS = {
    "person-export": (prisoner_rows, Person),
    "release-export": (release_event_rows, ReleaseEvent),
    "sanctions-export": (sanctions_event_rows, SanctionsEvent),
}


def header(url_name: str) -> list[str]:
    """The columns the export ``url_name`` writes (no query: no records)."""
    rows, model = EXPORTS[url_name]
    return next(rows(model.objects.none(), public=True))


def changes_csv(request):
    """/changes/ as CSV: one row a named change, one a group's people not named."""
    asked = ask_changes(request.GET)
    if asked.changes is None:
        return errors.text_400(asked.errors)
    return _csv(request, what_changed.rows(asked.changes), "changes")


def sanctions_targets_csv(request):
    return _export(
        request,
        SanctionsTargetFilter,
        privacy.sanctions_targets().order_by("target_id"),
        target_rows,
        "sanctions_targets",
    )
