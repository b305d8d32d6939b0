"""Time the full public CSV export of /prisoners/export.csv and the growth of
the serving process's memory while it streams.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_export \
        .venv/bin/python bench/export_bench.py [--persons 100000]

Generates the synthetic people first when the database has fewer. Target
(issue 6): 100,000 persons on PostgreSQL in under 15 s, the process growing
by less than 50 MB. Prints the figures; it is not a test.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from prisoners.models import Person  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons:
        call_command("generate_synthetic", persons=args.persons, seed=99, quiet=True)
    people = Person.objects.published().count()
    client = Client(HTTP_HOST="127.0.0.1")
    before = rss_mb()
    started = time.monotonic()
    response = client.get("/prisoners/export.csv")
    size = rows = 0
    peak = before
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
        if rows % 20_000 < 50:
            peak = max(peak, rss_mb())
    elapsed = time.monotonic() - started
    peak = max(peak, rss_mb())
    print(f"database: {connection.vendor}, published people: {people}")
    print(f"export: {rows - 1} rows, {size / 2**20:.1f} MB in {elapsed:.1f} s (target < 15 s)")
    print(
        f"memory: {before:.0f} MB before, {peak:.0f} MB peak, "
        f"growth {peak - before:.0f} MB (target < 50 MB)"
    )
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max RSS of the process: {max_rss:.0f} MB")


if __name__ == "__main__":
    main()
