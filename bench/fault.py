"""Restart the database under load and check that nothing acknowledged is lost.

    .venv/bin/python bench/fault.py [--pg-port 5439] [--app-port 8772] [--clients 16]
        [--down 5] [--persons 2000]

As root (initdb and pg_ctl run as the postgres user): creates a throwaway
PostgreSQL cluster on its own port in a temporary directory, migrates it,
generates synthetic people, gives two curators a second factor and serves the
app with gunicorn (DEBUG off, page cache off so every page reads the
database, uploads kept in that directory). Then:

- readers ask for the home page, the list, a person and the timeline;
- a curator, logged in through the admin with password and TOTP code, adds an
  organization every 0.1 s by posting the admin's add form;
- another curator, logged in the same way, imports about once a second a
  prisoners.csv of one new person (person_id and name: a curator's import,
  created unpublished) through the admin: upload, preview, confirm;
- after a few seconds the cluster is stopped (fast shutdown), kept down for
  DOWN seconds, and started again; gunicorn keeps running.

It prints what the readers got while the database was down (target: only the
503 page, no 500), how long after the database came back the app served again
(target: under 5 s), and for each writer what its attempts got before, during
and after the outage and whether every organization and every person whose
save or import was acknowledged (a redirect to the changelist after the post)
is in the database afterwards (target: all). The cluster and its directory are
removed at the end. It is not a test.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import collectstatic, page_paths

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_BIN = Path("/usr/lib/postgresql/15/bin")
USERNAME, IMPORTER, PASSWORD = "fault-curator", "fault-importer", secrets.token_urlsafe(16)
IMPORT_URL, PEOPLE_URL = "/admin/prisoners/import/", "/admin/prisoners/person/"
IMPORT_EVERY = 1.0  # seconds from the start of one import to the start of the next


def as_postgres(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["su", "postgres", "-c", " ".join(command)], capture_output=True, text=True, check=check
    )


@dataclass
class Cluster:
    directory: Path
    port: int

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.directory, "postgres")
        as_postgres(f"{PG_BIN}/initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        as_postgres(
            f"{PG_BIN}/pg_ctl", "-D", str(self.data), "-o", f"'{options}'",
            "-l", str(self.directory / "log"), "-w", "start",
        )  # fmt: skip

    def stop(self, check: bool = True) -> None:
        as_postgres(f"{PG_BIN}/pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop",
                    check=check)  # fmt: skip

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop(check=False)
        shutil.rmtree(self.directory, ignore_errors=True)


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}")
    return result.stdout


CREATE_CURATORS = f"""
from django.contrib.auth.models import Group, User
for username in ({USERNAME!r}, {IMPORTER!r}):
    user = User.objects.create_user(username, password={PASSWORD!r}, is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
"""


def multipart(data: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type; files: field -> (file name, content)."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in data.items()
    ]
    for name, (filename, content) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n')  # fmt: skip
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """One logged-in admin session over plain http.client, as the proxy of
    production would pass it on (X-Forwarded-Proto: https)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, data: dict | None = None, files: dict | None = None,
        timeout: float = 10,
    ):  # fmt: skip
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": f"https://127.0.0.1:{self.port}",
            "Referer": f"https://127.0.0.1:{self.port}{path}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if files:
            body, headers["Content-Type"] = multipart(data or {}, files)
        elif data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.getheader("Location", ""), response.read().decode()
        finally:
            connection.close()

    def form(self, path: str) -> str:
        status, _location, html = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        return csrf_token(html)

    def log_in(self, username: str, totp_key: bytes) -> None:
        from django_otp.oath import TOTP

        token = self.form("/admin/login/")
        code = f"{TOTP(totp_key).token():06d}"
        data = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD,
                "otp_token": code, "next": "/admin/"}  # fmt: skip
        status, _location, html = self.request("POST", "/admin/login/?next=/admin/", data)
        if status != 302:
            raise RuntimeError(f"admin login failed: {status} {html[:500]}")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token in the page")
    return match.group(1)


