"""What a first reader hits (issue 16): filters behind their summary, every
facet value reachable, links naming only the filters in use, sentences in
years, dates in each language, the admin's texts."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.admin import helpers
from django.http import QueryDict
from django.utils import timezone, translation

from prisoners.admin.forms import DetentionForm, PersonForm
from prisoners.partial_dates import PartialDate
from prisoners.public import views
from prisoners.query_strings import in_use
from prisoners.templatetags.public import sentence_length
from tests.factories import ChargeFactory, DetentionFactory, PersonFactory
from tests.test_admin_person import CHANGELIST

pytestmark = pytest.mark.django_db

FORM_AS_SENT = "q=&ordering=name&recognized=&held_on=&region=Minsk&region="


def test_it_names_only_the_filters_in_use():
    assert in_use(QueryDict(FORM_AS_SENT)) == "?region=Minsk"
    assert in_use(QueryDict("q=+&ordering=-name&page=2")) == "?ordering=-name&page=2"
    assert in_use(QueryDict("")) == ""


def test_it_replaces_adds_and_removes_parameters():
    query = QueryDict("region=Minsk&page=3&status=released")
    assert in_use(query, page=None) == "?region=Minsk&status=released"
    assert in_use(query, page=4, region=["Minsk", "Brest"]) == (
        "?status=released&page=4&region=Minsk&region=Brest"
    )
    assert in_use(query, region=[], page=None) == "?status=released"


def test_the_list_links_and_cites_only_the_filters_in_use(client):
    PersonFactory(region="Minsk")
    response = client.get(f"/prisoners/?{FORM_AS_SENT}")
    html = response.content.decode()
    assert 'href="/prisoners/feed.atom?region=Minsk"' in html
    assert 'href="/prisoners/export.csv?region=Minsk"' in html
    # The citation pins the day of the data version (the list as it stood).
    today = timezone.localdate().isoformat()
    assert f"{settings.SITE_URL}/prisoners/?region=Minsk&amp;as_of={today}," in html
    assert "q=&amp;" not in html and "recognized=&amp;" not in html
    assert "ordering=name" not in html


def test_the_api_and_exports_cite_only_the_filters_in_use(client):
    response = client.get(f"/api/prisoners/?{FORM_AS_SENT}")
    assert response.json()["cite_as"].endswith(f"{settings.SITE_URL}/api/prisoners/?region=Minsk")
    assert response["Link"] == f'<{settings.SITE_URL}/api/prisoners/?region=Minsk>; rel="cite-as"'
    response = client.get(f"/prisoners/export.csv?{FORM_AS_SENT}")
    assert response["Link"] == (
        f'<{settings.SITE_URL}/prisoners/export.csv?region=Minsk>; rel="cite-as"'
    )


def test_pages_link_only_the_filters_in_use(client):
    for _i in range(views.PEOPLE_PER_PAGE + 1):
        PersonFactory(region="Minsk")
    html = client.get(f"/prisoners/?{FORM_AS_SENT}&page=2").content.decode()
    assert 'rel="prev" href="?region=Minsk&amp;page=1"' in html


def test_the_filters_summary_says_how_many_are_in_use(client):
    PersonFactory(region="Minsk")
    html = client.get(f"/prisoners/?{FORM_AS_SENT}&status=released&gender=female").content
    assert re.search(r"<summary>\s*Filters \(3 active\)\s*</summary>", html.decode())
    html = client.get("/prisoners/?ordering=name&q=").content.decode()
    assert re.search(r"<summary>\s*Filters\s*</summary>", html)
    assert '<details class="filters-panel">' in html


def test_the_filters_are_open_when_one_is_invalid(client):
    response = client.get("/prisoners/?held_on=2025-13-01")
    assert response.status_code == 400
    assert '<details class="filters-panel" open>' in response.content.decode()


@pytest.mark.parametrize("url", ["/releases/", "/sanctions/"])
def test_the_other_lists_keep_their_filters_behind_a_summary(client, url):
    html = client.get(f"{url}?date_after=2025-01-01").content.decode()
    assert re.search(r"<summary>\s*Filters \(1 active\)\s*</summary>", html)


@pytest.fixture
def many_regions():
    """FACET_SHOWN + 5 regions, each with fewer people than the one before:
    Brest, with one person, is the smallest."""
    regions = [f"Region {i:02d}" for i in range(views.FACET_SHOWN + 4)] + ["Brest"]
    for rank, region in enumerate(regions):
        for _i in range(len(regions) - rank):
            PersonFactory(region=region, gender="female")
    return regions


def region_options(response) -> list[str]:
    group = next(g for g in response.context["facets"] if g["name"] == "region")
    return [option["value"] for option in group["options"]]


def test_the_list_offers_every_value_of_a_long_facet(client, many_regions):
    response = client.get("/prisoners/?gender=female&q=")
    assert "Brest" not in region_options(response)
    html = response.content.decode()
    link = 'href="/prisoners/facets/region/?gender=female"'
    assert link in html
    assert f"Show all {len(many_regions)} values of “Region”" in html


def test_a_short_facet_has_no_show_all_link(client):
    PersonFactory(region="Minsk")
    assert "/prisoners/facets/" not in client.get("/prisoners/").content.decode()


def test_the_facet_page_lists_every_value_with_its_count_and_link(client, many_regions):
    response = client.get("/prisoners/facets/region/?gender=female&q=")
    assert response.status_code == 200
    options = response.context["group"]["options"]
    assert len(options) == len(many_regions)
    assert [o["label"] for o in options] == sorted(many_regions, key=str.casefold)
    brest = next(o for o in options if o["value"] == "Brest")
    assert brest["count"] == 1
    html = response.content.decode()
    assert 'href="/prisoners/?gender=female&amp;region=Brest"' in html
    # Following it lists Brest's one person.
    assert client.get("/prisoners/?gender=female&region=Brest").context["paginator"].count == 1


def test_a_chosen_value_is_shown_and_can_be_removed(client, many_regions):
    assert "Brest" in region_options(client.get("/prisoners/?region=Brest"))
    response = client.get("/prisoners/facets/region/?region=Brest&region=Region+00")
    brest = next(o for o in response.context["group"]["options"] if o["value"] == "Brest")
    assert brest["checked"]
    assert 'href="/prisoners/?region=Region+00"' in response.content.decode()


def test_the_facet_page_knows_only_the_facets(client):
    assert client.get("/prisoners/facets/gender/").status_code == 404
    assert client.get("/prisoners/facets/internal_notes/").status_code == 404


def test_the_facet_page_answers_an_invalid_filter_with_400(client):
    response = client.get("/prisoners/facets/region/?held_on=soon")
    assert response.status_code == 400
    assert "held_on" in response.content.decode()


@pytest.mark.parametrize(
    "language, months, expected",
    [
        ("en", 8, "8 months"),
        ("en", 12, "1 year"),
        ("en", 72, "6 years"),
        ("en", 27, "2 years 3 months"),
        ("ru", 1, "1 месяц"),
        ("ru", 72, "6 лет"),
        ("ru", 27, "2 года 3 месяца"),
        ("ru", 254, "21 год 2 месяца"),
        ("be", 72, "6 гадоў"),
        ("be", 27, "2 гады 3 месяцы"),
        ("be", 66, "5 гадоў 6 месяцаў"),
    ],
)
def test_sentences_read_in_years_and_months(language, months, expected):
    with translation.override(language):
        assert sentence_length(months) == expected


def test_a_sentence_without_a_type_reads_without_a_stray_comma(client):
    detention = DetentionFactory(
        detained_on="2021-07-14", sentenced_on="2022-01-10", sentence_months=72
    )
    html = client.get(detention.person.get_absolute_url()).content.decode()
    assert '<p><span class="sentence-length" data-months="72">6 years</span></p>' in html
    assert ", 72 months" not in html


def test_a_sentence_with_a_type_names_it_then_its_length(client):
    detention = DetentionFactory(
        detained_on="2021-07-14",
        sentenced_on="2022-01-10",
        sentence_type="colony",
        sentence_months=120,
    )
    html = client.get(detention.person.get_absolute_url()).content.decode()
    assert 'Penal colony, <span class="sentence-length" data-months="120">10 years</span>' in html


def test_a_charge_shows_its_articles_title(client):
    detention = DetentionFactory(detained_on="2021-07-14")
    detention.charges.set(
        [
            ChargeFactory(article="342", title="Gross violation of public order"),
            ChargeFactory(article="130"),
        ]
    )
    html = client.get(detention.person.get_absolute_url()).content.decode()
    assert (
        'article 342</a> — <span class="charge-title">Gross violation of public order</span>'
        in html
    )
    assert "article 130</a>;" in html or "article 130</a></p>" in html


@pytest.mark.parametrize(
    "language, day, month",
    [
        ("en", "14 Jul 2021", "Jul 2021"),
        ("ru", "14 июля 2021", "июль 2021"),
        ("be", "14 ліпеня 2021", "ліпень 2021"),
    ],
)
def test_month_names_are_lower_case_and_in_the_right_form(language, day, month):
    with translation.override(language):
        assert PartialDate.parse("2021-07-14").display() == day
        assert PartialDate.parse("2021-07").display() == month


@pytest.mark.parametrize(
    "language, expected",
    [
        ("ru", ["3 января 2021", "1 мая 2021", "9 сентября 2021"]),
        ("be", ["3 студзеня 2021", "1 траўня 2021", "9 верасня 2021"]),
    ],
)
def test_months_after_a_day_are_in_full_in_the_genitive(language, expected):
    with translation.override(language):
        dates = ("2021-01-03", "2021-05-01", "2021-09-09")
        assert [PartialDate.parse(d).display() for d in dates] == expected


def test_the_detention_id_help_shows_its_placeholders():
    detention = DetentionFactory()
    form = DetentionForm(instance=detention)
    help_text = str(form.fields["detention_id"].help_text)
    assert "Leave empty for &lt;person id&gt;-&lt;detained on&gt;." in help_text


def test_a_private_tick_is_not_called_public():
    form = PersonForm()
    help_text = str(form.fields["not_duplicate"].help_text)
    assert "Private" in help_text
    assert "Shown publicly" not in help_text
    # A public model field still says so.
    assert "Shown publicly once published." in str(form.fields["name"].help_text)


def test_the_record_release_page_leads_back_to_the_list_it_came_from(client, curator):
    client.force_login(curator)
    person = DetentionFactory().person
    data = {"action": "record_release", helpers.ACTION_CHECKBOX_NAME: [person.pk]}
    html = client.post(f"{CHANGELIST}?status__exact=in_custody", data).content.decode()
    crumbs = re.sub(r"\s+", " ", html.split('<div class="breadcrumbs">')[1].split("</div>")[0])
    assert crumbs.strip() == (
        '<a href="/admin/">Home</a> &rsaquo; <a href="/admin/prisoners/">Political prisoners</a>'
        ' &rsaquo; <a href="/admin/prisoners/person/?status__exact=in_custody">People</a>'
        " &rsaquo; Record release in event"
    )
