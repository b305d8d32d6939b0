"""Name search on /prisoners/: any spelling, any script, on both databases."""

import pytest

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    PersonFactory(
        person_id="ales-bialiatski",
        name="Ales Bialiatski",
        name_be="Алесь Бяляцкі",
        name_ru="Алесь Беляцкий",
        aliases="Aleś Bialacki",
    )
    PersonFactory(
        person_id="maria-kalesnikava",
        name="Maria Kalesnikava",
        name_be="Марыя Калеснікава",
        name_ru="Мария Колесникова",
    )
    PersonFactory(person_id="hidden", name="Ales Bialiatski", visibility="draft", sources=[])


def found(client, q: str) -> list[str]:
    response = client.get("/prisoners/", {"q": q}, follow=True)
    assert response.status_code == 200
    return [p.person_id for p in response.context["people"]]


@pytest.mark.parametrize(
    "q",
    [
        "Бяляцкі",
        "БЯЛЯЦКІ",
        "bialiatski",
        "BIALIATSKI",
        "Ales Bialiatski",
        "Bialiatski Ales",
        "Беляцкий",
        "Aleś Białacki",
        "  bialiatski  ",
        "Бяляц",
    ],
)
def test_it_finds_a_person_by_any_spelling(client, people, q):
    assert found(client, q) == ["ales-bialiatski"]


@pytest.mark.parametrize("q", ["Калеснікава", "Колесникова", "kalesnikava", "Maria"])
def test_it_finds_another_person_and_not_the_first(client, people, q):
    assert found(client, q) == ["maria-kalesnikava"]


# A word matches anywhere in a name (the design's contains match): "ales"
# is also in "kALESnikava", so the words here share no letters by chance.
@pytest.mark.parametrize("q", ["Maria Bialiatski", "Бяляцкі Марыя", "Lukashenka"])
def test_every_word_must_match(client, people, q):
    assert found(client, q) == []


def test_an_empty_query_lists_everyone_published(client, people):
    assert found(client, "") == ["ales-bialiatski", "maria-kalesnikava"]


def test_on_postgresql_it_tolerates_a_small_misspelling(client, people, on_postgres):
    assert found(client, "Bialiatsky") == ["ales-bialiatski"]
    assert found(client, "Kalesnikova") == ["maria-kalesnikava"]
    assert found(client, "Bialiatsky Ales") == ["ales-bialiatski"]
    assert found(client, "Bialiatsky Maria") == []


def test_on_postgresql_the_trigram_index_exists(on_postgres):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'person_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition
    assert "gin_trgm_ops" in definition


@pytest.mark.parametrize(("ordering", "reverse"), [("", False), ("name", False), ("-name", True)])
def test_search_results_are_in_name_order_both_ways(client, ordering, reverse):
    for name, person_id in [("Zina Ales", "z"), ("Ales Bialiatski", "b"), ("Ales Adam", "a2")]:
        PersonFactory(person_id=person_id, name=name)
    PersonFactory(person_id="a1", name="Ales Adam")
    response = client.get("/prisoners/", {"q": "ales", "ordering": ordering})
    listed = [p.person_id for p in response.context["people"]]
    by_name = ["a1", "a2", "b", "z"]  # then by person_id
    if reverse:
        by_name = ["z", "b", "a1", "a2"]
    assert listed == by_name
