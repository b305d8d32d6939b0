"""In a real browser: a curator adds a person with a detention and a
source, an editor publishes them, and they appear on the public list."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.factories import SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roles():
    """The groups of the roles migration: a transactional test's flush
    removes what migrations wrote, so write them again."""
    migration = importlib.import_module("prisoners.migrations.0003_roles")
    migration.create_roles(apps, None)


def _log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/prisoners/person/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/prisoners/person/")


def _choose(page, select_id, term, text):
    """Pick ``text`` in the admin's autocomplete (select2) for ``select_id``."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=text).click()
    # The choice is in the form only once select2 has written it back.
    page.locator(f"#{select_id} option:checked", has_text=text).wait_for(state="attached")


def test_a_curator_adds_and_an_editor_publishes(roles, curator, editor, live_server, page):
    SourceFactory(url="https://spring96.org/en/news/1", title="Viasna news")

    _log_in(page, live_server, "curator", "curator-pass-1234")
    page.click(".object-tools a.addlink")
    # Typing before the add form has finished loading can be lost (a CI
    # run on PostgreSQL saved an empty name): wait for it, and check what
    # was typed before saving.
    page.wait_for_url("**/person/add/")
    page.wait_for_load_state("load")
    page.fill("#id_name", "Ihar Losik")
    page.fill("#id_name_be", "Ігар Лосік")
    page.fill("#id_recognized_on", "2020-06")
    assert page.locator("#id_visibility").count() == 0  # read-only for curators
    _choose(page, "id_sources", "spring96", "Viasna news")
    page.click("#detentions-group .add-row a")
    page.fill("#id_detentions-0-detained_on", "2020-06-25")
    page.fill("#id_detentions-0-sentence_months", "180")
    expect(page.locator("#id_name")).to_have_value("Ihar Losik")
    expect(page.locator("#id_detentions-0-detained_on")).to_have_value("2020-06-25")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success, .errornote")
    assert page.locator(".errornote").count() == 0, page.inner_text("#content")
    assert "Ihar Losik" in page.inner_text("#result_list")
    assert "draft" in page.inner_text("#result_list")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert "Publish" not in actions

    page.goto(f"{live_server.url}/prisoners/")
    assert "Ihar Losik" not in page.content()

    page.context.clear_cookies()
    _log_in(page, live_server, "editor", "editor-pass-1234")
    page.locator("#result_list tr", has_text="Ihar Losik").locator(
        "input[name=_selected_action]"
    ).check()
    page.select_option("select[name=action]", "publish_people")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")
    assert "published" in page.inner_text("#result_list")

    page.goto(f"{live_server.url}/prisoners/")
    assert "Ihar Losik" in page.content()
    page.goto(f"{live_server.url}/prisoners/ihar-losik/")
    assert "Ihar Losik" in page.inner_text("h1")
