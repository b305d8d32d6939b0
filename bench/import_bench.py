"""Import benchmark: time for 10,000 prisoner rows on SQLite and PostgreSQL,
peak memory for 10,000 and 50,000 rows. Prints figures; not a test.

    .venv/bin/python bench/import_bench.py [--rows 10000] [--memory-rows 10000 50000]
        [--postgres postgres://postgres@127.0.0.1:5432] [--skip-postgres]

Each measurement runs in a fresh process on a fresh database (a temporary
SQLite file, or a PostgreSQL database created for it and dropped after), so
peak memory (max RSS) is that of one import, next to the process's baseline
after Django is set up.

In the background, as the admin runs a large import (PostgreSQL):

    .venv/bin/python bench/import_bench.py --background [--rows 50000]
        [--postgres postgres://postgres@127.0.0.1:5432]

writes the prisoners as an .xlsx with Russian headers (XlsxWriter), saves
the column mapping the admin's screen would (its proposals, the curator's
choice for the rest), stores the files as an upload read through that
mapping, runs the check and then the write as tasks in a `manage.py
db_worker` process, while gunicorn serves public pages that are
asked for every half second; prints the time of each step, the worker's peak
memory (VmHWM), the slowest answer of the server meanwhile, and how often
the progress moved.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST = ["Алесь", "Марыя", "Сяргей", "Вольга", "Ігар", "Наталля", "Павел", "Ганна"]
LAST = ["Бяляцкі", "Калеснікава", "Прыклад", "Ашурак", "Рабкова", "Лосік", "Статкевіч"]
LATIN = ["Ales", "Maryia", "Siarhei", "Volha", "Ihar", "Natallia", "Pavel", "Hanna"]
REGIONS = ["Minsk", "Homiel", "Hrodna", "Brest", "Vitsebsk", "Mahiliou"]
CHARGES = ["342", "361-1", "130", "293", "423-1", "369"]
SENTENCES = ["colony", "colony", "prison", "restricted_freedom", "home_confinement", "fine"]
RELEASES = ["pardon", "sentence_served", "negotiated", "deported", "early_release"]
HEADER = [
    "person_id",
    "name",
    "name_be",
    "aliases",
    "gender",
    "born",
    "region",
    "organizations",
    "recognized_on",
    "bio",
    "published",
    "person_sources",
    "detention_id",
    "detained_on",
    "charges",
    "sentence_type",
    "sentence_months",
    "sentenced_on",
    "facility",
    "released_on",
    "release_type",
    "release_event",
    "released_to",
    "sources",
]


def write_files(directory: Path, rows: int, seed: int = 1) -> list[Path]:
    """``rows`` prisoner rows (people with one to three detentions), and the
    release events they name."""
    rng = random.Random(seed)
    events = [f"wave-{n}" for n in range(20)]
    with open(directory / "release_events.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["event_id", "date", "title", "announced_count", "published", "sources"])
        for n, event in enumerate(events):
            writer.writerow(
                [
                    event,
                    f"{2025 + n // 12}-{n % 12 + 1:02d}-15",
                    f"Wave {n}",
                    50 + n,
                    "yes",
                    f"https://example.org/wave/{n}",
                ]
            )
    with open(directory / "prisoners.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        written, person = 0, 0
        while written < rows:
            person += 1
            i = rng.randrange(len(FIRST))
            name_be = f"{FIRST[i]} {rng.choice(LAST)}"
            base = {
                "person_id": f"bench-{person}",
                "name": f"{LATIN[i]} Person{person}",
                "name_be": name_be,
                "aliases": f"{LATIN[i]} P{person}; {name_be.upper()}",
                "gender": rng.choice(["female", "male"]),
                "born": str(rng.randint(1950, 2000)),
                "region": rng.choice(REGIONS),
                "organizations": rng.choice(["", "Viasna", "Viasna; Coordination Council"]),
                "recognized_on": f"{rng.randint(2020, 2024)}-{rng.randint(1, 12):02d}",
                "bio": f"Bio of person {person}, with a comma.\nAnd a second line.",
                "published": rng.choice(["yes", "yes", "no", "anonymous"]),
                "person_sources": f"https://example.org/person/{person}",
            }
            count = min(rng.choice([1, 1, 1, 2, 3]), rows - written)
            years = sorted(rng.sample(range(2010, 2025), count))
            for number, year in enumerate(years):
                row = dict(base) if number == 0 else {"person_id": base["person_id"]}
                detained = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                row |= {
                    "detained_on": detained,
                    "charges": ";".join(rng.sample(CHARGES, rng.randint(1, 2))),
                    "sentence_type": rng.choice(SENTENCES),
                    "sentence_months": str(rng.randint(6, 180)),
                    "sentenced_on": f"{year + 1}",
                    "facility": f"Penal colony No. {rng.randint(1, 30)}",
                    "sources": f"https://example.org/detention/{person}/{number}",
                }
                if number < count - 1 or rng.random() < 0.6:
                    if rng.random() < 0.4:
                        row |= {"release_event": rng.choice(events), "release_type": "negotiated"}
                        row["released_to"] = rng.choice(["", "Lithuania", "Ukraine"])
                    else:
                        row |= {
                            "released_on": f"{year + 2}",
                            "release_type": rng.choice(RELEASES),
                        }
                writer.writerow([row.get(column, "") for column in HEADER])
                written += 1
    return [directory / "release_events.csv", directory / "prisoners.csv"]


def max_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(database_url: str, rows: int) -> None:
    """One import in this process; prints JSON figures."""
    os.environ["DATABASE_URL"] = database_url
    # As in production: DEBUG on would log every query.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from prisoners.interchange.importer import run_import
    from prisoners.models import Detention, Person

    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as directory:
        files = write_files(Path(directory), rows)
        baseline = max_rss_mb()
        started = time.perf_counter()
        result = run_import(files, via="benchmark")
        seconds = time.perf_counter() - started
        if not result.ok:
            raise SystemExit("\n".join(result.errors[:20]))
        again = time.perf_counter()
        second = run_import(files, via="benchmark")
        unchanged_seconds = time.perf_counter() - again
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": seconds,
                "again_seconds": unchanged_seconds,
                "again": second.summary_lines()[0],
                "people": Person.objects.count(),
                "detentions": Detention.objects.count(),
                "baseline_mb": baseline,
                "peak_mb": max_rss_mb(),
            }
        )
    )


def measure(database_url: str, rows: int) -> dict:
    command = [sys.executable, __file__, "--worker", database_url, "--rows", str(rows)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def on_sqlite(rows: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        return measure(f"sqlite:///{directory}/bench.sqlite3", rows)


def on_postgres(server: str, rows: int) -> dict:
    import psycopg

    name = f"bench_import_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        return measure(f"{server}/{name}", rows)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(label: str, figures: dict) -> None:
    print(
        f"{label}: {figures['rows']:,} rows ({figures['people']:,} people, "
        f"{figures['detentions']:,} detentions) imported in {figures['seconds']:.1f} s; "
        f"again (nothing to change) in {figures['again_seconds']:.1f} s; "
        f"peak memory {figures['peak_mb']:.0f} MB (baseline {figures['baseline_mb']:.0f} MB)"
    )


# In the background: the upload, the check and the write as the admin runs them.

BACKGROUND_ENV = {
    "DEBUG": "0",  # as in production (DEBUG would also keep every query in memory)
    "SECRET_KEY": "benchmark-only-" + "x" * 40,
    "SITE_URL": "http://127.0.0.1:8000",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "DJANGO_SETTINGS_MODULE": "tracker.settings",
}


# The prisoners file as a curator's spreadsheet: Russian headers (those the
# mapping screen proposes where it knows them; the others the curator maps by
# hand), dates as date cells and DD.MM.YYYY / MM.YYYY text, terms as numbers,
# charges as "ч. 1 ст. 342 УК", genders in Russian.
RUSSIAN_HEADERS = {
    "person_id": "Идентификатор",
    "name": "ФИО",
    "name_be": "Имя по-белорусски",
    "aliases": "Другие имена",
    "gender": "Пол",
    "born": "Год рождения",
    "region": "Регион",
    "organizations": "Организации",
    "recognized_on": "Дата признания",
    "bio": "Биография",
    "published": "Публикация",
    "person_sources": "Источники о человеке",
    "detention_id": "Номер задержания",
    "detained_on": "Дата задержания",
    "charges": "Статья",
    "sentence_type": "Вид наказания",
    "sentence_months": "Приговор (месяцев)",
    "sentenced_on": "Дата приговора",
    "facility": "Колония",
    "released_on": "Дата освобождения",
    "release_type": "Вид освобождения",
    "release_event": "Волна освобождения",
    "released_to": "Выслан в",
    "sources": "Источники",
}
RUSSIAN_GENDER = {"female": "женский", "male": "мужской"}


def _as_curators_write(column: str, value: str):
    """One value of the bench's CSV as a curator's spreadsheet holds it."""
    if not value:
        return None
    if column == "detained_on":
        return date.fromisoformat(value)  # a date cell
    if column == "recognized_on":
        year, month = value.split("-")
        return f"{month}.{year}"
    if column == "sentence_months":
        return int(value)  # a number cell, read back as 36.0
    if column == "charges":
        return "; ".join(f"ч. 1 ст. {article} УК" for article in value.split(";"))
    if column == "gender":
        return RUSSIAN_GENDER[value]
    return value


def write_xlsx(csv_path: Path, xlsx_path: Path) -> list[str]:
    """The bench's prisoners CSV as an .xlsx with Russian headers (written
    row by row: constant_memory); returns its headers."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet("Список")
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    with open(csv_path, newline="", encoding="utf-8") as source:
        reader = csv.reader(source)
        columns = next(reader)
        headers = [RUSSIAN_HEADERS[column] for column in columns]
        sheet.write_row(0, 0, headers)
        for r, row in enumerate(reader, 1):
            for c, (column, text) in enumerate(zip(columns, row, strict=True)):
                value = _as_curators_write(column, text)
                if isinstance(value, date):
                    sheet.write_datetime(r, c, value, day)
                elif isinstance(value, int):
                    sheet.write_number(r, c, value)
                elif value is not None:
                    # Not write(): it would make each URL a hyperlink, and
                    # a sheet holds at most 65,530 of them.
                    sheet.write_string(r, c, value)
    book.close()
    return headers


