import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from prisoners.models import Detention, Person, Release, ReleaseEvent, SanctionsEvent, Source

from .test_status import derived

pytestmark = pytest.mark.django_db


def fingerprint():
    return list(
        Detention.objects.order_by("detention_id").values_list(
            "detention_id",
            "person__name",
            "person__name_be",
            "detained_on_first",
            "detained_on_precision",
            "end_reason",
            "ended_on_first",
        )
    )


def delete_everything():
    Person.objects.all().delete()
    ReleaseEvent.objects.all().delete()
    SanctionsEvent.objects.all().delete()
    Source.objects.all().delete()


def test_synthetic_data_is_the_same_for_the_same_seed():
    call_command("generate_synthetic", persons=150, seed=7, quiet=True)
    first = fingerprint()
    delete_everything()
    call_command("generate_synthetic", persons=150, seed=7, quiet=True)
    assert fingerprint() == first
    delete_everything()
    call_command("generate_synthetic", persons=150, seed=8, quiet=True)
    assert fingerprint() != first


def test_synthetic_data_has_the_mess_of_real_lists():
    call_command("generate_synthetic", persons=400, seed=1, quiet=True)
    people = Person.objects.annotate(n=Count("detentions"))
    assert people.filter(n__gte=2).exists()
    assert Detention.objects.filter(detained_on_precision="month").exists()
    assert Detention.objects.filter(detained_on_first__isnull=True).exists()
    assert Release.objects.filter(release_event__isnull=False).exists()
    assert {"published", "draft", "anonymous"} == set(
        Person.objects.values_list("visibility", flat=True)
    )
    assert Person.objects.exclude(name_be="").count() == 400
    assert Person.objects.filter(search_text__contains="|").exists()
    for person in Person.objects.all()[:200]:
        assert person.status == derived(person)
    # Every end was written as save() would have written it.
    for detention in Detention.objects.select_related("person")[:300]:
        assert (detention.end_reason, detention.ended_on) == detention.compute_end()


def test_it_refuses_a_seed_already_generated():
    call_command("generate_synthetic", persons=5, seed=2, quiet=True)
    with pytest.raises(CommandError, match="already here"):
        call_command("generate_synthetic", persons=5, seed=2, quiet=True)
