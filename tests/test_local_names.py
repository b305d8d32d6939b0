"""Data in the reader's language: regions, countries, authorities,
organizations and charges named in Belarusian and Russian, curators' be/ru
texts, shown on /be/ and /ru/ pages (English where none is given), sorted
by the name shown; and names.csv, which carries them."""

import pytest
from django.urls import reverse
from django.utils import translation

from prisoners.interchange.exporter import export_records
from prisoners.interchange.importer import run_import
from prisoners.local_names import collation_key, in_language
from prisoners.models import Charge, LocalName, Organization

from .factories import (
    ChargeFactory,
    DetentionFactory,
    OrganizationFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SanctionsEventFactory,
)

pytestmark = pytest.mark.django_db

NAMES = "kind,name,name_en,name_be,name_ru\n"


def page(client, language: str, url: str) -> str:
    """The page at ``url`` (unprefixed) in ``language``."""
    path = url if language == "en" else f"/{language}{url}"
    response = client.get(path)
    # The request leaves its language active: later reverse() calls unprefixed.
    translation.activate("en")
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.fixture
def ales(db):
    person = PersonFactory(
        person_id="ales",
        name="Ales Bialiatski",
        region="Minsk",
        bio="Founder of Viasna.",
        bio_ru="Основатель «Весны».",
    )
    person.organizations.set([OrganizationFactory(name="Viasna", name_be="Вясна", name_ru="Весна")])
    detention = DetentionFactory(person=person, detention_id="ales-1", detained_on="2021-07-14")
    detention.charges.set(
        [
            ChargeFactory(
                article="342",
                title="Organization of actions grossly violating public order",
                title_be="Арганізацыя дзеянняў, якія груба парушаюць грамадскі парадак",
            )
        ]
    )
    event = ReleaseEventFactory(
        event_id="2025-12-13-release",
        title="Release of 123 political prisoners",
        title_be="Вызваленне 123 палітвязняў",
        description="Freed after talks.",
        description_ru="Освобождены после переговоров.",
    )
    ReleaseFactory(detention=detention, release_event=event, released_to="Lithuania")
    LocalName.objects.create(kind="country", name="Lithuania", name_be="Літва", name_ru="Литва")
    return person


def test_it_shows_a_region_organization_and_bio_in_the_page_language(client, ales):
    be = page(client, "be", ales.get_absolute_url())
    assert "Мінск" in be  # seeded by migration 0013
    assert "Вясна" in be
    assert "Літва" in be
    assert "Вызваленне 123 палітвязняў" in be
    ru = page(client, "ru", ales.get_absolute_url())
    assert "Минск" in ru and "Весна" in ru and "Литва" in ru
    assert "Основатель «Весны»." in ru
    # No Russian title: the English one.
    assert "Release of 123 political prisoners" in ru


def test_it_falls_back_to_english_where_no_translation_is_given(client, ales):
    be = page(client, "be", ales.get_absolute_url())
    assert "Founder of Viasna." in be  # no bio_be
    en = page(client, "en", ales.get_absolute_url())
    assert "Minsk" in en and "Мінск" not in en
    assert "Lithuania" in en


def test_it_shows_a_charge_title_beside_its_article(client, ales):
    en = page(client, "en", ales.get_absolute_url())
    assert '— <span class="charge-title">Organization of actions grossly violating' in en
    be = page(client, "be", ales.get_absolute_url())
    assert "Арганізацыя дзеянняў" in be
    ru = page(client, "ru", ales.get_absolute_url())
    assert "Organization of actions grossly violating public order" in ru


def test_it_shows_the_region_in_the_list_and_facets_in_the_page_language(client, ales):
    be = page(client, "be", reverse("person-list"))
    assert "Мінск" in be and "Вясна" in be
    facet = page(client, "ru", reverse("person-facet", args=["organization"]))
    assert "Весна" in facet


def test_it_shows_a_release_event_in_the_page_language(client, ales):
    url = reverse("release-event-detail", args=["2025-12-13-release"])
    be = page(client, "be", url)
    assert "<h1>Вызваленне 123 палітвязняў</h1>" in be
    assert "Літва" in be
    ru = page(client, "ru", url)
    assert "Освобождены после переговоров." in ru


