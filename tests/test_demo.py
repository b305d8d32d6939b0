"""The demo data tells the seed story, with sources, and loads idempotently."""

import pytest
from django.core.management import call_command

from prisoners.models import Person, ReleaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_the_demo_tells_the_release_of_123_and_the_lifted_potash_sanctions(demo):
    release = ReleaseEvent.objects.get(event_id="2025-12-13-release")
    assert release.announced_count == 123
    assert str(release.date) == "2025-12-13"
    assert "Coale" in release.negotiator
    sanctions = release.sanctions.get()
    assert (sanctions.authority, sanctions.action, sanctions.sector) == ("US", "lifted", "potash")
    freed = set(
        Person.objects.filter(detentions__release__release_event=release).values_list(
            "name", flat=True
        )
    )
    assert {"Ales Bialiatski", "Maria Kalesnikava"} <= freed


def test_the_demo_names_viasna_and_its_imprisoned_members(demo):
    viasna_members = Person.objects.filter(organizations__name="Viasna")
    assert set(viasna_members.values_list("name", flat=True)) >= {
        "Ales Bialiatski",
        "Marfa Rabkova",
    }
    assert Person.objects.get(name="Marfa Rabkova").status == "in_custody"


def test_every_published_demo_person_has_a_source_and_inventions_say_illustrative(demo):
    with_source = set(Person.objects.with_source())
    for person in Person.objects.published():
        assert person in with_source, person
        urls = " ".join(person.sources.values_list("url", flat=True))
        if "example.org" in urls:
            assert "llustrative" in person.bio, person


def test_the_demo_has_a_draft_an_anonymous_person_and_a_death_in_custody(demo):
    assert Person.objects.filter(visibility="draft").exists()
    assert Person.objects.filter(visibility="anonymous").exists()
    assert Person.objects.get(person_id="vitold-ashurak").detentions.get().end_reason == "death"


def test_loading_the_demo_twice_changes_nothing(demo):
    before = Person.history.count(), Person.objects.count()
    call_command("load_demo", verbosity=0)
    assert (Person.history.count(), Person.objects.count()) == before
