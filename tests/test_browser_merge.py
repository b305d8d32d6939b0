"""In a real browser: an editor merges two records of one person, choosing
a value where they disagree, and finds the kept person with both detentions."""

import importlib

import pytest
from django.apps import apps

from tests.factories import DetentionFactory, PersonFactory, ReleaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roles():
    """A transactional test's flush removes the roles migration's groups."""
    migration = importlib.import_module("prisoners.migrations.0003_roles")
    migration.create_roles(apps, None)


def test_an_editor_merges_two_people(roles, editor, live_server, page):
    kept = PersonFactory(person_id="maria-kalesnikava", name="Maria Kalesnikava")
    ReleaseFactory(
        detention=DetentionFactory(person=kept, detention_id="mk-2019", detained_on="2019-03"),
        released_on="2019-04",
    )
    other = PersonFactory(person_id="mk-other-list", name="Maryja Kalesnikava", visibility="draft")
    DetentionFactory(person=other, detention_id="mk-2020", detained_on="2020-09-07")

    page.goto(f"{live_server.url}/admin/login/?next=/admin/prisoners/person/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "editor-pass-1234")
    page.click("input[type=submit]")
    for name in ("Maria Kalesnikava", "Maryja Kalesnikava"):
        page.locator("#result_list tr", has_text=name).locator(
            "input[name=_selected_action]"
        ).check()
    page.select_option("select[name=action]", "merge_people")
    page.click("button[name=index]")

    page.wait_for_selector("#merge-table")
    assert page.locator("#merge-table tr.differs").count() == 2  # name, visibility
    page.get_by_label("Maryja Kalesnikava").check()
    page.click("input[name=merge]")

    page.wait_for_selector(".messagelist .success")
    assert "mk-other-list" in page.inner_text(".messagelist")
    assert page.input_value("#id_name") == "Maryja Kalesnikava"
    assert "maria-kalesnikava" in page.inner_text("#content")  # the kept id (read-only)
    ids = {page.input_value(f"#id_detentions-{i}-detention_id") for i in range(2)}
    assert ids == {"mk-2019", "mk-2020"}

    page.goto(f"{live_server.url}/prisoners/mk-other-list/")
    assert page.url.endswith("/prisoners/maria-kalesnikava/")
