"""The read-only JSON API: the same FilterSets as the HTML pages, published
records only, and the series behind the timeline chart."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from tracker.client_ip import client_ip

from .. import as_of, privacy
from ..interchange.csv_files import csv_text
from ..models import Facility, ReleaseEvent
from ..public import errors
from ..public.citation import absolute, add_citation_headers, citation, cite_url, cited_day
from ..public.filters import (
    FacilityFilter,
    PersonFilter,
    ReleaseEventFilter,
    SanctionsEventFilter,
    SanctionsTargetFilter,
    ask_changes,
)
from ..querysets import with_sources, with_sources_of_people
from ..stats.ranges import RangeError, date_range
from ..stats.series import HELD_COLUMNS, RELEASE_COLUMNS, Interval, held_points, release_points
from . import queries
from . import serializers as shapes
from .contract import ContractSchema


class PublicThrottle(AnonRateThrottle):
    """Anonymous clients at API_THROTTLE_RATE; ``off`` lifts it. A client is
    its address as the login lockouts see it (tracker/client_ip.py): DRF's
    own reading believes any X-Forwarded-For, which a client rotates at will."""

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_ident(self, request):
        return client_ip(request) or ""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        return super().allow_request(request, view)


class PublicAPIMixin:
    """Every answer says when the data last changed and how to cite it, and
    may be read from another origin."""

    throttle_classes = [PublicThrottle]
    # The schema names every answer: citation fields, 400, 404, 429, 503.
    schema = ContractSchema()

    def handle_exception(self, exc):
        # A CSV answer gives its invalid parameters as text, not JSON.
        if isinstance(exc, serializers.ValidationError) and self.kwargs.get("as_csv"):
            return errors.text_400(exc.detail)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        changed = add_citation_headers(request, response)
        response["Access-Control-Allow-Origin"] = "*"
        if response.status_code < 300 and isinstance(getattr(response, "data", None), dict):
            response.data["data_last_changed"] = changed.isoformat() if changed else None
            response.data["cite_as"] = citation(
                cite_url(request, changed), cited_day(request, changed)
            )
        return response


class Pagination(PageNumberPagination):
    """Pages whose next and previous links start with SITE_URL: DRF makes
    them from the request's Host header."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_next_link(self):
        return self._from_site_url(super().get_next_link())

    def get_previous_link(self):
        return self._from_site_url(super().get_previous_link())

    def _from_site_url(self, link: str | None) -> str | None:
        if link is None:
            return None
        parts = urlsplit(link)
        return absolute(urlunsplit(("", "", parts.path, parts.query, "")))


class PeoplePagination(Pagination):
    """Pages of people, with ``not_named_count`` beside ``count``: people
    counted in the figures but never named who match the filters (null
    when the filters are not ones they may be asked, PersonFilter.not_named_count)."""

    not_named_count: int | None = None

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        count = response.data.pop("count")
        response.data = {"count": count, "not_named_count": self.not_named_count, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["properties"] = {
            "count": answer["properties"].pop("count"),
            "not_named_count": {
                "type": "integer",
                "nullable": True,
                "example": 1,
                "description": shapes.NOT_NAMED_COUNT_HELP,
            },
            **answer["properties"],
        }
        return answer


@extend_schema(
    description=(
        "Published people with their detentions and releases. Dates are inclusive, "
        "YYYY-MM-DD; a date known only to the month or year counts as its first day. "
        "Choice filters may repeat (region=a&region=b means either). Examples: "
        "`/api/prisoners/?released_after=2025-12-01&released_before=2025-12-31`, "
        "`/api/prisoners/?held_on=2024-01-01&status=in_custody`, "
        "`/api/prisoners/?release_type=pardon&released_after=2025-12-01` (pardoned "
        "after 1 December 2025, in the same release)."
    ),
)
class PrisonerViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = shapes.PersonSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilter
    pagination_class = PeoplePagination
    lookup_field = "person_id"

    def get_queryset(self):
        return queries.people()

    def get_object(self):
        return with_sources_of_people([super().get_object()])[0]

    @extend_schema(
        responses={
            200: shapes.PersonSerializer,
            301: OpenApiResponse(
                description="A former or other id of a published person: `Location` "
                "is the kept person's detail."
            ),
        }
    )
    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            # A former or other id: the kept person's detail.
            kept = privacy.person_under_other_id(kwargs["person_id"])
            if kept is None:
                raise
        url = reverse("api-prisoner-detail", args=[kept.person_id])
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    def paginate_queryset(self, queryset):
        # The filters were checked by the backend: an invalid one answered 400.
        filters = PersonFilter(self.request.query_params, queryset=queryset, request=self.request)
        self.paginator.not_named_count = filters.not_named_count()
        page = super().paginate_queryset(queryset)
        day = filters.as_of_day()
        if page is None:
            return page
        if day is None:
            return with_sources_of_people(page)
        # With as_of, each person as the list showed them then (as_of.py):
        # their detentions' sources read with them, their own today's.
        with_sources(page)
        return as_of.as_it_stood(page, day, detail=True)


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
        return queries.release_events()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        queries.name_people(page)
        return page

    def get_object(self):
        event = super().get_object()
        queries.name_people([event])
        return event


@extend_schema(
    description=(
        "Published sanctions events, newest first. Example: "
        "`/api/sanctions-events/?authority=US&kind=general_licence&in_force_on=2025-12-13`. "
        "`in_force_on`: the acts in force on that day (a designation from the day it takes "
        "effect until a later delisting of the same target by the same authority; a licence "
        "or measure until it expires); `target`: a target's id (`/api/sanctions-targets/`)."
    )
)
class SanctionsEventViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = shapes.SanctionsEventSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SanctionsEventFilter
    pagination_class = Pagination
    lookup_field = "event_id"

    def get_queryset(self):
        return queries.sanctions_events()


@extend_schema(
    description=(
        "Sanctions targets named by published sanctions events, by name, with their aliases "
        "and ids on the official lists. Example: `/api/sanctions-targets/?q=belaruskali`."
    )
)
class SanctionsTargetViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = shapes.SanctionsTargetSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = SanctionsTargetFilter
    pagination_class = Pagination
    lookup_field = "target_id"

    def get_queryset(self):
        return queries.sanctions_targets()


@extend_schema(description="Organizations of published people, with how many they are.")
class OrganizationViewSet(PublicAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = shapes.OrganizationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return privacy.organizations()


@extend_schema(
    description=(
        "Places of detention where a published person has been held, with their postal "
        "addresses and how many published people they hold now. Example: "
        "`/api/facilities/?kind=colony&region=Minsk`."
    )
)
class FacilityViewSet(PublicAPIMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = shapes.FacilitySerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = FacilityFilter
    pagination_class = Pagination
    lookup_field = "facility_id"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema asks for the model only: the queryset reads the
            # stored counts, which need a database.
            return Facility.objects.none()
        return queries.facilities()


DAY, MONTH, YEAR = Interval.DAY, Interval.MONTH, Interval.YEAR


class RangeSerializer(serializers.Serializer):
    """from/to (inclusive, YYYY-MM-DD) and the interval of a series."""

    # "from" is a Python keyword: the field is declared below under its name,
    # with the intervals of the series asked for.
    to = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
        fields["interval"] = serializers.ChoiceField(
            choices=self.context["intervals"], required=False
        )
        return fields

    def validate(self, data):
        try:
            start, end = date_range(
                data.get("from"),
                data.get("to"),
                today=timezone.localdate(),
                default_start=default_start,
            )
        except RangeError as error:
            raise serializers.ValidationError(
                {error.param: [error.message]}, code=error.code
            ) from None
        return {
            "from": start,
            "to": end,
            "interval": data.get("interval") or self.context["default"],
        }


def default_start(end: date) -> date:
    """The stats API counts from the first of the month a year before ``end``."""
    return date(max(end.year - 1, 1), end.month, 1)


def _range(request, intervals, default) -> dict:
    form = RangeSerializer(
        data={
            k: request.query_params.get(k)
            for k in ("from", "to", "interval")
            if request.query_params.get(k)
        },
        context={"intervals": intervals, "default": default},
    )
    form.is_valid(raise_exception=True)
    return form.validated_data


RANGE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default: a year ago)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)."),
]


