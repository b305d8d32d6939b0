"""The in-process side of bench/compare.py: Django set up in this process in
the settings gunicorn serves with, the stored figures made fresh, each page
warmed, then its queries counted, its SQL kept for the raw replay, and its
time split into SQL and the rest."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
STAFF_USERNAME = "bench-staff"
# Requests of one page until its query count repeats (see warm()).
MAX_WARM = 6


def setup_django(server_env: dict) -> None:
    """In gunicorn's settings (DEBUG off, the same SECRET_KEY so that a
    session made here is valid there), not the development ones: template
    debugging and query logging would inflate what is timed here."""
    names = ("DEBUG", "DATABASE_URL", "CACHE_SECONDS", "SECRET_KEY", "ALLOWED_HOSTS",
             "SITE_URL", "SECURE_SSL_REDIRECT", "API_THROTTLE_RATE", "LOG_LEVEL")  # fmt: skip
    os.environ.update({k: server_env[k] for k in names})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def refresh_figures() -> list[str]:
    """Rebuild the stored figures now (generate_synthetic only marks them
    stale), so that no measured request times a rebuild."""
    from prisoners.stats import figures

    names = sorted(figures.BUILDERS)
    for name in names:
        if not figures.ready(name):
            sys.exit(f"The stored figures {name!r} are being rebuilt by another process.")
    return names


def staff_session() -> str:
    """The session key of a staff user past both factors (as
    tests/staff_login.py logs in): a cookie for the HTTP client too."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from tracker.two_factor import set_up_devices

    user, _created = get_user_model().objects.update_or_create(
        username=STAFF_USERNAME,
        defaults={"is_staff": True, "is_superuser": True, "is_active": True},
    )
    devices = set_up_devices(user)
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = devices.totp.persistent_id
    session.save()
    return session.session_key


def client_for(staff: bool, session_key: str | None):
    from django.conf import settings
    from django.test import Client

    # secure: the proxy of production says the client came over HTTPS.
    client = Client(HTTP_HOST=HOST, secure=True)
    if staff:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def fetch(client, path: str):
    response = client.get(path)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def warm(client, path: str) -> list[int]:
    """Request ``path`` until two requests in a row run as many queries
    (a first request may build stored figures or fill the session); the
    query counts seen, the last being the page's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: list[int] = []
    while len(counts) < MAX_WARM and (len(counts) < 2 or counts[-1] != counts[-2]):
        with CaptureQueriesContext(connection) as context:
            fetch(client, path)
        counts.append(len(context.captured_queries))
    return counts


def capture(client, path: str) -> dict:
    """Status, number of SQL queries and their SQL, once warm."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = fetch(client, path)
    return {
        "status": response.status_code,
        "queries": len(context.captured_queries),
        "sql": [q["sql"] for q in context.captured_queries],
    }


class SqlTimer:
    """An execute wrapper summing the time spent in the database driver."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def split_time(client, path: str, runs: int) -> dict:
    """Medians over ``runs`` requests: the whole request in this process,
    its SQL (from sending to the rows fetched: psycopg's client-side
    cursors fetch in execute) and the rest (rendering, serializing, Python)."""
    from django.db import connection

    totals, sqls, rests = [], [], []
    for _ in range(runs):
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            fetch(client, path)
            total = time.perf_counter() - started
        totals.append(total)
        sqls.append(timer.seconds)
        rests.append(total - timer.seconds)
    return {
        "inproc_p50_ms": round(statistics.median(totals) * 1000, 1),
        "inproc_sql_p50_ms": round(statistics.median(sqls) * 1000, 1),
        "inproc_rest_p50_ms": round(statistics.median(rests) * 1000, 1),
    }


def time_raw_sql(
    database_url: str, statements: list[str], runs: int, warmup: int = 2
) -> list[float]:
    """Seconds for the whole sequence of statements, each run, through
    psycopg directly: the floor no framework can go below."""
    import psycopg

    times = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        for i in range(warmup + runs):
            started = time.perf_counter()
            for sql in statements:
                with conn.cursor() as cursor:
                    try:
                        cursor.execute(sql.encode())
                    except psycopg.errors.QueryCanceled:
                        # Past the facets' time limit (the SET statement_timeout
                        # replayed before it): the app gave up there too.
                        continue
                    if cursor.description is not None:
                        cursor.fetchall()
            if i >= warmup:
                times.append(time.perf_counter() - started)
    return times


def measure(
    pages, session_key: str, database_url: str, runs: int, raw_runs: int
) -> tuple[list[dict], dict]:
    """One row per page (the JSON's), and each page's SQL by label."""
    rows, sql = [], {}
    for page in pages:
        client = client_for(page.staff, session_key)
        warmed = warm(client, page.path)
        captured = capture(client, page.path)
        cap = page.max_runs or max(runs, raw_runs)
        raw = time_raw_sql(database_url, captured["sql"], min(raw_runs, cap))
        sql[page.label] = captured["sql"]
        rows.append(
            {
                "request": page.label,
                "path": page.path,
                "datasette_query": page.datasette,
                "status": captured["status"],
                "queries": captured["queries"],
                "warm_queries": warmed,
                "runs": min(runs, cap),
                "raw_sql_p50_ms": round(statistics.median(raw) * 1000, 1),
                **split_time(client, page.path, min(runs, cap)),
                "ours_p50_ms": None,
                "ours_p95_ms": None,
                "datasette_p50_ms": None,
                "datasette_p95_ms": None,
            }
        )
        print(f"  {page.label}: {captured['queries']} queries (warming: {warmed})", flush=True)
    return rows, sql
