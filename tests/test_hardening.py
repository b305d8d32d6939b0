"""Issue 16's security and robustness: formulas in public CSV, the client's
address behind proxies, one answer to a failed staff login, absolute URLs
from SITE_URL, upload limits and the upload store, and two imports creating
the same source at once."""

from __future__ import annotations

import csv
import io
import re
import stat
import threading
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from prisoners.interchange import saving
from prisoners.interchange.csv_files import csv_text, spreadsheet_safe
from prisoners.interchange.importer import run_import
from prisoners.interchange.reading import Problems, Table, _binary_lines
from prisoners.models import Organization, Person, Source
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    ReleaseEventFactory,
    SanctionsEventFactory,
)
from tests.staff_login import current_code
from tracker.client_ip import client_ip
from tracker.two_factor import set_up_devices

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


# Formulas in public CSV.


def test_it_makes_cells_that_start_a_formula_text():
    assert [spreadsheet_safe(cell) for cell in FORMULAS] == ["'" + cell for cell in FORMULAS]
    assert spreadsheet_safe("a=b") == "a=b"
    assert spreadsheet_safe("'=x") == "'=x"
    assert spreadsheet_safe(5) == 5
    assert spreadsheet_safe("") == ""
    assert csv_text([["=1"]], public=False) == "=1\r\n"
    assert csv_text([["=1"]]) == "'=1\r\n"


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


def test_it_writes_no_formula_in_any_public_csv(client):
    organization = OrganizationFactory(name="=cmd|' /C calc'!A0")
    person = PersonFactory(person_id="p-1", name='=HYPERLINK("http://evil","x")', bio="-2+3")
    person.organizations.add(organization)
    ReleaseEventFactory(event_id="r-1", title="@SUM(1+1)")
    SanctionsEventFactory(event_id="s-1", target="+1+1", legal_reference="+2+2")
    seen = set()
    for url in [
        "/prisoners/export.csv",
        "/releases/export.csv",
        "/sanctions/export.csv",
        "/sanctions/targets/export.csv",
        "/api/stats/held.csv",
        "/api/stats/releases.csv",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        for row in read_csv(response):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (url, cell)
                seen.add(cell)
    assert '\'=HYPERLINK("http://evil","x")' in seen
    assert "'=cmd|' /C calc'!A0" in seen
    assert "'@SUM(1+1)" in seen
    assert "'+1+1" in seen  # a target's name
    assert "'+2+2" in seen


def test_it_keeps_the_full_export_exact(tmp_path):
    PersonFactory(person_id="p-1", name="=1+1")
    call_command("export_records", str(tmp_path))
    rows = list(csv.reader((tmp_path / "prisoners.csv").open(encoding="utf-8", newline="")))
    assert rows[1][rows[0].index("name")] == "=1+1"


# The client's address.


def request_from(peer: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **extra)


def test_it_ignores_x_forwarded_for_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_it_reads_the_right_most_untrusted_forwarded_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    chain = "6.6.6.6, 203.0.113.9, 10.0.0.7"
    assert client_ip(request_from("127.0.0.1", chain)) == "203.0.113.9"
    assert client_ip(request_from("127.0.0.1", "not-an-address, 10.0.0.7")) == "10.0.0.7"
    assert client_ip(request_from("127.0.0.1")) == "127.0.0.1"
    # Not from a trusted proxy: the header is whatever the client wrote.
    assert client_ip(request_from("198.51.100.7", chain)) == "198.51.100.7"


def test_it_refuses_a_trusted_proxy_that_is_no_address(settings):
    settings.TRUSTED_PROXIES = ["proxy.example.org"]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        client_ip(request_from("127.0.0.1", "203.0.113.9"))


def fail_login(client, peer: str, forwarded: str | None = None, password="wrong-password"):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    data = {"username": "curator", "password": password, "next": "/admin/"}
    return client.post("/admin/login/", data, REMOTE_ADDR=peer, **extra)


def test_rotating_x_forwarded_for_does_not_lift_the_lockout(client, settings, curator):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, "198.51.100.7", f"203.0.113.{attempt}")
    answer = fail_login(client, "198.51.100.7", "203.0.113.200", password="curator-pass-1234")
    assert answer.status_code == 429


