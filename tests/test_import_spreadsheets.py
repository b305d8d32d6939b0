"""Importing spreadsheets and curators' own files on the command line:
each format, a mapping file, and every bad input with a clear message and
nothing written."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from python_calamine import PasswordError

from prisoners.interchange import sheets
from prisoners.models import Detention, Person

from .spreadsheets import ods, xls, xlsx
from .test_interchange_import import history_count, record_counts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Files are named as a curator names them, without a directory."""
    monkeypatch.chdir(tmp_path)


OURS = [
    ["person_id", "name", "detained_on", "sentence_months", "charges"],
    ["p-1", "Ales Bialiatski", date(2021, 7, 14), 36.0, "342"],
    ["p-2", "Maria Kalesnikava", "2020-09-07", "", ""],
]
RUSSIAN = [
    ["ID", "ФИО", "Дата задержания", "Статья", "Приговор", "Колония", "Пол", "Заметки"],
    ["p-1", "Беляцкий Алесь", "14.07.2021", "ч. 2 ст. 228 УК", 120, "ИК-9", "м", "x"],
    ["p-2", "Колесникова Мария", date(2020, 9, 7), "ст. 361, ст.357", "11 лет", "ИК-4", "ж", ""],
    ["p-3", "Лосик Игорь", "июнь 2020", "", "", "", "", ""],
]
MAPPING = {
    "columns": {
        "ID": "person_id",
        "ФИО": "name",
        "Дата задержания": "detained_on",
        "Статья": "charges",
        "Приговор": "sentence_months",
        "Колония": "facility",
        "Пол": "gender",
        "Заметки": None,
    },
    "dates": "DMY",
}


def write(tmp_path, name: str, data: bytes) -> str:
    (tmp_path / name).write_bytes(data)
    return name


def mapping_file(tmp_path, mapping=MAPPING) -> str:
    return write(tmp_path, "mapping.json", json.dumps(mapping, ensure_ascii=False).encode())


def import_records(*args) -> tuple[str, str, int]:
    """Run the command: (stdout, stderr, exit status)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_records", *args, "--quiet", stdout=out, stderr=err)
    except SystemExit as exit:
        return out.getvalue(), err.getvalue(), exit.code
    return out.getvalue(), err.getvalue(), 0


def rejected(*args) -> list[str]:
    """The command's error lines; it must fail and write nothing."""
    before, history = record_counts(), history_count()
    _out, err, status = import_records(*args)
    assert status == 1
    assert record_counts() == before
    assert history_count() == history
    return err.splitlines()


def assert_russian_list_imported():
    bialiatski = Person.objects.get(person_id="p-1")
    assert bialiatski.name == "Беляцкий Алесь"
    assert bialiatski.gender == "male"
    detention = Detention.objects.get(person=bialiatski)
    assert str(detention.detained_on) == "2021-07-14"
    assert detention.sentence_months == 120
    assert detention.facility.name == "ИК-9"
    assert [c.article for c in detention.charges.all()] == ["228"]
    kalesnikava = Detention.objects.get(person__person_id="p-2")
    assert str(kalesnikava.detained_on) == "2020-09-07"
    assert kalesnikava.sentence_months == 132
    assert sorted(c.article for c in kalesnikava.charges.all()) == ["357", "361"]
    assert str(Detention.objects.get(person__person_id="p-3").detained_on) == "2020-06"


# Each format


@pytest.mark.parametrize("name,make", [("p.xlsx", xlsx), ("p.xls", xls), ("p.ods", ods)])
def test_it_imports_a_spreadsheet_with_our_headers(tmp_path, name, make):
    _out, err, status = import_records(write(tmp_path, name, make(OURS)))
    assert status == 0, err
    detention = Detention.objects.get(person__person_id="p-1")
    assert str(detention.detained_on) == "2021-07-14"
    assert detention.sentence_months == 36
    assert Person.objects.count() == 2


@pytest.mark.parametrize("name,make", [("list.xlsx", xlsx), ("list.xls", xls), ("list.ods", ods)])
def test_it_imports_a_spreadsheet_with_russian_headers_through_a_mapping(tmp_path, name, make):
    _out, err, status = import_records(
        write(tmp_path, name, make(RUSSIAN)), "--mapping", mapping_file(tmp_path)
    )
    assert status == 0, err
    assert_russian_list_imported()


def csv_text(rows) -> str:
    return "".join(",".join(f'"{c}"' for c in row) + "\r\n" for row in rows)


