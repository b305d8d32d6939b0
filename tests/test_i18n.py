"""English at the contract URLs, Belarusian and Russian under /be/ and /ru/."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import translation

from prisoners.models import Person, ReleaseType, Status
from tests.conftest import IN_CI
from tests.public_urls import build_world, public_urls

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["en", "be", "ru"]
PREFIX = {"en": "", "be": "/be", "ru": "/ru"}
# What makemessages must not read (the Makefile's `messages` target ignores the same).
IGNORED = [".venv", "node_modules", "staticfiles", "bench", ".git"]


@pytest.fixture
def world():
    return build_world()


def html_pages(world) -> list[str]:
    # A request leaves its language active in the test's thread: reverse in English.
    with translation.override("en"):
        urls = public_urls(world)
    return [url for url in urls if urlsplit(url).path.endswith("/") and not url.startswith("/api/")]


def en_url(record) -> str:
    with translation.override("en"):
        return record.get_absolute_url()


class Links(HTMLParser):
    """The html lang, and the language switcher's links."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.switcher: dict[str, dict] = {}
        self.nav_hrefs: list[str] = []
        self._in_languages = False
        self._in_main_nav = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "nav":
            self._in_languages = "languages" in (attrs.get("class") or "")
            self._in_main_nav = not self._in_languages and "pagination" not in (
                attrs.get("class") or ""
            )
        elif tag == "a" and self._in_languages:
            self.switcher[attrs["hreflang"]] = attrs
        elif tag == "a" and self._in_main_nav:
            self.nav_hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_languages = self._in_main_nav = False


def parse(response) -> Links:
    links = Links()
    links.feed(response.content.decode())
    return links


def test_english_stays_at_the_contract_urls(client, world):
    response = client.get("/prisoners/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert parse(response).lang == "en"
    assert "<h1>People</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("be", "<h1>Людзі</h1>"), ("ru", "<h1>Люди</h1>")]
)
def test_belarusian_and_russian_pages_live_under_their_prefix(client, world, language, heading):
    response = client.get(f"/{language}/prisoners/")
    assert response.status_code == 200
    assert parse(response).lang == language
    assert heading in response.content.decode()
    assert response["Content-Language"] == language


def test_the_api_and_the_admin_keep_their_urls(client, world):
    assert client.get("/api/prisoners/").status_code == 200
    assert client.get("/be/api/prisoners/").status_code == 404
    assert client.get("/ru/admin/").status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_links_to_itself_in_the_other_languages(client, world, language):
    for url in html_pages(world):
        here = PREFIX[language] + url
        links = parse(client.get(here))
        assert set(links.switcher) == set(LANGUAGES), here
        for code, attrs in links.switcher.items():
            assert attrs["lang"] == code, here
            assert attrs["href"] == PREFIX[code] + url, (here, code)
        assert links.switcher[language].get("aria-current") == "true", here


@pytest.mark.parametrize("language", ["be", "ru"])
def test_links_keep_their_language(client, world, language):
    links = parse(client.get(f"/{language}/releases/"))
    assert links.nav_hrefs
    assert all(href.startswith(f"/{language}/") for href in links.nav_hrefs), links.nav_hrefs
    page = client.get(f"/{language}/prisoners/").content.decode()
    assert f'href="/{language}/prisoners/ales-bialiatski/"' in page


def test_the_page_cache_keeps_languages_apart(client, world, settings):
    settings.CACHE_SECONDS = 60
    assert "<h1>People</h1>" in client.get("/prisoners/").content.decode()
    assert "<h1>Люди</h1>" in client.get("/ru/prisoners/").content.decode()
    assert "<h1>People</h1>" in client.get("/prisoners/").content.decode()


@pytest.mark.parametrize(("language", "local"), [("be", "Алесь Бяляцкі"), ("ru", "Алесь Беляцкий")])
def test_a_name_is_shown_in_the_script_of_the_page_with_the_latin_form(
    client, world, language, local
):
    person, event = en_url(world.person), en_url(world.release_event)
    for url in ["/prisoners/", person, event, "/releases/2025/12/"]:
        page = client.get(f"/{language}{url}").content.decode()
        assert f'<span lang="{language}">{local}</span>' in page, url
        assert f'<span class="latin" lang="{language}-Latn">(Ales Bialiatski)</span>' in page, url
    detail = client.get(f"/{language}{person}").content.decode()
    assert f"<title>{local} (Ales Bialiatski) —" in detail


def test_a_name_without_a_spelling_in_the_language_stays_latin(client, world):
    page = client.get("/ru/prisoners/public-other/").content.decode()
    assert "<h1>Public Other</h1>" in page
    english = client.get("/prisoners/").content.decode()
    assert "Беляцкий</span>" not in english and ">Ales Bialiatski</a>" in english


