"""The demo data tells the seed story, with sources, and loads idempotently."""

import pytest
from django.core.management import call_command

from prisoners.models import Person, ReleaseEvent, SanctionsEvent

from .factories import PersonFactory

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


def test_loading_the_demo_again_keeps_a_curators_edit(demo):
    person = Person.objects.get(person_id="marfa-rabkova")
    person.bio = "Edited by a curator."
    person.save()
    call_command("load_demo", verbosity=0)
    assert Person.objects.get(person_id="marfa-rabkova").bio == "Edited by a curator."


def test_loading_the_demo_again_does_not_bring_back_a_deleted_person(demo):
    Person.objects.get(person_id="ales-bialiatski").delete()
    call_command("load_demo", verbosity=0)
    assert not Person.objects.filter(person_id="ales-bialiatski").exists()


def test_a_deleted_sanctions_event_stays_deleted(demo):
    event = SanctionsEvent.objects.order_by("event_id").first()
    event_id = event.event_id
    event.delete()
    call_command("load_demo", verbosity=0)
    assert not SanctionsEvent.objects.filter(event_id=event_id).exists()


def test_a_demo_person_who_is_someone_recorded_is_skipped_not_duplicated():
    PersonFactory(person_id="viasna-founder", name="Алесь Бяляцкі", born="1962")
    call_command("load_demo", verbosity=0)
    assert not Person.objects.filter(person_id="ales-bialiatski").exists()
    assert Person.objects.filter(search_text__contains="bialiatski").count() == 1
    assert Person.objects.filter(person_id="maria-kalesnikava").exists()


def test_the_demo_records_the_potash_relief_as_a_general_licence_not_a_delisting(demo, client):
    """Headlines said "lifted"; in law a licence authorized dealings while
    the designation and the EU's potash measures stayed in force."""
    relief = SanctionsEvent.objects.get(event_id="2025-12-13-us-potash")
    assert (relief.kind, relief.action) == ("general_licence", "lifted")
    assert {t.target_id for t in relief.targets.all()} == {
        "belaruskali",
        "belarusian-potash-company",
    }
    text = client.get("/releases/2025-12-13-release/").content.decode()
    assert 'data-standing="licensed"' in text
    assert "/sanctions/2021-06-24-eu-potash/" in text  # the EU's measures stayed


def test_every_demo_act_gives_its_official_url_or_says_what_is_illustrative(demo):
    for act in SanctionsEvent.objects.all():
        assert act.official_url or "llustrative" in act.description, act.event_id
    eu = SanctionsEvent.objects.get(event_id="2021-06-24-eu-potash")
    assert eu.official_url == "https://eur-lex.europa.eu/eli/reg/2021/1030/oj"
