from datetime import date

import pytest
from django.utils import translation

from prisoners.models import Person
from prisoners.partial_dates import PartialDate, PartialDateModelForm

from .factories import PersonFactory


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2021-07-14", date(2021, 7, 14), date(2021, 7, 14), "day"),
        ("2021-07", date(2021, 7, 1), date(2021, 7, 31), "month"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "month"),
        ("2021", date(2021, 1, 1), date(2021, 12, 31), "year"),
        (" 1962-09-25 ", date(1962, 9, 25), date(1962, 9, 25), "day"),
    ],
)
def test_it_parses_each_precision_into_first_and_last_day(text, first, last, precision):
    value = PartialDate.parse(text)
    assert (value.first, value.last, value.precision) == (first, last, precision)


@pytest.mark.parametrize("text", ["1954-02-29", "2021-13", "2021-04-31", "2021-00-10"])
def test_it_rejects_impossible_dates(text):
    with pytest.raises(ValueError, match="not a real calendar date"):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["1952-08021", "14.07.2021", "21-07-14", "July 2021", ""])
def test_it_rejects_malformed_dates(text):
    with pytest.raises(ValueError, match="use YYYY-MM-DD, YYYY-MM or YYYY"):
        PartialDate.parse(text)


@pytest.mark.parametrize("text", ["2021", "2021-07", "2021-07-14"])
def test_it_writes_a_date_back_as_it_was_written(text):
    assert str(PartialDate.parse(text)) == text


def test_it_displays_a_date_at_its_precision():
    with translation.override("en"):
        assert PartialDate.parse("2021").display() == "2021"
        assert PartialDate.parse("2021-07").display() == "Jul 2021"
        assert PartialDate.parse("2021-07-14").display() == "14 Jul 2021"


def test_a_month_may_fall_on_or_after_a_day_inside_it():
    arrest = PartialDate.parse("2021-07-14")
    assert PartialDate.parse("2021-07").not_before(arrest)
    assert PartialDate.parse("2021").not_before(arrest)
    assert not PartialDate.parse("2021-06").not_before(arrest)
    assert not PartialDate.parse("2021-07-13").not_before(arrest)


@pytest.mark.django_db
def test_it_round_trips_through_the_database_and_orders_by_first_day():
    PersonFactory(person_id="a", born="1980")
    PersonFactory(person_id="b", born="1980-03")
    PersonFactory(person_id="c", born="1979-12-31")
    people = Person.objects.order_by("born_first", "person_id")
    assert [p.person_id for p in people] == ["c", "a", "b"]
    assert str(Person.objects.get(person_id="b").born) == "1980-03"


@pytest.mark.django_db
def test_range_filters_count_a_partial_date_as_its_first_day():
    PersonFactory(person_id="year", born="1980")
    PersonFactory(person_id="month", born="1980-03")
    born_from_february = Person.objects.filter(born_first__gte=date(1980, 2, 1))
    assert [p.person_id for p in born_from_february] == ["month"]


@pytest.mark.django_db
def test_the_admin_form_takes_one_text_input_per_partial_date():
    class Form(PartialDateModelForm):
        class Meta:
            model = Person
            fields = ["person_id", "name", "visibility"]

    form = Form(data={"person_id": "x", "name": "X", "visibility": "draft"})
    assert "born" not in form.fields

    class FullForm(PartialDateModelForm):
        class Meta:
            model = Person
            fields = ["person_id", "name", "visibility", "born"]

    form = FullForm(
        data={"person_id": "x", "name": "X", "visibility": "draft", "born": "1954-02-29"}
    )
    assert not form.is_valid()
    assert "not a real calendar date" in form.errors["born"][0]
    form = FullForm(data={"person_id": "x", "name": "X", "visibility": "draft", "born": "1954-02"})
    assert form.is_valid(), form.errors
    assert str(form.instance.born) == "1954-02"
