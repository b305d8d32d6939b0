"""Belarusian and Russian that read right on the public pages (issue #18):
numbers agree with their words, a person's forms agree with their gender,
data is shown as "label: value", Django's own messages are in the official
orthography, and no English word of ours is left on a be or ru page."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from prisoners.stats import figures
from tests.factories import DetentionFactory, PersonFactory, ReleaseFactory
from tests.public_urls import build_world, embed_urls, public_urls

pytestmark = pytest.mark.django_db


class VisibleText(HTMLParser):
    """What a reader sees or hears: text, and the attributes read aloud or
    shown (aria-label, title, placeholder, data-label); no script or style."""

    READ = ("aria-label", "title", "placeholder", "data-label", "alt")
    # Code is not language: parameter and column names, and the HTML of an
    # embed code a reader copies, stay as the machine reads them.
    SKIPPED = ("script", "style", "code", "textarea")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skip += 1
        self.parts += [value for name, value in attrs if name in self.READ and value]

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts).replace("\xa0", " ")).strip()


def figure_line(page: str, figure: str) -> str:
    """The home page's list item of one figure, as text."""
    item = re.search(rf'<li><strong class="figure" data-figure="{figure}">.*?</li>', page, re.S)
    assert item, figure
    return visible_text(item.group(0))


# Review rows 1-3: the words after each figure agree with it.
HOME_FIGURES = {
    "be": {
        1: (
            "прызнаны палітвязень пад вартай",
            "вызваленне зафіксавана",
            "чалавек прызнаны палітвязнем",
        ),
        2: (
            "прызнаныя палітвязні пад вартай",
            "вызваленні зафіксаваныя",
            "чалавекі прызнаныя палітвязнямі",
        ),
        5: (
            "прызнаных палітвязняў пад вартай",
            "вызваленняў зафіксавана",
            "чалавек прызнаныя палітвязнямі",
        ),
        11: (
            "прызнаных палітвязняў пад вартай",
            "вызваленняў зафіксавана",
            "чалавек прызнаныя палітвязнямі",
        ),
        21: (
            "прызнаны палітвязень пад вартай",
            "вызваленне зафіксавана",
            "чалавек прызнаны палітвязнем",
        ),
        1171: (
            "прызнаны палітвязень пад вартай",
            "вызваленне зафіксавана",
            "чалавек прызнаны палітвязнем",
        ),
    },
    "ru": {
        1: (
            "признанный политзаключённый под стражей",
            "освобождение зафиксировано",
            "человек признан политзаключённым",
        ),
        2: (
            "признанных политзаключённых под стражей",
            "освобождения зафиксированы",
            "человека признаны политзаключёнными",
        ),
        5: (
            "признанных политзаключённых под стражей",
            "освобождений зафиксировано",
            "человек признаны политзаключёнными",
        ),
        11: (
            "признанных политзаключённых под стражей",
            "освобождений зафиксировано",
            "человек признаны политзаключёнными",
        ),
        21: (
            "признанный политзаключённый под стражей",
            "освобождение зафиксировано",
            "человек признан политзаключённым",
        ),
        1171: (
            "признанный политзаключённый под стражей",
            "освобождение зафиксировано",
            "человек признан политзаключённым",
        ),
    },
}


@pytest.mark.parametrize("n", [1, 2, 5, 11, 21, 1171])
@pytest.mark.parametrize("language", ["be", "ru"])
def test_it_makes_the_home_figures_agree_with_their_number(client, monkeypatch, language, n):
    monkeypatch.setattr(figures, "held_on", lambda day: n)
    monkeypatch.setattr(figures, "releases_between", lambda start, end: n)
    monkeypatch.setattr(figures, "recognized_total", lambda: n)
    page = client.get(f"/{language}/").content.decode()
    shown = f"{n:,}".replace(",", " ")
    held, released, recognized = HOME_FIGURES[language][n]
    assert figure_line(page, "held-now").startswith(f"{shown} {held} на ")
    assert figure_line(page, "released-this-year").startswith(f"{shown} {released} ")
    assert figure_line(page, "recognized-total").startswith(f"{shown} {recognized} ")


