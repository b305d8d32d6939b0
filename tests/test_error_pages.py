"""Error pages in production (DEBUG off): 400, 404, 500 and 503 in the
language of the URL's prefix and the site's style, and the 500 and 503 pages
never touch the database."""

from html.parser import HTMLParser
from unittest import mock

import pytest
from django.db import OperationalError
from django.templatetags.static import static
from django.test import Client

from tracker.middleware import database_unavailable, server_error

HEADINGS = {
    400: {"": "Bad request", "/be": "Няправільны запыт", "/ru": "Некорректный запрос"},
    404: {"": "Page not found", "/be": "Старонка не знойдзена", "/ru": "Страница не найдена"},
    500: {"": "Server error", "/be": "Памылка сервера", "/ru": "Ошибка сервера"},
    503: {"": "Temporarily unavailable", "/be": "Часова недаступна", "/ru": "Временно недоступно"},
}
LANGUAGES = {"": "en", "/be": "be", "/ru": "ru"}
PREFIXES = list(LANGUAGES)


class Page(HTMLParser):
    """The html lang, the stylesheets and the text of each h1."""

    def __init__(self, text: str):
        super().__init__()
        self.lang, self.stylesheets, self.h1s, self._in_h1 = None, [], [], False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        elif tag == "h1":
            self._in_h1 = True
            self.h1s.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1s[-1] += data


def assert_error_page(response, status: int, prefix: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = Page(response.content.decode())
    assert page.lang == LANGUAGES[prefix]
    assert page.h1s == [HEADINGS[status][prefix]]
    assert static("css/site.css") in page.stylesheets
    assert "Traceback" not in response.content.decode()


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.CACHE_SECONDS = 0


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("path", ["/no-such-page/", "/prisoners/nobody-by-this-id/"])
def test_it_answers_a_missing_page_in_the_language_of_the_address(client, prefix, path):
    assert_error_page(client.get(f"{prefix}{path}"), 404, prefix)


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_it_answers_a_malformed_request_in_the_language_of_the_address(client, prefix):
    # More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django's SuspiciousOperation.
    query = "&".join(f"f{i}=1" for i in range(1100))
    assert_error_page(client.get(f"{prefix}/prisoners/?{query}"), 400, prefix)


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_it_answers_a_host_it_does_not_serve_in_the_language_of_the_address(
    client, settings, prefix
):
    """The page must not build an address from the Host header it refuses."""
    settings.ALLOWED_HOSTS = ["tracker.example"]
    response = client.get(f"{prefix}/prisoners/", HTTP_HOST="evil.example")
    assert_error_page(response, 400, prefix)
    assert "evil.example" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_it_answers_a_server_error_in_the_language_of_the_address(prefix):
    client = Client(raise_request_exception=False)
    with mock.patch("prisoners.public.views.figures.held_on", side_effect=RuntimeError("a bug")):
        response = client.get(f"{prefix}/")
    assert_error_page(response, 500, prefix)
    assert "a bug" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_it_answers_a_lost_database_in_the_language_of_the_address(client, prefix):
    with mock.patch(
        "prisoners.public.views.PersonListView.get", side_effect=OperationalError("refused")
    ):
        response = client.get(f"{prefix}/prisoners/")
    assert_error_page(response, 503, prefix)
    assert response["Retry-After"] == "5"


# No django_db mark: pytest-django fails any query these pages would make.
@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_500_page_needs_no_database(rf, prefix):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get(f"{prefix}/prisoners/"))
    assert_error_page(response, 500, prefix)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_503_page_needs_no_database(rf, prefix):
    assert_error_page(database_unavailable(rf.get(f"{prefix}/prisoners/")), 503, prefix)


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_error_pages_keep_the_site_navigation(client, prefix):
    text = client.get(f"{prefix}/no-such-page/").content.decode()
    assert f'href="{prefix}/prisoners/"' in text
    assert 'href="/api/"' in text
