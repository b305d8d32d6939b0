"""The read-only JSON API: same filters as the HTML list, published records
only, citation on every answer, stats series equal to the design's rule."""

import csv
import io
from datetime import date

import pytest
import yaml
from drf_spectacular.validation import validate_schema

from prisoners.querysets import recognized_held_count

from .factories import (
    DetentionFactory,
    OrganizationFactory,
    PersonFactory,
    ReleaseEventFactory,
    ReleaseFactory,
    SanctionsEventFactory,
)

pytestmark = pytest.mark.django_db


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_the_prisoners_endpoint_lists_published_people_with_nested_detentions(client, records):
    response = client.get("/api/prisoners/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert ids(response) == ["ales", "marfa"]
    ales = body["results"][0]
    assert ales["detentions"][0]["detained_on"] == "2021-07-14"
    assert ales["detentions"][0]["release"] == {
        "released_on": "2025-12-13",
        "release_type": "negotiated",
        "released_to": "Lithuania",
        "release_event": "wave-dec",
    }
    assert ales["recognized_on"] == "2021-07"
    assert ales["organizations"] == ["Viasna"]
    assert ales["url"].endswith("/prisoners/ales/")
    assert "internal_notes" not in ales


def test_a_person_and_a_detention_give_exactly_their_serializers_fields(client, records):
    """Their serializers write their fields by hand (#22): every field they
    declare, the schema's, is in the answer, in order, and nothing else."""
    from prisoners.api.serializers import DetentionSerializer, PersonSerializer

    person = client.get("/api/prisoners/").json()["results"][0]
    assert list(person) == PersonSerializer.Meta.fields
    assert list(person["detentions"][0]) == DetentionSerializer.Meta.fields


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("released_after=2025-12-01&released_before=2025-12-31", ["ales"]),
        ("status=in_custody", ["marfa"]),
        ("status=in_custody&status=released", ["ales", "marfa"]),
        ("q=Бяляцкі", ["ales"]),
        ("held_on=2025-12-12", ["ales", "marfa"]),
        ("held_on=2025-12-13", ["marfa"]),
        ("organization=Viasna", ["ales"]),
        ("release_event=wave-dec", ["ales"]),
        ("release_type=negotiated&released_after=2025-12-14", []),
        ("ordering=-detained_on", ["ales", "marfa"]),
        ("recognized=yes&recognized_before=2021-01-01", ["marfa"]),
        ("unknown_parameter=1", ["ales", "marfa"]),
    ],
)
def test_each_filter_narrows_the_list(client, records, query, expected):
    response = client.get(f"/api/prisoners/?{query}")
    assert response.status_code == 200
    assert ids(response) == expected


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("status=free", "status"),
        ("held_on=2025-13-01", "held_on"),
        ("released_after=yesterday", "released_after"),
    ],
)
def test_an_invalid_filter_answers_400_in_drf_error_shape(client, records, query, param):
    response = client.get(f"/api/prisoners/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [param]
    assert isinstance(body[param], list) and body[param][0]


def test_a_person_is_found_by_person_id_and_drafts_are_404(client, records):
    assert client.get("/api/prisoners/ales/").json()["name"] == "Ales Bialiatski"
    assert client.get("/api/prisoners/draft/").status_code == 404


def test_a_page_past_the_end_is_404(client, records):
    assert client.get("/api/prisoners/?page=9").status_code == 404


def test_release_events_show_announced_against_recorded_and_public_sanctions(client, records):
    ReleaseEventFactory(event_id="hidden-wave", published=False)
    body = client.get("/api/release-events/").json()
    assert [e["id"] for e in body["results"]] == ["wave-dec"]
    wave = body["results"][0]
    assert (wave["announced_count"], wave["recorded_count"]) == (123, 1)
    assert wave["people"] == ["ales"]
    assert wave["sanctions"] == ["us-potash"]
    assert client.get("/api/release-events/hidden-wave/").status_code == 404
    dated = client.get("/api/release-events/?date_after=2026-01-01").json()
    assert dated["count"] == 0


def test_sanctions_events_filter_by_authority_and_action(client, records):
    SanctionsEventFactory(event_id="eu-imposed", authority="EU", action="imposed", date="2021-06")
    assert [
        e["id"] for e in client.get("/api/sanctions-events/?authority=us").json()["results"]
    ] == ["us-potash"]
    assert [
        e["id"] for e in client.get("/api/sanctions-events/?action=imposed").json()["results"]
    ] == ["eu-imposed"]
    detail = client.get("/api/sanctions-events/us-potash/").json()
    assert detail["release_events"] == ["wave-dec"]
    assert client.get("/api/sanctions-events/hidden-sanctions/").status_code == 404
    assert client.get("/api/sanctions-events/?action=bombed").status_code == 400


def test_organizations_count_published_people_only(client, records):
    hidden = PersonFactory(visibility="draft")
    hidden.organizations.set([OrganizationFactory(name="Secret circle")])
    body = client.get("/api/organizations/").json()
    assert [(o["name"], o["people"]) for o in body["results"]] == [("Viasna", 1)]


def test_every_answer_says_when_the_data_changed_and_how_to_cite_it(client, records):
    for url in [
        "/api/prisoners/",
        "/api/prisoners/ales/",
        "/api/stats/held/",
        "/api/stats/held.csv",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Data-Last-Changed"]
        assert response["Last-Modified"]
        assert "Political Prisoner Tracker" in response["X-Cite-As"]
        assert response["Access-Control-Allow-Origin"] == "*"
    body = client.get("/api/prisoners/").json()
    assert body["data_last_changed"] and "/api/prisoners/" in body["cite_as"]


def test_the_held_series_equals_the_count_of_the_rule_for_each_day(client, records):
    response = client.get("/api/stats/held/?from=2025-12-10&to=2025-12-15")
    assert response.status_code == 200
    points = response.json()["results"]
    assert len(points) == 6
    for point in points:
        assert point["held"] == recognized_held_count(date.fromisoformat(point["date"]))
    assert [p["held"] for p in points] == [2, 2, 2, 1, 1, 1]


def test_the_monthly_held_figure_is_that_of_the_months_last_day(client, records):
    points = client.get("/api/stats/held/?from=2025-10-01&to=2026-01-10&interval=month").json()[
        "results"
    ]
    assert [p["date"] for p in points] == ["2025-10-31", "2025-11-30", "2025-12-31", "2026-01-10"]
    assert [p["held"] for p in points] == [2, 2, 1, 1]


def test_the_releases_series_counts_per_month_and_year_and_as_csv(client, records):
    months = client.get("/api/stats/releases/?from=2025-11-01&to=2026-01-31").json()["results"]
    assert months == [
        {"period": "2025-11", "releases": 0},
        {"period": "2025-12", "releases": 1},
        {"period": "2026-01", "releases": 0},
    ]
    response = client.get("/api/stats/releases.csv?from=2024-01-01&to=2026-01-31&interval=year")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["period", "releases"], ["2024", "0"], ["2025", "1"], ["2026", "0"]]


def test_invalid_stats_parameters_answer_400_in_json_and_as_text_for_csv(client, records):
    response = client.get("/api/stats/held/?from=2025-02-30")
    assert response.status_code == 400 and "from" in response.json()
    response = client.get("/api/stats/held/?from=2026-01-01&to=2025-01-01")
    assert response.status_code == 400 and "from" in response.json()
    response = client.get("/api/stats/releases/?interval=day")
    assert response.status_code == 400 and "interval" in response.json()
    response = client.get("/api/stats/held.csv?interval=week")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("interval: ")


def test_the_openapi_schema_is_valid_and_documents_date_filters(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    parameters = {p["name"] for p in schema["paths"]["/api/prisoners/"]["get"]["parameters"]}
    assert {"released_after", "held_on", "q", "status", "page"} <= parameters
    assert "released_after=2025-12-01" in response.content.decode()


def test_the_docs_page_loads_its_assets_locally(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html


def test_anonymous_clients_are_throttled_with_a_clear_429(client, records, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_THROTTLE_RATE = "3/minute"
    answers = [client.get("/api/organizations/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    response = client.get("/api/organizations/")
    assert "throttled" in response.json()["detail"]
    settings.API_THROTTLE_RATE = None
    assert client.get("/api/organizations/").status_code == 200
    cache.clear()


def test_a_range_far_in_the_future_is_refused_not_a_crash(client):
    response = client.get("/api/stats/releases/?to=9999-12-31")
    assert response.status_code == 400
    assert "between 1900-01-01 and 2199-12-31" in response.json()["to"][0]


def test_a_release_event_names_its_published_people_by_name(client):
    event = ReleaseEventFactory(event_id="spring-wave")
    other = ReleaseEventFactory(event_id="other-wave", date="2025-01-01")
    for person_id, name, visibility, wave in [
        ("zoe", "Zoe Zhuk", "published", event),
        ("ales", "Ales Adamovich", "published", event),
        ("hidden", "Hidden Person", "draft", event),
        ("anon", "Anonymous Person", "anonymous", event),
        ("other", "Other Wave", "published", other),
    ]:
        person = PersonFactory(person_id=person_id, name=name, visibility=visibility)
        ReleaseFactory(detention=DetentionFactory(person=person), release_event=wave)
    listed = {e["id"]: e for e in client.get("/api/release-events/").json()["results"]}
    assert listed["spring-wave"]["people"] == ["ales", "zoe"]
    assert listed["spring-wave"]["recorded_count"] == 3
    assert listed["other-wave"]["people"] == ["other"]
    assert client.get("/api/release-events/spring-wave/").json()["people"] == ["ales", "zoe"]
