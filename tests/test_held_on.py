"""Who is held on a day, and the headline count of recognized political
prisoners held on a day."""

from datetime import date

import pytest

from prisoners.models import Detention, Person
from prisoners.querysets import recognized_held_count

from .factories import DetentionFactory, PersonFactory, ReleaseFactory

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def held(day: str) -> list[str]:
    return sorted(Person.objects.published().held_on(D(day)).values_list("person_id", flat=True))


def test_a_person_is_held_on_the_day_of_arrest_but_not_the_day_of_release():
    detention = DetentionFactory(person__person_id="ales", detained_on="2021-07-14")
    ReleaseFactory(detention=detention, released_on="2025-12-13")
    assert held("2021-07-13") == []
    assert held("2021-07-14") == ["ales"]
    assert held("2025-12-12") == ["ales"]
    assert held("2025-12-13") == []


def test_an_open_detention_is_held_on_every_day_from_its_start():
    DetentionFactory(person__person_id="open", detained_on="2020-09-07")
    assert held("2020-09-06") == []
    assert held("2030-01-01") == ["open"]


def test_a_detention_with_an_unknown_start_is_held_on_no_day():
    DetentionFactory(person__person_id="unknown", detained_on=None)
    assert held("2021-01-01") == []
    assert Detention.objects.ongoing().count() == 1


def test_a_partial_start_counts_from_its_first_day():
    DetentionFactory(person__person_id="month", detained_on="2021-07")
    assert held("2021-06-30") == []
    assert held("2021-07-01") == ["month"]


def test_a_partial_release_ends_on_its_first_day():
    detention = DetentionFactory(person__person_id="p", detained_on="2021-03-05")
    ReleaseFactory(detention=detention, released_on="2021-07")
    assert held("2021-06-30") == ["p"]
    assert held("2021-07-01") == []


def test_a_death_in_custody_ends_being_held():
    person = PersonFactory(person_id="died")
    DetentionFactory(person=person, detained_on="2020-03-01")
    person.died_on = "2021-05-21"
    person.save()
    assert held("2021-05-20") == ["died"]
    assert held("2021-05-21") == []


def test_a_fine_is_held_until_sentencing_and_without_a_sentencing_date_never():
    DetentionFactory(
        person__person_id="fined",
        detained_on="2021-01-10",
        sentence_type="fine",
        sentenced_on="2021-02-01",
    )
    DetentionFactory(
        person__person_id="fined-undated", detained_on="2021-01-10", sentence_type="fine"
    )
    assert held("2021-01-31") == ["fined"]
    assert held("2021-02-01") == []


def test_a_person_detained_twice_is_held_in_each_period_and_not_between():
    person = PersonFactory(person_id="twice")
    ReleaseFactory(
        detention=DetentionFactory(person=person, detained_on="2020-08-10"),
        released_on="2020-08-20",
    )
    DetentionFactory(person=person, detained_on="2021-01-05")
    assert held("2020-08-15") == ["twice"]
    assert held("2020-12-01") == []
    assert held("2021-06-01") == ["twice"]


def test_the_count_includes_only_people_recognized_by_that_day():
    DetentionFactory(person__recognized_on="2021-08-01", detained_on="2021-07-14")
    assert recognized_held_count(D("2021-07-31")) == 0
    assert recognized_held_count(D("2021-08-01")) == 1


def test_the_count_drops_people_whose_recognition_was_withdrawn():
    DetentionFactory(
        person__recognized_on="2021-08-01",
        person__recognition_withdrawn_on="2022-03-01",
        detained_on="2021-07-14",
    )
    assert recognized_held_count(D("2022-02-28")) == 1
    assert recognized_held_count(D("2022-03-01")) == 0


def test_the_count_includes_anonymous_people_but_not_drafts():
    for visibility in ["published", "anonymous", "draft"]:
        DetentionFactory(
            person__visibility=visibility, person__recognized_on="2021", detained_on="2021-02-01"
        )
    assert recognized_held_count(D("2021-03-01")) == 2
    assert held("2021-03-01") == sorted(
        Person.objects.published().values_list("person_id", flat=True)
    )
    assert len(held("2021-03-01")) == 1


def test_a_person_with_two_detentions_held_counts_once():
    person = PersonFactory(recognized_on="2020")
    ReleaseFactory(
        detention=DetentionFactory(person=person, detained_on="2020-01-01"),
        released_on="2020-06-01",
    )
    DetentionFactory(
        person=person, detained_on="2020-03-01", sentence_type="fine", sentenced_on="2020-04-01"
    )
    assert Detention.objects.held_on(D("2020-03-15")).count() == 2
    assert recognized_held_count(D("2020-03-15")) == 1
    assert Person.objects.held_on(D("2020-03-15")).count() == 1
