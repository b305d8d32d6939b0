"""The public CSV export loaded as one flat SQLite table, as a journalist
importing it would, for Datasette to serve beside us (bench/compare.py)."""

from __future__ import annotations

import csv
import sqlite3
import time
from pathlib import Path

from serving import PYTHON, run

NOTE = (
    "status derived while loading: died_on set: deceased; else a detention "
    "without released_on: in_custody; else released_on: released; else unknown"
)


def sqlite_status(rows: list[dict]) -> str:
    if any(r["died_on"] for r in rows):
        return "deceased"
    if any(r["detention_id"] and not r["released_on"] for r in rows):
        return "in_custody"
    if any(r["released_on"] for r in rows):
        return "released"
    return "unknown"


def build_sqlite(env: dict, directory: Path) -> tuple[Path, dict]:
    """One row per detention, person columns repeated, with a journalist's
    indexes; ``status`` is not a column of the CSV: see NOTE."""
    started = time.monotonic()
    run([PYTHON, "manage.py", "export_records", "--public", str(directory)], env=env)
    exported = time.monotonic() - started
    path = directory / "bench.db"
    db = sqlite3.connect(path)
    with open(directory / "prisoners.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns = [*reader.fieldnames, "status"]
        db.execute("CREATE TABLE prisoners ({})".format(", ".join(f'"{c}" TEXT' for c in columns)))
        insert = "INSERT INTO prisoners VALUES ({})".format(", ".join("?" * len(columns)))
        person, batch, count = None, [], 0

        def flush():
            status = sqlite_status(batch)
            db.executemany(insert, [[*(r[c] for c in columns[:-1]), status] for r in batch])

        for row in reader:
            if row["person_id"] != person and batch:
                flush()
                count += len(batch)
                batch = []
            person = row["person_id"]
            batch.append(row)
        if batch:
            flush()
            count += len(batch)
    for column in ("released_on", "detained_on", "status", "region", "name"):
        db.execute(f'CREATE INDEX "prisoners_{column}" ON prisoners ("{column}")')
    db.commit()
    db.execute("ANALYZE")
    db.close()
    return path, {"rows": count, "export_seconds": round(exported, 1),
                  "total_seconds": round(time.monotonic() - started, 1), "note": NOTE}  # fmt: skip