@pytest.mark.parametrize(
    ("language", "detained", "released"),
    [
        ("en", "14 Jul 2021", "13 December 2025"),
        ("be", "14 ліпеня 2021", "13 снежня 2025"),
        ("ru", "14 июля 2021", "13 декабря 2025"),
    ],
)
def test_dates_are_written_in_the_language(client, world, language, detained, released):
    person = client.get(PREFIX[language] + en_url(world.person)).content.decode()
    assert detained in person
    with translation.override(language):
        from django.template import Context, Template

        rendered = Template('{{ day|date:"j E Y" }}').render(
            Context({"day": world.release_event.date.first})
        )
    assert rendered == released


@pytest.mark.parametrize(
    ("language", "written"), [("en", "12,345"), ("be", "12 345"), ("ru", "12 345")]
)
def test_numbers_are_grouped_for_the_language(language, written):
    from django.template import Context, Template

    with translation.override(language):
        got = Template("{% load i18n_names %}{{ n|number }}").render(Context({"n": 12345}))
    assert got == written.replace(" ", "\xa0")


@pytest.mark.parametrize("language", ["be", "ru"])
def test_admin_labels_and_choices_are_translated(language):
    with translation.override(language):
        assert str(Person._meta.verbose_name) != "person"
        assert str(Person._meta.get_field("name_be").verbose_name) != "name in Belarusian"
        assert str(Person._meta.get_field("visibility").help_text).startswith(
            "Чарнавік" if language == "be" else "Черновик"
        )
        assert str(Status.IN_CUSTODY.label) in {"пад вартай", "под стражей"}
        assert str(ReleaseType.PARDON.label) in {"памілаванне", "помилование"}


def _po_problems(po: Path) -> list[str]:
    """Untranslated and fuzzy entries, as gettext's msgattrib lists them."""
    problems = []
    for option in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", option, "--no-obsolete", "--no-wrap", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        problems += [
            f"{po.parent.parent.name} {option}: {m}"
            for m in re.findall(r'^msgid "(.+)"$', out, re.M)
        ]
    return problems


def test_the_catalogs_are_complete_after_makemessages(tmp_path):
    """makemessages on a copy of the project: every be and ru entry is
    translated and none is fuzzy, so a new string without a translation fails."""
    if not shutil.which("msgattrib"):
        if IN_CI:
            pytest.fail("gettext is missing: apt-get install gettext")
        pytest.skip("gettext not installed (apt-get install gettext)")
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(*IGNORED, "__pycache__", "db.sqlite3", "*.mo"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "be", "-l", "ru"]
        + [f"--ignore={name}" for name in IGNORED],
        cwd=copy,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        check=True,
    )
    problems = []
    for language in ("be", "ru"):
        po = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)], check=True)
        problems += _po_problems(po)
    assert problems == []


def test_the_committed_compiled_catalogs_match_the_po_files(tmp_path):
    """`make run` works without gettext, from the committed .mo files: they
    hold exactly what their .po files say (run `make messages` after editing)."""
    if not shutil.which("msgfmt"):
        if IN_CI:
            pytest.fail("gettext is missing: apt-get install gettext")
        pytest.skip("gettext not installed (apt-get install gettext)")
    for language in ("be", "ru"):
        folder = ROOT / "locale" / language / "LC_MESSAGES"
        fresh = tmp_path / f"{language}.mo"
        subprocess.run(["msgfmt", "-o", str(fresh), str(folder / "django.po")], check=True)
        with open(folder / "django.mo", "rb") as committed, open(fresh, "rb") as compiled:
            assert (
                gettext.GNUTranslations(committed)._catalog
                == gettext.GNUTranslations(compiled)._catalog
            ), f"{language}: run make messages"


# Where a number or a record's value meets translated words, Belarusian and
# Russian must be free to inflect them (review §4.1, §4.2): a number goes
# inside a plural form ("2 чалавекі", "5 чалавек"), a value after a label
# ("Краіна пасля вызвалення: Lithuania"), never "выехаў у Lithuania".
TEMPLATES = ROOT / "templates"
# Whitespace and inline elements: what still reads as one phrase.
_INLINE = r"(?:\s|\(|</?(?:a|span|strong|em|b|i|time|code|cite|abbr)\b[^>]*>)*"
_TRANSLATE = (
    r"\{%\s*(?:translate|trans)\s+(['\"])(?P<text>.*?)\1(?:\s+context\s+(['\"]).*?\3)?\s*%\}"
)
# A value, then translated words that are not a plural form of its number.
VALUE_THEN_WORDS = re.compile(
    r"\{\{[^}]*\}\}"
    + _INLINE
    + r"\{%\s*(?:translate|trans|blocktranslate|blocktrans)\b(?![^%]*\bcount\b)"
    + r"(?:\s+(['\"])(?P<text>.*?)\1)?[^%]*%\}"
)
# Translated words, then a value, with no label's colon between them.
WORDS_THEN_VALUE = re.compile(_TRANSLATE + _INLINE + r"\{\{")