class HeldStatsView(PublicAPIMixin, APIView):
    """Recognized political prisoners held, per day or per month (the figure of
    the month's last day, or of ``to`` for the last month). Example, 2024 by
    month: `/api/stats/held/?from=2024-01-01&to=2024-12-31&interval=month`."""

    @extend_schema(
        parameters=[
            *RANGE_PARAMETERS,
            OpenApiParameter(
                "interval", str, enum=[DAY.value, MONTH.value], description="Default day."
            ),
        ],
        responses=shapes.HeldSeriesSerializer,
    )
    def get(self, request, as_csv=False):
        period = _range(request, [DAY, MONTH], DAY)
        points = held_points(period["from"], period["to"], period["interval"])
        if as_csv:
            return csv_response("held.csv", HELD_COLUMNS, points)
        return Response(
            {
                "interval": period["interval"],
                "results": [dict(zip(HELD_COLUMNS, p, strict=True)) for p in points],
            }
        )


class ReleaseStatsView(PublicAPIMixin, APIView):
    """Releases per month or per year, anonymous people included."""

    @extend_schema(
        parameters=[
            *RANGE_PARAMETERS,
            OpenApiParameter(
                "interval", str, enum=[MONTH.value, YEAR.value], description="Default month."
            ),
        ],
        responses=shapes.ReleasesSeriesSerializer,
    )
    def get(self, request, as_csv=False):
        period = _range(request, [MONTH, YEAR], MONTH)
        points = release_points(period["from"], period["to"], period["interval"])
        if as_csv:
            return csv_response("releases.csv", RELEASE_COLUMNS, points)
        return Response(
            {
                "interval": period["interval"],
                "results": [dict(zip(RELEASE_COLUMNS, p, strict=True)) for p in points],
            }
        )


class ChangesView(PublicAPIMixin, APIView):
    """What changed in the public list from ``from`` to ``to`` (inclusive,
    calendar days; by default the last 7 days), grouped: added, removed,
    recognized, recognition withdrawn, detained again, released, died,
    corrected. The filters of /api/prisoners/ narrow it (by today's
    records). People not published now are counted, never named. Example:
    `/api/changes/?from=2025-12-01&to=2025-12-31&status=released`."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day (default: 6 days ago)."
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)."),
        ],
        filters=True,
        responses=shapes.ChangesSerializer,
    )
    def get(self, request):
        asked = ask_changes(request.query_params)
        if asked.changes is None:
            raise serializers.ValidationError(errors.error_messages(asked.errors))
        return Response(shapes.ChangesSerializer(asked.changes).data)


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    text = csv_text([header, *([str(cell) for cell in row] for row in rows)], public=True)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
