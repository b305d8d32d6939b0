"""Values as curators write them, read after a mapping; and the mappings
proposed for the headers curators use."""

from datetime import date, datetime

import pytest

from prisoners.interchange.mapping import Mapping, MappingError, headers_key, propose
from prisoners.interchange.values import convert, to_charges, to_count, to_date


@pytest.mark.parametrize(
    "written,read",
    [
        ("14.07.2021", "2021-07-14"),
        ("4.7.2021", "2021-07-04"),
        ("14/07/2021", "2021-07-14"),
        ("07.2021", "2021-07"),
        ("7.2021", "2021-07"),
        ("2021", "2021"),
        ("2021-07-14", "2021-07-14"),
        ("2021-07", "2021-07"),
        (date(2021, 7, 14), "2021-07-14"),
        (datetime(2021, 7, 14, 10, 30), "2021-07-14"),
        (44391, "2021-07-14"),
        (44391.5, "2021-07-14"),
        (2021.0, "2021"),
        ("ліпень 2021", "2021-07"),
        ("июль 2021", "2021-07"),
        ("July 2021", "2021-07"),
        ("14 июля 2021 г.", "2021-07-14"),
        ("14 ліпеня 2021", "2021-07-14"),
        ("снежань 2020", "2020-12"),
        ("Sept 2020", "2020-09"),
    ],
)
def test_it_reads_dates_as_curators_write_them(written, read):
    assert to_date(written, "DMY") == read


def test_it_reads_year_month_day_in_that_order():
    assert to_date("2021.07.14", "YMD") == "2021-07-14"
    assert to_date("2021/7/4", "YMD") == "2021-07-04"


@pytest.mark.parametrize(
    "written,order,message",
    [
        ("31.12.2021", "YMD", "does not start with a four-digit year"),
        ("2021.12.31", "DMY", "does not end in a four-digit year"),
        ("2021.31.12", "YMD", "there is no month 31; is the date order YMD right?"),
        ("12.31.2021", "DMY", "there is no month 31; is the date order DMY right?"),
        ("30.02.2021", "DMY", "is not a real calendar date"),
        ("летом 2021", "DMY", "'летом' is not a month's name"),
        ("вчера", "DMY", "is not a date: write it as DD.MM.YYYY, MM.YYYY or YYYY"),
        (-3, "DMY", "'-3' is not a date"),
    ],
)
def test_it_refuses_a_date_rather_than_guess(written, order, message):
    with pytest.raises(ValueError, match=message):
        to_date(written, order)


@pytest.mark.parametrize(
    "written,read",
    [
        (36.0, "36"),
        (36, "36"),
        ("36", "36"),
        ("36,0", "36"),
        ("3 года 6 месяцев", "42"),
        ("11 лет", "132"),
        ("2 гады", "24"),
        ("5 years", "60"),
        ("18 мес.", "18"),
    ],
)
def test_it_reads_whole_numbers_and_terms(written, read):
    assert to_count(written) == read


@pytest.mark.parametrize("written", [36.5, "пожизненно", "3 года и что-то"])
def test_it_refuses_what_is_not_a_whole_number(written):
    with pytest.raises(ValueError):
        to_count(written)


@pytest.mark.parametrize(
    "written,read",
    [
        ("ч. 1 ст. 342 УК", "342"),
        ("ч.2 ст.293, ч.1 ст.342 УК РБ", "293;342"),
        ("арт. 361-1 КК", "361-1"),
        ("Статья 130", "130"),
        ("342", "342"),
        (342.0, "342"),
        ("342, 361-1", "342;361-1"),
    ],
)
def test_it_reads_charges_as_articles(written, read):
    assert to_charges(written) == read


def test_a_charge_without_an_article_is_an_error():
    with pytest.raises(ValueError, match="names no article"):
        to_charges("хулиганство")


def test_it_reads_gender_words_and_keeps_others_for_the_check():
    assert convert("gender", "м") == "male"
    assert convert("gender", "Жанчына") == "female"
    assert convert("gender", "?") == "?"


def test_an_empty_cell_stays_empty():
    assert convert("detained_on", "  ") == ""
    assert convert("detained_on", None) == ""


def test_it_proposes_columns_for_russian_headers():
    headers = ["ФИО", "Дата задержания", "Статья", "Приговор", "Колония", "Регион", "Пол", "Что-то"]
    proposal = propose(headers)
    assert proposal.columns == {
        "ФИО": "name",
        "Дата задержания": "detained_on",
        "Статья": "charges",
        "Приговор": "sentence_months",
        "Колония": "facility",
        "Регион": "region",
        "Пол": "gender",
    }
    assert proposal.dates == "DMY"


def test_it_proposes_columns_for_belarusian_headers():
    headers = ["Прозвішча, імя", "Дата затрымання", "Артыкул", "Прысуд", "Калонія", "Рэгіён"]
    assert propose(headers).columns == {
        "Прозвішча, імя": "name",
        "Дата затрымання": "detained_on",
        "Артыкул": "charges",
        "Прысуд": "sentence_months",
        "Калонія": "facility",
        "Рэгіён": "region",
    }


def test_it_proposes_each_column_once_and_year_month_day_for_english_headers():
    proposal = propose(["Name", "Full name", "person_id", "Date of birth"])
    assert proposal.columns == {"Name": "name", "person_id": "person_id", "Date of birth": "born"}
    assert proposal.dates == "YMD"


def test_a_saved_mapping_comes_before_the_proposals():
    saved = Mapping({"ФИО": None, "Кличка": "aliases"}, "YMD")
    proposal = propose(["ФИО", "Кличка", "Статья"], saved)
    assert proposal.columns == {"ФИО": None, "Кличка": "aliases", "Статья": "charges"}
    assert proposal.dates == "YMD"


def test_headers_match_whatever_their_case_spaces_and_yo():
    assert headers_key(["ФИО ", "Дата  задержания:"]) == headers_key(["дата задержания", "фио"])
    assert Mapping({"Осуждён": "sentenced_on"}).column_of(" осужден ") == (True, "sentenced_on")


def test_a_mapping_file_round_trips():
    data = {"columns": {"ФИО": "name", "Заметки": None}, "dates": "YMD"}
    assert Mapping.from_dict(data).as_dict() == data


def test_a_mapping_file_of_another_form_is_refused():
    with pytest.raises(MappingError):
        Mapping.from_dict({"columns": ["ФИО"]})