@dataclass
class Timeline:
    started: float = field(default_factory=time.monotonic)
    reads: list[tuple[float, float, int, bool]] = field(default_factory=list)  # start, end
    writes: list[tuple[float, str, int]] = field(default_factory=list)
    imports: list[tuple[float, str, str]] = field(default_factory=list)  # end, person_id, answer
    lock: threading.Lock = field(default_factory=threading.Lock)


def reader(port: int, pages: dict[str, list[str]], stop: threading.Event, timeline: Timeline, n):
    paths = [p for group in pages.values() for p in group[:20]]
    turn = n
    while not stop.is_set():
        path = paths[turn % len(paths)]
        turn += 1
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
            response = connection.getresponse()
            status, body = response.status, response.read()
            connection.close()
            clear = status != 503 or b"Temporarily unavailable" in body
        except OSError:
            status, clear = 0, False
        with timeline.lock:
            timeline.reads.append((started, time.monotonic(), status, clear))


def writer(browser: Browser, stop: threading.Event, timeline: Timeline) -> None:
    number = 0
    while not stop.is_set():
        number += 1
        name = f"Fault test organization {number:05d}"
        try:
            status, location, html = browser.request("GET", "/admin/prisoners/organization/add/")
            if status == 200:
                status, location, _html = browser.request(
                    "POST",
                    "/admin/prisoners/organization/add/",
                    {"csrfmiddlewaretoken": csrf_token(html), "name": name, "description": "",
                     "_save": "Save"},
                )  # fmt: skip
            if status == 302 and location.endswith("/admin/prisoners/organization/"):
                status = 302  # acknowledged
            elif status == 302:
                status = -302  # redirected elsewhere (to the login page): not a save
        except (OSError, RuntimeError):
            status = 0
        with timeline.lock:
            timeline.writes.append((time.monotonic(), name, status))
        time.sleep(0.1)


def import_one(browser: Browser, person_id: str, name: str) -> str:
    """Upload, preview and confirm a prisoners.csv of one new person: "acknowledged"
    (the confirm redirects to the person changelist), or the step that failed and
    its answer."""
    status, _location, html = browser.request("GET", IMPORT_URL)
    if status != 200:
        return f"form {status}"
    content = f"person_id,name\r\n{person_id},{name}\r\n".encode()
    status, _location, html = browser.request(
        "POST", IMPORT_URL, {"csrfmiddlewaretoken": csrf_token(html)},
        files={"files": ("prisoners.csv", content)},
    )  # fmt: skip
    token = re.search(r'name="token" value="([^"]+)"', html)
    if status != 200 or token is None:
        return f"preview {status}" + ("" if status != 200 else " without token")
    data = {"csrfmiddlewaretoken": csrf_token(html), "token": token.group(1)}
    status, location, _html = browser.request("POST", IMPORT_URL, data)
    if status == 302 and location.endswith(PEOPLE_URL):
        return "acknowledged"
    return f"confirm {status}" + (f" to {location}" if status == 302 else "")


