from django.contrib.sitemaps import views as sitemaps
from django.urls import path, register_converter

from . import exports, feeds, views
from .sitemaps import SITEMAPS
from .sitemaps import index as sitemap_index


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter(YearConverter):
    regex = "0[1-9]|1[0-2]"

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

# Event ids always contain a letter (see models.EVENT_ID_LETTER), so
# /releases/<event_id>/ never takes a year.
urlpatterns = [
    path("", views.home, name="home"),
    path("prisoners/", views.PersonListView.as_view(), name="person-list"),
    path("prisoners/feed.atom", feeds.PersonFeed(), name="person-feed"),
    path("prisoners/export.csv", exports.prisoners_csv, name="person-export"),
    path("prisoners/<slug:person_id>/", views.person_detail, name="person-detail"),
    path("releases/", views.ReleaseEventListView.as_view(), name="release-list"),
    path("releases/feed.atom", feeds.ReleaseEventFeed(), name="release-feed"),
    path("releases/export.csv", exports.release_events_csv, name="release-export"),
    path("releases/<yyyy:year>/", views.ReleaseYearView.as_view(), name="release-year"),
    path(
        "releases/<yyyy:year>/<mm:month>/",
        views.ReleaseMonthView.as_view(),
        name="release-month",
    ),
    path("releases/<slug:event_id>/", views.release_event_detail, name="release-event-detail"),
    path("sanctions/", views.SanctionsEventListView.as_view(), name="sanctions-list"),
    path("sanctions/export.csv", exports.sanctions_events_csv, name="sanctions-export"),
    path("sanctions/<slug:event_id>/", views.sanctions_event_detail, name="sanctions-event-detail"),
    path("timeline/", views.timeline_view, name="timeline"),
    # An index of sections, each paged at 50,000 addresses: one file would
    # stop at the first 50,000 people.
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    # Every value of a facet of the list of people (the list shows the largest).
    path(
        "prisoners/facets/<slug:facet>/",
        views.FacetValuesView.as_view(),
        name="person-facet",
    ),
]
