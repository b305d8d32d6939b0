"""Letters: where to write to a person (the person's page), the guide at
/write/, and the birthdays of a month (/birthdays/, its feed and print
layout), each shown only of published people held now whose letters the
curators have not withheld."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from prisoners import letters, rules
from prisoners.models import Guide, Person
from prisoners.partial_dates import PartialDate
from tests.factories import DetentionFactory, FacilityFactory, PersonFactory, ReleaseFactory
from tests.test_openapi_contract import CONTRACT, api_schema  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

ADDRESS_RU = "231040, г. Ивье, ул. Ошмянская, 5, ИК-22"
ADDRESS_BE = "231040, г. Іўе, вул. Ашмянская, 5, ПК-22"


def held(person_id="held-writer", *, letters="yes", born="1982-04-24", address=True, **kwargs):
    """A person held now in a facility with (or without) a postal address."""
    facility = FacilityFactory(
        name=f"Colony of {person_id}",
        address_ru=ADDRESS_RU if address else "",
        address_be=ADDRESS_BE if address else "",
    )
    person = PersonFactory(
        person_id=person_id,
        name=kwargs.pop("name", f"Name {person_id}"),
        name_ru=kwargs.pop("name_ru", "Мария Колесникова"),
        born=born,
        letters=letters,
        **kwargs,
    )
    DetentionFactory(person=person, detained_on="2020-09-07", facility=facility)
    return person


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    """Today is 5 December 2026 in the site's time zone."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 12, 5))


# The rules, each a pair.


def test_it_shows_where_to_write_to_a_published_person_held_now_whom_letters_reach():
    assert rules.letter_address_shown("published", "yes", False, True, True)


@pytest.mark.parametrize(
    "visibility, letters_, withheld, held_now, has_address",
    [
        ("anonymous", "yes", False, True, True),
        ("draft", "yes", False, True, True),
        ("published", "no", False, True, True),
        ("published", "unknown", False, True, True),
        ("published", "yes", True, True, True),
        ("published", "yes", False, False, True),
        ("published", "yes", False, True, False),
    ],
)
def test_it_hides_where_to_write_otherwise(visibility, letters_, withheld, held_now, has_address):
    assert not rules.letter_address_shown(visibility, letters_, withheld, held_now, has_address)


def test_it_writes_the_russian_name_and_the_year_of_birth_on_the_envelope():
    born = PartialDate.parse("1982-04-24")
    assert rules.addressee("", "Мария Колесникова", "Maria Kalesnikava", born) == (
        "Мария Колесникова, 1982 г. р."
    )
    assert rules.addressee("", "", "Maria Kalesnikava", None) == "Maria Kalesnikava"


def test_it_writes_the_curators_addressee_when_given():
    born = PartialDate.parse("1982")
    override = "Колесниковой Марии Александровне, 1982 г. р."
    assert rules.addressee(override, "Мария Колесникова", "M", born) == override


def test_it_keeps_a_birthday_only_of_a_birth_date_known_to_the_day():
    assert rules.birthday(PartialDate.parse("1982-04-24")) == 424
    assert rules.birthday(PartialDate.parse("1982-04")) is None
    assert rules.birthday(None) is None


def test_it_stores_the_birthday_on_save():
    person = PersonFactory(born="1990-12-31")
    assert Person.objects.get(pk=person.pk).birthday == 1231
    person.born = "1990"
    person.save()
    assert Person.objects.get(pk=person.pk).birthday is None


# The person's page.


def test_it_shows_a_write_a_letter_section_on_the_person_page(client):
    person = held(letters_checked_on=date(2026, 11, 2))
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Write a letter" in page
    assert ADDRESS_RU in page and ADDRESS_BE in page
    assert "Мария Колесникова, 1982 г. р." in page
    assert "2 Nov 2026" in page
    assert reverse("write") in page


@pytest.mark.parametrize(
    "change",
    [
        {"letters": "no"},
        {"letters": "unknown"},
        {"letters_withheld": True},
    ],
)
def test_it_shows_no_address_when_letters_do_not_reach_or_are_withheld(client, change):
    person = held(**change)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Write a letter" not in page
    assert ADDRESS_RU not in page
    assert "withh" not in page.lower()