RUSSIAN_CSV = [[str(c) if not isinstance(c, date) else "07.09.2020" for c in r] for r in RUSSIAN]


def test_it_imports_a_utf8_csv_through_a_mapping(tmp_path):
    data = csv_text(RUSSIAN_CSV).encode("utf-8-sig")
    _out, err, status = import_records(
        write(tmp_path, "list.csv", data), "--mapping", mapping_file(tmp_path)
    )
    assert status == 0, err
    assert_russian_list_imported()


def test_it_reads_a_windows_1251_csv_when_told(tmp_path):
    path = write(tmp_path, "list.csv", csv_text(RUSSIAN_CSV).encode("cp1251"))
    errors = rejected(path, "--mapping", mapping_file(tmp_path))
    assert "save it as CSV in UTF-8, or read it as Windows-1251 (--encoding cp1251)" in errors[0]
    _out, err, status = import_records(
        path, "--mapping", mapping_file(tmp_path), "--encoding", "cp1251"
    )
    assert status == 0, err
    assert_russian_list_imported()


def test_a_utf8_file_stays_utf8_when_windows_1251_is_allowed(tmp_path):
    path = write(tmp_path, "list.csv", csv_text(RUSSIAN_CSV).encode("utf-8"))
    _out, err, status = import_records(
        path, "--mapping", mapping_file(tmp_path), "--encoding", "cp1251"
    )
    assert status == 0, err
    assert_russian_list_imported()


def test_a_file_with_our_headers_needs_no_mapping_even_when_one_is_given(tmp_path):
    _out, err, status = import_records(
        write(tmp_path, "p.xlsx", xlsx(OURS)), "--mapping", mapping_file(tmp_path)
    )
    assert status == 0, err
    assert Person.objects.count() == 2


# Errors in the file's own words


def test_errors_name_the_sheets_row_and_the_files_own_column(tmp_path):
    rows = [*RUSSIAN, ["p-4", "Бабарико Виктор", "18.06.20201", "", "пожизненно", "", "", ""]]
    errors = rejected(write(tmp_path, "list.xlsx", xlsx(rows)), "--mapping", mapping_file(tmp_path))
    assert errors == [
        "list.xlsx:5: Дата задержания: '18.06.20201' is not a date: write it as DD.MM.YYYY, "
        "MM.YYYY or YYYY",
        "list.xlsx:5: Приговор: 'пожизненно' is not a whole number",
    ]


def test_the_importers_own_checks_name_the_files_column(tmp_path):
    rows = [RUSSIAN[0], ["p-1", "", "14.07.2021", "", "", "", "", ""]]
    errors = rejected(write(tmp_path, "list.xlsx", xlsx(rows)), "--mapping", mapping_file(tmp_path))
    assert errors == ["list.xlsx:2: ФИО: a value is required"]


def test_rows_start_where_the_sheet_starts(tmp_path):
    rows = [[], [], *RUSSIAN[:2], ["p-9", "N", "32.01.2021", "", "", "", "", ""]]
    errors = rejected(write(tmp_path, "list.xlsx", xlsx(rows)), "--mapping", mapping_file(tmp_path))
    assert errors == ["list.xlsx:5: Дата задержания: '32.01.2021' is not a real calendar date"]


# Bad input


def test_it_rejects_a_corrupt_spreadsheet(tmp_path):
    data = xlsx(OURS)[:300]
    errors = rejected(write(tmp_path, "p.xlsx", data))
    assert len(errors) == 1
    assert errors[0].startswith("p.xlsx:1: -: the file cannot be read as a spreadsheet (")
    assert "damaged or protected by a password" in errors[0]


def test_it_rejects_a_password_protected_spreadsheet(tmp_path, monkeypatch):
    def protected(source):
        raise PasswordError("Workbook is password protected")

    monkeypatch.setattr(sheets.CalamineWorkbook, "from_filelike", protected)
    errors = rejected(write(tmp_path, "p.xlsx", xlsx(OURS)))
    assert errors == [
        "p.xlsx:1: -: the spreadsheet is protected by a password: save a copy without one"
    ]


def test_it_rejects_an_empty_sheet(tmp_path):
    errors = rejected(write(tmp_path, "p.ods", ods([])))
    assert errors == ["p.ods:1: -: the sheet is empty: line 1 must be the header"]


