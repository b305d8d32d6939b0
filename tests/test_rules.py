"""Each domain rule is held by the database itself (writing around clean())
and explained by clean() in words a curator understands."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import pgettext

from prisoners import rules
from prisoners.messages import DATE_NAME, Message
from prisoners.models import Detention, Person, Release, ReleaseEvent
from prisoners.partial_dates import PartialDate

from .factories import (
    DetentionFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def raises_integrity_error(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_the_database_rejects_a_release_before_the_arrest():
    detention = DetentionFactory(detained_on="2021-07-14")
    # The release row is fine on its own; the detention's mirrored end is not.
    raises_integrity_error(
        lambda: Release.objects.create(
            detention=detention, released_on="2021-06-30", release_type="pardon"
        )
    )
    assert not Release.objects.exists()


def test_clean_explains_a_release_before_the_arrest():
    detention = DetentionFactory(detained_on="2021-07-14")
    release = Release(detention=detention, released_on="2021-06", release_type="pardon")
    with pytest.raises(ValidationError) as error:
        release.full_clean()
    assert error.value.message_dict["released_on"] == ["The release is before the arrest."]


def test_a_release_in_the_month_of_the_arrest_is_valid():
    detention = DetentionFactory(detained_on="2021-07-14")
    release = Release(detention=detention, released_on="2021-07", release_type="pardon")
    release.full_clean()
    release.save()
    detention.refresh_from_db()
    assert detention.end_reason == "release"
    assert str(detention.ended_on) == "2021-07"


def test_the_database_rejects_a_sentence_before_the_arrest():
    detention = DetentionFactory(detained_on="2021-07-14")
    detention.sentenced_on = "2021-07-13"
    raises_integrity_error(lambda: Detention.save(detention))


def test_clean_explains_a_sentence_before_the_arrest():
    detention = DetentionFactory.build(
        person=PersonFactory(), detained_on="2021-07-14", sentenced_on="2020"
    )
    with pytest.raises(ValidationError) as error:
        detention.full_clean()
    assert error.value.message_dict["sentenced_on"] == ["The sentence is before the arrest."]


def test_the_database_rejects_death_before_birth():
    raises_integrity_error(lambda: PersonFactory(person_id="x", born="1980-05-01", died_on="1979"))


def test_clean_explains_death_before_birth():
    person = Person(person_id="x", name="X", born="1980-05-01", died_on="1980-04")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict["died_on"] == ["Death is before birth."]


def test_the_database_rejects_a_death_before_the_arrest():
    person = PersonFactory()
    DetentionFactory(person=person, detained_on="2021-07-14")
    person.died_on = "2021-07-01"
    raises_integrity_error(person.save)


def test_the_database_rejects_a_second_open_detention():
    person = PersonFactory()
    DetentionFactory(person=person, detained_on="2020")
    raises_integrity_error(lambda: DetentionFactory(person=person, detained_on="2021"))


def test_clean_explains_a_second_open_detention():
    person = PersonFactory()
    DetentionFactory(person=person, detained_on="2020")
    second = Detention(person=person, detention_id="second", detained_on="2021")
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "already has an open detention" in error.value.message_dict["detained_on"][0]


def test_a_released_person_may_be_detained_again():
    person = PersonFactory()
    ReleaseFactory(detention=DetentionFactory(person=person, detained_on="2020"))
    again = Detention(person=person, detention_id="again", detained_on="2022")
    again.full_clean()
    again.save()
    person.refresh_from_db()
    assert person.status == "in_custody"


def test_a_fine_is_not_an_open_detention():
    person = PersonFactory()
    DetentionFactory(person=person, detained_on="2020", sentence_type="fine")
    DetentionFactory(person=person, detained_on="2021")
    assert person.detentions.ongoing().count() == 1


def test_the_database_rejects_a_negative_sentence():
    raises_integrity_error(lambda: DetentionFactory(sentence_months=-1))


def test_clean_explains_a_negative_sentence():
    detention = DetentionFactory.build(person=PersonFactory(), sentence_months=-3)
    with pytest.raises(ValidationError) as error:
        detention.full_clean()
    assert "cannot be negative" in error.value.message_dict["sentence_months"][0]


@pytest.mark.parametrize("bad_id", ["Viasna-1", "-1", "a b", "ä", "a_b", ""])
def test_the_database_rejects_a_person_id_outside_the_format(bad_id):
    raises_integrity_error(lambda: PersonFactory(person_id=bad_id))


def test_clean_explains_a_person_id_outside_the_format():
    with pytest.raises(ValidationError) as error:
        Person(person_id="Viasna 1", name="X").full_clean()
    assert "lower-case letters, digits" in error.value.message_dict["person_id"][0]


def test_the_database_rejects_an_event_id_without_a_letter():
    raises_integrity_error(lambda: ReleaseEventFactory(event_id="2025-12-13"))
    ReleaseEventFactory(event_id="2025-12-13-release")


def test_clean_explains_an_event_id_without_a_letter():
    event = ReleaseEvent(event_id="2025", title="x", date="2025")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "at least one letter" in error.value.message_dict["event_id"][0]


def test_the_database_rejects_a_duplicate_detention_id():
    DetentionFactory(detention_id="same")
    raises_integrity_error(lambda: DetentionFactory(detention_id="same"))


def test_the_database_rejects_a_duplicate_person_id():
    PersonFactory(person_id="same")
    raises_integrity_error(lambda: PersonFactory(person_id="same"))


def test_the_database_rejects_inconsistent_partial_date_columns():
    person = PersonFactory()
    raises_integrity_error(
        lambda: Person.objects.filter(pk=person.pk).update(born_first="1980-01-01")
    )


def test_the_database_rejects_withdrawal_before_recognition():
    raises_integrity_error(
        lambda: PersonFactory(recognized_on="2022-01-01", recognition_withdrawn_on="2021")
    )


def test_recording_a_death_closes_the_open_detention():
    person = PersonFactory()
    detention = DetentionFactory(person=person, detained_on="2020-03-01")
    person.died_on = "2021-05-21"
    person.save()
    detention.refresh_from_db()
    assert detention.end_reason == "death"
    assert str(detention.ended_on) == "2021-05-21"
    assert not Detention.objects.ongoing().exists()


def test_removing_a_death_reopens_the_detention():
    person = PersonFactory(died_on="2021-05-21")
    detention = DetentionFactory(person=person, detained_on="2020-03-01")
    assert detention.end_reason == "death"
    person.died_on = None
    person.save()
    detention.refresh_from_db()
    assert detention.is_open


def test_deleting_a_release_reopens_the_detention():
    release = ReleaseFactory()
    detention = release.detention
    release.delete()
    detention.refresh_from_db()
    assert detention.is_open


# The rules over values (prisoners/rules.py), as the importer calls them on
# parsed rows: each refused beside the valid case, with its code.


def day(text):
    return PartialDate.parse(text)


def test_a_release_on_the_day_of_the_arrest_passes_and_one_before_is_refused():
    assert rules.release_not_before_arrest(day("2021-07-14"), day("2021-07-14")) is None
    violation = rules.release_not_before_arrest(day("2021-06"), day("2021-07-14"))
    assert (violation.field, violation.code) == ("released_on", "release_before_arrest")
    assert str(violation.line()) == "the release (2021-06) is before the arrest (2021-07-14)"


def test_a_rules_line_is_said_in_the_language_active_when_shown():
    """The line keeps the rule's one wording, with each date after its name
    in the reader's language, however the translation orders the words."""
    line = rules.release_not_before_arrest(day("2021-06"), day("2021-07-14")).line()
    with translation.override("be"):
        assert str(line) == "вызваленне (2021-06) раней за арышт (2021-07-14)"
    with translation.override("ru"):
        assert str(line) == "освобождение (2021-06) раньше ареста (2021-07-14)"
    assert Message.from_data(json.loads(json.dumps(line.as_data()))) == line


