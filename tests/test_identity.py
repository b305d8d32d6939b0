"""One person, one record: who a new record probably describes."""

import pytest

from prisoners.identity import MatchIndex, births_compatible, probable_matches
from prisoners.models import NotSameAs
from prisoners.partial_dates import PartialDate
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def day(text):
    return PartialDate.parse(text)


@pytest.fixture
def bialiatski():
    return PersonFactory(
        person_id="viasna-1",
        name="Ales Bialiatski",
        name_be="Алесь Бяляцкі",
        name_ru="Алесь Беляцкий",
        born="1962-09-25",
    )


def test_a_name_in_another_script_or_order_matches(bialiatski):
    for names in (["Бяляцкі Алесь"], ["ALES BIALIATSKI"], ["Bialiatski Ales"]):
        assert [r.person_id for r in probable_matches(names, None)] == ["viasna-1"]
        assert [r.person_id for r in MatchIndex().matches(names, None)] == ["viasna-1"]


def test_an_alias_matches_and_a_different_name_does_not():
    PersonFactory(person_id="p-1", name="Maria Kalesnikava", aliases="Maria Kolesnikova")
    assert [r.person_id for r in probable_matches(["Maria Kolesnikova"], None)] == ["p-1"]
    assert probable_matches(["Maria Kalesnik"], None) == []


def test_contradicting_births_do_not_match_and_overlapping_ones_do(bialiatski):
    assert probable_matches(["Ales Bialiatski"], day("1970")) == []
    assert [r.person_id for r in probable_matches(["Ales Bialiatski"], day("1962"))] == ["viasna-1"]
    assert births_compatible(day("1962"), day("1962-09-25"))
    assert not births_compatible(day("1962-09"), day("1962-10-01"))
    assert births_compatible(None, day("1962"))


def test_people_said_to_be_different_are_not_proposed_again(bialiatski):
    namesake = PersonFactory(person_id="other-1", name="Ales Bialiatski")
    assert [r.person_id for r in probable_matches(["Ales Bialiatski"], None)] == [
        "other-1",
        "viasna-1",
    ]
    NotSameAs.record(namesake, bialiatski)
    assert probable_matches(["Ales Bialiatski"], None, exclude_pk=namesake.pk) == []
    assert MatchIndex().said_different(bialiatski.pk, namesake.pk)


def test_a_match_is_described_as_problems_name_it(bialiatski):
    (match,) = probable_matches(["Ales Bialiatski"], None)
    assert str(match.describe()) == "viasna-1 (Ales Bialiatski, born 1962-09-25)"