def test_it_shows_no_address_of_a_facility_without_one(client):
    person = held(address=False)
    assert "Write a letter" not in client.get(person.get_absolute_url()).content.decode()


def test_it_shows_no_address_once_the_person_is_released(client):
    person = held()
    ReleaseFactory(detention=person.detentions.get(), released_on="2025-12-13")
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Write a letter" not in page
    assert ADDRESS_RU not in page


def test_it_says_when_letters_do_not_reach_a_person_held_now(client):
    person = held(letters="no", letters_checked_on=date(2026, 10, 1))
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Letters do not reach this person" in page
    assert "1 Oct 2026" in page


def test_it_says_nothing_of_letters_withheld_even_when_they_do_not_reach(client):
    person = held(letters="no", letters_withheld=True)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Letters do not reach" not in page


def test_it_writes_the_section_in_belarusian_and_russian(client):
    held()
    assert "Напісаць ліст" in client.get("/be/prisoners/held-writer/").content.decode()
    assert "Написать письмо" in client.get("/ru/prisoners/held-writer/").content.decode()


# /write/


def test_it_ships_the_guide_in_three_languages(client):
    guide = Guide.objects.get(key="write")
    assert len(guide.body.split()) > 250
    assert "censor" in client.get("/write/").content.decode()
    assert "цэнзар" in client.get("/be/write/").content.decode()
    assert "цензор" in client.get("/ru/write/").content.decode()


def test_it_shows_the_english_guide_where_a_language_has_none(client):
    Guide.objects.filter(key="write").update(body="Write in English.", body_be="")
    assert "Write in English." in client.get("/be/write/").content.decode()


def test_it_shows_the_guide_as_escaped_paragraphs(client):
    Guide.objects.filter(key="write").update(body="First.\n\n<script>alert(1)</script>")
    page = client.get("/write/").content.decode()
    assert "<p>First.</p>" in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


# /birthdays/


def test_it_lists_the_birthdays_of_the_month_by_day_with_age_and_address(client):
    late = held("late", born="1990-12-24", name="Late Birthday")
    early = held("early", born="1982-12-03", name="Early Birthday")
    held("april", born="1982-04-24", name="April Birthday")
    page = client.get("/birthdays/?month=12").content.decode()
    assert "April Birthday" not in page
    assert page.index(early.name) < page.index(late.name)
    assert "Turns 44." in page and "Turns 36." in page
    assert ADDRESS_RU in page


def test_it_defaults_to_this_month(client):
    held("december", born="1990-12-24", name="December Birthday")
    assert "December Birthday" in client.get("/birthdays/").content.decode()


def test_it_counts_the_age_of_a_month_already_past_at_next_years_birthday(client):
    held("january", born="1990-01-10", name="January Birthday")
    assert "Turns 37." in client.get("/birthdays/?month=1").content.decode()


@pytest.mark.parametrize("month", ["13", "0", "december", "1.5"])
def test_it_refuses_an_invalid_month(client, month):
    response = client.get(f"/birthdays/?month={month}")
    assert response.status_code == 400
    assert "Enter a month as a number from 1 to 12." in response.content.decode()
    feed = client.get(f"/birthdays/feed.atom?month={month}")
    assert feed.status_code == 400
    assert feed.content.decode() == "month: Enter a month as a number from 1 to 12.\n"
    assert client.get(f"/birthdays/print/?month={month}").status_code == 400


def test_it_lists_only_birth_dates_known_to_the_day(client):
    held("month-only", born="1990-12", name="Month Only")
    assert "Month Only" not in client.get("/birthdays/?month=12").content.decode()


def test_it_lists_only_people_held_now(client):
    person = held("freed", born="1990-12-24", name="Freed Person")
    ReleaseFactory(detention=person.detentions.get(), released_on="2025-12-13")
    assert "Freed Person" not in client.get("/birthdays/?month=12").content.decode()


