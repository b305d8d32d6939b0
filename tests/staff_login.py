"""Staff logins with a second factor, for tests that enforce ADMIN_REQUIRE_2FA."""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from tracker.two_factor import StaffDevices, set_up_devices


def current_code(devices: StaffDevices) -> str:
    """The code the user's authenticator app shows now."""
    device = devices.totp
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def log_in_verified(client, user) -> StaffDevices:
    """Log ``user`` in as if they had passed both factors."""
    devices = set_up_devices(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = devices.totp.persistent_id
    session.save()
    return devices


def upload_as_editor(page, live_server, name: str, content: bytes) -> None:
    """In a browser: the ``editor`` persona (tests/conftest.py) logs in and
    uploads one file on the import page."""
    page.goto(f"{live_server.url}/admin/login/?next=/admin/prisoners/import/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "editor-pass-1234")
    page.click("input[type=submit]")
    page.set_input_files(
        "input[name=files]", {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    page.click("#content-main input[type=submit]")
