"""An import parses each distinct date text once, and reads the dates as
before: the same values, the same errors on every row that gives them."""

import pytest

from prisoners.interchange import dates
from prisoners.interchange.importer import run_import
from prisoners.models import Detention, Person, Release
from prisoners.partial_dates import PartialDate

pytestmark = pytest.mark.django_db

ROWS = (
    "person_id,name,born,detained_on,sentenced_on,released_on,release_type\n"
    "p-1,N,1980,2021-07-14,2021-07,2022-01-02,pardon\n"
    "p-2,M,1980-05,2021-07-14,2021-07,2022-01-02,pardon\n"
    "p-3,K,,2021-07-14,,,\n"
)


def test_each_distinct_date_text_is_parsed_once_an_import(monkeypatch):
    parsed = []
    real = PartialDate.parse.__func__

    def counting(cls, text):
        parsed.append(text)
        return real(cls, text)

    monkeypatch.setattr(PartialDate, "parse", classmethod(counting))
    result = run_import([("p.csv", ROWS.encode())])
    assert result.ok, result.errors
    assert sorted(parsed) == ["1980", "1980-05", "2021-07", "2021-07-14", "2022-01-02"]
    people = {p.person_id: p for p in Person.objects.all()}
    assert (str(people["p-1"].born), str(people["p-2"].born), people["p-3"].born) == (
        "1980",
        "1980-05",
        None,
    )
    first = Detention.objects.get(detention_id="p-1-2021-07-14")
    assert (str(first.detained_on), str(first.sentenced_on)) == ("2021-07-14", "2021-07")
    assert str(first.release.released_on) == "2022-01-02"
    assert not Release.objects.filter(detention__detention_id="p-3-2021-07-14").exists()


def test_a_bad_date_repeated_across_rows_is_reported_on_each_row():
    rows = "person_id,name,detained_on\np-1,N,2021-02-30\np-2,M,2021-02-30\n"
    result = run_import([("p.csv", rows.encode())])
    assert result.errors == [
        "p.csv:2: detained_on: '2021-02-30' is not a real calendar date",
        "p.csv:3: detained_on: '2021-02-30' is not a real calendar date",
    ]


def test_outside_an_import_nothing_is_kept():
    assert str(dates.parse("2021-07")) == "2021-07"
    with dates.parsed_once():
        assert dates.written("2021-07-01") == "2021-07-01"
        assert dates._parsed.get() == {"2021-07-01": (dates.parse("2021-07-01"), "2021-07-01")}
    assert dates._parsed.get() is None
