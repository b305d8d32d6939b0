"""Every public URL, in one place, and the records behind them.

``public_urls(world)`` lists one URL of every public page type, feed and the
sitemap, for the records of a world built by ``build_world()``. Site-wide
guards (privacy, page structure) fetch them all: when you add a public URL
(an export, an API endpoint), add it here and every guard covers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify

from prisoners.models import LocalName, OtherId, Person, ReleaseEvent, SanctionsEvent, Stay
from tests.factories import (
    ChargeFactory,
    DetentionFactory,
    FacilityFactory,
    OrganizationFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SanctionsEventFactory,
    SentenceChangeFactory,
    SourceFactory,
)

# Each private value carries MARKER, so one search finds any leak.
MARKER = "zqxmarker"


@dataclass
class World:
    person: Person
    release_event: ReleaseEvent
    sanctions_event: SanctionsEvent
    private: dict[str, object] = field(default_factory=dict)


def build_world() -> World:
    """A published story (Ales Bialiatski freed on 13 Dec 2025 in a group
    release linked to the lifting of potash sanctions) beside private records
    whose every name, title and note carries MARKER."""
    sanctions = SanctionsEventFactory(
        event_id="2025-12-13-us-potash",
        date="2025-12-13",
        authority="US",
        action="lifted",
        target="Belaruskali; Belarusian Potash Company",
        sector="potash",
    )
    sanctions.sources.set([SourceFactory(url="https://example.org/potash")])
    hidden_sanctions = SanctionsEventFactory(
        event_id=f"hidden-sanctions-{MARKER}",
        date="2025-12-14",
        # A published target beside one only this draft names (shown nowhere).
        target=f"Belaruskali; Unpublished sanctions {MARKER}",
        legal_reference=f"reference {MARKER}",
        official_url=f"https://example.org/{MARKER}",
        description=f"description {MARKER}",
        published=False,
    )
    event = ReleaseEventFactory(
        event_id="2025-12-13-release",
        date="2025-12-13",
        title="123 political prisoners freed",
        announced_count=123,
        negotiator="US envoy",
    )
    event.sanctions.set([sanctions, hidden_sanctions])
    hidden_event = ReleaseEventFactory(
        event_id=f"hidden-release-{MARKER}",
        date="2025-12-20",
        title=f"Unpublished release {MARKER}",
        title_be=f"Неапублікаванае {MARKER}",
        description_ru=f"Неопубликованное {MARKER}",
        negotiator=f"negotiator {MARKER}",
        published=False,
    )
    hidden_event.sanctions.set([sanctions, hidden_sanctions])
    sanctions_hidden_link = SanctionsEventFactory(
        event_id="2025-12-21-eu-eased",
        date="2025-12-21",
        authority="EU",
        action="eased",
        target="Belavia",
    )
    hidden_event.sanctions.add(sanctions_hidden_link)

    viasna = OrganizationFactory(name="Viasna")
    person = PersonFactory(
        person_id="ales-bialiatski",
        name="Ales Bialiatski",
        name_be="Алесь Бяляцкі",
        name_ru="Алесь Беляцкий",
        gender="male",
        region="Minsk",
        recognized_on="2021-07-20",
        internal_notes=f"curator note {MARKER}",
        bio="Founder of Viasna.",
        # Where to write withheld by the curators: their addressee never shows.
        letters="yes",
        letters_addressee=f"Addressee {MARKER}",
        letters_withheld=True,
    )
    person.organizations.set([viasna])
    # A former id (another list's, or a merged record's): it redirects.
    OtherId.objects.create(person=person, other_id="viasna-ales")
    horki = FacilityFactory(name="Penal colony No. 9, Horki")
    detention = DetentionFactory(
        person=person,
        detention_id="ales-bialiatski-2021-07-14",
        detained_on="2021-07-14",
        sentence_type="colony",
        sentence_months=120,
        sentenced_on="2023-03-03",
        facility=horki,
    )
    detention.charges.set([ChargeFactory(article="228")])
    SentenceChangeFactory(
        detention=detention,
        changed_on="2024-05",
        kind="appeal",
        sentence_months=120,
        sources=[SourceFactory(url="https://example.org/appeal")],
    )
    ReleaseFactory(
        detention=detention,
        released_on="2025-12-13",
        release_type="negotiated",
        release_event=event,
        released_to="Lithuania",
    )
    # A published person whose release belongs to an unpublished event.
    other = PersonFactory(person_id="public-other", name="Public Other", region="Minsk")
    ReleaseFactory(
        detention=DetentionFactory(person=other, detained_on="2022-02"),
        released_on="2025-12-20",
        release_type="pardon",
        release_event=hidden_event,
    )

    secret_org = OrganizationFactory(name=f"Organization {MARKER}", name_be=f"Арг {MARKER}")
    secret_charge = ChargeFactory(article=f"999-{MARKER}", title_ru=f"Статья {MARKER}")
    # Names of values only private records use: shown nowhere.
    LocalName.objects.create(kind="region", name=f"Region {MARKER}", name_be=f"Рэгіён {MARKER}")
    private = {}
    for visibility in ("draft", "anonymous"):
        someone = PersonFactory(
            person_id=f"{visibility}-{MARKER}",
            name=f"{visibility.title()} Person {MARKER}",
            name_be=f"Схаваны {MARKER}",
            region=f"Region {MARKER}",
            occupation=f"occupation {MARKER}",
            visibility=visibility,
            recognized_on="2021-01-01",
            internal_notes=f"note {MARKER}",
            bio=f"bio {MARKER}",
            bio_be=f"біяграфія {MARKER}",
            bio_ru=f"биография {MARKER}",
            born="1980-12-05",
            letters="yes",
            letters_addressee=f"Addressee {MARKER}",
        )
        someone.organizations.set([secret_org])
        OtherId.objects.create(person=someone, other_id=f"other-{visibility}-{MARKER}")
        held = DetentionFactory(
            person=someone,
            detention_id=f"{visibility}-{MARKER}-1",
            detained_on="2021-03-01",
            facility=FacilityFactory(name=f"Facility {MARKER} {visibility}"),
        )
        held.charges.set([secret_charge])
        # Also held where a published person was: never named on its page.
        Stay.objects.create(detention=held, facility=horki)
        SentenceChangeFactory(
            detention=held,
            changed_on="2022-01-17",
            sources=[SourceFactory(url=f"https://example.org/{MARKER}/{visibility}/change")],
        )
        ReleaseFactory(
            detention=held,
            released_on="2025-12-13",
            release_type="negotiated",
            release_event=event,
            released_to=f"Country {MARKER}",
        )
        if visibility == "draft":
            # Held now, with a birthday in December and an address to write
            # to: never on /birthdays/ nor anywhere else. (Not the anonymous
            # person: they would count in the figures held now.)
            DetentionFactory(
                person=someone,
                detention_id=f"{visibility}-{MARKER}-2",
                detained_on="2026-01-01",
                facility=FacilityFactory(
                    name=f"Facility now {MARKER}", address_ru=f"Address {MARKER}"
                ),
            )
        private[visibility] = someone
    private["hidden_event"] = hidden_event
    private["hidden_sanctions"] = hidden_sanctions
    return World(person=person, release_event=event, sanctions_event=sanctions, private=private)


def public_urls(world: World) -> list[str]:
    """One URL of every public page type, feed and the sitemap (lists with
    and without filters)."""
    person, event, sanctions = world.person, world.release_event, world.sanctions_event
    today = timezone.localdate().isoformat()
    year, month = event.date.first.year, event.date.first.month
    return [
        "/",
        "/prisoners/",
        "/prisoners/?status=released&region=Minsk&ordering=-released_on",
        "/prisoners/?released_after=2025-12-01&released_before=2025-12-31",
        "/prisoners/?held_on=2022-01-01&recognized=yes",
        f"/prisoners/?release_event={event.event_id}",
        "/prisoners/?q=%D0%91%D1%8F%D0%BB%D1%8F%D1%86%D0%BA%D1%96",  # Бяляцкі
        "/prisoners/?ordering=-days_in_custody",
        "/prisoners/?expected_release_after=2022-01&expected_release_before=2030",
        person.get_absolute_url(),
        "/releases/",
        "/releases/?date_after=2025-01-01",
        f"/releases/{year}/",
        f"/releases/{year}/{month:02d}/",
        event.get_absolute_url(),
        "/sanctions/",
        "/sanctions/?authority=US&action=lifted",
        sanctions.get_absolute_url(),
        "/sanctions/2025-12-21-eu-eased/",
        "/sanctions/?in_force_on=2025-12-14&kind=delisting&target=belaruskali",
        "/sanctions/targets/",
        "/sanctions/targets/?q=potash&kind=company",
        "/sanctions/targets/belaruskali/",
        "/sanctions/targets/belaruskali/?in_force_on=2025-12-14",
        "/sanctions/targets/belavia/",
        "/timeline/",
        "/timeline/?from=2021-01-01&to=2025-12-31",
        "/facilities/",
        "/facilities/?kind=colony&kind=other&region=Minsk",
        "/facilities/penal-colony-no-9-horki/",
        "/prisoners/feed.atom",
        "/prisoners/feed.atom?released_after=2025-12-01",
        "/prisoners/feed.atom?expected_release_after=2022&ordering=days_in_custody",
        "/releases/feed.atom",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/sitemap-people.xml",
        "/sitemap-releases.xml",
        "/sitemap-sanctions.xml",
        "/sitemap-facilities.xml",
        "/sitemap-sanctions-targets.xml",
        # Open data: exports and the API.
        "/prisoners/export.csv",
        "/prisoners/export.csv?released_after=2025-12-01&region=Minsk",
        "/prisoners/export.csv?expected_release_before=2030-06-30&ordering=-days_in_custody",
        "/releases/export.csv",
        "/sanctions/export.csv",
        "/sanctions/export.csv?in_force_on=2025-12-14",
        "/sanctions/targets/export.csv",
        "/api/prisoners/",
        "/api/prisoners/?release_event=2025-12-13-release",
        "/api/prisoners/?expected_release_after=2022&ordering=-days_in_custody",
        f"/api/prisoners/{person.person_id}/",
        "/api/release-events/",
        f"/api/release-events/{event.event_id}/",
        "/api/sanctions-events/",
        f"/api/sanctions-events/{sanctions.event_id}/",
        "/api/sanctions-events/2025-12-21-eu-eased/",
        "/api/sanctions-events/?in_force_on=2025-12-14&target=belaruskali",
        "/api/sanctions-targets/",
        "/api/sanctions-targets/belaruskali/",
        "/api/organizations/",
        "/api/facilities/",
        "/api/facilities/?kind=colony",
        "/api/facilities/penal-colony-no-9-horki/",
        "/api/stats/held/?from=2021-01-01&to=2025-12-31&interval=month",
        "/api/stats/held.csv",
        "/api/stats/releases/?from=2020-01-01&interval=year",
        "/api/stats/releases.csv",
        "/api/schema/",
        # Every value of a facet (the list shows the largest).
        "/prisoners/facets/region/",
        "/prisoners/facets/organization/?region=Minsk",
        "/prisoners/facets/charge/?status=released",
        "/prisoners/facets/release_type/",
        # The API's root (the list of its endpoints) and its documentation.
        "/api/",
        "/api/docs/",
        # How the list counts, and the charts as images.
        "/about/data/",
        "/charts/held.svg",
        "/charts/held.svg?from=2021-01-01&to=2025-12-31",
        "/charts/releases.svg?from=2025-01-01&to=2025-12-31",
        # What changed (the world was written today), and the list as it stood.
        "/changes/",
        "/changes/?region=Minsk",
        f"/changes/?from=2020-01-01&to={today}",
        "/changes/feed.atom",
        "/changes/export.csv",
        "/api/changes/",
        f"/?as_of={today}",
        f"/prisoners/?as_of={today}",
        f"/prisoners/?as_of={today}&region=Minsk",
        f"/prisoners/export.csv?as_of={today}",
        f"/prisoners/feed.atom?as_of={today}",
        f"/api/prisoners/?as_of={today}",
        f"{person.get_absolute_url()}?as_of={today}",
        # Writing letters: the guide, and the birthdays of a month of the
        # people held now (the draft's is in December), its feed and print.
        "/write/",
        "/birthdays/",
        "/birthdays/?month=12",
        "/birthdays/feed.atom?month=12",
        "/birthdays/print/?month=12",
    ]


def embed_urls(world: World) -> list[str]:
    """The figures other sites may frame, in every language: minimal pages
    (no site header, navigation or footer), guarded apart from the site's
    pages for that."""
    urls = [
        "/embed/held/",
        "/embed/held/?from=2021-01-01&to=2025-12-31",
        "/embed/releases/?from=2025-01-01&to=2025-12-31",
        "/embed/counter/",
    ]
    return [f"{prefix}{url}" for prefix in ("", *LANGUAGE_PREFIXES) for url in urls]


def private_urls(world: World) -> list[str]:
    """Direct URLs of records that are not public: each answers 404."""
    return [
        f"/prisoners/draft-{MARKER}/",
        f"/prisoners/anonymous-{MARKER}/",
        f"/releases/hidden-release-{MARKER}/",
        # Facilities only private records name.
        f"/facilities/facility-{MARKER}-draft/",
        f"/facilities/facility-{MARKER}-anonymous/",
        f"/sanctions/hidden-sanctions-{MARKER}/",
        f"/api/prisoners/draft-{MARKER}/",
        f"/api/prisoners/anonymous-{MARKER}/",
        # Other ids of unpublished people never redirect: no sign they exist.
        f"/prisoners/other-draft-{MARKER}/",
        f"/ru/prisoners/other-anonymous-{MARKER}/",
        f"/api/prisoners/other-draft-{MARKER}/",
        f"/api/prisoners/other-anonymous-{MARKER}/",
        f"/api/release-events/hidden-release-{MARKER}/",
        f"/api/facilities/facility-{MARKER}-draft/",
        f"/api/sanctions-events/hidden-sanctions-{MARKER}/",
        # A target only a draft names is public nowhere.
        f"/sanctions/targets/{slugify(f'Unpublished sanctions {MARKER}')}/",
        f"/api/sanctions-targets/{slugify(f'Unpublished sanctions {MARKER}')}/",
    ]


def redirect_urls(world: World) -> list[tuple[str, str]]:
    """Other ids of public people: (URL, where its 301 goes)."""
    return [
        ("/prisoners/viasna-ales/", world.person.get_absolute_url()),
        ("/be/prisoners/viasna-ales/", f"/be{world.person.get_absolute_url()}"),
        ("/api/prisoners/viasna-ales/", f"/api/prisoners/{world.person.person_id}/"),
    ]


LANGUAGE_PREFIXES = ("/be", "/ru")


def public_urls_in_languages(world: World) -> list[str]:
    """The HTML pages, feeds, exports and sitemap of ``public_urls`` again in
    Belarusian and Russian (under /be/ and /ru/; the API and the admin have
    no language prefix)."""
    return [
        f"{prefix}{url}"
        for prefix in LANGUAGE_PREFIXES
        for url in public_urls(world)
        if not url.startswith("/api/")
    ]