def importer(browser: Browser, stop: threading.Event, timeline: Timeline) -> None:
    number = 0
    while not stop.is_set():
        number += 1
        started = time.monotonic()
        person_id = f"fault-import-{number:05d}"
        try:
            answer = import_one(browser, person_id, f"Fault test import {number:05d}")
        except OSError:
            answer = "no answer"
        except RuntimeError:
            answer = "page without CSRF token"
        with timeline.lock:
            timeline.imports.append((time.monotonic(), person_id, answer))
        stop.wait(max(0.0, started + IMPORT_EVERY - time.monotonic()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-port", type=int, default=5439)
    parser.add_argument("--app-port", type=int, default=8772)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--down", type=float, default=5, help="seconds the database stays down")
    parser.add_argument("--before", type=float, default=8, help="seconds of load before the stop")
    parser.add_argument("--after", type=float, default=12, help="seconds of load after the start")
    parser.add_argument("--persons", type=int, default=2000)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("Run as root: the throwaway cluster is run as the postgres user.")

    cluster = Cluster(Path(tempfile.mkdtemp(prefix="tracker-fault-")), args.pg_port)
    server = None
    try:
        print(f"Throwaway cluster in {cluster.directory} on 127.0.0.1:{args.pg_port}", flush=True)
        cluster.create()
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(args.pg_port), "-U", "postgres",
                        "tracker"], check=True)  # fmt: skip
        database_url = f"postgres://postgres@127.0.0.1:{args.pg_port}/tracker"
        env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url}
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "generate_synthetic", "--persons", str(args.persons), "--seed", "1", "--quiet")
        collectstatic(env)
        manage(env, "shell", "-c", CREATE_CURATORS)
        from base64 import b32decode

        totp_keys = {}
        for username in (USERNAME, IMPORTER):
            secret = re.search(r"secret: ([A-Z2-7]+)", manage(env, "add_totp_device", username))
            totp_keys[username] = b32decode(secret.group(1) + "=" * (-len(secret.group(1)) % 8))
        pages = page_paths(env)

        server_env = {
            **env,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{args.app_port}",
            "CACHE_SECONDS": "0",
            "API_THROTTLE_RATE": "off",
            "LOG_LEVEL": "CRITICAL",
            # Uploads wait between preview and confirm in IMPORT_DIR (and
            # arrive through the temporary directory): here, removed with the cluster.
            "TMPDIR": str(cluster.directory),
            "IMPORT_DIR": str(cluster.directory / "imports"),
        }
        server_log = (cluster.directory / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "tracker.wsgi", "--bind",
             f"127.0.0.1:{args.app_port}", "--workers", str(args.workers), "--timeout", "30",
             "--log-level", "warning"],
            cwd=ROOT, env=server_env, start_new_session=True,
            stdout=server_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        browser, import_browser = Browser(args.app_port), Browser(args.app_port)
        for _attempt in range(100):
            try:
                browser.form("/admin/login/")
                break
            except (OSError, RuntimeError):
                time.sleep(0.3)
        sys.path.insert(0, str(ROOT))
        browser.log_in(USERNAME, totp_keys[USERNAME])
        import_browser.log_in(IMPORTER, totp_keys[IMPORTER])

        timeline = Timeline()
        stop = threading.Event()
        threads = [
            threading.Thread(target=reader, args=(args.app_port, pages, stop, timeline, n))
            for n in range(args.clients)
        ]
        threads.append(threading.Thread(target=writer, args=(browser, stop, timeline)))
        threads.append(threading.Thread(target=importer, args=(import_browser, stop, timeline)))
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        down_at = time.monotonic()
        cluster.stop()
        stopped_at = time.monotonic()
        time.sleep(args.down)
        starting_at = time.monotonic()
        cluster.start()
        up_at = time.monotonic()
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join(timeout=15)

        def query(sql: str) -> set[str]:
            return set(
                subprocess.run(
                    ["psql", "-h", "127.0.0.1", "-p", str(args.pg_port), "-U", "postgres", "-At",
                     "-d", "tracker", "-c", sql],
                    capture_output=True, text=True, check=True,
                ).stdout.split("\n")
            ) - {""}  # fmt: skip

        stored = query("select name from prisoners_organization where name like 'Fault test %'")
        imported = query(
            "select person_id from prisoners_person where person_id like 'fault-import-%'"
        )
        report(timeline, down_at, stopped_at, starting_at, up_at, stored, imported, args)
        tracebacks = (cluster.directory / "gunicorn.log").read_text().count("Traceback")
        print(f"\nServer log: {tracebacks} tracebacks (the 503s are logged as warnings)")
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        cluster.remove()