def test_it_shows_a_sanctions_authority_and_description_in_the_page_language(client):
    event = SanctionsEventFactory(
        event_id="us-potash", authority="US", description="Lifted.", description_be="Зняты."
    )
    be = page(client, "be", event.get_absolute_url())
    assert "<dd>ЗША</dd>" in be and "Зняты." in be
    ru = page(client, "ru", event.get_absolute_url())
    assert "<dd>США</dd>" in ru and "Lifted." in ru
    assert "США" in page(client, "ru", reverse("sanctions-list"))


def test_it_sorts_a_facet_by_the_name_shown(client):
    for region in ("Vitsebsk", "Minsk", "Brest", "Hrodna"):
        PersonFactory(region=region)
    be = page(client, "be", reverse("person-facet", args=["region"]))
    order = [be.index(name) for name in ("Брэст", "Віцебск", "Гродна", "Мінск")]
    assert order == sorted(order)
    en = page(client, "en", reverse("person-facet", args=["region"]))
    order = [en.index(name) for name in (">Brest<", ">Hrodna<", ">Minsk<", ">Vitsebsk<")]
    assert order == sorted(order)


def test_it_sorts_by_each_alphabet_not_by_code_points():
    # і and ў come after я in Unicode; in the Belarusian alphabet і follows з
    # and ў follows у. Cyrillic before Latin on be/ru pages.
    names = ["Яблынка", "Іўе", "Зэльва", "Ўзда", "Ула", "Brest"]
    shown = sorted(names, key=lambda name: collation_key(name, "be"))
    assert shown == ["Зэльва", "Іўе", "Ула", "Ўзда", "Яблынка", "Brest"]
    assert sorted(["Ёлка", "Жук", "Ель"], key=lambda n: collation_key(n, "ru")) == [
        "Ель",
        "Ёлка",
        "Жук",
    ]


def test_it_picks_the_text_by_language_and_ignores_a_blank_one():
    org = Organization(name="Viasna", name_be="  ", name_ru="Весна")
    assert in_language(org, "name", "be") == "Viasna"
    assert in_language(org, "name", "ru") == "Весна"
    assert in_language(org, "name", "en") == "Viasna"


def test_it_translates_release_feed_titles(client, ales):
    with translation.override("be"):
        url = reverse("release-feed")
    assert "Вызваленне 123 палітвязняў" in client.get(url).content.decode()


# names.csv


def run(text: str, **kwargs):
    return run_import([("names.csv", text.encode())], **kwargs)


def test_it_imports_names_of_every_kind():
    result = run(
        NAMES
        + "region,Lida district,,Лідскі раён,Лидский район\n"
        + "charge,342,Organization of actions,Арганізацыя дзеянняў,Организация действий\n"
        + "organization,Viasna,,Вясна,Весна\n"
        + "authority,EU,,ЕС,ЕС\n"
    )
    assert result.ok, result.errors
    assert LocalName.objects.get(kind="region", name="Lida district").name_ru == "Лидский район"
    charge = Charge.objects.get(article="342")
    assert (charge.title, charge.title_be) == ("Organization of actions", "Арганізацыя дзеянняў")
    assert Organization.objects.get(name="Viasna").name_be == "Вясна"
    assert "names: 2 created" in str(result) or "names:" in str(result)


def test_it_refuses_an_unknown_kind_and_writes_nothing():
    result = run(NAMES + "region,Brest region,,Брэсцкая вобласць,\ntown,Horki,,Горкі,Горки\n")
    assert result.errors == [
        "names.csv:3: kind: 'town' is not one of: region, country, authority, "
        "organization, charge, facility"
    ]
    assert not LocalName.objects.filter(name="Brest region", name_ru="").exists()


def test_it_refuses_a_name_given_twice():
    result = run(NAMES + "country,Poland,,Польшча,\ncountry,Poland,,,Польша\n")
    assert result.errors == ["names.csv:3: name: the country 'Poland' is already given on line 2"]
    assert not LocalName.objects.filter(name="Poland").exists()


def test_it_refuses_an_english_title_on_anything_but_a_charge():
    result = run(NAMES + "organization,Viasna,Spring,Вясна,Весна\n")
    assert len(result.errors) == 1
    assert result.errors[0].startswith("names.csv:2: name_en: only a charge has an English title")
    assert not Organization.objects.exists()


