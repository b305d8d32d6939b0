"""The API's front door: /api/ lists every endpoint with its address and what
it gives, so that a reader who finds /api/ finds the rest."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..public.citation import absolute
from .views import PublicAPIMixin

# (name, URL name, one line on what it gives), in the order a reader meets them.
ENDPOINTS = [
    (
        "prisoners",
        "api-prisoner-list",
        _("Published people, their detentions and releases; the filters of /prisoners/."),
    ),
    (
        "release-events",
        "api-release-event-list",
        _("Group releases: announced against recorded, people, linked sanctions."),
    ),
    (
        "sanctions-events",
        "api-sanctions-event-list",
        _(
            "Sanctions acts, filtered by date, authority, kind, action, target and the day "
            "they are in force."
        ),
    ),
    (
        "sanctions-targets",
        "api-sanctions-target-list",
        _("Sanctions targets: aliases and their ids on the official lists."),
    ),
    (
        "organizations",
        "api-organization-list",
        _("Organizations of published people, with their counts."),
    ),
    (
        "facilities",
        "api-facility-list",
        _("Places of detention: postal addresses, how many published people are held now."),
    ),
    (
        "stats-held",
        "api-stats-held",
        _("Recognized political prisoners held, per day or per month."),
    ),
    ("stats-held-csv", "api-stats-held-csv", _("The same series of people held, as CSV.")),
    ("stats-releases", "api-stats-releases", _("Releases per month or per year.")),
    ("stats-releases-csv", "api-stats-releases-csv", _("The same series of releases, as CSV.")),
    (
        "changes",
        "api-changes",
        _("What changed in the public list in a period; the filters of /prisoners/."),
    ),
    ("schema", "api-schema", _("The OpenAPI 3 schema of this API.")),
    ("docs", "api-docs", _("The API's documentation (Swagger UI), generated from the schema.")),
]


@extend_schema(
    description="Every endpoint of the API with its address and a one-line description.",
    responses=inline_serializer(
        "ApiRoot",
        {
            "endpoints": inline_serializer(
                "ApiEndpoint",
                {
                    "name": serializers.CharField(),
                    "url": serializers.URLField(),
                    "description": serializers.CharField(),
                },
                many=True,
            ),
            "data_last_changed": serializers.DateTimeField(allow_null=True),
            "cite_as": serializers.CharField(),
        },
    ),
)
class ApiRootView(PublicAPIMixin, APIView):
    """GET /api/: the endpoints, with the citation headers of every answer."""

    def get(self, request):
        return Response(
            {
                "endpoints": [
                    {
                        "name": name,
                        "url": absolute(reverse(url_name)),
                        "description": str(description),
                    }
                    for name, url_name, description in ENDPOINTS
                ]
            }
        )


class DocsView(SpectacularSwaggerView):
    """The Swagger UI. OPTIONS answers its allowed methods with no body: DRF's
    metadata answer went through this HTML page's template renderer, which
    has no template for it (a 500)."""

    def options(self, request, *args, **kwargs):
        return View.options(self, request, *args, **kwargs)
