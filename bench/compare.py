"""Side by side: our pages, the same data in Datasette, and the raw SQL we run.

    .venv/bin/python bench/compare.py [--reuse] [--database-url postgres://…/tracker_bench]
        [--requests 30] [--warmup 3] [--clients 64] [--duration 20] [--out FILE]

What it does, in one run (about 6 to 10 minutes with 100,000 persons):

1. Drops and recreates the PostgreSQL database (``--reuse`` keeps it and skips
   this), migrates, generates 100,000 synthetic persons (seed 1), VACUUM ANALYZE.
2. In this process (django.test.Client, CaptureQueriesContext on the same
   database) counts the SQL queries of each request and keeps their SQL; runs
   that SQL with psycopg directly, N times, for the raw SQL time.
3. Writes the public CSV export and loads prisoners.csv into one flat SQLite
   table, as a journalist importing the export would (one row per detention,
   person columns repeated, indexes on released_on, detained_on, status,
   region, name). ``status`` is not a column of the CSV: it is derived while
   loading (died_on set: deceased; else a detention row without released_on:
   in_custody; else a released_on: released; else unknown); a detention that
   ended without a release reads as in_custody there.
4. Serves the app with gunicorn (DEBUG off, CACHE_SECONDS=0, API throttle off,
   2 workers) and the SQLite file with ``datasette serve``, and times each
   request with one client (warm-up first), alternating ours and Datasette's.
5. Times the full streamed /prisoners/export.csv, then the throughput of 64
   client threads for 20 s over the same pages, with the page cache off
   (CACHE_SECONDS=0) and on (60), restarting gunicorn between the two.
6. Prints one table and writes everything as JSON to
   bench/results/compare-<date>.json.

Everything runs on 127.0.0.1. Latencies share the machine's cores with the
client and with whatever else runs: compare figures of one run, as ratios.
It is not a test.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from load import start_server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/tracker_bench"
LOCAL = {"127.0.0.1", "localhost"}

# The fixed set: (label, our path, Datasette query string or None). Values
# exist in the synthetic data of seed 1; the person, release event and name
# are looked up at run time (see pick_examples).
RELEASED_RANGE = ("2025-12-01", "2025-12-31")
STATUS, REGION = "in_custody", "Minsk region"
TIMELINE = ("2016-07-01", "2026-06-30")
# The list as it stood a year before the synthetic history ends (#20).
AS_OF = (date.today().replace(year=date.today().year - 1)).isoformat()


def requests_for(examples: dict) -> list[tuple[str, str, str | None]]:
    name, misspelled = examples["name"], examples["misspelled"]
    after, before = RELEASED_RANGE
    return [
        ("list, unfiltered", "/prisoners/", None),
        (
            "list, released in a month",
            f"/prisoners/?released_after={after}&released_before={before}",
            f"?released_on__gte={after}&released_on__lte={before}",
        ),
        (
            "list, status+region by -detained",
            f"/prisoners/?status={STATUS}&region={REGION.replace(' ', '+')}&ordering=-detained_on",
            f"?status={STATUS}&region={REGION.replace(' ', '+')}&_sort_desc=detained_on",
        ),
        (
            "search, exact name",
            f"/prisoners/?q={name.replace(' ', '+')}",
            f"?name__contains={name.replace(' ', '+')}",
        ),
        ("search, misspelled", f"/prisoners/?q={misspelled.replace(' ', '+')}", None),
        ("person page", f"/prisoners/{examples['person']}/", None),
        (
            f"release event ({examples['event_size']} names)",
            f"/releases/{examples['event']}/",
            None,
        ),
        ("timeline, 10 years", f"/timeline/?from={TIMELINE[0]}&to={TIMELINE[1]}", None),
        ("embed, held 10 years", f"/embed/held/?from={TIMELINE[0]}&to={TIMELINE[1]}", None),
        ("chart SVG, held 10 years", f"/charts/held.svg?from={TIMELINE[0]}&to={TIMELINE[1]}", None),
        ("embed, headline figure", "/embed/counter/", None),
        ("facilities", "/facilities/", None),
        # A synthetic colony (prisoners/synthetic.py): thousands of stays.
        ("facility page", "/facilities/penal-colony-no-1/", None),
        ("birthdays, December", "/birthdays/?month=12", None),
        ("list, by days in custody", "/prisoners/?ordering=-days_in_custody", None),
        ("changes, a month", f"/changes/?from={RELEASED_RANGE[0]}&to={RELEASED_RANGE[1]}", None),
        ("list as of a year ago", f"/prisoners/?as_of={AS_OF}", None),
        (
            "chart SVG, releases 10 years",
            f"/charts/releases.svg?from={TIMELINE[0]}&to={TIMELINE[1]}",
            None,
        ),
        ("sanctions targets", "/sanctions/targets/", None),
        ("API, page 2", "/api/prisoners/?page=2", None),
    ]


# --------------------------------------------------------------------- set-up


def run(cmd: list[str], env: dict | None = None, timeout: float = 1800) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def psql_args(url) -> list[str]:
    return ["-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres"]


def prepare_database(database_url: str, reuse: bool, persons: int) -> dict:
    url = urlsplit(database_url)
    if url.hostname not in LOCAL:
        sys.exit("The benchmark runs against 127.0.0.1 only: give a local database URL.")
    name = url.path.lstrip("/")
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url, "CACHE_SECONDS": "0"}
    if reuse:
        print(f"Reusing {name}", flush=True)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
        return env
    print(f"Recreating {name}, {persons} synthetic persons…", flush=True)
    psql = ["psql", *psql_args(url), "-v", "ON_ERROR_STOP=1", "-qd", "postgres"]
    run([*psql, "-c", f'DROP DATABASE IF EXISTS "{name}"'])
    run([*psql, "-c", f'CREATE DATABASE "{name}"'])
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env)
    started = time.monotonic()
    run(
        [PYTHON, "manage.py", "generate_synthetic", "--persons", str(persons), "--seed", "1",
         "--quiet"],
        env,
    )  # fmt: skip
    print(f"  generated in {time.monotonic() - started:.0f} s", flush=True)
    # VACUUM too: index-only scans need the visibility map autovacuum would write.
    run(["psql", *psql_args(url), "-qd", name, "-c", "VACUUM ANALYZE"])
    return env


def collectstatic(env: dict) -> None:
    """With the production storage: DEBUG off serves the hashed names."""
    production = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "http://127.0.0.1",
    }
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], production)


def setup_django(env: dict) -> None:
    os.environ.update({k: env[k] for k in ("DEBUG", "DATABASE_URL", "CACHE_SECONDS")})
    os.environ["API_THROTTLE_RATE"] = "off"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pick_examples() -> dict:
    """A published person with a release, the largest published release
    event, an existing name and a misspelling of it."""
    from django.db.models import Count

    from prisoners.models import Person, ReleaseEvent

    person = (
        Person.objects.published()
        .filter(detentions__release__isnull=False)
        .order_by("person_id")
        .values_list("person_id", "name")
        .first()
    )
    event = (
        ReleaseEvent.objects.published()
        .annotate(n=Count("releases"))
        .order_by("-n", "event_id")
        .values_list("event_id", "n")
        .first()
    )
    first, last = person[1].split(" ", 1)
    # One letter changed in the surname: found on PostgreSQL by trigram similarity.
    swap = {"i": "y", "y": "i", "a": "o", "o": "a", "e": "i", "u": "o"}
    at = next(i for i in range(len(last) - 1, 0, -1) if last[i] in swap)
    misspelled = f"{first} {last[:at]}{swap[last[at]]}{last[at + 1 :]}"
    return {
        "person": person[0],
        "name": person[1],
        "misspelled": misspelled,
        "event": event[0],
        "event_size": event[1],
    }


# ----------------------------------------------------------- in this process


def capture_queries(paths: list[str]) -> dict[str, dict]:
    """Per path: status, number of SQL queries and their SQL."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    captured = {}
    for path in paths:
        with CaptureQueriesContext(connection) as context:
            response = client.get(path)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        captured[path] = {
            "status": response.status_code,
            "queries": len(context.captured_queries),
            "sql": [q["sql"] for q in context.captured_queries],
        }
    return captured


