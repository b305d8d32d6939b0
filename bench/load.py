"""Load the public site as in production and print throughput and latency.

    .venv/bin/python bench/load.py [--database-url postgres://postgres@127.0.0.1:5432/tracker_load]
        [--persons 100000] [--clients 64] [--duration 60] [--workers 2] [--cache 0,60]

Creates the database if it is missing and generates the synthetic people it
lacks (`generate_synthetic --persons N --seed 1`, about 60 s for 100,000),
collects the static files, then for each CACHE_SECONDS value starts gunicorn
with DEBUG off on 127.0.0.1 and runs CLIENTS threads for DURATION seconds, each
asking in turn for the home page, a filtered list, a person page and the
timeline. An error is a 5xx, a failed connection or an answer slower than
10 s (target: none). Prints requests per second, p50 and p99 per page and in
all. Everything runs on 127.0.0.1 and stops after the given duration; the
client threads share the machine's cores with the server, so compare figures
of one run, not across machines. It is not a test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SLOW = 10.0  # seconds: a slower answer counts as an error
LOCAL = {"127.0.0.1", "localhost"}


def manage(env: dict, *args: str, timeout: float = 600) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare_database(database_url: str, persons: int, seed: int) -> dict:
    """The environment of the management commands (DEBUG on), with the
    database migrated and holding at least ``persons`` people."""
    url = urlsplit(database_url)
    if url.hostname not in LOCAL:
        sys.exit("The load runs against 127.0.0.1 only: give a local DATABASE_URL.")
    name = url.path.lstrip("/")
    exists = subprocess.run(
        ["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username or "postgres",
         "-Atc", f"select 1 from pg_database where datname = '{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(
            ["createdb", "-h", url.hostname, "-p", str(url.port or 5432),
             "-U", url.username or "postgres", name],
            check=True,
        )  # fmt: skip
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url}
    manage(env, "migrate", "--no-input", "-v0")
    have = int(manage(env, "shell", "-c", COUNT_PEOPLE).strip().splitlines()[-1])
    if have < persons:
        print(f"Generating {persons - have} synthetic people (seed {seed})…", flush=True)
        started = time.monotonic()
        manage(env, "generate_synthetic", "--persons", str(persons - have), "--seed", str(seed),
               "--quiet", timeout=1800)  # fmt: skip
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    collectstatic(env)
    return env


def collectstatic(env: dict) -> None:
    """With the production storage: DEBUG off serves the hashed names of its manifest."""
    production = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": "http://127.0.0.1",
    }
    manage(production, "collectstatic", "--no-input", "-v0")


COUNT_PEOPLE = "from prisoners.models import Person; print(Person.objects.count())"
PICK_PEOPLE = (
    "import random; from prisoners.models import Person; "
    "ids = list(Person.objects.published().values_list('person_id', flat=True)[:20000]); "
    "random.Random(1).shuffle(ids); print(' '.join(ids[:500]))"
)


def page_paths(env: dict) -> dict[str, list[str]]:
    people = manage(env, "shell", "-c", PICK_PEOPLE).strip().splitlines()[-1].split()
    return {
        "home": ["/"],
        "filtered list": [
            "/prisoners/?released_after=2025-12-01&released_before=2025-12-31",
            "/prisoners/?region=Minsk+region&recognized=yes",
            "/prisoners/?held_on=2023-01-01&ordering=name",
        ],
        "person": [f"/prisoners/{person_id}/" for person_id in people],
        "timeline": ["/timeline/"],
        "birthdays": ["/birthdays/?month=12", "/birthdays/print/?month=6"],
    }


def server_env(env: dict, port: int, cache_seconds: int, secret_key: str | None = None) -> dict:
    """Production settings (DEBUG off, behind a pretend TLS proxy)."""
    return {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": secret_key or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_SECONDS": str(cache_seconds),
        "API_THROTTLE_RATE": "off",
        "LOG_LEVEL": "ERROR",
    }


def start_server(
    env: dict,
    port: int,
    workers: int,
    cache_seconds: int,
    timeout: int = 30,
    root: Path = ROOT,
    secret_key: str | None = None,
) -> subprocess.Popen:
    """gunicorn in production settings, serving the code in ``root`` (another
    commit's, for a baseline; gunicorn imports from its working folder)."""
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "tracker.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", str(timeout), "--log-level", "warning"],
        cwd=root, env=server_env(env, port, cache_seconds, secret_key), start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped at start")
        try:
            if get(port, "/")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_server(server)
    sys.exit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def get(port: int, path: str, timeout: float = SLOW) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        # The proxy of production says the client came over HTTPS.
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[page].append(seconds)
            if error:
                self.errors[error] += 1


def client(port: int, pages: dict[str, list[str]], deadline: float, results: Results, seed: int):
    rng = random.Random(seed)
    names = list(pages)
    turn = rng.randrange(len(names))
    while time.monotonic() < deadline:
        page = names[turn % len(names)]
        turn += 1
        started = time.monotonic()
        error = None
        try:
            status, _body = get(port, rng.choice(pages[page]))
            if status >= 500:
                error = f"HTTP {status}"
            elif status != 200:
                error = f"HTTP {status} (not 5xx, counted)"
        except TimeoutError:
            error = "timeout"
        except OSError as exc:
            error = type(exc).__name__
        seconds = time.monotonic() - started
        if error is None and seconds > SLOW:
            error = "slower than 10 s"
        results.record(page, seconds, error)


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run_load(port: int, pages, clients: int, duration: float) -> tuple[Results, float]:
    results = Results()
    started = time.monotonic()
    deadline = started + duration
    threads = [
        threading.Thread(target=client, args=(port, pages, deadline, results, n), daemon=True)
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + SLOW + 5)
    return results, time.monotonic() - started


def report(label: str, results: Results, elapsed: float) -> None:
    everything = [s for values in results.latencies.values() for s in values]
    errors = sum(results.errors.values())
    print(f"\n{label}: {len(everything)} requests in {elapsed:.1f} s")
    print(f"  {'page':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for page, values in [*results.latencies.items(), ("all", everything)]:
        print(
            f"  {page:<14} {len(values) / elapsed:8.1f} {percentile(values, 50) * 1000:8.0f} "
            f"{percentile(values, 99) * 1000:8.0f}"
        )
    detail = ", ".join(f"{kind}: {count}" for kind, count in sorted(results.errors.items()))
    print(f"  errors: {errors}" + (f" ({detail})" if detail else "") + " (target 0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # Not read from DATABASE_URL: the synthetic people must not land in a
    # database that was meant for something else.
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/tracker_load")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60, help="seconds per cache setting")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--cache", default="0,60", help="CACHE_SECONDS values to compare")
    args = parser.parse_args()
    if not 0 < args.duration <= 600:
        sys.exit("--duration: 1 to 600 seconds")

    env = prepare_database(args.database_url, args.persons, args.seed)
    pages = page_paths(env)
    print(
        f"{args.clients} clients, {args.duration:.0f} s each, gunicorn with {args.workers} "
        f"workers, DEBUG off, {args.database_url}"
    )
    for cache_seconds in (int(value) for value in args.cache.split(",")):
        server = start_server(env, args.port, args.workers, cache_seconds)
        try:
            results, elapsed = run_load(args.port, pages, args.clients, args.duration)
        finally:
            stop_server(server)
        state = "page cache off" if cache_seconds == 0 else f"page cache {cache_seconds} s"
        report(f"CACHE_SECONDS={cache_seconds} ({state})", results, elapsed)


if __name__ == "__main__":
    main()
