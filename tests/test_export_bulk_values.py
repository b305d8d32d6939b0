"""The bulk reader of the export gives exactly the values the model-based
readers give, public or not."""

import pytest
from django.core.management import call_command

from prisoners.interchange.bulk_values import people_values
from prisoners.interchange.columns import detention_values, person_values
from prisoners.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("public", [False, True])
def test_bulk_values_equal_the_model_values(public):
    call_command("load_demo", verbosity=0)
    call_command("generate_synthetic", persons=60, seed=4, quiet=True)
    people = list(Person.objects.order_by("name", "person_id"))
    bulk = list(people_values([p.pk for p in people], public))
    assert [values["person_id"] for values, _ in bulk] == [p.person_id for p in people]
    for person, (values, detentions) in zip(people, bulk, strict=True):
        assert values == person_values(person)
        stored = person.detentions.order_by("detained_on_first", "detention_id")
        expected = sorted(
            (detention_values(d, public) for d in stored),
            key=lambda v: (v["detained_on"] != "", v["detained_on"], v["detention_id"]),
        )
        assert (
            sorted(
                detentions,
                key=lambda v: (v["detained_on"] != "", v["detained_on"], v["detention_id"]),
            )
            == expected
        )
