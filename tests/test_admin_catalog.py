"""Every admin page type in Belarusian and Russian shows our strings
translated: no text of the page (nor a title, label or placeholder) is one
of our catalog's English msgids. Django's own admin chrome comes from its
catalogs as they are, third-party apps' (django-otp, django-axes) from
theirs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.admin_urls import IMPORT_FILES, admin_urls
from tests.staff_login import log_in_verified

pytestmark = pytest.mark.django_db

ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
# Third-party apps' pages: their strings are theirs (django-otp has no be or
# ru catalog), and one of them ("Name") is also a msgid of ours.
THEIRS = ("/admin/otp_", "/admin/axes/")
# Placeholders and words that read the same in every language.
SAME_EVERYWHERE = re.compile(r"%\(|%s|%d|\{|^[A-Z0-9_-]+$|^[a-z0-9_.-]+$")


def english_msgids(language: str) -> set[str]:
    """Our msgids whose translation differs from the English."""
    catalog = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES/django.po"))
    return {
        entry.msgid.strip()
        for entry in catalog.translated_entries()
        if entry.msgstr.strip() != entry.msgid.strip()
        and not entry.msgid_plural
        and re.search(r"[A-Za-z]{3}", entry.msgid)
        and not SAME_EVERYWHERE.search(entry.msgid.strip())
    }


class PageText(HTMLParser):
    """The text a reader meets: text nodes and the attributes read aloud."""

    def __init__(self):
        super().__init__()
        self.pieces: list[str] = []
        self._hidden = 0
        self._in_permissions = False

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "svg", "textarea"}:
            self._hidden += 1
        if self._permissions(tag, attrs):
            self._hidden += 1
            self._in_permissions = True
        self.pieces += [v.strip() for k, v in attrs if k in ATTRIBUTES and v]

    @staticmethod
    def _permissions(tag, attrs) -> bool:
        """Django stores permission names in English when it migrates
        ("Can add …"): its limitation, not a string of our catalog."""
        return tag == "select" and dict(attrs).get("name") in {"permissions", "user_permissions"}

    def handle_endtag(self, tag):
        if tag == "select" and self._in_permissions:
            self._hidden -= 1
            self._in_permissions = False
        if tag in {"script", "style", "svg", "textarea"}:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.pieces.append(" ".join(data.split()))


def untranslated(html: str, msgids: set[str]) -> set[str]:
    parser = PageText()
    parser.feed(html)
    text = " ".join(parser.pieces)
    whole = {piece.rstrip(":") for piece in parser.pieces} & msgids
    # A sentence of ours inside a longer text (a help text, a message).
    inside = {m for m in msgids if len(m) >= 30 and m in text}
    return whole | inside


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", password="chief-pass-1234")


@pytest.mark.parametrize("language", ["be", "ru"])
def test_every_admin_page_type_shows_our_strings_translated(chief, language):
    msgids = english_msgids(language)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    log_in_verified(client, chief)
    found = {}
    pages = {url: client.get(url) for url in admin_urls() if not url.startswith(THEIRS)}
    for name, content in IMPORT_FILES.items():
        upload = SimpleUploadedFile(name, content, content_type="text/csv")
        pages[f"import ({name})"] = client.post(reverse("prisoners_import"), {"files": upload})
    client.logout()
    pages["login"] = client.get(reverse("admin:login"))
    for url, response in pages.items():
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.content.decode(), url
        if leftovers := untranslated(response.content.decode(), msgids):
            found[url] = sorted(leftovers)
    assert found == {}


def test_the_guard_sees_an_untranslated_string():
    msgids = english_msgids("be")
    assert "Data quality" in msgids
    assert untranslated("<h1>Data quality</h1>", msgids) == {"Data quality"}
    assert untranslated('<a title="Якасць даных">x</a>', msgids) == set()
