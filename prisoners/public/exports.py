"""CSV exports of the public lists, in the interchange format's public form,
streamed: memory stays flat whatever the size. The list's FilterSet decides
who is in, so the export always matches the page."""

from django.http import StreamingHttpResponse
from django.utils import timezone

from .. import privacy
from ..interchange.csv_files import csv_lines
from ..interchange.exporter import prisoner_rows, release_event_rows, sanctions_event_rows
from ..interchange.targets import target_rows
from . import errors
from .citation import add_citation_headers
from .filters import PersonFilter, ReleaseEventFilter, SanctionsEventFilter, SanctionsTargetFilter


def _export(request, filterset_class, queryset, rows, name):
    filterset = filterset_class(request.GET, queryset=queryset)
    if not filterset.is_valid():
        return errors.text_400(filterset.form)
    response = StreamingHttpResponse(
        csv_lines(rows(filterset.qs, public=True), public=True),
        content_type="text/csv; charset=utf-8",
    )
    filename = f"{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_citation_headers(request, response)
    return response


def prisoners_csv(request):
    return _export(request, PersonFilter, privacy.people(), prisoner_rows, "prisoners")


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


def sanctions_targets_csv(request):
    return _export(
        request,
        SanctionsTargetFilter,
        privacy.sanctions_targets().order_by("target_id"),
        target_rows,
        "sanctions_targets",
    )
