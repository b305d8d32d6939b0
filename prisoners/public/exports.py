"""CSV exports of the public lists, in the interchange format's public form,
streamed: memory stays flat whatever the size. The list's FilterSet decides
who is in, so the export always matches the page."""

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from ..interchange.exporter import (
    csv_lines,
    prisoner_rows,
    release_event_rows,
    sanctions_event_rows,
)
from ..models import Person, ReleaseEvent, SanctionsEvent
from .citation import add_citation_headers
from .filters import PersonFilter, ReleaseEventFilter, SanctionsEventFilter, error_lines


def _export(request, filterset_class, queryset, rows, name):
    filterset = filterset_class(request.GET, queryset=queryset)
    if not filterset.is_valid():
        text = "".join(f"{line}\n" for line in error_lines(filterset.form))
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        csv_lines(rows(filterset.qs, public=True)), content_type="text/csv; charset=utf-8"
    )
    filename = f"{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_citation_headers(request, response)
    return response


def prisoners_csv(request):
    return _export(request, PersonFilter, Person.objects.published(), prisoner_rows, "prisoners")


def release_events_csv(request):
    return _export(
        request,
        ReleaseEventFilter,
        ReleaseEvent.objects.published(),
        release_event_rows,
        "release_events",
    )


def sanctions_events_csv(request):
    return _export(
        request,
        SanctionsEventFilter,
        SanctionsEvent.objects.published(),
        sanctions_event_rows,
        "sanctions_events",
    )
