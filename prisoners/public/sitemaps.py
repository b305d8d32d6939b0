"""/sitemap.xml: an index of sections listing every published page, in
English; each page names its Belarusian and Russian versions itself
(hreflang links in its head)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .. import privacy


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "person-list", "release-list", "sanctions-list", "timeline"]

    def location(self, name):
        return reverse(name)


class PersonSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return privacy.people().only("person_id").order_by("person_id")


class ReleaseEventSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return privacy.release_events().only("event_id").order_by("event_id")


class SanctionsEventSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return privacy.sanctions_events().only("event_id").order_by("event_id")


SITEMAPS = {
    "pages": StaticSitemap,
    "people": PersonSitemap,
    "releases": ReleaseEventSitemap,
    "sanctions": SanctionsEventSitemap,
}