def test_it_never_lists_anonymous_draft_or_withheld_people(client):
    held("anon", born="1990-12-24", name="Anonymous Birthday", visibility="anonymous")
    held("draft", born="1990-12-24", name="Draft Birthday", visibility="draft")
    held("withheld", born="1990-12-24", name="Withheld Birthday", letters_withheld=True)
    for url in ("/birthdays/?month=12", "/birthdays/print/?month=12"):
        page = client.get(url).content.decode()
        assert "Anonymous Birthday" not in page and "Draft Birthday" not in page
        # Withheld: listed (the birthday is public) without where to write.
        assert "Withheld Birthday" in page and ADDRESS_RU not in page
    feed = client.get("/birthdays/feed.atom?month=12").content.decode()
    assert "Anonymous" not in feed and "Draft" not in feed and ADDRESS_RU not in feed


def test_it_links_the_facility_when_it_has_a_page(client):
    held("linked", born="1990-12-24")
    page = client.get("/birthdays/?month=12").content.decode()
    assert "Colony of linked" in page
    try:
        url = reverse("facility-detail", args=["colony-of-linked"])
    except NoReverseMatch:  # the facility pages are built on another branch
        return
    assert f'href="{url}"' in page


def test_it_gives_the_birthdays_as_a_feed_and_a_printable_list(client):
    held("fed", born="1990-12-24", name="Feed Person")
    feed = client.get("/birthdays/feed.atom?month=12")
    assert feed["Content-Type"].startswith("application/atom+xml")
    text = feed.content.decode()
    assert "Feed Person turns 36" in text and ADDRESS_RU in text
    printed = client.get("/birthdays/print/?month=12").content.decode()
    assert "Feed Person" in printed and ADDRESS_RU in printed
    assert "24 Dec 2026" in printed


def test_it_reads_the_birthdays_in_a_bounded_number_of_queries(client, settings):
    settings.CACHE_SECONDS = 0

    def count(url):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    held("one", born="1990-12-01")
    few = {url: count(url) for url in ("/birthdays/", "/birthdays/print/", "/birthdays/feed.atom")}
    for n in range(20):
        held(f"many-{n}", born=f"1990-12-{n + 2:02d}")
    for url, queries in few.items():
        assert count(url) == queries <= 10, url


def test_it_reads_the_letter_section_without_another_query(client, settings):
    settings.CACHE_SECONDS = 0
    person = held(letters="unknown")
    with CaptureQueriesContext(connection) as without:
        client.get(person.get_absolute_url())
    Person.objects.filter(pk=person.pk).update(letters="yes")
    with CaptureQueriesContext(connection) as with_section:
        page = client.get(person.get_absolute_url()).content.decode()
    assert "Write a letter" in page
    assert len(with_section.captured_queries) == len(without.captured_queries)


def test_it_tells_the_public_an_unrecorded_status_of_a_withheld_person():
    person = held(letters="no", letters_checked_on=date(2026, 1, 1), letters_withheld=True)
    assert letters.public_letters_of(person) == ("unknown", None, "")


# The API.


def test_it_gives_the_letters_and_where_to_write_in_the_api(client, settings):
    settings.API_THROTTLE_RATE = None
    held("api-writer", letters_checked_on=date(2026, 11, 2))
    answer = client.get("/api/prisoners/api-writer/").json()["letters"]
    assert answer == {
        "status": "yes",
        "checked_on": "2026-11-02",
        "address": {
            "addressee": "Мария Колесникова, 1982 г. р.",
            "address_be": ADDRESS_BE,
            "address_ru": ADDRESS_RU,
            "facility": "Colony of api-writer",
        },
    }


def test_it_gives_a_withheld_persons_letters_as_unrecorded_in_the_api(client, settings):
    settings.API_THROTTLE_RATE = None
    held("api-withheld", letters_checked_on=date(2026, 11, 2), letters_withheld=True)
    answer = client.get("/api/prisoners/api-withheld/").json()
    assert answer["letters"] == {"status": "unknown", "checked_on": None, "address": None}
    assert "letters_withheld" not in answer


