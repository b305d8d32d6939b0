from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views
from .root import ApiRootView, DocsView

router = SimpleRouter()
router.register("prisoners", views.PrisonerViewSet, basename="api-prisoner")
router.register("release-events", views.ReleaseEventViewSet, basename="api-release-event")
router.register("sanctions-events", views.SanctionsEventViewSet, basename="api-sanctions-event")
router.register("sanctions-targets", views.SanctionsTargetViewSet, basename="api-sanctions-target")
router.register("organizations", views.OrganizationViewSet, basename="api-organization")
router.register("facilities", views.FacilityViewSet, basename="api-facility")

urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    *router.urls,
    path("stats/held/", views.HeldStatsView.as_view(), name="api-stats-held"),
    path(
        "stats/held.csv",
        views.HeldStatsView.as_view(),
        {"as_csv": True},
        name="api-stats-held-csv",
    ),
    path("stats/releases/", views.ReleaseStatsView.as_view(), name="api-stats-releases"),
    path(
        "stats/releases.csv",
        views.ReleaseStatsView.as_view(),
        {"as_csv": True},
        name="api-stats-releases-csv",
    ),
    path("changes/", views.ChangesView.as_view(), name="api-changes"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
]