def test_it_keeps_a_column_the_file_leaves_out():
    ChargeFactory(article="342", title="Organization of actions", title_ru="Организация")
    result = run("kind,name,name_be\ncharge,342,Арганізацыя\n")
    assert result.ok, result.errors
    charge = Charge.objects.get(article="342")
    assert (charge.title, charge.title_be, charge.title_ru) == (
        "Organization of actions",
        "Арганізацыя",
        "Организация",
    )


def test_names_survive_a_round_trip_through_the_full_export(tmp_path):
    ChargeFactory(article="361-1", title="Creating an extremist formation", title_be="Стварэнне")
    OrganizationFactory(name="Coordination Council", name_ru="Координационный совет")
    OrganizationFactory(name="No names")
    LocalName.objects.create(kind="country", name="Lithuania", name_be="Літва", name_ru="Литва")
    export_records(tmp_path / "first")
    first = (tmp_path / "first" / "names.csv").read_text(encoding="utf-8")
    assert "organization,Coordination Council,,,Координационный совет" in first
    assert "No names" not in first
    LocalName.objects.all().delete()
    Charge.objects.all().delete()
    Organization.objects.all().delete()
    result = run_import([tmp_path / "first" / "names.csv"])
    assert result.ok, result.errors
    export_records(tmp_path / "second")
    assert (tmp_path / "second" / "names.csv").read_text(encoding="utf-8") == first
    again = run_import([tmp_path / "second" / "names.csv"])
    assert "names: 0 created, 0 updated" in str(again)


def test_the_public_export_has_no_names_file(tmp_path):
    export_records(tmp_path, public=True)
    assert not (tmp_path / "names.csv").exists()


def test_the_be_ru_texts_of_events_and_bios_round_trip():
    text = (
        "event_id,date,title,title_be,title_ru,description,description_be,description_ru\n"
        "wave-a,2025-12-13,Release,Вызваленне,Освобождение,Freed.,Вызвалены.,Освобождены.\n"
    )
    result = run_import([("release_events.csv", text.encode())])
    assert result.ok, result.errors
    from prisoners.models import ReleaseEvent

    event = ReleaseEvent.objects.get(event_id="wave-a")
    assert (event.title_ru, event.description_be) == ("Освобождение", "Вызвалены.")
    people = "person_id,name,bio,bio_be,bio_ru\nanna,Anna,A bio.,Біяграфія.,Биография.\n"
    assert run_import([("prisoners.csv", people.encode())]).ok
    from prisoners.models import Person

    assert Person.objects.get(person_id="anna").bio_be == "Біяграфія."


@pytest.mark.parametrize(
    "url",
    [
        "/prisoners/?organization=Secret+Org",
        "/prisoners/facets/organization/?organization=Secret+Org",
        "/prisoners/?region=Hidden+Region",
        "/prisoners/facets/region/?region=Hidden+Region",
    ],
)
@pytest.mark.parametrize("language", ["be", "ru"])
def test_it_never_names_in_be_ru_what_only_hidden_records_use(client, ales, url, language):
    """A value typed into the filters is echoed as typed: its recorded
    be/ru name would tell that a hidden record uses it."""
    hidden = [
        PersonFactory(person_id=f"hidden-{v}", region="Hidden Region", visibility=v)
        for v in ("draft", "anonymous")
    ]
    secret = OrganizationFactory(name="Secret Org", name_be="САКРЭТНАЯ", name_ru="СЕКРЕТНАЯ")
    for person in hidden:
        person.organizations.set([secret])
    LocalName.objects.create(
        kind="region", name="Hidden Region", name_be="СХАВАНЫ", name_ru="СКРЫТЫЙ"
    )
    text = page(client, language, url)
    for leaked in ("САКРЭТНАЯ", "СЕКРЕТНАЯ", "СХАВАНЫ", "СКРЫТЫЙ"):
        assert leaked not in text


def test_the_people_feed_names_and_states_as_the_list_does(client):
    PersonFactory(
        person_id="vera",
        name="Vera Example",
        name_be="Вера Прыклад",
        gender="female",
        died_on="2021-05-21",
    )
    feed = page(client, "be", "/prisoners/feed.atom")
    assert "Вера Прыклад (Vera Example)" in feed
    assert "памерлая" in feed
