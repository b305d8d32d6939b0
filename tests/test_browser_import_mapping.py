"""In a real browser: a curator uploads an .xlsx with Russian headers, sees
the columns proposed and the first rows converted, chooses to ignore the
notes column, imports, and the records are written as read."""

import importlib

import pytest
from django.apps import apps

from prisoners.models import ColumnMapping, Detention

from .spreadsheets import xlsx
from .test_import_spreadsheets import RUSSIAN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def roles():
    migration = importlib.import_module("prisoners.migrations.0003_roles")
    migration.create_roles(apps, None)


def test_a_curator_maps_a_russian_spreadsheet_and_imports_it(roles, curator, live_server, page):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/prisoners/import/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "curator-pass-1234")
    page.click("input[type=submit]")
    page.set_input_files(
        "input[name=files]", {"name": "list.xlsx", "mimeType": XLSX, "buffer": xlsx(RUSSIAN)}
    )
    page.click("#content-main input[type=submit]")
    page.wait_for_selector(".import-mapping-preview")
    assert page.get_by_label("ФИО").input_value() == "name"
    assert page.get_by_label("Дата задержания").input_value() == "detained_on"
    assert "14.07.2021 → 2021-07-14" in page.inner_text(".import-mapping-preview")
    # The page itself does not scroll sideways on a phone: only the rows do.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1

    page.click("button[value=map]")
    assert "Choose one of our columns, or ignore it." in page.inner_text("#content-main")
    page.get_by_label("Заметки").select_option("-")
    page.click("button[value=map]")
    page.wait_for_selector("h2:has-text('The files check out')")
    page.click(".submit-row input[type=submit].default")
    page.wait_for_selector(".messagelist .success")
    detention = Detention.objects.get(person__person_id="p-1")
    assert str(detention.detained_on) == "2021-07-14"
    assert ColumnMapping.objects.get().columns["Заметки"] is None
