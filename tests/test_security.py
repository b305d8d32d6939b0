"""Production safety: browser policy headers, staff two-factor login, login
lockouts, and the 503 page when the database is gone."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PersonFactory
from tests.staff_login import current_code, log_in_verified
from tests.test_foundation import run_manage
from tracker.middleware import server_error
from tracker.two_factor import set_up_devices

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def assert_common_headers(response):
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    csp = policy(response)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"] or response.wsgi_request.path.startswith(
        "/api/docs/"
    )


@pytest.mark.parametrize("url", ["/", "/prisoners/", "/timeline/", "/api/prisoners/"])
def test_public_pages_and_the_api_get_the_strict_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_common_headers(response)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]


def test_a_public_page_has_no_inline_script_or_style(client):
    PersonFactory(person_id="ales", name="Ales Bialiatski")
    for url in ["/", "/prisoners/", "/prisoners/ales/", "/timeline/", "/releases/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<style" not in html and "style=" not in html, url


def test_admin_pages_allow_inline_styles_but_not_inline_scripts(client, admin_user):
    login_page = client.get("/admin/login/")
    assert_common_headers(login_page)
    client.force_login(admin_user)
    response = client.get("/admin/prisoners/person/")
    assert response.status_code == 200
    assert_common_headers(response)
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]


def test_the_api_docs_page_alone_allows_its_inline_script(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    csp = policy(response)
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_staff_sessions_expire_and_passwords_are_validated(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    validators = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= validators


# Two factors.


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True


def log_in(client, username, password, code=None, address="10.0.0.1"):
    data = {"username": username, "password": password, "next": "/admin/"}
    if code is not None:
        data["otp_token"] = code
    return client.post("/admin/login/", data, REMOTE_ADDR=address)


def test_without_enforcement_a_password_is_enough(client, curator):
    """DEBUG (make run, local_admin): the plain admin login."""
    response = log_in(client, "curator", "curator-pass-1234")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_it_requires_two_factors_by_default_in_production():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.ADMIN_REQUIRE_2FA)",
        DEBUG="0",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="tracker.example.org",
        SITE_URL="https://tracker.example.org",
    )
    assert result.stdout.strip().endswith("True"), result.stderr


def test_the_deployment_checks_refuse_production_without_two_factors():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="tracker.example.org",
        SITE_URL="https://tracker.example.org",
        ADMIN_REQUIRE_2FA="0",
    )
    assert result.returncode != 0
    assert "tracker.W001" in result.stderr + result.stdout


def test_a_staff_user_without_a_second_factor_reaches_nothing(client, two_factor, admin_user):
    client.force_login(admin_user)
    for url in ["/admin/", "/admin/prisoners/person/", "/admin/auth/user/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/admin/login/"), url
    login_page = client.get("/admin/login/")
    assert "second factor" in login_page.content.decode()


def test_a_password_alone_does_not_log_in(client, two_factor, curator):
    set_up_devices(curator)
    response = log_in(client, "curator", "curator-pass-1234")
    assert response.status_code == 200
    # Issue 16: one message for any failure (it was "Enter the code…").
    assert "Enter a correct user name, password and code" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_authenticator_app_code_logs_in(client, two_factor, curator):
    devices = set_up_devices(curator)
    response = log_in(client, "curator", "curator-pass-1234", current_code(devices))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/prisoners/person/").status_code == 200


def test_a_wrong_code_does_not_log_in(client, two_factor, curator):
    devices = set_up_devices(curator)
    wrong = f"{(int(current_code(devices)) + 1) % 1_000_000:06d}"
    response = log_in(client, "curator", "curator-pass-1234", wrong)
    assert response.status_code == 200
    # Issue 16: one message for any failure (it was "That code is not valid").
    assert "Enter a correct user name, password and code" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_works_once(client, two_factor, curator):
    code = set_up_devices(curator).recovery_codes[0]
    assert log_in(client, "curator", "curator-pass-1234", code.upper()).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    again = log_in(client, "curator", "curator-pass-1234", code)
    assert again.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_staff_without_devices_are_told_how_to_get_one(client, two_factor, curator):
    response = log_in(client, "curator", "curator-pass-1234", "123456")
    assert "add_totp_device" in response.content.decode()


def test_verified_sessions_reach_the_admin(client, two_factor, editor):
    log_in_verified(client, editor)
    assert client.get("/admin/prisoners/person/").status_code == 200


def test_add_totp_device_prints_the_app_url_and_recovery_codes(capsys, curator):
    call_command("add_totp_device", "curator", "--recovery-codes", "3")
    out = capsys.readouterr().out
    assert "otpauth://totp/Political%20Prisoner%20Tracker%3Acurator?secret=" in out
    device = TOTPDevice.objects.get(user=curator)
    assert device.confirmed
    codes = [line.strip() for line in out.split("Recovery codes")[1].splitlines()[1:4]]
    assert sorted(codes) == sorted(
        curator.staticdevice_set.get().token_set.values_list("token", flat=True)
    )
    call_command("add_totp_device", "curator")
    assert TOTPDevice.objects.filter(user=curator).count() == 1
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_add_totp_device_refuses_non_staff(django_user_model):
    django_user_model.objects.create_user("reader", password="reader-pass-1234")
    with pytest.raises(Exception, match="not staff"):
        call_command("add_totp_device", "reader")


# Lockouts.


def test_failed_logins_lock_the_account_out_from_that_address(client, settings, curator):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "curator", "wrong-password").status_code == 200
    locked = log_in(client, "curator", "wrong-password")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Too many failed logins" in text
    assert "15 minutes" in text
    # Even the right password is refused while locked out.
    assert log_in(client, "curator", "curator-pass-1234").status_code == 429
    assert client.get("/admin/").status_code == 302


def test_a_lockout_holds_one_account_from_one_address(client, settings, curator, editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "curator", "wrong-password")
    assert log_in(client, "editor", "editor-pass-1234").status_code == 302
    client.logout()
    other = log_in(client, "curator", "curator-pass-1234", address="10.0.0.2")
    assert other.status_code == 302


def test_behind_the_proxy_the_client_address_is_the_last_forwarded_one(settings):
    """Issue 16: X-Forwarded-For is read only from a trusted proxy (it was
    read whenever SECURE_PROXY_SSL_HEADER was set, from anyone)."""
    from tracker.client_ip import client_ip

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"
    settings.TRUSTED_PROXIES = []
    assert client_ip(request) == "127.0.0.1"


# The database is gone.


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_lost_database_answers_a_clear_503(client, error):
    with mock.patch(
        "prisoners.public.views.PersonListView.get", side_effect=error("connection refused")
    ):
        response = client.get("/prisoners/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.headers["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "Temporarily unavailable" in text
    assert "Traceback" not in text and "connection refused" not in text
    assert "Content-Security-Policy" in response.headers


def test_a_database_error_outside_a_view_also_gets_the_503(rf):
    request = rf.get("/")
    try:
        raise OperationalError("the server closed the connection")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_a_login_without_a_request_still_checks_the_password(curator):
    """Commands and tests authenticate without a request: no address to lock
    out by, so only the password counts."""
    from django.contrib.auth import authenticate

    assert authenticate(username="curator", password="curator-pass-1234") == curator
    assert authenticate(username="curator", password="wrong") is None