def bench_upload(directory: Path, rows: int) -> tuple[list[Path], dict]:
    """The files the curator uploads (the release events as our CSV, the
    prisoners as an .xlsx with Russian headers) and the column mapping the
    check reads the .xlsx with. The mapping is saved as the admin's mapping
    screen saves it (a ColumnMapping for the file's set of headers): what the
    screen proposes for the headers it knows, and the curator's choice for
    the others, so the upload passes the screen with its saved mapping."""
    from prisoners.interchange.mapping import Mapping, headers_key, propose
    from prisoners.models import ColumnMapping

    events, prisoners = write_files(directory, rows)
    sheet = directory / "список.xlsx"
    headers = write_xlsx(prisoners, sheet)
    proposed = propose(headers)
    chosen = {header: column for column, header in RUSSIAN_HEADERS.items()}
    columns = {h: proposed.columns.get(h) or chosen[h] for h in headers}
    mapping = Mapping(columns, proposed.dates)
    ColumnMapping.objects.create(
        headers_key=headers_key(headers), columns=mapping.columns, dates=mapping.dates
    )
    proposals = sum(1 for h in headers if proposed.columns.get(h) == chosen[h])
    print(f"The mapping screen proposes {proposals} of the {len(headers)} columns.")
    return [events, sheet], mapping.as_dict()