def _glued_in_templates() -> list[str]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text()
        for match in VALUE_THEN_WORDS.finditer(source):
            # ": see the table below" continues the value's sentence after it.
            if not re.match(r"[:;,.]", match.group("text") or ""):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)[:80]!r}")
        for match in WORDS_THEN_VALUE.finditer(source):
            if not re.search(r"[:.!?]$", match.group("text")):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)[:80]!r}")
    return found


def test_no_template_prints_a_value_beside_translated_words():
    assert _glued_in_templates() == []


def test_the_template_check_finds_the_defects_the_review_found(tmp_path, monkeypatch):
    """The patterns of review rows 1-3 and 9, as they were written."""
    cases = [
        '<strong>{{ total|number }}</strong>\n {% translate "people recognized in total" %}',
        '<strong>{{ held|number }}</strong> <a href="/">{% blocktranslate with day=d %}'
        "held on {{ day }}{% endblocktranslate %}</a>",
        '{% translate "Part of" %} <a href="{{ url }}">{{ event.title }}</a>',
        "<strong>{{ n }}</strong> {% blocktranslate count n=n %}one{% plural %}many"
        "{% endblocktranslate %}",
        '{% translate "Held at:" %} {{ facility }}',
    ]
    (tmp_path / "page.html").write_text("\n".join(f"<li>{case}</li>" for case in cases))
    monkeypatch.setattr(sys.modules[__name__], "TEMPLATES", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert len(_glued_in_templates()) == 3


# Placeholders that hold a count, and those that hold a record's free text.
COUNTS = {"n", "count", "counter", "recorded", "announced", "total", "years", "days", "minutes"}
VALUES = {"country", "who", "authority", "target", "people", "name", "title", "facet", "region"}
# Public msgids where a count sits beside words on purpose: a position, not
# an amount of the thing the word names ("Старонка 2 з 5").
POSITIONS = {
    "Page %(n)s of %(total)s",
    "Names %(first)s–%(last)s of %(total)s, in alphabetical order",
}
# Where the public pages' strings come from (the admin's are another helper's).
PUBLIC_SOURCES = ("templates/prisoners/", "templates/base.html", "templates/4", "templates/5")
PUBLIC_SOURCES += ("prisoners/public/", "prisoners/stats/", "prisoners/templatetags/public.py")
PUBLIC_SOURCES += ("prisoners/models/events.py", "prisoners/partial_dates.py")


def _glued_msgids(entries) -> list[str]:
    """Singular msgids (msgid, occurrences) where a count stands next to a
    word, or a value after a word without a label's colon."""
    found = []
    for msgid, occurrences in entries:
        if msgid in POSITIONS or not any(o.startswith(PUBLIC_SOURCES) for o in occurrences):
            continue
        if any(o.startswith("prisoners/public/django_messages.py") for o in occurrences):
            continue  # Django's own msgids: ours only translate them
        for match in re.finditer(r"%\((\w+)\)[sd]", msgid):
            before = re.sub(r"%\(\w+\)[sd]", "", msgid[: match.start()])
            after = msgid[match.end() :]
            word_before = re.search(r"[A-Za-z]\s*$", before)
            word_after = re.match(r"\s*[A-Za-z]", after)
            name = match.group(1)
            if (name in COUNTS and (word_before or word_after)) or (name in VALUES and word_before):
                found.append(msgid)
    return found


def _catalog_entries(po: Path) -> list[tuple[str, list[str]]]:
    """The singular msgids of a catalog with the files they come from."""
    entries, occurrences = [], []
    lines = po.read_text().splitlines()
    for i, line in enumerate(lines):
        if line.startswith("#: "):
            occurrences += [o.rsplit(":", 1)[0] for o in line[3:].split()]
        elif line.startswith("msgid "):
            text = [json_string(line[6:])]
            j = i + 1
            while j < len(lines) and lines[j].startswith('"'):
                text.append(json_string(lines[j]))
                j += 1
            plural = j < len(lines) and lines[j].startswith("msgid_plural")
            if not plural and "".join(text):
                entries.append(("".join(text), occurrences))
            occurrences = []
    return entries


def json_string(quoted: str) -> str:
    import json

    return json.loads(quoted)


def test_no_public_msgid_glues_a_count_or_a_value_to_words():
    assert _glued_msgids(_catalog_entries(ROOT / "locale/be/LC_MESSAGES/django.po")) == []


def test_the_msgid_check_finds_the_defects_the_review_found():
    public = ["templates/prisoners/person_detail.html"]
    defects = [
        "went to %(country)s",
        "negotiated by %(who)s",
        "%(announced)s announced",
        "Choose a range of at most %(years)s years.",
    ]
    fine = ["Country after release: %(country)s", "%(authority)s %(action)s: %(target)s"]
    assert _glued_msgids([(m, public) for m in defects + fine]) == defects
