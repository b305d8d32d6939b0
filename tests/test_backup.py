"""The portable backup of the README: `manage.py export_records DIR`, then
on a new, empty database `migrate` and `import_records DIR/*.csv`, gives
back the same records."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from prisoners.models import Detention, Person, Release, ReleaseEvent, SanctionsEvent
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
FILES = ["sanctions_events.csv", "release_events.csv", "prisoners.csv"]
COUNTS = (
    "import json; from prisoners.models import *; print(json.dumps({m.__name__: "
    "m.objects.count() for m in (Person, Detention, Release, ReleaseEvent, SanctionsEvent)}"
    " | {'notes': sorted(Person.objects.exclude(internal_notes='')"
    ".values_list('internal_notes', flat=True))}))"
)


def manage(database: Path, *args: str) -> str:
    """manage.py in a fresh interpreter, on its own SQLite database."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**keep, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def counts() -> dict:
    return {
        **{
            m.__name__: m.objects.count()
            for m in (Person, Detention, Release, ReleaseEvent, SanctionsEvent)
        },
        "notes": sorted(
            Person.objects.exclude(internal_notes="").values_list("internal_notes", flat=True)
        ),
    }


def test_an_export_restores_into_an_empty_database(tmp_path):
    call_command("load_demo", verbosity=0)
    call_command("generate_synthetic", persons=60, seed=7, quiet=True)
    PersonFactory(person_id="private", visibility="draft", internal_notes="family asked")
    before = counts()
    assert before["Person"] > 60 and before["Release"] and before["SanctionsEvent"]

    call_command("export_records", str(tmp_path / "backup"), stdout=io.StringIO())

    restored = tmp_path / "restored.sqlite3"
    manage(restored, "migrate", "--no-input")
    manage(restored, "import_records", "--quiet", *(str(tmp_path / "backup" / f) for f in FILES))
    assert json.loads(manage(restored, "shell", "-c", COUNTS).strip().splitlines()[-1]) == before

    manage(restored, "export_records", str(tmp_path / "again"))
    for name in FILES:
        original = (tmp_path / "backup" / name).read_bytes()
        assert (tmp_path / "again" / name).read_bytes() == original, name
