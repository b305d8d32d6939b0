"""Facilities as records and where a person is held over time: the stay
rules, the admin's stays, the public facility pages (who is held there,
never an unnamed person) and the person's transfers."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prisoners import rules
from prisoners.models import Detention, Facility, Stay
from prisoners.partial_dates import PartialDate

from .factories import DetentionFactory, FacilityFactory, PersonFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

P = PartialDate.parse


def codes(violations):
    return [v.code for v in violations]


def test_it_accepts_a_stay_within_its_detention():
    assert rules.stay_within_detention(P("2021-08"), P("2022"), P("2021-07-14"), P("2023")) == []
    assert rules.stay_within_detention(None, None, None, None) == []


def test_it_refuses_a_stay_before_the_arrest():
    violations = rules.stay_within_detention(P("2021-06"), None, P("2021-07-14"), None)
    assert codes(violations) == [rules.Code.STAY_BEFORE_ARREST]
    assert str(violations[0].line()) == ("the stay (2021-06) begins before the arrest (2021-07-14)")


def test_it_refuses_a_stay_after_the_detentions_end():
    late_end = rules.stay_within_detention(P("2021"), P("2024"), P("2021"), P("2023-05"))
    assert codes(late_end) == [rules.Code.STAY_AFTER_END]
    assert late_end[0].field == "ended_on"
    late_start = rules.stay_within_detention(P("2024"), None, P("2021"), P("2023-05"))
    assert late_start[0].field == "started_on"


def test_it_refuses_a_stay_that_ends_before_it_begins():
    violations = rules.stay_within_detention(P("2022-05"), P("2022-01"), None, None)
    assert codes(violations) == [rules.Code.STAY_END_BEFORE_START]


def test_a_stays_clean_names_its_field():
    detention = DetentionFactory(detained_on="2021-07-14")
    stay = Stay(detention=detention, facility=FacilityFactory(), started_on=P("2021-01"))
    with pytest.raises(ValidationError) as error:
        stay.full_clean()
    assert error.value.error_dict["started_on"][0].code == rules.Code.STAY_BEFORE_ARREST


def test_the_database_refuses_a_stay_ending_before_it_begins():
    detention = DetentionFactory(detained_on="2021-07-14")
    facility = FacilityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Stay.objects.create(
            detention=detention, facility=facility, started_on=P("2022"), ended_on=P("2021")
        )


def test_the_detentions_facility_is_its_last_stays():
    detention = DetentionFactory(detained_on="2021-07-14", facility=FacilityFactory(name="SIZO-1"))
    colony = FacilityFactory(name="Colony 9")
    first = detention.stays.get()
    first.ended_on = P("2022-03")
    first.save()
    Stay.objects.create(detention=detention, facility=colony, started_on=P("2022-03"))
    assert Detention.objects.get(pk=detention.pk).facility == colony
    Stay.objects.get(facility=colony).delete()
    assert Detention.objects.get(pk=detention.pk).facility.name == "SIZO-1"


# The admin


def test_the_detention_page_edits_stays_and_shows_the_facility_read_only(admin_client):
    detention = DetentionFactory(detained_on="2021-07-14", facility=FacilityFactory(name="SIZO-1"))
    page = admin_client.get(reverse("admin:prisoners_detention_change", args=[detention.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert 'name="stays-0-started_on"' in content
    assert ' name="facility"' not in content
    person_page = admin_client.get(
        reverse("admin:prisoners_person_change", args=[detention.person.pk])
    ).content.decode()
    assert "#stays-group" in person_page
    assert 'name="detentions-0-facility"' not in person_page


def test_a_curator_may_add_a_stay_and_edit_a_facility(curator):
    assert curator.has_perm("prisoners.add_stay")
    assert curator.has_perm("prisoners.delete_stay")
    assert curator.has_perm("prisoners.change_facility")
    assert not curator.has_perm("prisoners.delete_facility")


def test_the_facility_admin_makes_an_id_from_the_name(admin_client):
    response = admin_client.post(
        reverse("admin:prisoners_facility_add"),
        {"name": "Пенітэнцыярная калонія № 3", "kind": "colony", "_version": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Facility.objects.get().facility_id == "penitentsyyarnaya-kaloniya-3"


# Public pages


def held(person, facility, **stay):
    detention = DetentionFactory(person=person, detained_on="2021-07-14")
    Stay.objects.create(detention=detention, facility=facility, **stay)
    return detention


def test_the_list_counts_only_published_people_held_now(client):
    colony = FacilityFactory(name="Penal colony No. 9", kind="colony", region="Minsk")
    held(PersonFactory(name="Ales Named"), colony)
    held(PersonFactory(name="Hidden One", visibility="anonymous"), colony)
    held(PersonFactory(name="Draft One", visibility="draft"), colony)
    released = held(PersonFactory(name="Freed One"), colony)
    ReleaseFactory(detention=released, released_on="2025-12-13", release_type="pardon")
    content = client.get("/facilities/").content.decode()
    assert 'data-held-now="1"' in content
    assert "never counted per facility" in content
    page = client.get(colony.get_absolute_url()).content.decode()
    assert "Ales Named" in page and "Freed One" in page
    assert "Hidden One" not in page and "Draft One" not in page


def test_a_facility_only_unnamed_people_stayed_in_is_not_public(client):
    secret = FacilityFactory(name="Secret place")
    held(PersonFactory(visibility="anonymous"), secret)
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert "Secret place" not in client.get("/facilities/").content.decode()


def test_the_list_filters_by_kind_and_region_and_refuses_an_unknown_kind(client):
    held(PersonFactory(), FacilityFactory(name="Colony A", kind="colony", region="Minsk"))
    held(PersonFactory(), FacilityFactory(name="SIZO B", kind="pretrial", region="Homiel"))
    content = client.get("/facilities/?kind=colony&region=minsk").content.decode()
    assert "Colony A" in content and "SIZO B" not in content
    bad = client.get("/facilities/?kind=palace")
    assert bad.status_code == 400
    assert "palace" in bad.content.decode()


def test_the_facility_page_shows_the_address_and_dates_at_their_precision(client):
    colony = FacilityFactory(
        name="Penal colony No. 9",
        name_be="Папраўчая калонія № 9",
        address_be="вул. Прыкладная, 1 (illustrative)",
        address_ru="ул. Примерная, 1 (illustrative)",
        address_checked_on="2025-11-30",
    )
    held(PersonFactory(name="Ales Named"), colony, started_on=P("2023-03"))
    content = client.get(colony.get_absolute_url()).content.decode()
    assert "вул. Прыкладная" in content and "ул. Примерная" in content
    assert "30 Nov 2025" in content or "30 November 2025" in content
    assert 'datetime="2023-03"' in content
    be = client.get("/be" + colony.get_absolute_url()).content.decode()
    assert "<h1>Папраўчая калонія № 9</h1>" in be


def test_the_facility_page_pages_past_the_end_are_404(client):
    colony = FacilityFactory(name="Penal colony No. 9")
    held(PersonFactory(), colony)
    assert client.get(colony.get_absolute_url() + "?page=9").status_code == 404
    assert client.get(colony.get_absolute_url() + "?now=x").status_code == 404


def test_the_person_page_shows_the_facility_now_and_each_transfer(client):
    person = PersonFactory(name="Ales Named")
    detention = held(
        person, FacilityFactory(name="SIZO-1 Minsk"), started_on=P("2021-07-14"), ended_on=P("2022")
    )
    Stay.objects.create(
        detention=detention, facility=FacilityFactory(name="Colony 9"), started_on=P("2022-05")
    )
    content = client.get(person.get_absolute_url()).content.decode()
    assert "Held now at" in content
    assert content.count('href="/facilities/colony-9/"') == 2
    assert "Transferred" in content
    assert 'href="/facilities/sizo-1-minsk/"' in content


def build_many_stays(n: int) -> Facility:
    colony = FacilityFactory(name="Penal colony No. 9", region="Minsk")
    for i in range(n):
        detention = held(PersonFactory(name=f"Person {i}"), colony)
        if i % 2:
            ReleaseFactory(detention=detention, released_on="2025-12-13", release_type="pardon")
        Stay.objects.create(detention=detention, facility=FacilityFactory(name=f"Colony {i % 5}"))
    return colony


@pytest.mark.parametrize("url", ["/facilities/", "/be/facilities/", "facility"])
def test_the_facility_pages_run_a_bounded_number_of_queries(client, settings, url):
    settings.CACHE_SECONDS = 0
    colony = build_many_stays(120)
    url = colony.get_absolute_url() if url == "facility" else url
    client.get(url)  # the stored figures are built by the first reader
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    assert len(context.captured_queries) <= 10, [q["sql"] for q in context.captured_queries]


def test_the_admin_refuses_a_stay_before_the_arrest(admin_client):
    detention = DetentionFactory(detained_on="2021-07-14")
    url = reverse("admin:prisoners_detention_change", args=[detention.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        person=detention.person.pk,
        detention_id=detention.detention_id,
        detained_on="2021-07-14",
        _version=form.initial["_version"] or "",
        sources=[s.pk for s in detention.sources.all()],
        **{
            "release-TOTAL_FORMS": "0",
            "release-INITIAL_FORMS": "0",
            "stays-TOTAL_FORMS": "1",
            "stays-INITIAL_FORMS": "0",
            "stays-0-facility": FacilityFactory(name="SIZO-1").pk,
            "stays-0-started_on": "2021-06",
            "stays-0-ended_on": "",
            "sentence_changes-TOTAL_FORMS": "0",
            "sentence_changes-INITIAL_FORMS": "0",
        },
    )
    data = {k: v for k, v in data.items() if k not in ("end_reason", "ended_on")}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "The stay begins before the arrest." in response.content.decode()
    assert not Stay.objects.exists()
    data["stays-0-started_on"] = "2021-07-14"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Detention.objects.get().facility.name == "SIZO-1"


def test_the_api_lists_public_facilities_with_their_count(client):
    colony = FacilityFactory(name="Penal colony No. 9", kind="colony", address_ru="ул. 1")
    held(PersonFactory(), colony)
    held(PersonFactory(visibility="anonymous"), colony)
    listed = client.get("/api/facilities/?kind=colony").json()["results"]
    assert [(f["id"], f["held_now"], f["address_ru"]) for f in listed] == [
        ("penal-colony-no-9", 1, "ул. 1")
    ]
    assert client.get("/api/facilities/penal-colony-no-9/").json()["kind"] == "colony"
    assert client.get("/api/facilities/?kind=palace").status_code == 400