def test_spoofing_a_victims_address_does_not_lock_the_victim_out(client, settings, curator):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        fail_login(client, "198.51.100.66", "10.0.0.1")
    victim = fail_login(client, "10.0.0.1", password="curator-pass-1234")
    assert victim.status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_address_is_locked_out(client, settings, curator):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        fail_login(client, "127.0.0.1", "203.0.113.9")
    assert fail_login(client, "127.0.0.1", "203.0.113.9").status_code == 429
    other = fail_login(client, "127.0.0.1", "203.0.113.10", password="curator-pass-1234")
    assert other.status_code == 302


@pytest.fixture
def throttled(settings):
    cache.clear()
    settings.API_THROTTLE_RATE = "3/minute"
    yield
    cache.clear()


def test_rotating_x_forwarded_for_does_not_lift_the_api_throttle(client, throttled):
    answers = [
        client.get(
            "/api/organizations/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}"
        ).status_code
        for i in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_the_throttle_counts_each_client(client, settings, throttled):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    def get(address):
        return client.get(
            "/api/organizations/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address
        ).status_code

    assert [get("203.0.113.9") for _ in range(4)] == [200, 200, 200, 429]
    assert get("203.0.113.10") == 200


# One answer to a failed staff login.

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def test_it_answers_a_wrong_code_and_a_wrong_password_alike(client, settings, curator):
    settings.ADMIN_REQUIRE_2FA = True
    devices = set_up_devices(curator)
    wrong = f"{(int(current_code(devices)) + 1) % 1_000_000:06d}"
    answers = []
    for password in ("curator-pass-1234", "wrong-password"):
        data = {"username": "curator", "password": password, "otp_token": wrong, "next": "/admin/"}
        response = client.post("/admin/login/", data, REMOTE_ADDR="10.0.0.1")
        answers.append((response.status_code, CSRF.sub("", response.content.decode())))
    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert "Enter a correct user name, password and code" in answers[0][1]


# Absolute URLs from SITE_URL.

SITE = "https://tracker.example.org"
URL = re.compile(r"https?://[^\s\"'<>]+")
# Namespaces and links that are not ours (the factories' sources).
ELSEWHERE = (
    "http://www.w3.org/",
    "http://www.sitemaps.org/",
    "https://creativecommons.org/",
    "https://example.org/",
)


def absolute_urls(response) -> list[str]:
    body = "" if response.streaming else response.content.decode()
    text = body + " " + " ".join(response.headers.values())
    return [url for url in URL.findall(text) if not url.startswith(ELSEWHERE)]


def test_a_host_with_another_port_never_reaches_a_cached_absolute_url(client, settings):
    settings.SITE_URL = SITE
    settings.CACHE_SECONDS = 60
    cache.clear()
    PersonFactory(person_id="ales")
    ReleaseEventFactory(event_id="r-1")
    for i in range(3):
        PersonFactory(person_id=f"p-{i}")
    urls = [
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-people.xml",
        "/prisoners/feed.atom",
        "/releases/feed.atom",
        "/",
        "/prisoners/ales/",
        "/ru/prisoners/",
        "/api/prisoners/?page_size=1&page=2",
        "/api/prisoners/ales/",
        "/api/stats/releases/",
        "/prisoners/export.csv",
    ]
    for host in ("127.0.0.1:9999", "testserver"):
        for url in urls:
            response = client.get(url, HTTP_HOST=host)
            assert response.status_code == 200, (host, url)
            found = absolute_urls(response)
            assert found, url
            assert all(u.startswith(SITE + "/") for u in found), (host, url, found)
    cache.clear()


def test_production_refuses_to_start_without_site_url():
    from tests.test_foundation import run_manage

    result = run_manage(
        "check", DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="tracker.example.org"
    )
    assert result.returncode != 0
    assert "SITE_URL must be set when DEBUG is off" in result.stderr


def test_site_url_is_an_origin(monkeypatch):
    from tracker.env import env_site_url

    monkeypatch.setenv("SITE_URL", "https://tracker.example.org/")
    assert env_site_url("SITE_URL", False) == "https://tracker.example.org"
    for wrong in ("tracker.example.org", "ftp://x.org", "https://x.org/tracker", "https://"):
        monkeypatch.setenv("SITE_URL", wrong)
        with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
            env_site_url("SITE_URL", False)


# Uploads.


def test_it_reads_a_file_without_line_breaks_in_one_line():
    data = b"x" * (3 * 65536 + 17)
    assert list(_binary_lines(io.BytesIO(data))) == [data]
    text = b"a\nbb\r\n" + b"c" * 70000 + b"\nd"
    assert b"".join(_binary_lines(io.BytesIO(text))) == text
    assert list(_binary_lines(io.BytesIO(text)))[:2] == [b"a\n", b"bb\r\n"]


def test_a_big_file_without_line_breaks_gets_a_clear_short_message():
    problems = Problems()
    Table("prisoners.csv", io.BytesIO(b"person_id" + b"x" * 5_000_000), problems)
    assert problems.lines()[0].startswith("prisoners.csv:1: -: unrecognized header")
    problems = Problems()
    Table("prisoners.csv", io.BytesIO(b"person_id,name," + b"x" * 5_000_000), problems)
    (line,) = problems.lines()
    assert line.startswith("prisoners.csv:1: xxxx")
    assert line.endswith("…: unknown column for prisoners.csv")
    assert len(line) < 200


@pytest.fixture
def import_client(client, django_user_model, settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"
    client.force_login(django_user_model.objects.create_superuser("boss", password="x" * 20))
    return client


def upload(client, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/admin/prisoners/import/", {"files": [SimpleUploadedFile(name, data)]})


def test_an_upload_beyond_the_limit_is_refused_and_nothing_kept(import_client, settings):
    settings.MAX_UPLOAD_MB = 1
    data = b"person_id,name\n" + b"p-1,Ales\n" * 200_000
    response = upload(import_client, "prisoners.csv", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "more than the 1 MB an upload may be" in text
    assert "import_records" in text
    kept = Path(settings.IMPORT_DIR)
    assert not kept.exists() or not any(kept.iterdir())
    assert not Person.objects.exists()


def test_uploads_wait_in_a_private_directory(import_client, settings):
    response = upload(import_client, "prisoners.csv", b"person_id,name\np-1,Ales\n")
    assert response.status_code == 200
    store = Path(settings.IMPORT_DIR)
    assert stat.S_IMODE(store.stat().st_mode) == 0o700
    (token,) = list(store.iterdir())
    assert stat.S_IMODE(token.stat().st_mode) == 0o700
    assert stat.S_IMODE((token / "0.csv").stat().st_mode) == 0o600


def test_a_looser_upload_directory_is_tightened(import_client, settings):
    Path(settings.IMPORT_DIR).mkdir(mode=0o755)
    Path(settings.IMPORT_DIR).chmod(0o755)
    upload(import_client, "prisoners.csv", b"person_id,name\np-1,Ales\n")
    assert stat.S_IMODE(Path(settings.IMPORT_DIR).stat().st_mode) == 0o700


# Two imports of the same new source at once.


def people_file(person_id: str) -> tuple[str, bytes]:
    return (
        "prisoners.csv",
        (
            "person_id,name,person_sources,organizations\n"
            f"{person_id},Person {person_id},https://example.org/shared,Viasna\n"
        ).encode(),
    )


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_new_source_at_once_both_succeed(on_postgres, monkeypatch):
    """Both imports look the source up (it is not there) before either
    creates it: the second's insert then meets the first's."""
    barrier = threading.Barrier(2)
    look_up = saving.References.__init__

    def look_up_together(self, *args, **kwargs):
        barrier.wait(timeout=10)
        look_up(self, *args, **kwargs)

    monkeypatch.setattr(saving.References, "__init__", look_up_together)
    results = [None, None]

    def run(i):
        try:
            results[i] = run_import([people_file(f"p-{i}")])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(result is not None and result.ok for result in results), [
        result.errors if result else None for result in results
    ]
    assert Source.objects.filter(url="https://example.org/shared").count() == 1
    assert Organization.objects.filter(name="Viasna").count() == 1
    source = Source.objects.get(url="https://example.org/shared")
    assert source.history.count() == 1
    assert sorted(p.person_id for p in Person.objects.filter(sources=source)) == ["p-0", "p-1"]
