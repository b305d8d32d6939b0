"""/sitemap.xml: an index of sections listing every published page, in
English; each page names its Belarusian and Russian versions itself
(hreflang links in its head). Every address starts with SITE_URL: Django's
sitemaps take the host from the request, which the client chooses."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.template.response import TemplateResponse
from django.urls import reverse

from .. import privacy
from .citation import absolute


class SiteSitemap(Sitemap):
    """Locations under SITE_URL, whatever the request said."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StaticSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "person-list",
            "release-list",
            "sanctions-list",
            "timeline",
            "facility-list",
            "about-data",
            "write",
            "birthdays",
            "sanctions-target-list",
        ]

    def location(self, name):
        return reverse(name)


class PersonSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return privacy.people().only("person_id").order_by("person_id")


class ReleaseEventSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return privacy.release_events().only("event_id").order_by("event_id")


class SanctionsEventSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return privacy.sanctions_events().only("event_id").order_by("event_id")


class FacilitySitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return privacy.facilities().only("facility_id").order_by("facility_id")


class SanctionsTargetSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return privacy.sanctions_targets().only("target_id").order_by("target_id")


SITEMAPS = {
    "pages": StaticSitemap,
    "people": PersonSitemap,
    "releases": ReleaseEventSitemap,
    "sanctions": SanctionsEventSitemap,
    "facilities": FacilitySitemap,
    "sanctions-targets": SanctionsTargetSitemap,
}


@x_robots_tag
def index(request, sitemaps, sitemap_url_name):
    """Django's sitemap index (same template), with each section's address
    under SITE_URL."""
    items = []
    for section, sitemap in sitemaps.items():
        sitemap = sitemap() if callable(sitemap) else sitemap
        url = absolute(reverse(sitemap_url_name, kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items.extend(
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
