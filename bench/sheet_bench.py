"""Time reading a curators' spreadsheet: an .xlsx with Russian headers,
read through a column mapping with every value converted (dates written
14.07.2021 and date cells, charges ``ч. 1 ст. 342 УК``, whole numbers).

    .venv/bin/python bench/sheet_bench.py [--rows 50000] [--rows 200000]

Writes the file once (XlsxWriter, a dev dependency) under /tmp, reads it as
the importer does (prisoners/interchange/reading.Table), and prints the
seconds and the process's peak memory. Reading only: the checks and the
write are bench/import_bench.py's. It is not a test.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

import xlsxwriter  # noqa: E402

from prisoners.interchange.mapping import Mapping  # noqa: E402
from prisoners.interchange.reading import Problems, Table  # noqa: E402

COLUMNS = {
    "ID": "person_id",
    "ФИО": "name",
    "Дата задержания": "detained_on",
    "Статья": "charges",
    "Приговор": "sentence_months",
    "Колония": "facility",
    "Пол": "gender",
    "Регион": "region",
    "Дата рождения": "born",
}


def write(path: Path, rows: int) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, list(COLUMNS))
    for r in range(1, rows + 1):
        date = f"{1 + r % 28:02d}.{1 + r % 12:02d}.2021"
        cells = [f"p-{r}", f"Иванов Иван {r}", date, "ч. 1 ст. 342 УК", 36, "ИК-3", "м", "Минск"]
        sheet.write_row(r, 0, cells)
        sheet.write_datetime(r, 8, datetime(1960 + r % 40, 1 + r % 12, 1), day)
    book.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    for rows in parser.parse_args().rows or [50_000]:
        path = Path(tempfile.gettempdir()) / f"sheet_bench_{rows}.xlsx"
        if not path.exists():
            write(path, rows)
        started = time.perf_counter()
        problems = Problems()
        with open(path, "rb") as source:
            table = Table(path.name, source, problems, Mapping(COLUMNS, "DMY"))
            read = sum(1 for _record in table.records())
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{read:,} rows ({path.stat().st_size / 2**20:.1f} MB .xlsx) read in {seconds:.1f} s, "
            f"peak memory {peak:.0f} MB, {len(problems)} errors"
        )


if __name__ == "__main__":
    main()
