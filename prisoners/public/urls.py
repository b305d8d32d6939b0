from functools import wraps

from django.contrib.sitemaps import views as sitemaps
from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from . import about, embeds, exports, feeds, registers, views
from .citation import add_citation_headers
from .sitemaps import SITEMAPS
from .sitemaps import index as sitemap_index


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        # There is no year 0 (a ValueError is no match: the URL is a 404).
        if int(value) == 0:
            raise ValueError(value)
        return value

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter(YearConverter):
    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")


def cited(view):
    """Every answer names its data version and how to cite it (headers; the
    exports add their own). No Last-Modified on pages: a browser would keep
    one for a tenth of its age without asking again, and "held now" moves
    every day."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and "Link" not in response:
            add_citation_headers(request, response, last_modified=False)
        return response

    return answer


def page(route, view, *args, **kwargs):
    """A public URL. The public site only reads: any method but GET and HEAD
    answers 405 (a function view would otherwise answer a POST as a GET)."""
    return path(route, require_safe(cited(view)), *args, **kwargs)


# Event ids always contain a letter (see models.EVENT_ID_LETTER), so
# /releases/<event_id>/ never takes a year.
urlpatterns = [
    page("", views.home, name="home"),
    page("prisoners/", views.PersonListView.as_view(), name="person-list"),
    page("prisoners/feed.atom", feeds.PersonFeed(), name="person-feed"),
    page("prisoners/export.csv", exports.prisoners_csv, name="person-export"),
    page("prisoners/<slug:person_id>/", views.person_detail, name="person-detail"),
    page("releases/", views.ReleaseEventListView.as_view(), name="release-list"),
    page("releases/feed.atom", feeds.ReleaseEventFeed(), name="release-feed"),
    page("releases/export.csv", exports.release_events_csv, name="release-export"),
    page("releases/<yyyy:year>/", views.ReleaseYearView.as_view(), name="release-year"),
    page(
        "releases/<yyyy:year>/<mm:month>/",
        views.ReleaseMonthView.as_view(),
        name="release-month",
    ),
    page("releases/<slug:event_id>/", views.release_event_detail, name="release-event-detail"),
    page("sanctions/", views.SanctionsEventListView.as_view(), name="sanctions-list"),
    page("sanctions/export.csv", exports.sanctions_events_csv, name="sanctions-export"),
    # Before the events: "targets" would read as an event id.
    page(
        "sanctions/targets/",
        registers.SanctionsTargetListView.as_view(),
        name="sanctions-target-list",
    ),
    page(
        "sanctions/targets/export.csv",
        exports.sanctions_targets_csv,
        name="sanctions-target-export",
    ),
    page(
        "sanctions/targets/<slug:target_id>/",
        registers.sanctions_target_detail,
        name="sanctions-target-detail",
    ),
    page("sanctions/<slug:event_id>/", views.sanctions_event_detail, name="sanctions-event-detail"),
    page("timeline/", views.timeline_view, name="timeline"),
    page("about/data/", about.about_data, name="about-data"),
    # Figures other sites may frame (tracker.security lets /embed/ alone be
    # framed) or show as an image.
    page("embed/held/", embeds.held, name="embed-held"),
    page("embed/releases/", embeds.releases, name="embed-releases"),
    page("embed/counter/", embeds.counter, name="embed-counter"),
    page("charts/held.svg", embeds.held_svg, name="chart-held"),
    page("charts/releases.svg", embeds.releases_svg, name="chart-releases"),
    page("changes/", views.changes_view, name="changes"),
    page("changes/feed.atom", feeds.ChangesFeed(), name="changes-feed"),
    page("changes/export.csv", exports.changes_csv, name="changes-export"),
    page("facilities/", registers.FacilityListView.as_view(), name="facility-list"),
    page("facilities/<slug:facility_id>/", registers.facility_detail, name="facility-detail"),
    page("write/", views.write_guide, name="write"),
    page("birthdays/", views.birthdays, name="birthdays"),
    page("birthdays/feed.atom", feeds.BirthdayFeed(), name="birthday-feed"),
    page(
        "birthdays/print/",
        views.birthdays,
        {"template_name": "prisoners/birthdays_print.html"},
        name="birthdays-print",
    ),
    # An index of sections, each paged at 50,000 addresses: one file would
    # stop at the first 50,000 people.
    page(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    page(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    # Every value of a facet of the list of people (the list shows the largest).
    page(
        "prisoners/facets/<slug:facet>/",
        views.FacetValuesView.as_view(),
        name="person-facet",
    ),
]