def time_raw_sql(
    database_url: str, statements: list[str], runs: int, warmup: int = 2
) -> list[float]:
    """Seconds for the whole sequence of statements, each run."""
    import psycopg

    times = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        for i in range(warmup + runs):
            started = time.perf_counter()
            for sql in statements:
                with conn.cursor() as cursor:
                    cursor.execute(sql.encode())
                    if cursor.description is not None:
                        cursor.fetchall()
            if i >= warmup:
                times.append(time.perf_counter() - started)
    return times


# -------------------------------------------------------------- SQLite table


def sqlite_status(rows: list[dict]) -> str:
    if any(r["died_on"] for r in rows):
        return "deceased"
    if any(r["detention_id"] and not r["released_on"] for r in rows):
        return "in_custody"
    if any(r["released_on"] for r in rows):
        return "released"
    return "unknown"


def build_sqlite(env: dict, directory: Path) -> tuple[Path, dict]:
    """The public export loaded as one flat table, with a journalist's indexes."""
    started = time.monotonic()
    run([PYTHON, "manage.py", "export_records", "--public", str(directory)], env)
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
                  "total_seconds": round(time.monotonic() - started, 1)}  # fmt: skip


# ------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 60) -> tuple[int, int]:
    """Status and body size; the body read to the end."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        # The proxy of production says the client came over HTTPS.
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        return response.status, size
    finally:
        connection.close()


def wait_until_up(server: subprocess.Popen, port: int, path: str, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{what} stopped at start")
        try:
            get(port, path, timeout=5)
            return
        except OSError:
            time.sleep(0.3)
    stop(server)
    sys.exit(f"{what} did not answer within 60 s")


def start_gunicorn(env: dict, port: int, cache_seconds: int) -> subprocess.Popen:
    # The load script's server; a long timeout, since slow pages are the point.
    return start_server(env, port, workers=2, cache_seconds=cache_seconds, timeout=300)


def start_datasette(path: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "datasette"), "serve", str(path), "--host", "127.0.0.1", "--port", str(port),
         "--setting", "sql_time_limit_ms", "20000"],
        cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_until_up(server, port, "/", "datasette")
    return server


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# ----------------------------------------------------------------- measuring


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def latencies(port: int, path: str, warmup: int, requests: int) -> dict:
    statuses = set()
    for _ in range(warmup):
        statuses.add(get(port, path)[0])
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _size = get(port, path)
        times.append(time.perf_counter() - started)
        statuses.add(status)
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(percentile(times, 95) * 1000, 1),
        "statuses": sorted(statuses),
    }


def time_export(port: int) -> dict:
    started = time.perf_counter()
    status, size = get(port, "/prisoners/export.csv", timeout=300)
    return {
        "status": status,
        "seconds": round(time.perf_counter() - started, 1),
        "megabytes": round(size / 2**20, 1),
    }


def throughput(port: int, paths: list[str], clients: int, duration: float) -> dict:
    """``clients`` threads asking in turn for ``paths`` until the deadline."""
    times, errors, lock = [], defaultdict(int), threading.Lock()
    deadline = time.monotonic() + duration

    def client(n: int) -> None:
        turn = n
        while time.monotonic() < deadline:
            path = paths[turn % len(paths)]
            turn += 1
            started = time.perf_counter()
            error = None
            try:
                status, _size = get(port, path, timeout=30)
                if status != 200:
                    error = f"HTTP {status}"
            except OSError as exc:
                error = type(exc).__name__
            with lock:
                times.append(time.perf_counter() - started)
                if error:
                    errors[error] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 40)
    elapsed = time.monotonic() - started
    return {
        "requests": len(times),
        "seconds": round(elapsed, 1),
        "req_per_s": round(len(times) / elapsed, 1),
        "p50_ms": round(statistics.median(times) * 1000) if times else None,
        "p99_ms": round(percentile(times, 99) * 1000) if times else None,
        "errors": dict(errors),
    }


# ------------------------------------------------------------------- report


def ratio(a, b) -> str:
    return f"{a / b:.2f}" if a and b else "–"


def fmt(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'request':<36} {'ours p50':>9} {'p95':>7} {'SQL':>4} {'Datasette':>10} "
        f"{'raw SQL':>8} {'ours/DS':>8} {'ours/SQL':>9}"
    )
    print("\n" + header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['request']:<36} {fmt(r['ours_p50_ms']):>9} {fmt(r['ours_p95_ms']):>7} "
            f"{r['queries']:>4} {fmt(r['datasette_p50_ms']):>10} {fmt(r['raw_sql_p50_ms']):>8} "
            f"{ratio(r['ours_p50_ms'], r['datasette_p50_ms']):>8} "
            f"{ratio(r['ours_p50_ms'], r['raw_sql_p50_ms']):>9}"
        )
    print("(milliseconds; ours/DS and ours/SQL are ratios of medians; SQL = queries a request)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Not read from DATABASE_URL: the database is dropped and recreated.
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--raw-runs", type=int, default=10, help="runs of each request's SQL")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=20, help="seconds of each load")
    parser.add_argument("--skip-http", action="store_true", help="queries and raw SQL only")
    parser.add_argument(
        "--out", type=Path, help="JSON file (default bench/results/compare-DATE.json)"
    )
    args = parser.parse_args()
    # A SIGTERM (timeout, Ctrl-C in make) runs the finally blocks that stop the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    if not 0 < args.duration <= 120:
        sys.exit("--duration: 1 to 120 seconds")
    run_started = time.monotonic()

    env = prepare_database(args.database_url, args.reuse, args.persons)
    setup_django(env)
    examples = pick_examples()
    requests = requests_for(examples)
    paths = [path for _label, path, _ds in requests]

    print("Counting queries and timing their SQL…", flush=True)
    captured = capture_queries(paths)
    raw = {
        path: time_raw_sql(args.database_url, captured[path]["sql"], args.raw_runs)
        for path in paths
    }
    rows = [
        {
            "request": label,
            "path": path,
            "datasette_query": ds,
            "status": captured[path]["status"],
            "queries": captured[path]["queries"],
            "raw_sql_p50_ms": round(statistics.median(raw[path]) * 1000, 1),
            "ours_p50_ms": None,
            "ours_p95_ms": None,
            "datasette_p50_ms": None,
            "datasette_p95_ms": None,
        }
        for label, path, ds in requests
    ]
    results = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "database": args.database_url,
        "persons": args.persons,
        "examples": examples,
        "settings": {"requests": args.requests, "warmup": args.warmup, "raw_runs": args.raw_runs,
                     "clients": args.clients, "duration": args.duration, "gunicorn_workers": 2},
        "rows": rows,
        "sql": {path: captured[path]["sql"] for path in paths},
    }  # fmt: skip

    if not args.skip_http:
        collectstatic(env)
        with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
            print("Exporting and loading the flat SQLite table…", flush=True)
            sqlite_path, results["sqlite"] = build_sqlite(env, Path(tmp))
            results["sqlite"]["note"] = (
                "status derived while loading: died_on set: deceased; else a detention "
                "without released_on: in_custody; else released_on: released; else unknown"
            )
            ours_port, ds_port = free_port(), free_port()
            gunicorn = start_gunicorn(env, ours_port, cache_seconds=0)
            datasette = start_datasette(sqlite_path, ds_port)
            try:
                print("Timing with one client…", flush=True)
                for row in rows:
                    mine = latencies(ours_port, row["path"], args.warmup, args.requests)
                    row["ours_p50_ms"], row["ours_p95_ms"] = mine["p50_ms"], mine["p95_ms"]
                    row["http_statuses"] = mine["statuses"]
                    if row["datasette_query"]:
                        # 50 rows a page, as ours.
                        ds_path = f"/bench/prisoners{row['datasette_query']}&_size=50"
                        theirs = latencies(ds_port, ds_path, args.warmup, args.requests)
                        row["datasette_path"] = ds_path
                        row["datasette_p50_ms"] = theirs["p50_ms"]
                        row["datasette_p95_ms"] = theirs["p95_ms"]
                        row["datasette_statuses"] = theirs["statuses"]
                stop(datasette)
                print("Timing the full CSV export…", flush=True)
                results["export"] = time_export(ours_port)
                print(f"Throughput, {args.clients} clients, page cache off…", flush=True)
                results["throughput_cache_off"] = throughput(
                    ours_port, paths, args.clients, args.duration
                )
            finally:
                stop(datasette)
                stop(gunicorn)
        gunicorn = start_gunicorn(env, ours_port, cache_seconds=60)
        try:
            print(f"Throughput, {args.clients} clients, page cache 60 s…", flush=True)
            results["throughput_cache_60"] = throughput(
                ours_port, paths, args.clients, args.duration
            )
        finally:
            stop(gunicorn)

    results["run_seconds"] = round(time.monotonic() - run_started)
    print_table(rows)
    print(f"Datasette: one flat SQLite table ({results.get('sqlite', {}).get('rows', '?')} rows), "
          "status derived while loading (see the JSON); pages of 50 rows.")  # fmt: skip
    if "export" in results:
        e = results["export"]
        print(f"Full CSV export: {e['seconds']} s, {e['megabytes']} MB (HTTP {e['status']})")
        for key, label in (
            ("throughput_cache_off", "cache off"),
            ("throughput_cache_60", "cache 60 s"),
        ):
            t = results[key]
            print(
                f"{args.clients} clients, {label}: {t['req_per_s']} req/s, p50 {t['p50_ms']} ms, "
                f"p99 {t['p99_ms']} ms, errors {sum(t['errors'].values())}"
            )
    out = args.out or ROOT / "bench" / "results" / f"compare-{date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"Run took {results['run_seconds']} s; results in {out}")


if __name__ == "__main__":
    main()