def _person_who_died(gender: str, name: str):
    person = PersonFactory(person_id=name.lower().replace(" ", "-"), name=name, gender=gender)
    ReleaseFactory(detention=DetentionFactory(person=person, detained_on="2020-05-21"))
    person.died_on = "2021-05-21"
    person.born = "1970"
    person.save()
    return person


@pytest.mark.parametrize(
    ("language", "gender", "status"),
    [
        ("be", "female", "памерлая"),
        ("be", "male", "памерлы"),
        ("ru", "female", "умершая"),
        ("ru", "male", "умерший"),
    ],
)
def test_it_writes_a_person_page_in_the_persons_gender(client, language, gender, status):
    person = _person_who_died(gender, f"Someone {gender.title()}")
    with translation.override("en"):
        url = person.get_absolute_url()
    text = visible_text(client.get(f"/{language}{url}").content.decode())
    assert re.search(rf"Статус {status}\b", text), text
    assert ("Дата нараджэння 1970" if language == "be" else "Дата рождения 1970") in text
    # The day a man died in custody, as the language writes it (review row 16).
    assert ("21 траўня 2021" if language == "be" else "21 мая 2021") in text
    assert not re.search(r"\((-?л?а|-ла|-лася|-ая|-лась)\)", text), text


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "be",
            [
                "Краіна пасля вызвалення: Lithuania",
                "У межах групавога вызвалення: 123 political prisoners freed",
                "Перамоўшчык: US envoy",
                "ЗША: выключэнне са спіса — Belarusian Potash Company; Belaruskali",
                "13 снежня 2025",
            ],
        ),
        (
            "ru",
            [
                "Страна после освобождения: Lithuania",
                "В рамках группового освобождения: 123 political prisoners freed",
                "Переговорщик: US envoy",
                "США: исключение из списка — Belarusian Potash Company; Belaruskali",
                "13 декабря 2025",
            ],
        ),
    ],
)
def test_it_shows_data_on_a_person_page_as_label_and_value(client, world, language, expected):
    text = visible_text(client.get(f"/{language}/prisoners/ales-bialiatski/").content.decode())
    for phrase in expected:
        assert phrase in text


@pytest.mark.parametrize(
    ("language", "release", "sanctions"),
    [
        (
            "be",
            ["Тып вызвалення", "Краіна пасля вызвалення", "Перамоўшчык US envoy"],
            [
                "ЕС: агульная ліцэнзія — Belavia",
                "Від акта агульная ліцэнзія",
                "Як паведамлялася змякчэнне",
                "Прававая падстава",
            ],
        ),
        (
            "ru",
            ["Тип освобождения", "Страна после освобождения", "Переговорщик US envoy"],
            [
                "ЕС: генеральная лицензия — Belavia",
                "Вид акта генеральная лицензия",
                "Как сообщалось смягчение",
                "Правовое основание",
            ],
        ),
    ],
)
def test_it_writes_the_release_and_sanctions_pages_in_the_language(
    client, world, language, release, sanctions
):
    from prisoners.models import SanctionsEvent

    eased = SanctionsEvent.objects.get(event_id="2025-12-21-eu-eased")
    eased.legal_reference = "Council Decision 2025/1"
    eased.save()
    event_page = client.get(f"/{language}/releases/2025-12-13-release/").content.decode()
    for phrase in release:
        assert phrase in visible_text(event_page)
    with translation.override("en"):
        url = eased.get_absolute_url()
    sanctions_page = visible_text(client.get(f"/{language}{url}").content.decode())
    for phrase in sanctions:
        assert phrase in sanctions_page, sanctions_page
    listing = visible_text(client.get(f"/{language}/sanctions/").content.decode())
    assert ("рашэнні пра санкцыі" if language == "be" else "решения о санкциях") in listing