def phases(records, down_at: float, up_at: float, acknowledged) -> str:
    """How many of the writes ended before the stop, around the outage and
    after the start, and how many of each were acknowledged."""
    counts = Counter()
    for end, _key, answer in records:
        phase = "before" if end < down_at else "after" if end >= up_at else "down"
        counts[phase] += 1
        counts[phase, "ok"] += answer == acknowledged
    return ", ".join(
        f"{label} {counts[phase, 'ok']}/{counts[phase]}"
        for phase, label in [("before", "before the stop"), ("down", "from the stop to the start"),
                             ("after", "after the start")]
    )  # fmt: skip


def report(timeline, down_at, stopped_at, starting_at, up_at, stored, imported, args) -> None:
    before = [r for r in timeline.reads if r[1] < down_at]
    # Down: from the stop's end to the start's beginning (pg_ctl start returns
    # a moment after the database accepts connections again).
    during = [r for r in timeline.reads if r[0] >= stopped_at and r[1] <= starting_at]
    after = [r for r in timeline.reads if r[0] >= up_at]
    first_ok = min((r[1] for r in after if r[2] == 200), default=None)
    last_bad = max((r[1] for r in after if r[2] != 200), default=None)
    print(f"\nReaders: {len(timeline.reads)} requests, {args.clients} clients, gunicorn "
          f"{args.workers} workers, database stopped {stopped_at - down_at:.1f} s after "
          f"the stop began and kept down {starting_at - stopped_at:.1f} s; starting it took "
          f"{up_at - starting_at:.1f} s")  # fmt: skip
    print(f"  before the stop: {dict(Counter(r[2] for r in before))}")
    codes = Counter(r[2] for r in during)
    unclear = sum(1 for r in during if not r[3])
    print(f"  while down:      {dict(codes)} (503 page: {codes[503]}, 500: {codes[500]}, "
          f"unclear answers: {unclear}; target: only the 503 page)")  # fmt: skip
    print(f"  after the start: {dict(Counter(r[2] for r in after))}")
    if first_ok is None:
        print("  the app did NOT serve again after the database came back")
    else:
        print(f"  first 200 {first_ok - up_at:.2f} s after the database was back; last non-200 "
              f"{(last_bad - up_at) if last_bad else 0:.2f} s after (target < 5 s)")  # fmt: skip
    acknowledged = {name for _t, name, status in timeline.writes if status == 302}
    writes = Counter(status for _t, _n, status in timeline.writes)
    lost = acknowledged - stored
    print(f"\nWriter: {len(timeline.writes)} admin saves tried, {len(acknowledged)} "
          f"acknowledged, answers {dict(writes)}")  # fmt: skip
    print(f"  acknowledged/tried: {phases(timeline.writes, down_at, up_at, 302)}")
    print(f"  acknowledged and stored: {len(acknowledged & stored)}; "
          f"acknowledged but missing: {len(lost)} (target 0)")  # fmt: skip
    unacknowledged = stored - acknowledged
    print(f"  stored though not acknowledged (cut off mid-answer): {len(unacknowledged)}")

    done = {person for _t, person, answer in timeline.imports if answer == "acknowledged"}
    answers = Counter(answer for _t, _p, answer in timeline.imports)
    failed = {answer: n for answer, n in answers.items() if answer != "acknowledged"}
    print(f"\nImporter: {len(timeline.imports)} admin imports tried (one new person each), "
          f"{len(done)} acknowledged, {len(timeline.imports) - len(done)} failed or refused: "
          f"{failed}")  # fmt: skip
    print(f"  acknowledged/tried: {phases(timeline.imports, down_at, up_at, 'acknowledged')}")
    print(f"  acknowledged and stored: {len(done & imported)}; "
          f"acknowledged but missing: {len(done - imported)} (target 0)")  # fmt: skip
    print(f"  stored though not acknowledged (cut off mid-answer): {len(imported - done)}")


if __name__ == "__main__":
    main()