def test_unknown_dates_pass_the_order_rules():
    assert rules.release_not_before_arrest(day("2021"), None) is None
    assert rules.sentence_not_before_arrest(None, day("2021")) is None
    assert rules.death_not_before_birth(day("2021"), None) is None


def test_a_death_after_the_arrest_passes_and_one_before_is_refused_naming_the_detention():
    assert rules.death_not_before_arrest(day("2022"), day("2021"), "d-1") is None
    violation = rules.death_not_before_arrest(day("2020"), day("2021-07"), "d-1")
    assert violation.code == "death_before_arrest"
    assert violation.error().messages == ["Death is before the arrest of detention d-1."]
    assert str(violation.line()) == "death (2020) is before the arrest (2021-07) of detention d-1"
    with translation.override("ru"):
        assert str(violation.line()) == "смерть (2020) раньше ареста (2021-07) в задержании d-1"


def test_a_withdrawal_needs_a_recognition_given_before_it():
    assert rules.withdrawal_not_before_recognition(day("2022"), day("2021")) is None
    assert rules.withdrawal_not_before_recognition(None, None) is None
    assert rules.withdrawal_not_before_recognition(day("2022"), None).code == (
        "withdrawn_never_given"
    )
    assert rules.withdrawal_not_before_recognition(day("2020"), day("2021")).code == (
        "withdrawn_before_recognized"
    )


