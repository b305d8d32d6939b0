"""The read-only JSON API: the same FilterSets as the HTML pages, published
records only, and the series behind the timeline chart."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from ..choices import Visibility
from ..models import Detention, Organization, Person, Release, ReleaseEvent, SanctionsEvent
from ..public.citation import add_citation_headers, citation
from ..public.filters import PersonFilter, ReleaseEventFilter, SanctionsEventFilter
from ..stats import figures
from ..stats.series import held_points, release_points
from . import serializers as shapes


class PublicThrottle(AnonRateThrottle):
    """Anonymous clients at API_THROTTLE_RATE; ``off`` lifts it."""

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        return super().allow_request(request, view)


class PublicAPIMixin:
    """Every answer says when the data last changed and how to cite it, and
    may be read from another origin."""

    throttle_classes = [PublicThrottle]

    def handle_exception(self, exc):
        if isinstance(exc, CsvError):
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        changed = add_citation_headers(request, response)
        response["Access-Control-Allow-Origin"] = "*"
        if response.status_code < 300 and isinstance(getattr(response, "data", None), dict):
            response.data["data_last_changed"] = changed.isoformat() if changed else None
            response.data["cite_as"] = citation(request.build_absolute_uri(), changed)
        return response


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


DATE_EXAMPLES = [
    OpenApiExample(
        "Released in December 2025",
        value="?released_after=2025-12-01&released_before=2025-12-31",
    ),
    OpenApiExample("Held on 1 January 2024", value="?held_on=2024-01-01"),
    OpenApiExample(
        "Pardoned after 1 December 2025 (the same release)",
        value="?release_type=pardon&released_after=2025-12-01",
    ),
]


@extend_schema(
    description=(
        "Published people with their detentions and releases. Dates are inclusive, "
        "YYYY-MM-DD; a date known only to the month or year counts as its first day. "
        "Choice filters may repeat (region=a&region=b means either). Examples: "
        "`/api/prisoners/?released_after=2025-12-01&released_before=2025-12-31`, "
        "`/api/prisoners/?held_on=2024-01-01&status=in_custody`."
    ),
    examples=DATE_EXAMPLES,
)
class PrisonerViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = shapes.PersonSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilter
    pagination_class = Pagination
    lookup_field = "person_id"

    def get_queryset(self):
        detentions = Detention.objects.select_related(
            "facility", "release__release_event"
        ).prefetch_related("charges", "sources")
        return Person.objects.published().prefetch_related(
            Prefetch("detentions", queryset=detentions), "organizations", "sources"
        )


def _name_people(events) -> None:
    """Set ``named_person_ids`` on each of ``events``: the person_ids of its
    published people, by name. One query of pairs: an event may name
    thousands, and a Release, Detention and Person for each took a second
    a page at 100,000 people."""
    named = defaultdict(list)
    pairs = (
        Release.objects.filter(
            release_event__in=[event.pk for event in events],
            detention__person__visibility=Visibility.PUBLISHED,
        )
        .order_by("detention__person__name", "detention__person__person_id")
        .values_list("release_event_id", "detention__person__person_id")
    )
    for event_pk, person_id in pairs:
        named[event_pk].append(person_id)
    for event in events:
        event.named_person_ids = named[event.pk]


@extend_schema(
    description=(
        "Published group releases, newest first, with announced against recorded counts. "
        "Example: `/api/release-events/?date_after=2025-01-01&date_before=2025-12-31`."
    )
)
class ReleaseEventViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = shapes.ReleaseEventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReleaseEventFilter
    pagination_class = Pagination
    lookup_field = "event_id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema is drawn without a database: no figures to check.
            return ReleaseEvent.objects.none()
        return (
            figures.with_event_counts(ReleaseEvent.objects.published())
            .prefetch_related(
                "sources",
                Prefetch(
                    "sanctions",
                    queryset=SanctionsEvent.objects.published(),
                    to_attr="public_sanctions",
                ),
            )
            .order_by("-date_first", "event_id")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _name_people(page)
        return page

    def get_object(self):
        event = super().get_object()
        _name_people([event])
        return event


@extend_schema(
    description=(
        "Published sanctions events, newest first. Example: "
        "`/api/sanctions-events/?authority=US&action=lifted&date_after=2025-01-01`."
    )
)
class SanctionsEventViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = shapes.SanctionsEventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SanctionsEventFilter
    pagination_class = Pagination
    lookup_field = "event_id"

    def get_queryset(self):
        return (
            SanctionsEvent.objects.published()
            .prefetch_related(
                "sources",
                Prefetch(
                    "release_events",
                    queryset=ReleaseEvent.objects.published(),
                    to_attr="public_release_events",
                ),
            )
            .order_by("-date_first", "event_id")
        )


@extend_schema(description="Organizations of published people, with how many they are.")
class OrganizationViewSet(PublicAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = shapes.OrganizationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        published = Q(people__visibility=Visibility.PUBLISHED)
        return (
            Organization.objects.annotate(people_count=Count("people", filter=published))
            .filter(people_count__gt=0)
            .order_by("name")
        )


# Far enough for any record; month arithmetic near date.max would overflow.
EARLIEST, LATEST = date(1900, 1, 1), date(2199, 12, 31)


class RangeSerializer(serializers.Serializer):
    """from/to (inclusive, YYYY-MM-DD) and the interval of a series."""

    # "from" is a Python keyword: the field is declared below under its name.
    to = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
    interval = serializers.ChoiceField(choices=["day", "month"], required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
        fields["interval"] = serializers.ChoiceField(
            choices=self.context["intervals"], required=False
        )
        return fields

    def validate(self, data):
        today = timezone.localdate()
        end = data.get("to") or today
        start = data.get("from") or date(max(end.year - 1, 1), end.month, 1)
        for name in ("from", "to"):
            if data.get(name) and not EARLIEST <= data[name] <= LATEST:
                raise serializers.ValidationError(
                    {name: [f"Give a date between {EARLIEST} and {LATEST}."]}
                )
        if start > end:
            raise serializers.ValidationError({"from": ["from must not be after to."]})
        if (end - start).days > 366 * 30:
            raise serializers.ValidationError({"from": ["A range is at most 30 years."]})
        return {
            "from": start,
            "to": end,
            "interval": data.get("interval") or self.context["default"],
        }


class CsvError(Exception):
    """An invalid parameter of a CSV answer: ``param: message`` lines."""


def _range(request, intervals, default, as_csv=False):
    form = RangeSerializer(
        data={
            k: request.query_params.get(k)
            for k in ("from", "to", "interval")
            if request.query_params.get(k)
        },
        context={"intervals": intervals, "default": default},
    )
    if not form.is_valid():
        if as_csv:
            raise CsvError(error_text(form.errors))
        raise serializers.ValidationError(form.errors)
    return form.validated_data


def error_text(errors: dict) -> str:
    return "".join(
        f"{name}: {message}\n" for name, messages in errors.items() for message in messages
    )


RANGE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: a year ago)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)."),
]


class HeldStatsView(PublicAPIMixin, APIView):
    """Recognized political prisoners held, per day or per month (the figure of
    the month's last day, or of ``to`` for the last month)."""

    @extend_schema(
        parameters=[
            *RANGE_PARAMETERS,
            OpenApiParameter("interval", str, enum=["day", "month"], description="Default day."),
        ],
        responses=shapes.HeldPointSerializer(many=True),
        examples=[
            OpenApiExample("2024 by month", value="?from=2024-01-01&to=2024-12-31&interval=month")
        ],
    )
    def get(self, request, as_csv=False):
        period = _range(request, ["day", "month"], "day", as_csv)
        points = held_points(period["from"], period["to"], period["interval"])
        if as_csv:
            return csv_response("held.csv", ["date", "held"], points)
        return Response(
            {
                "interval": period["interval"],
                "results": [dict(zip(("date", "held"), p, strict=True)) for p in points],
            }
        )


class ReleaseStatsView(PublicAPIMixin, APIView):
    """Releases per month or per year, anonymous people included."""

    @extend_schema(
        parameters=[
            *RANGE_PARAMETERS,
            OpenApiParameter("interval", str, enum=["month", "year"], description="Default month."),
        ],
        responses=shapes.ReleasesPointSerializer(many=True),
    )
    def get(self, request, as_csv=False):
        period = _range(request, ["month", "year"], "month", as_csv)
        points = release_points(period["from"], period["to"], period["interval"])
        if as_csv:
            return csv_response("releases.csv", ["period", "releases"], points)
        return Response(
            {
                "interval": period["interval"],
                "results": [dict(zip(("period", "releases"), p, strict=True)) for p in points],
            }
        )


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([str(cell) for cell in row] for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
