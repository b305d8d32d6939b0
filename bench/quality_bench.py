"""Time the admin's data-quality page and the admin index's counts.

    createdb -h 127.0.0.1 -U postgres -T tracker_bench tracker_quality_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_quality_bench \
        .venv/bin/python bench/quality_bench.py [--persons 100000] [--runs 3]

Migrates the database and generates the synthetic people first when it has
fewer. Target (issue 15): the page under 2 s at 100,000 people on
PostgreSQL. Prints the figures; it is not a test.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DEBUG", "1")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from prisoners.models import Person  # noqa: E402
from prisoners.stats import quality  # noqa: E402


def timed(label: str, work, runs: int) -> None:
    """Wall time (what a curator waits) and this process's CPU time (the
    part that does not depend on the other processes of a shared machine;
    the database's own time is in the wall time only)."""
    walls, cpus = [], []
    for _ in range(runs):
        cache.clear()
        wall, cpu = time.monotonic(), time.process_time()
        work()
        walls.append(time.monotonic() - wall)
        cpus.append(time.process_time() - cpu)
    print(
        f"{label}: wall best {min(walls):.2f} s, worst {max(walls):.2f} s; "
        f"CPU of this process best {min(cpus):.2f} s ({runs} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Person.objects.count() < args.persons:
        call_command("generate_synthetic", persons=args.persons, seed=99, quiet=True)
    user, _created = get_user_model().objects.get_or_create(
        username="quality-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    today = timezone.localdate()
    print(f"database: {connection.vendor}, people: {Person.objects.count()}")
    for name, count in quality.counts(today).items():
        print(f"  {name}: {count}")

    def page():
        response = client.get("/admin/prisoners/quality/")
        assert response.status_code == 200, response.status_code

    timed("data-quality page", page, args.runs)
    timed("  probable duplicates", quality.probable_duplicates, args.runs)
    for name, rows in quality.sections(today).items():
        if name != "duplicates":
            timed(f"  {name}: count and first page", lambda r=rows: (r.count(), list(r[:50])), 1)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    timed("admin index, counts not cached", lambda: client.get("/admin/"), args.runs)
    client.get("/admin/")
    started = time.monotonic()
    client.get("/admin/")
    print(f"admin index, counts cached: {time.monotonic() - started:.2f} s")


if __name__ == "__main__":
    main()