def test_a_detention_ends_by_release_then_a_non_custodial_sentence_then_death():
    released, sentenced, died = day("2023"), day("2022"), day("2024")
    assert rules.detention_end(released, "fine", sentenced, died) == ("release", released)
    assert rules.detention_end(None, "fine", sentenced, died) == ("sentence", sentenced)
    assert rules.detention_end(None, "colony", sentenced, died) == ("death", died)
    assert rules.detention_end(None, "colony", sentenced, None) == ("", None)


def test_only_a_detention_without_an_end_is_open():
    assert rules.is_open(released=False, sentence_type="colony", died=False)
    assert not rules.is_open(released=True, sentence_type="colony", died=False)
    assert not rules.is_open(released=False, sentence_type="in_absentia", died=False)
    assert not rules.is_open(released=False, sentence_type="", died=True)


def test_one_open_detention_passes_and_a_second_is_refused():
    assert rules.one_open_detention(opens=True, another_open=False) is None
    assert rules.one_open_detention(opens=False, another_open=True) is None
    violation = rules.one_open_detention(opens=True, another_open=True)
    assert (violation.field, violation.code) == ("detained_on", "second_open_detention")


def test_a_published_person_needs_a_source_and_a_draft_does_not():
    assert rules.source_to_publish("published", has_source=True) is None
    assert rules.source_to_publish("draft", has_source=False) is None
    violation = rules.source_to_publish("published", has_source=False)
    assert (violation.field, violation.code) == ("visibility", "published_without_source")


def test_published_and_anonymous_people_are_counted_and_drafts_are_not():
    assert set(rules.COUNTED) == {"published", "anonymous"}
    counted = PersonFactory(visibility="anonymous")
    PersonFactory(visibility="draft")
    assert list(Person.objects.counted()) == [counted]


def test_clean_gives_each_refusal_its_code():
    """Beside the database's own refusals (under __all__), each field's."""
    person = Person(
        person_id="x", name="X", born="1980", died_on="1979", recognition_withdrawn_on="2020"
    )
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    errors = error.value.error_dict
    fields = ["died_on", "recognition_withdrawn_on"]
    codes = {field: [e.code for e in errors[field]] for field in fields}
    assert codes == {
        "died_on": ["death_before_birth"],
        "recognition_withdrawn_on": ["withdrawn_never_given"],
    }


def test_a_person_with_a_source_on_a_detention_has_a_source_and_one_without_has_none():
    with_one = DetentionFactory(person__sources=[]).person
    with_one.detentions.get().sources.set([SourceFactory()])
    PersonFactory(sources=[])
    assert list(Person.objects.with_source()) == [with_one]


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_every_rules_line_puts_each_date_after_its_name_in_each_language(language):
    """A translation of a date's name (context messages.DATE_NAME) is the
    very words its wording's translation uses, so no date lands at the end."""
    later, earlier = day("2020"), day("2021-07")
    violations = [
        rules.death_not_before_birth(later, earlier),
        rules.sentence_not_before_arrest(later, earlier),
        rules.release_not_before_arrest(later, earlier),
        rules.death_not_before_arrest(later, earlier, "d-1"),
    ]
    with translation.override(language):
        for violation in violations:
            line = str(violation.line())
            for name, value in violation.line().dates:
                assert f"{pgettext(DATE_NAME, name)} ({value})" in line, line
