"""Every gunicorn worker serves a fresh page after a write from another
process: the data version is one row of the database, not each worker's own.

Production mode (DEBUG off, page cache on, no REDIS_URL: each worker keeps
its pages in its own memory) against a file SQLite database, 2 workers."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
REQUESTS = 24
NAME = "Workers Should Forget"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        # A new connection each time, so that both workers answer; the proxy
        # of production says the client came over HTTPS.
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def unavailable(reason: str):
    """In CI a server that cannot start is a failure; elsewhere a skip."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def production(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "DEBUG")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        CACHE_SECONDS="300",
        API_THROTTLE_RATE="off",
        LOG_LEVEL="ERROR",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def server(production):
    if not GUNICORN.exists():
        unavailable("gunicorn is not installed")
    manage(production, "migrate", "-v0")
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        manage(production, "collectstatic", "--no-input", "-v0")
    manage(
        production,
        "shell",
        "-c",
        "from prisoners.models import Person, Source; "
        f"p = Person.objects.create(person_id='forget-1', name='{NAME}', visibility='published'); "
        "p.sources.add(Source.objects.create(url='https://example.org/forget'))",
    )
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=production,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                unavailable("gunicorn stopped at start")
            try:
                if get(port, "/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                unavailable("gunicorn did not answer within 20 s")
            time.sleep(0.2)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_it_serves_no_worker_s_old_page_after_a_command_line_unpublish(server, production):
    page = "/prisoners/forget-1/"
    for _ in range(REQUESTS):  # fill both workers' caches
        status, body = get(server, page)
        assert status == 200 and NAME.encode() in body
        assert NAME.encode() in get(server, "/prisoners/")[1]
    manage(
        production,
        "shell",
        "-c",
        "from prisoners.models import Person; "
        "p = Person.objects.get(person_id='forget-1'); p.visibility = 'draft'; p.save()",
    )
    answers = [get(server, page) for _ in range(REQUESTS)]
    assert [status for status, _ in answers] == [404] * REQUESTS
    lists = [get(server, "/prisoners/")[1] for _ in range(REQUESTS)]
    assert not [body for body in lists if NAME.encode() in body]
