"""Site-wide guards: migrations, settings from the environment, history
authors, the home page, the command-line tools."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from prisoners.history import acting_as
from prisoners.models import Person
from tracker import env

from .factories import DetentionFactory, PersonFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def run_manage(*args, **environ):
    """Run manage.py in a fresh interpreter with exactly the given settings."""
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**keep, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="tracker.example.org",
        SITE_URL="https://tracker.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("0", False), ("False", False)]
)
def test_env_bool_reads_the_documented_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)
    assert env.env_bool("FLAG") is expected


@pytest.mark.parametrize(
    ("reader", "value"),
    [(env.env_bool, "maybe"), (env.env_int, "ten"), (env.env_int, "-1"), (env.env_rate, "60")],
)
def test_env_helpers_fail_loudly_on_a_bad_value(monkeypatch, reader, value):
    monkeypatch.setenv("SETTING", value)
    with pytest.raises(ImproperlyConfigured, match="SETTING"):
        reader("SETTING", *([] if reader is env.env_bool else ["0"]))


def test_the_throttle_rate_can_be_lifted(monkeypatch):
    monkeypatch.setenv("API_THROTTLE_RATE", "off")
    assert env.env_rate("API_THROTTLE_RATE", "60/minute") is None
    monkeypatch.setenv("API_THROTTLE_RATE", "100/hour")
    assert env.env_rate("API_THROTTLE_RATE", "60/minute") == "100/hour"


def test_env_example_lists_every_variable_the_settings_read():
    settings_source = (ROOT / "tracker" / "settings.py").read_text()
    example = (ROOT / ".env.example").read_text()
    import re

    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_source))
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "REDIS_URL"} <= read
    listed = set(re.findall(r"^([A-Z_]+)=", example, flags=re.M))
    assert read <= listed, read - listed


@pytest.mark.django_db
def test_history_records_the_user_who_made_a_change(django_user_model):
    curator = django_user_model.objects.create_user("curator")
    with acting_as(curator, via="test"):
        person = PersonFactory(name="Before", sources=[])
        person.name = "After"
        person.save()
    versions = list(person.history.order_by("history_date"))
    assert [v.name for v in versions] == ["Before", "After"]
    assert {v.history_user for v in versions} == {curator}
    assert versions[-1].history_change_reason == "test"


@pytest.mark.django_db
def test_changes_from_the_command_line_are_marked_as_such():
    with acting_as(None):
        person = PersonFactory()
    version = person.history.latest()
    assert version.history_user is None
    assert version.history_change_reason == "command line"


@pytest.mark.django_db
def test_an_admin_save_records_the_logged_in_user(admin_client, admin_user):
    person = PersonFactory(name="Old name")
    # A change form carries the version it was loaded with (issue 15).
    loaded = person.history.order_by("-history_date", "-history_id").first()
    response = admin_client.post(
        f"/admin/prisoners/person/{person.pk}/change/",
        {
            "_version": loaded.history_id,
            "person_id": person.person_id,
            "name": "New name",
            "visibility": "draft",
            "detentions-TOTAL_FORMS": "0",
            "detentions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = Person.objects.get(pk=person.pk).history.latest()
    assert latest.name == "New name"
    assert latest.history_user == admin_user


@pytest.mark.django_db
def test_the_home_page_says_what_the_site_is_and_shows_the_held_count(client):
    DetentionFactory(person__recognized_on="2021", detained_on="2021-03-01")
    DetentionFactory(person__recognized_on="2021", person__visibility="anonymous")
    DetentionFactory(person__recognized_on=None)
    response = client.get("/")
    assert response.status_code == 200
    assert b"political" in response.content.lower()
    assert response.context["held_now"] == 2


@pytest.mark.django_db
def test_local_admin_creates_a_superuser_and_prints_the_login(capsys, settings):
    settings.DEBUG = True
    call_command("local_admin")
    output = capsys.readouterr().out
    from django.contrib.auth import authenticate

    password = output.split("password '")[1].split("'")[0]
    user = authenticate(username="admin", password=password)
    assert user is not None and user.is_superuser


def test_today_is_a_date():
    # Guard against a TIME_ZONE typo: localdate() must work with USE_TZ on.
    from django.utils import timezone

    assert isinstance(timezone.localdate(), date)
