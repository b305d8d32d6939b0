"""In a real browser: an editor uploads a file naming a person already
recorded under another id, sees the match with its link, says it is the
same person, imports, and the person is updated, not duplicated."""

import importlib

import pytest
from django.apps import apps

from prisoners.models import OtherId, Person
from tests.factories import PersonFactory
from tests.staff_login import upload_as_editor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILE = "person_id,name,born,region\nv-17,Бяляцкі Алесь,1962,Minsk\n".encode()


@pytest.fixture
def roles():
    migration = importlib.import_module("prisoners.migrations.0003_roles")
    migration.create_roles(apps, None)


def test_an_editor_says_a_probable_duplicate_is_the_same_person(roles, editor, live_server, page):
    ales = PersonFactory(
        person_id="ales-bialiatski", name="Ales Bialiatski", born="1962-09-25", visibility="draft"
    )
    upload_as_editor(page, live_server, "p.csv", FILE)
    page.wait_for_selector(".import-matches")
    assert "looks like ales-bialiatski" in page.inner_text(".import-errors")
    link = page.locator(".import-match a", has_text="ales-bialiatski")
    assert link.get_attribute("href") == f"/admin/prisoners/person/{ales.pk}/change/"
    assert link.get_attribute("target") == "_blank"
    page.get_by_label("The same person as").check()
    page.click("input[name=choose]")
    page.wait_for_selector(".import-chosen")
    assert "is the same person as" in page.inner_text(".import-chosen")
    page.click(".submit-row input[type=submit].default")
    page.wait_for_selector(".messagelist .success")
    assert Person.objects.count() == 1
    assert Person.objects.get().region == "Minsk"
    assert OtherId.objects.get().other_id == "v-17"
