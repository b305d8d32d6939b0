"""WCAG 2.1 AA on every admin page type, in English, Belarusian and
Russian (the browser's language picks the admin's), checked by axe-core in
Debian's Chromium: the login page, the index, each registered model's list
and change form, the add form, history and delete confirmation, the import
upload and its preview (with changes and with errors), the data-quality
page and the merge screens. Run with DJANGO_ALLOW_ASYNC_UNSAFE=true."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.admin_urls import IMPORT_FILES, admin_urls
from tests.staff_login import log_in_verified
from tests.test_accessibility import axe_path, axe_violations  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_pages(django_user_model):
    user = django_user_model.objects.create_superuser("chief", password="chief-pass-1234")
    client = Client()
    log_in_verified(client, user)
    return client.cookies["sessionid"].value, admin_urls()


def import_pages(page, url: str):
    """The import's preview: a file it would import, then one with an error."""
    for name, content in IMPORT_FILES.items():
        page.goto(url)
        page.set_input_files(
            "input[name=files]", {"name": name, "mimeType": "text/csv", "buffer": content}
        )
        page.click("#content-main input[type=submit]")
        page.wait_for_load_state()
        yield f"{url} ({name})"


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_every_admin_page_type_passes_axe_wcag_21_aa(
    live_server,
    browser,
    axe_path,  # noqa: F811  (the fixture imported above)
    admin_pages,
    language,
):
    session, urls = admin_pages
    # The browser's language chooses the admin's; the CSP forbids axe's script.
    context = browser.new_context(bypass_csp=True, locale=language)
    page = context.new_page()
    found = {}

    def check(name):
        assert page.evaluate("document.documentElement.lang") == language, name
        violations = axe_violations(page, axe_path)
        if violations:
            found[name] = violations

    page.goto(f"{live_server.url}/admin/login/")
    check("/admin/login/")
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        check(url)
    for name in import_pages(page, f"{live_server.url}{reverse('prisoners_import')}"):
        check(name)
    context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
