"""The admin in each staff user's language: saved on the user, else the
language cookie, else the browser's; the public site keeps the language of
its URLs whatever the admin's is."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from prisoners.models import StaffPreference

pytestmark = pytest.mark.django_db

TRACKER = {
    "en": "Political Prisoner Tracker",
    "be": "Трэкер палітвязняў",
    "ru": "Трекер политзаключённых",
}


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def choose(client, language, back="/admin/prisoners/person/"):
    return client.post("/admin/language/", {"language": language, "next": back})


@pytest.fixture
def staff(client, curator):
    client.force_login(curator)
    return client


@pytest.mark.parametrize("language", ["be", "ru", "en"])
def test_it_shows_the_admin_in_the_browsers_language_until_the_user_chooses(staff, language):
    response = staff.get("/admin/", HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    assert response.status_code == 200
    assert html_lang(response) == language
    assert TRACKER[language] in response.content.decode()
    assert response["Content-Language"] == language


def test_it_falls_back_to_english_for_a_language_it_does_not_have(staff):
    response = staff.get("/admin/", HTTP_ACCEPT_LANGUAGE="de,fr;q=0.8")
    assert html_lang(response) == "en"


def test_the_chosen_language_wins_over_the_browser_and_outlives_the_session(
    staff, curator, django_user_model
):
    response = choose(staff, "ru")
    assert response.status_code == 302
    assert response["Location"] == "/admin/prisoners/person/"
    assert StaffPreference.objects.get(user=curator).language == "ru"

    page = staff.get("/admin/prisoners/person/", HTTP_ACCEPT_LANGUAGE="be")
    assert html_lang(page) == "ru"
    assert "Выберите" in page.content.decode() or "Люди" in page.content.decode()

    # Another browser (no cookie), another session: still Russian.
    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en")
    elsewhere.force_login(curator)
    assert html_lang(elsewhere.get("/admin/")) == "ru"

    # Another user in the same browser language is not affected.
    other = django_user_model.objects.create_user("other", password="x", is_staff=True)
    third = Client(HTTP_ACCEPT_LANGUAGE="be")
    third.force_login(other)
    assert html_lang(third.get("/admin/")) == "be"


def test_choosing_again_replaces_the_choice(staff, curator):
    choose(staff, "ru")
    choose(staff, "be")
    assert list(StaffPreference.objects.values_list("user", "language")) == [(curator.pk, "be")]
    assert html_lang(staff.get("/admin/", HTTP_ACCEPT_LANGUAGE="ru")) == "be"


@pytest.mark.parametrize("value", ["de", "", "be-tarask", "<script>"])
def test_it_refuses_a_language_it_does_not_offer_and_changes_nothing(staff, curator, value):
    choose(staff, "ru")
    response = choose(staff, value)
    assert response.status_code == 302
    assert not StaffPreference.objects.filter(user=curator).exclude(language="ru").exists()
    page = staff.get(response["Location"])
    assert html_lang(page) == "ru"
    assert "Выберите один из предложенных языков" in page.content.decode()


def test_it_refuses_a_missing_language_with_the_message_in_the_current_language(staff, curator):
    page = staff.post(
        "/admin/language/", {"next": "/admin/"}, HTTP_ACCEPT_LANGUAGE="be", follow=True
    )
    assert "Выберыце адну з прапанаваных моў" in page.content.decode()
    assert not StaffPreference.objects.exists()


def test_it_only_changes_on_a_post_with_the_csrf_token(curator):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(curator)
    assert strict.post("/admin/language/", {"language": "ru"}).status_code == 403
    assert strict.get("/admin/language/?language=ru").status_code == 405
    assert not StaffPreference.objects.exists()


@pytest.mark.parametrize("back", ["https://elsewhere.example/", "//elsewhere.example/", ""])
def test_it_goes_back_only_to_this_site(staff, back):
    assert choose(staff, "ru", back=back)["Location"] == "/admin/"


def test_the_login_page_follows_the_browser_then_the_cookie(client):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="be")
    assert html_lang(page) == "be"
    assert 'id="admin-language"' in page.content.decode()
    # Before logging in, a choice goes to the cookie only.
    response = choose(client, "ru", back="/admin/login/")
    assert response.cookies["django_language"].value == "ru"
    assert response.cookies["django_language"]["path"] == "/admin/"
    assert not StaffPreference.objects.exists()
    assert html_lang(client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="be")) == "ru"


def test_the_login_with_a_second_factor_is_in_the_browsers_language(client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="ru")
    assert html_lang(page) == "ru"
    assert "Код" in page.content.decode()


def test_a_staff_user_not_past_the_second_factor_only_sets_the_cookie(staff, curator, settings):
    settings.ADMIN_REQUIRE_2FA = True
    choose(staff, "ru")
    assert not StaffPreference.objects.exists()


@pytest.mark.parametrize(
    ("url", "language"), [("/", "en"), ("/be/", "be"), ("/ru/", "ru"), ("/prisoners/", "en")]
)
def test_public_pages_keep_the_language_of_their_url(staff, client, url, language):
    """Neither the admin's choice (saved or in the cookie) nor the browser
    changes the public site's language."""
    choose(staff, "ru")
    for accept in ("be", "ru", "en"):
        assert html_lang(staff.get(url, HTTP_ACCEPT_LANGUAGE=accept)) == language
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="ru")
    anonymous.cookies["django_language"] = "be"
    assert html_lang(anonymous.get(url)) == language


def test_the_lockout_page_is_in_the_browsers_language(settings, curator):
    browser = Client(HTTP_ACCEPT_LANGUAGE="be")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = browser.post(
            "/admin/login/", {"username": "curator", "password": "wrong-password"}
        )
    assert response.status_code == 429
    assert html_lang(response) == "be"
    assert "Занадта шмат няўдалых уваходаў" in response.content.decode()
