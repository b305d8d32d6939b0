"""No private field in any public shape: the API's serializers and the
public form of the CSV files are checked against prisoners.privacy."""

import inspect

import pytest
from rest_framework import serializers

from prisoners import privacy
from prisoners.api import serializers as shapes
from prisoners.interchange.exporter import (
    prisoner_rows,
    release_event_rows,
    sanctions_event_rows,
)
from prisoners.interchange.facilities import facility_rows, stay_rows
from prisoners.interchange.sentence_changes import sentence_change_rows
from prisoners.models import Person, ReleaseEvent, SanctionsEvent

# Serializers that are not ModelSerializers: a release, a term and days in
# custody (derived from public dates), and figures.
PLAIN_SERIALIZERS = {
    "ReleaseSerializer",
    "TermSerializer",
    "DaysInCustodySerializer",
    "HeldPointSerializer",
    "ReleasesPointSerializer",
    "HeldSeriesSerializer",
    "ReleasesSeriesSerializer",
    # What changed: a person's id, name and public dates, and counts.
    "ChangeSerializer",
    "ChangeGroupSerializer",
    "ChangesSerializer",
    # A person's letters and where to write (letters.public_letters,
    # letters.letter_address): values the person's own serializer checks.
    "LettersSerializer",
    "LetterAddressSerializer",
}


def public_serializers() -> list[type[serializers.Serializer]]:
    return [
        cls
        for _name, cls in inspect.getmembers(shapes, inspect.isclass)
        if issubclass(cls, serializers.BaseSerializer) and cls.__module__ == shapes.__name__
    ]


def exposed(serializer_class) -> set[str]:
    """The private field names a serializer would show, by field name or source."""
    private = privacy.private_field_names()
    found = set()
    for name, field in serializer_class().get_fields().items():
        source = field.source or name
        for part in {name, *source.split(".")}:
            if part in private:
                found.add(part)
    return found


def test_every_private_field_names_a_field_of_its_model():
    for model, names in privacy.PRIVATE_FIELDS.items():
        model_fields = {f.name for f in model._meta.get_fields()}
        assert names <= model_fields, model


def test_internal_notes_is_private():
    assert "internal_notes" in privacy.PRIVATE_FIELDS[Person]


def test_whether_letters_are_withheld_is_private():
    assert "letters_withheld" in privacy.PRIVATE_FIELDS[Person]


@pytest.mark.parametrize("serializer_class", public_serializers(), ids=lambda c: c.__name__)
def test_no_serializer_shows_a_private_field(serializer_class):
    assert serializer_class.__name__ in PLAIN_SERIALIZERS or hasattr(serializer_class, "Meta"), (
        "a new serializer: say in PLAIN_SERIALIZERS what it shows"
    )
    assert exposed(serializer_class) == set()


def test_the_check_catches_a_serializer_that_shows_internal_notes():
    class Leaky(shapes.PersonSerializer):
        class Meta(shapes.PersonSerializer.Meta):
            fields = [*shapes.PersonSerializer.Meta.fields, "internal_notes"]

    class Renamed(shapes.PersonSerializer):
        notes = serializers.CharField(source="internal_notes")

        class Meta(shapes.PersonSerializer.Meta):
            fields = [*shapes.PersonSerializer.Meta.fields, "notes"]

    assert exposed(Leaky) == {"internal_notes"}
    assert exposed(Renamed) == {"internal_notes"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "model"),
    [
        (prisoner_rows, Person),
        (release_event_rows, ReleaseEvent),
        (sanctions_event_rows, SanctionsEvent),
        (sentence_change_rows, Person),
    ],
    ids=["prisoners", "release_events", "sanctions_events", "sentence_changes"],
)
def test_no_public_csv_column_is_a_private_field(rows, model):
    header = next(rows(model.objects.none(), public=True))
    assert set(header) & privacy.private_field_names() == set()
    # The full form keeps them: the check reads real columns.
    full = next(rows(model.objects.none(), public=False))
    private = privacy.PRIVATE_FIELDS.get(model, set()) | privacy.PRIVATE_COLUMNS
    assert set(full) - set(header) == (private & set(full))


def test_the_csv_of_changes_has_no_private_column():
    from prisoners.public.what_changed import COLUMNS

    assert set(COLUMNS) & privacy.private_field_names() == set()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [facility_rows, stay_rows], ids=["facilities", "stays"])
def test_no_public_facility_or_stay_column_is_a_private_field(rows):
    header = next(rows(public=True))
    assert set(header) & privacy.private_field_names() == set()
