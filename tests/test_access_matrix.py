"""Who reaches what: every admin URL and every public URL, for an anonymous
visitor, a curator, an editor and a superuser, in production mode (two
factors required, staff sessions verified), each with its expected answer.

Admin URLs are discovered from the admin site's registry, so a newly
registered model is covered without touching this file; its expectation
comes from the role tables below (a model the roles do not name is for
superusers only)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from prisoners.models import ColumnMapping, Person
from tests.factories import PersonFactory
from tests.public_urls import build_world, public_urls
from tests.staff_login import log_in_verified
from tracker.two_factor import set_up_devices

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"

# The roles (prisoners/migrations/0003_roles.py), written out once more on
# purpose: a change to the roles must change this table too.
RECORDS = {
    "person",
    "detention",
    "release",
    "releaseevent",
    "sanctionsevent",
    "source",
    "organization",
    "charge",
    "facility",
    "localname",
    "stay",
    "sentencechange",
    "sanctionstarget",
}
# A detention's stays in facilities are edited on its page, as its release
# is (no admin page of their own).
CURATOR_DELETES = {"detention", "release", "source", "stay", "sentencechange"}
EDITOR_DELETES = CURATOR_DELETES | {
    "person",
    "releaseevent",
    "sanctionsevent",
    "localname",
    "sanctionstarget",
}
DELETES = {"curator": CURATOR_DELETES, "editor": EDITOR_DELETES}
# Issue 15: a curator keeps the permission to delete a source (taking it off
# one record) but not the source's own delete page, which removes it from
# every record across people; deleting one is an editor's.
DELETE_PAGES = {"curator": CURATOR_DELETES - {"source"}, "editor": EDITOR_DELETES}
# Saved column mappings (prisoners/admin/mapping.py): kept by whoever may
# import, and made only by an import's mapping screen.
MAPPINGS = "prisoners.columnmapping"
# The public guides (/write/): seeded by a migration, so nobody adds or
# deletes one; editors change them, curators only read them (migration 0020).
GUIDES = "prisoners.guide"
# Log tables that nobody adds to by hand.
NO_ADD = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


@dataclass(frozen=True)
class AdminURL:
    url: str
    model: str  # "app.model", or "" for site-wide pages
    action: str  # view, add, change, delete, or a site page name


def admin_urls(world) -> list[AdminURL]:
    urls = [
        AdminURL(reverse("admin:index"), "", "index"),
        AdminURL(reverse("admin:password_change"), "", "password_change"),
        AdminURL(reverse("admin:jsi18n"), "", "jsi18n"),
    ]
    for app_label in sorted({m._meta.app_label for m in admin.site._registry}):
        urls.append(AdminURL(reverse("admin:app_list", args=[app_label]), app_label, "app"))
    for model in admin.site._registry:
        opts = model._meta
        label = f"{opts.app_label}.{opts.model_name}"
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(AdminURL(reverse(f"{prefix}_changelist"), label, "view"))
        urls.append(AdminURL(reverse(f"{prefix}_add"), label, "add"))
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"the world needs a {label} for its change pages"
        urls.append(AdminURL(reverse(f"{prefix}_change", args=[obj.pk]), label, "view"))
        urls.append(AdminURL(reverse(f"{prefix}_history", args=[obj.pk]), label, "view"))
        urls.append(AdminURL(reverse(f"{prefix}_delete", args=[obj.pk]), label, "delete"))
        # Rows a migration wrote (LocalName's place names) have no history yet.
        record = obj.history.order_by("history_id").first() if hasattr(obj, "history") else None
        if record is not None:
            url = reverse(f"{prefix}_simple_history", args=[obj.pk, record.history_id])
            urls.append(AdminURL(url, label, "view"))
    user = world["superuser"]
    urls.append(
        AdminURL(reverse("admin:auth_user_password_change", args=[user.pk]), "auth.user", "change")
    )
    device = user.totpdevice_set.get()
    for name in ("config", "qrcode"):
        url = reverse(f"admin:otp_totp_totpdevice_{name}", args=[device.pk])
        urls.append(AdminURL(url, "otp_totp.totpdevice", "secret"))
    # The curators' own pages (prisoners/admin_history.py, admin_import.py).
    urls.append(AdminURL(reverse("admin:prisoners_person_deleted"), "prisoners.person", "delete"))
    restore = reverse("admin:prisoners_person_restore", args=[world["deleted_history_id"]])
    urls.append(AdminURL(restore, "prisoners.person", "restore"))
    urls.append(AdminURL(reverse("prisoners_import"), "", "import"))
    mapping = ColumnMapping.objects.get()
    download = reverse("admin:prisoners_columnmapping_download", args=[mapping.pk])
    urls.append(AdminURL(download, MAPPINGS, "view"))
    # Merging two people (prisoners/admin/merge.py): editors only.
    urls.append(AdminURL(reverse("admin:prisoners_person_merges"), "prisoners.person", "merge"))
    pair = sorted(Person.objects.values_list("pk", flat=True)[:2])
    merge = reverse("admin:prisoners_person_merge", args=pair)
    urls.append(AdminURL(merge, "prisoners.person", "merge"))
    return urls


def expected(persona: str, page: AdminURL) -> int:
    """The status a GET answers for ``persona``; 302 goes to the login page."""
    if persona == "anonymous":
        return 302
    if page.action in {"index", "password_change", "jsi18n"}:
        return 200
    if page.action == "secret":
        return 403  # OTP_ADMIN_HIDE_SENSITIVE_DATA: not even a superuser sees a TOTP secret
    if page.action == "restore":
        # A GET goes back to the deleted-people list, for those allowed there.
        return 302 if persona == "superuser" or "person" in DELETES[persona] else 403
    if page.action == "import":
        return 200
    if page.action == "merge":
        return 200 if persona in {"superuser", "editor"} else 403
    if page.action == "app":
        return 200 if persona == "superuser" or page.model == "prisoners" else 404
    if page.action == "add" and page.model in NO_ADD | {MAPPINGS}:
        return 403
    if page.model == MAPPINGS:
        return 200
    if page.model == GUIDES:
        return 403 if page.action in {"add", "delete"} else 200
    if persona == "superuser":
        return 200
    app_label, model_name = page.model.split(".")
    if app_label != "prisoners" or model_name not in RECORDS:
        return 403
    if page.action == "delete":
        return 200 if model_name in DELETE_PAGES[persona] else 403
    return 200


@pytest.fixture
def world(django_user_model):
    story = build_world()
    PersonFactory(person_id="gone", name="Deleted Person").delete()
    deleted = Person.history.filter(person_id="gone", history_type="-").get()
    superuser = django_user_model.objects.create_superuser(
        "boss", password="boss-pass-1234-long", email="boss@example.org"
    )
    AccessAttempt.objects.create(username="someone", ip_address="10.0.0.9", failures_since_start=1)
    AccessLog.objects.create(username="boss", ip_address="10.0.0.9")
    AccessFailureLog.objects.create(username="someone", ip_address="10.0.0.9")
    set_up_devices(superuser)
    ColumnMapping.objects.create(headers_key="фио", columns={"ФИО": "name"}, dates="DMY")
    return {
        "story": story,
        "superuser": superuser,
        "deleted_history_id": deleted.history_id,
    }


@pytest.fixture(autouse=True)
def production_login(settings):
    settings.ADMIN_REQUIRE_2FA = True


def persona_client(client, persona, world, curator, editor):
    users = {"curator": curator, "editor": editor, "superuser": world["superuser"]}
    if persona != "anonymous":
        log_in_verified(client, users[persona])
    return client


def answers(client, urls) -> dict[str, int]:
    return {url: client.get(url).status_code for url in urls}


@pytest.mark.parametrize("persona", ["anonymous", "curator", "editor", "superuser"])
def test_each_persona_gets_its_expected_answer_on_every_admin_url(
    client, persona, world, curator, editor
):
    persona_client(client, persona, world, curator, editor)
    pages = admin_urls(world)
    assert len(pages) > 90
    wrong = []
    for page in pages:
        response = client.get(page.url)
        want = expected(persona, page)
        if response.status_code != want:
            wrong.append(f"{page.url}: {response.status_code}, expected {want}")
        elif persona == "anonymous" and not response.url.startswith(f"{LOGIN}?next="):
            wrong.append(f"{page.url}: redirects to {response.url}, not the login page")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", ["anonymous", "curator", "editor", "superuser"])
def test_each_persona_reads_every_public_url(client, persona, world, curator, editor):
    persona_client(client, persona, world, curator, editor)
    got = answers(client, public_urls(world["story"]))
    assert {url: code for url, code in got.items() if code != 200} == {}


def test_anonymous_reaches_only_the_login_page(client, world):
    assert client.get(LOGIN).status_code == 200
    for page in admin_urls(world):
        response = client.get(page.url)
        assert response.status_code == 302 and response.url.startswith(LOGIN), page.url


def test_staff_without_a_verified_second_factor_reach_nothing(client, world, curator, editor):
    """Logged in with a password (the session has no verified device): the
    admin treats every staff user, superusers included, as a visitor."""
    pages = admin_urls(world)
    for user in (curator, editor, world["superuser"]):
        client.force_login(user)
        got = {p.url: client.get(p.url) for p in pages}
        reached = [url for url, r in got.items() if r.status_code != 302]
        assert reached == [], (user.username, reached)
        assert all(r.url.startswith(LOGIN) for r in got.values())
        client.logout()


def test_the_roles_in_this_table_are_the_migrated_ones():
    """Guards the expectations above against a silent change of the roles."""
    codes = {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.filter(name__in=["Curator", "Editor"])
    }
    for role, deletes in (("Curator", CURATOR_DELETES), ("Editor", EDITOR_DELETES)):
        assert {c.split("_", 1)[1] for c in codes[role] if c.startswith("delete_")} == deletes
        for action in ("view", "add", "change"):
            assert {f"{action}_{m}" for m in RECORDS} <= codes[role]
