"""The README's import and export commands work as written on a fresh clone
after `make run`.

A copy of the working tree stands for the fresh clone (no .env, no database).
The Makefile's own `.env` step writes the development settings, as `make run`
does before anything else; then the README's commands run through bash,
exactly as the README shows them (globs, continuation lines and all), with an
environment that has no DEBUG and no SECRET_KEY: only the `.env` can make
them work. Each run gets its own SQLite database, named by DATABASE_URL.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PYTHON = ".venv/bin/python manage.py "
# What a fresh clone does not have.
NOT_IN_A_CLONE = (
    ".git",
    ".venv",
    ".env",
    ".env.tmp",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "db.sqlite3",
    "staticfiles",
    "export",
    "backup",
    "results",
)
CREATED = re.compile(r"^people: (\d+) created", re.M)


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"^```(?:sh|bash|shell)\n(.*?)^```", text, flags=re.M | re.S)


def readme_commands(command: str) -> list[str]:
    """Every `.venv/bin/python manage.py COMMAND …` line of the README's shell
    blocks, continuation lines joined, comments after the command dropped."""
    found = []
    for block in shell_blocks(README.read_text()):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line.startswith(PYTHON + command + " ") or line == PYTHON + command:
                found.append(re.sub(r"\s+", " ", line))
    return found


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The working tree as a fresh clone has it, with the project's .venv,
    and the .env that `make run` writes."""
    copy = tmp_path_factory.mktemp("readme") / "clone"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_IN_A_CLONE), symlinks=True)
    (copy / ".venv").symlink_to((ROOT / ".venv").resolve(), target_is_directory=True)
    dry = subprocess.run(
        ["make", "-n", "run"], cwd=copy, capture_output=True, text=True, check=True
    ).stdout
    assert "> .env.tmp" in dry, "make run no longer writes .env first:\n" + dry
    for _ in range(2):
        subprocess.run(["make", "--no-print-directory", ".env"], cwd=copy, check=True)
    return copy


def run(clone: Path, command: str, database: Path) -> str:
    """One README command as written, through bash, in the clone, with no
    DEBUG or SECRET_KEY in the environment."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=clone,
        env={**keep, "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}{result.stderr}"
    return result.stdout


def test_make_writes_a_development_env_once(clone):
    env = (clone / ".env").read_text()
    assert re.search(r"^DEBUG=1$", env, re.M)
    key = re.search(r"^SECRET_KEY=(\S{40,})$", env, re.M)
    assert key, env
    assert key.group(1) not in (ROOT / ".env.example").read_text()
    # The clone's key is its own, and the second `make .env` kept it.
    if (ROOT / ".env").exists():
        assert key.group(1) not in (ROOT / ".env").read_text()
    assert (clone / ".env").stat().st_mode & 0o077 == 0, "the secret is readable by others"


def test_the_readme_import_and_export_commands_work_as_written(clone, tmp_path):
    imports = readme_commands("import_records")
    exports = readme_commands("export_records")
    demo_imports = [c for c in imports if "prisoners/demo/" in c]
    restores = [c for c in imports if c not in demo_imports]
    assert demo_imports, "the README shows no import of prisoners/demo/"
    assert len(exports) == 1, exports
    assert restores, "the README shows no import of an export (Backups)"
    assert PYTHON + "migrate" in readme_commands("migrate")

    # Curators: check, then import the demo files, into a migrated database.
    first = tmp_path / "first.sqlite3"
    run(clone, PYTHON + "migrate", first)
    created = None
    for command in demo_imports:
        out = run(clone, command, first)
        counted = CREATED.search(out)
        assert counted, f"{command}\n{out}"
        if "--dry-run" in command:
            assert "nothing was written" in out
        elif created is None:
            created = int(counted.group(1))
    assert created, f"no README import of the demo created anyone: {demo_imports}"
    demo = (ROOT / "prisoners/demo/prisoners.csv").read_text().splitlines()
    assert created == len({row["person_id"] for row in csv.DictReader(demo)})

    # Backups: export everything.
    out = run(clone, exports[0], first)
    target = clone / exports[0].split()[3]
    for name in ("prisoners.csv", "release_events.csv", "sanctions_events.csv"):
        with open(target / name, newline="") as file:
            rows = list(csv.DictReader(file))
        assert rows, name
        assert f"{name}: {len(rows)} rows" in out

    # ... and restore the export into a new, empty database.
    second = tmp_path / "second.sqlite3"
    run(clone, PYTHON + "migrate", second)
    for command in restores:
        out = run(clone, command, second)
        assert f"people: {created} created" in out, f"{command}\n{out}"