def peak_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def background(server: str, rows: int, port: int = 8765) -> None:
    import psycopg

    name = f"bench_background_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    imports = Path(tempfile.mkdtemp(prefix="bench-imports-"))
    env = {**os.environ, **BACKGROUND_ENV, "DATABASE_URL": f"{server}/{name}"}
    env["IMPORT_DIR"] = str(imports)
    processes = []
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input"], cwd=ROOT, env=env, check=True)
        # As production: the pages name their static files from the manifest.
        collect = [*manage, "collectstatic", "--no-input", "-v", "0"]
        subprocess.run(collect, cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.contrib.auth import get_user_model

        from prisoners.admin.import_jobs import upload_files
        from prisoners.admin.imports import store
        from prisoners.models import ImportJob, Person

        user = get_user_model().objects.create_superuser("bench", password="bench-only-1234")
        token = "bench"
        directory = store() / token
        directory.mkdir(mode=0o700)
        made = time.perf_counter()
        files, mapping = bench_upload(Path(tempfile.mkdtemp(prefix="bench-files-")), rows)
        print(f"The .xlsx written in {time.perf_counter() - made:.1f} s.")
        for number, path in enumerate(files):
            (directory / f"{number}.csv").write_bytes(path.read_bytes())
        stored = upload_files(directory, [path.name for path in files])

        gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "tracker.wsgi"]
        processes.append(
            subprocess.Popen(
                [*gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                cwd=ROOT,
                env=env,
                stderr=subprocess.DEVNULL,
            )
        )
        worker = subprocess.Popen(
            [*manage, "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        processes.append(worker)
        time.sleep(3)  # both up
        figures = {"rows": rows}
        for step in (ImportJob.Step.CHECK, ImportJob.Step.WRITE):
            figures[step] = run_step(user, token, stored, step, worker.pid, port, mapping)
        figures["people"] = Person.objects.count()
        figures["worker_peak_mb"] = peak_mb(worker.pid)
        print(json.dumps(figures, indent=2))
        check, write = figures[ImportJob.Step.CHECK], figures[ImportJob.Step.WRITE]
        print(
            f"Background import, PostgreSQL: {rows:,} rows ({figures['people']:,} people) "
            f"checked in {check['seconds']:.1f} s and written in {write['seconds']:.1f} s "
            f"({check['seconds'] + write['seconds']:.1f} s in all); worker peak memory "
            f"{figures['worker_peak_mb']:.0f} MB; the server answered "
            f"{check['answers'] + write['answers']} page requests meanwhile, the slowest in "
            f"{max(check['slowest_answer'], write['slowest_answer']):.2f} s, "
            f"{check['failed_answers'] + write['failed_answers']} failed; the progress "
            f"moved {check['progress_moves']} and {write['progress_moves']} times."
        )
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(imports, ignore_errors=True)
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_step(
    user, token: str, stored, step: str, worker_pid: int, port: int, mapping: dict
) -> dict:
    """Enqueue one step, ask the server for a page every half second until
    the job ends, and note how the job's progress moved."""
    import urllib.request

    from prisoners.admin.import_jobs import start_job
    from prisoners.admin.imports import job_status
    from prisoners.models import ImportJob

    # From the curator's click: start_job counts the rows, in the web request.
    started = time.perf_counter()
    job = start_job(user, token, stored, step, reading={"mapping": mapping})
    enqueued = time.perf_counter() - started
    answers, failed, slowest, seen = 0, 0, 0.0, set()
    while True:
        job.refresh_from_db()
        if job.finished:
            break
        status = job_status(job)
        seen.add(status["progress_value"])
        asked = time.perf_counter()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/prisoners/", timeout=30):
                answers += 1
        except OSError as error:
            failed += 1
            print(f"the server failed: {error}", file=sys.stderr)
        slowest = max(slowest, time.perf_counter() - asked)
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    if job.state != ImportJob.State.DONE or job.result.get("errors"):
        raise SystemExit(f"{step} failed: {job.result} {job.failure}")
    return {
        "seconds": seconds,
        "enqueue_seconds": enqueued,
        "answers": answers,
        "failed_answers": failed,
        "slowest_answer": slowest,
        "progress_moves": len(seen) - 1,
        "worker_peak_mb_so_far": peak_mb(worker_pid),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--memory-rows", type=int, nargs="*", default=[10_000, 50_000])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--worker", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "--background", action="store_true", help="a background import (PostgreSQL)"
    )
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.rows)
        return
    if args.background:
        background(args.postgres, args.rows)
        return
    sqlite = on_sqlite(args.rows)
    report("SQLite", sqlite)
    if not args.skip_postgres:
        report("PostgreSQL", on_postgres(args.postgres, args.rows))
    for rows in args.memory_rows:
        figures = sqlite if rows == args.rows else on_sqlite(rows)
        print(
            f"Peak memory, {rows:,} rows (SQLite): {figures['peak_mb']:.0f} MB "
            f"(baseline {figures['baseline_mb']:.0f} MB, import "
            f"+{figures['peak_mb'] - figures['baseline_mb']:.0f} MB), "
            f"{figures['seconds']:.1f} s"
        )


if __name__ == "__main__":
    main()