def test_it_answers_the_letters_as_the_schema_says(api_schema):  # noqa: F811 (the fixture)
    held("contract-writer", letters_checked_on=date(2026, 11, 2))
    for path, params in [
        ("/api/prisoners/{person_id}/", {"person_id": "contract-writer"}),
        ("/api/prisoners/", {}),
    ]:
        case = api_schema.find_operation_by_path("GET", path).Case(path_parameters=params)
        response = case.call()
        assert response.status_code == 200
        assert "contract-writer" in response.text
        case.validate_response(response, checks=CONTRACT)


# The guide in the admin.


def guide_post(guide: Guide, **fields) -> dict:
    latest = guide.history.order_by("-history_date", "-history_id").first()
    data = {"body": guide.body, "body_be": guide.body_be, "body_ru": guide.body_ru}
    data["_version"] = str(latest.history_id) if latest else ""
    return data | fields


def test_an_editor_changes_the_guide_with_history(client, editor):
    guide = Guide.objects.get(key="write")
    client.force_login(editor)
    url = reverse("admin:prisoners_guide_change", args=[guide.pk])
    response = client.post(url, guide_post(guide, body="Write often."))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Guide.objects.get(pk=guide.pk).body == "Write often."
    assert guide.history.latest().history_user == editor
    assert "Write often." in client.get("/write/").content.decode()


def test_a_curator_reads_the_guide_but_cannot_change_it(client, curator):
    guide = Guide.objects.get(key="write")
    client.force_login(curator)
    url = reverse("admin:prisoners_guide_change", args=[guide.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, guide_post(guide, body="Changed.")).status_code == 403
    assert Guide.objects.get(pk=guide.pk).body != "Changed."


def test_nobody_adds_or_deletes_a_guide(admin_client):
    guide = Guide.objects.get(key="write")
    assert admin_client.get(reverse("admin:prisoners_guide_add")).status_code == 403
    delete = reverse("admin:prisoners_guide_delete", args=[guide.pk])
    assert admin_client.get(delete).status_code == 403


def test_a_curator_sets_and_withholds_the_letters_in_the_admin(client, curator):
    person = held("admin-letters", visibility="draft", letters="unknown")
    client.force_login(curator)
    page = client.get(reverse("admin:prisoners_person_change", args=[person.pk])).content
    for field in ("letters", "letters_checked_on", "letters_addressee", "letters_withheld"):
        assert f'name="{field}"'.encode() in page


def test_it_pages_a_long_month_and_answers_404_past_the_end(client, monkeypatch):
    monkeypatch.setattr("prisoners.public.views.BIRTHDAYS_PER_PAGE", 2)
    for n in range(3):
        held(f"paged-{n}", born=f"1990-12-{n + 10:02d}", name=f"Paged {n}")
    first = client.get("/birthdays/?month=12").content.decode()
    assert "Paged 0" in first and "Paged 1" in first and "Paged 2" not in first
    assert "Page 1 of 2" in first
    assert "Paged 2" in client.get("/birthdays/?month=12&page=2").content.decode()
    assert client.get("/birthdays/?month=12&page=3").status_code == 404
    assert client.get("/birthdays/print/?month=12&page=2").status_code == 200


def test_a_merge_may_take_the_letters_of_the_absorbed_person(editor):
    from prisoners import merging

    kept = PersonFactory(person_id="kept", name="Same Person")
    absorbed = PersonFactory(
        person_id="absorbed",
        name="Same Person",
        letters="yes",
        letters_checked_on=date(2026, 11, 2),
        letters_withheld=True,
    )
    taken = ["letters", "letters_checked_on", "letters_withheld"]
    assert set(taken) <= set(merging.differing_fields(kept, absorbed))
    merging.merge(kept, absorbed, taken, editor)
    kept.refresh_from_db()
    assert (kept.letters, kept.letters_checked_on, kept.letters_withheld) == (
        "yes",
        date(2026, 11, 2),
        True,
    )
