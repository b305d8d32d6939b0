"""The HTTP side of bench/compare.py: the servers (ours, an earlier commit's,
Datasette), one client timing each page, and many clients for throughput."""

from __future__ import annotations

import http.client
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from load import server_env, start_server
from load import stop_server as stop

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 60, cookie: str | None = None) -> tuple[int, int]:
    """Status and body size; the body read to the end. ``cookie``: a
    staff session, ``name=key``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    # The proxy of production says the client came over HTTPS.
    headers = {"X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        return response.status, size
    finally:
        connection.close()


def run(cmd: list[str], cwd: Path = ROOT, env: dict | None = None, stdout=None) -> str:
    result = subprocess.run(
        cmd, cwd=cwd, env=env, stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
        text=stdout is None, timeout=1800,
    )  # fmt: skip
    if result.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout or ''}{result.stderr}")
    return result.stdout


class Servers:
    """gunicorn as production runs it (2 workers, the page cache off by
    default), all sharing one SECRET_KEY so that the staff session made in
    this process is valid in each."""

    def __init__(self, env: dict) -> None:
        self.env = env
        self.secret_key = secrets.token_urlsafe(50)
        self.port = free_port()

    def settings(self) -> dict:
        """Ours, with the page cache off: also this process's settings."""
        return server_env(self.env, self.port, 0, self.secret_key)

    def collectstatic(self, root: Path = ROOT) -> None:
        """With the production storage: DEBUG off serves the hashed names."""
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], root, self.settings())

    def gunicorn(
        self, cache_seconds: int = 0, root: Path = ROOT, port: int | None = None
    ) -> subprocess.Popen:
        # A long timeout, since slow pages are the point.
        return start_server(self.env, port or self.port, workers=2, cache_seconds=cache_seconds,
                            timeout=300, root=root, secret_key=self.secret_key)  # fmt: skip


def check_out(commit: str, directory: Path) -> tuple[str, Path]:
    """The files of ``commit`` (git archive: no worktree registered in the
    repository), and its full sha."""
    sha = run(["git", "rev-parse", "--verify", f"{commit}^{{commit}}"]).strip()
    tree = directory / f"baseline-{sha[:12]}"
    tree.mkdir()
    archive = directory / "baseline.tar"
    with open(archive, "wb") as out:
        run(["git", "archive", "--format=tar", sha], stdout=out)
    run(["tar", "-xf", str(archive), "-C", str(tree)])
    archive.unlink()
    return sha, tree


def start_datasette(path: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "datasette"), "serve", str(path), "--host", "127.0.0.1", "--port", str(port),
         "--setting", "sql_time_limit_ms", "20000"],
        cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("datasette stopped at start")
        try:
            get(port, "/", timeout=5)
            return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    sys.exit("datasette did not answer within 60 s")


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def latencies(port: int, path: str, warmup: int, requests: int, cookie: str | None = None) -> dict:
    statuses = set()
    for _ in range(warmup):
        statuses.add(get(port, path, cookie=cookie)[0])
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _size = get(port, path, cookie=cookie)
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


def answering(port: int, paths: list[str]) -> set[str]:
    """The paths a server answers with 200 (an earlier commit may lack a page)."""
    return {path for path in paths if get(port, path, timeout=300)[0] == 200}


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