def test_it_shows_a_belarusian_filter_error_in_the_official_orthography(client, world):
    response = client.get("/be/prisoners/?status=zzz&detained_after=2021-13-40")
    assert response.status_code == 400
    errors = re.search(r'<div class="errors".*?</div>', response.content.decode(), re.S)
    text = visible_text(errors.group(0))
    assert "Статус: Выберыце дапушчальнае значэнне: «zzz» няма сярод магчымых." in text
    assert "Затрыманне з: Увядзіце правільную дату." in text
    # Django's own Belarusian catalog is in the classical orthography.
    assert "значэньнях" not in text and "чынную" not in text
    # Fields are named by their labels, never by the query's parameters.
    assert "detained_after" not in text and "status:" not in text


# Words of ours that may stay Latin on a be/ru page: names of formats and
# standards, the licence, the time zone, English's own name in the switcher, and
# what the reader typed (an invalid filter's value is named in its error).
LATIN_ALLOWED = {
    "zzz",
    "CSV",
    "JSON",
    "UTF",
    "API",
    "Atom",
    "CC",
    "BY",
    "UTC",
    "English",
    "YYYY",
    "MM",
    "DD",
}
URL = re.compile(r"(?:https?://|/)[\w./?=&%#:;,+-]*")


def _data_words() -> set[str]:
    """Every word of every text value in the database: data a curator wrote
    (a title, a place, a Latin name) stays as written until it is translated."""
    words: set[str] = set()
    for model in apps.get_app_config("prisoners").get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        for row in model.objects.values_list(*fields):
            for value in row:
                words |= set(re.findall(r"[A-Za-z]+", str(value or "")))
    return words


def _be_ru_pages(world) -> list[str]:
    with translation.override("en"):
        urls = public_urls(world)
    pages = [
        url
        for url in urls
        if not url.startswith("/api/")
        and not url.endswith((".csv", ".xml"))
        and "/export" not in url
        and "sitemap" not in url
    ]
    # An invalid filter (400 with the form's errors), a missing page (404) and
    # a request Django refuses to read (400.html: more fields than it reads).
    malformed = "/prisoners/?" + "&".join(f"f{i}=1" for i in range(1100))
    embeds = [url for url in embed_urls(world) if not url.startswith(("/be/", "/ru/"))]
    return [
        *pages,
        *embeds,
        "/embed/held/?from=nonsense",
        "/prisoners/?detained_after=nonsense&status=zzz",
        "/no-such-page/",
        malformed,
    ]


@pytest.mark.parametrize("language", ["be", "ru"])
def test_no_english_word_of_ours_is_left_on_a_belarusian_or_russian_page(client, world, language):
    allowed = LATIN_ALLOWED | _data_words()
    left = {}
    for url in _be_ru_pages(world):
        response = client.get(f"/{language}{url}")
        assert response.status_code in (200, 400, 404), url
        body = response.content.decode()
        text = visible_text(body) if "<html" in body else re.sub(r"<[^>]+>", " ", body)
        words = set(re.findall(r"[A-Za-z]{2,}", URL.sub(" ", text))) - allowed
        if words:
            left[urlsplit(url).path] = sorted(words)
    assert left == {}


@pytest.mark.parametrize(
    ("language", "tick", "tooltip", "heading"),
    [
        ("be", ">студз. 2025<", "<title>студзень 2025: 0</title>", "Вызваленні: снежань 2025"),
        ("ru", ">янв. 2025<", "<title>январь 2025: 0</title>", "Освобождения: декабрь 2025"),
    ],
)
def test_it_writes_months_on_charts_and_archives_in_the_language(
    client, world, language, tick, tooltip, heading
):
    timeline = client.get(f"/{language}/timeline/?from=2025-01-01&to=2025-12-31")
    assert tick in timeline.content.decode()
    assert tooltip in timeline.content.decode()
    archive = client.get(f"/{language}/releases/2025/12/").content.decode()
    assert f"<h1>{heading}</h1>" in archive
