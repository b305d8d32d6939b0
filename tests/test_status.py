"""Status is derived, never typed; the stored copy always equals the rule."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prisoners.models import Detention, Person, Release

from .factories import DetentionFactory, PersonFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def status_of(person):
    person.refresh_from_db()
    return person.status


def test_a_person_without_detentions_is_unknown():
    assert status_of(PersonFactory()) == "unknown"


def test_a_person_with_an_open_detention_is_in_custody():
    assert status_of(DetentionFactory().person) == "in_custody"


def test_a_released_person_is_released():
    assert status_of(ReleaseFactory().detention.person) == "released"


def test_a_person_released_then_detained_again_is_in_custody():
    person = PersonFactory()
    ReleaseFactory(detention=DetentionFactory(person=person, detained_on="2020"))
    DetentionFactory(person=person, detained_on="2022")
    assert status_of(person) == "in_custody"


def test_a_person_who_died_is_deceased_even_when_released():
    person = PersonFactory()
    ReleaseFactory(detention=DetentionFactory(person=person, detained_on="2020"))
    person.died_on = "2024"
    person.save()
    assert status_of(person) == "deceased"


def test_a_person_only_fined_is_unknown():
    person = PersonFactory()
    DetentionFactory(person=person, sentence_type="fine", sentenced_on="2021-02")
    assert status_of(person) == "unknown"


def test_deleting_the_only_detention_makes_the_status_unknown():
    detention = DetentionFactory()
    person = detention.person
    detention.delete()
    assert status_of(person) == "unknown"


def derived(person: Person) -> str:
    """The design's rule, written out independently of the model."""
    if person.died_on:
        return "deceased"
    detentions = list(Detention.objects.filter(person=person))
    if any(d.end_reason == "" for d in detentions):
        return "in_custody"
    if any(Release.objects.filter(detention=d).exists() for d in detentions):
        return "released"
    return "unknown"


steps = st.lists(
    st.sampled_from(["detain", "detain_fined", "release", "unrelease", "die", "revive", "delete"]),
    max_size=8,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_the_stored_status_always_equals_the_derived_one(steps):
    person = PersonFactory()
    year = 2000
    for step in steps:
        year += 1
        open_detention = person.detentions.ongoing().first()
        if step == "detain" and not open_detention and not person.died_on:
            DetentionFactory(person=person, detained_on=str(year))
        elif step == "detain_fined" and not person.died_on:
            DetentionFactory(person=person, detained_on=str(year), sentence_type="fine")
        elif step == "release" and open_detention and not person.died_on:
            ReleaseFactory(detention=open_detention, released_on=str(year))
        elif step == "unrelease":
            release = Release.objects.filter(detention__person=person).last()
            if release and not open_detention:
                release.delete()
        elif step == "die" and not person.died_on:
            person.died_on = str(year)
            person.save()
        elif (
            step == "revive" and person.died_on and not person.detentions.filter(end_reason="death")
        ):
            person.died_on = None
            person.save()
        elif step == "delete" and (detention := person.detentions.last()):
            detention.delete()
        person.refresh_from_db()
        assert person.status == derived(person), steps


def test_a_status_shows_its_label_and_an_unknown_value_itself():
    person = Person(status="in_custody")
    assert person.get_status_display() == "in custody"
    with translation.override("ru"):
        assert person.get_status_display() != "in custody"
    assert Person(status="escaped").get_status_display() == "escaped"
