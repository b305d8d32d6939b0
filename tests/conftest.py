import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium: skipped without it on a user's
    machine, but in CI a missing browser is a failure."""
    if shutil.which(CHROMIUM) or not any("browser" in item.keywords for item in items):
        return
    if IN_CI:
        raise pytest.UsageError(f"CI=true and {CHROMIUM} is missing: the browser tests must run")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def on_postgres(settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        if IN_CI and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("DATABASE_URL names PostgreSQL but the connection is not PostgreSQL")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "editor", password="editor-pass-1234", is_staff=True
    )
    group = Group.objects.filter(name="Editor").first()
    if group:
        user.groups.add(group)
    return user


@pytest.fixture
def curator(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "curator", password="curator-pass-1234", is_staff=True
    )
    group = Group.objects.filter(name="Curator").first()
    if group:
        user.groups.add(group)
    return user


@pytest.fixture
def records(db):
    """Two published people (one freed in a group release linked to lifted
    sanctions, one held), a draft, and an unpublished sanctions event."""
    from .factories import (
        DetentionFactory,
        OrganizationFactory,
        PersonFactory,
        ReleaseEventFactory,
        ReleaseFactory,
        SanctionsEventFactory,
    )

    potash = SanctionsEventFactory(event_id="us-potash", action="lifted")
    hidden_sanctions = SanctionsEventFactory(event_id="hidden-sanctions", published=False)
    wave = ReleaseEventFactory(event_id="wave-dec", date="2025-12-13", announced_count=123)
    wave.sanctions.set([potash, hidden_sanctions])
    ales = PersonFactory(
        person_id="ales", name="Ales Bialiatski", name_be="Алесь Бяляцкі", recognized_on="2021-07"
    )
    ales.organizations.set([OrganizationFactory(name="Viasna")])
    ReleaseFactory(
        detention=DetentionFactory(person=ales, detention_id="ales-1", detained_on="2021-07-14"),
        released_on="2025-12-13",
        release_type="negotiated",
        release_event=wave,
        released_to="Lithuania",
    )
    marfa = PersonFactory(person_id="marfa", name="Marfa Rabkova", recognized_on="2020-09")
    DetentionFactory(person=marfa, detention_id="marfa-1", detained_on="2020-09-17")
    PersonFactory(person_id="draft", name="Draft Person", visibility="draft")
    return {"wave": wave}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages and throttle counts never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /be/ or /ru/ leaves its language active in the thread
    (as in a server, where the next request sets its own): every test starts
    in the default language, so that reverse() gives unprefixed URLs."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