def test_it_rejects_two_header_rows(tmp_path):
    rows = [RUSSIAN[0], ["Id", "Фамилия", "Дата ареста", "Статьи", "", "", "", ""], *RUSSIAN[1:]]
    errors = rejected(write(tmp_path, "list.xlsx", xlsx(rows)), "--mapping", mapping_file(tmp_path))
    assert errors == [
        "list.xlsx:2: -: this row looks like a second header row: keep one header row, "
        "line 1, and delete this one"
    ]


def test_it_rejects_a_title_above_the_header(tmp_path):
    rows = [["Список политзаключённых"], *RUSSIAN]
    errors = rejected(write(tmp_path, "list.xlsx", xlsx(rows)), "--mapping", mapping_file(tmp_path))
    assert errors == [
        "list.xlsx:1: -: the first row has one cell only ('Список политзаключённых'): the "
        "header must be the first row, one name a column; delete any title above it"
    ]


def test_it_rejects_a_mapping_of_two_columns_to_one(tmp_path):
    mapping = {"columns": {**MAPPING["columns"], "Заметки": "name"}, "dates": "DMY"}
    errors = rejected(
        write(tmp_path, "list.xlsx", xlsx(RUSSIAN)), "--mapping", mapping_file(tmp_path, mapping)
    )
    assert errors == [
        "list.xlsx:1: Заметки: is mapped to name, as 'ФИО' is: map only one column to it"
    ]


def test_it_rejects_a_column_the_mapping_does_not_name(tmp_path):
    columns = {k: v for k, v in MAPPING["columns"].items() if k != "Заметки"}
    errors = rejected(
        write(tmp_path, "list.xlsx", xlsx(RUSSIAN)),
        "--mapping",
        mapping_file(tmp_path, {"columns": columns}),
    )
    assert errors == [
        "list.xlsx:1: Заметки: the mapping does not say what this column is: map it to one of "
        "the format's columns, or to null to ignore it"
    ]


def test_it_rejects_a_mapping_without_a_required_column(tmp_path):
    columns = {**MAPPING["columns"], "ФИО": None}
    errors = rejected(
        write(tmp_path, "list.xlsx", xlsx(RUSSIAN)),
        "--mapping",
        mapping_file(tmp_path, {"columns": columns}),
    )
    assert errors == ["list.xlsx:1: -: the mapping gives no name column"]


def test_it_rejects_a_date_order_a_value_contradicts(tmp_path):
    mapping = {**MAPPING, "dates": "YMD"}
    errors = rejected(
        write(tmp_path, "list.xlsx", xlsx(RUSSIAN)), "--mapping", mapping_file(tmp_path, mapping)
    )
    assert errors == [
        "list.xlsx:2: Дата задержания: '14.07.2021' does not start with a four-digit year, as "
        "the date order YMD (year.month.day) says: is the file's order DMY?"
    ]


def test_a_month_31_is_an_error_not_a_guess(tmp_path):
    rows = [RUSSIAN[0], ["p-1", "N", "2021.31.12", "", "", "", "", ""]]
    errors = rejected(
        write(tmp_path, "list.xlsx", xlsx(rows)),
        "--mapping",
        mapping_file(tmp_path, {**MAPPING, "dates": "YMD"}),
    )
    assert errors == [
        "list.xlsx:2: Дата задержания: '2021.31.12': there is no month 31; is the date order "
        "YMD right?"
    ]


@pytest.mark.parametrize(
    "content,message",
    [
        ("{", "is not JSON"),
        ("[]", 'a mapping is {"columns"'),
        ('{"columns": {}, "dates": "MDY"}', "dates is 'MDY': use DMY or YMD"),
        ('{"columns": {"ФИО": "full_name"}}', "'ФИО' is mapped to 'full_name', which is not a"),
        ('{"columns": {}, "order": "DMY"}', "unknown key 'order'"),
    ],
)
def test_a_bad_mapping_file_gets_a_clear_error(tmp_path, content, message):
    path = write(tmp_path, "mapping.json", content.encode())
    with pytest.raises(CommandError, match=r"^--mapping: ") as error:
        call_command("import_records", write(tmp_path, "p.xlsx", xlsx(OURS)), "--mapping", path)
    assert message in str(error.value)
    assert Person.objects.count() == 0


def test_a_missing_mapping_file_gets_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"--mapping: cannot read .*nothing\.json"):
        call_command(
            "import_records", write(tmp_path, "p.xlsx", xlsx(OURS)), "--mapping", "nothing.json"
        )
