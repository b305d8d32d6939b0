"""CSV exports of the public lists, and one FilterSet for HTML, CSV and API."""

import csv
import io

import pytest
from django.utils import timezone

from .factories import DetentionFactory, PersonFactory, ReleaseEventFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict]:
    content = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(content)))


def test_the_prisoner_export_streams_the_public_form_with_a_dated_filename(client, records):
    response = client.get("/prisoners/export.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="prisoners-{today}.csv"'
    assert response["X-Data-Last-Changed"]
    rows = read_csv(response)
    assert "internal_notes" not in rows[0]
    assert {row["person_id"] for row in rows} == {"ales", "marfa"}
    ales = next(row for row in rows if row["person_id"] == "ales")
    assert (ales["released_on"], ales["release_event"], ales["published"]) == (
        "2025-12-13",
        "wave-dec",
        "yes",
    )


def test_the_export_keeps_all_rows_of_each_matching_person(client):
    person = PersonFactory(person_id="twice")
    ReleaseFactory(
        detention=DetentionFactory(person=person, detained_on="2020-08-10"),
        released_on="2020-08-20",
    )
    DetentionFactory(person=person, detained_on="2021-01-05")
    rows = read_csv(client.get("/prisoners/export.csv?status=in_custody"))
    assert [row["detained_on"] for row in rows] == ["2020-08-10", "2021-01-05"]


def test_an_invalid_filter_gives_400_as_plain_text_lines(client):
    response = client.get("/prisoners/export.csv?held_on=2021-02-30&status=free")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert sorted(line.split(":")[0] for line in lines) == ["held_on", "status"]


def test_a_reference_to_an_unpublished_event_is_left_empty(client):
    hidden = ReleaseEventFactory(event_id="hidden-wave", published=False)
    ReleaseFactory(detention__person__person_id="freed", release_event=hidden)
    rows = read_csv(client.get("/prisoners/export.csv"))
    assert rows[0]["release_event"] == ""
    assert "hidden-wave" not in read_csv(client.get("/releases/export.csv"))


def test_event_exports_filter_like_their_lists(client, records):
    from .factories import SanctionsEventFactory

    SanctionsEventFactory(event_id="eu-old", authority="EU", action="imposed", date="2021-06")
    releases = read_csv(client.get("/releases/export.csv?date_after=2025-12-01"))
    assert [row["event_id"] for row in releases] == ["wave-dec"]
    assert releases[0]["sanctions"] == "us-potash"
    sanctions = read_csv(client.get("/sanctions/export.csv?authority=EU"))
    assert [row["event_id"] for row in sanctions] == ["eu-old"]
    response = client.get("/sanctions/export.csv?date_before=soon")
    assert response.status_code == 400 and response.content.startswith(b"date_before: ")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=released",
        "status=in_custody&status=released",
        "released_after=2025-12-01&released_before=2025-12-31",
        "held_on=2025-12-12",
        "q=rabkova",
        "q=Бяляцкі",
        "organization=Viasna",
        "release_type=negotiated&released_after=2025-12-14",
        "recognized=no",
        "ordering=-released_on",
        "detained_after=2021-01-01",
    ],
)
def test_the_html_list_the_csv_and_the_api_return_the_same_people(client, records, query):
    html = client.get(f"/prisoners/?{query}")
    assert html.status_code == 200
    from_html = [p.person_id for p in html.context["object_list"]]
    from_csv = list(
        dict.fromkeys(
            r["person_id"] for r in read_csv(client.get(f"/prisoners/export.csv?{query}"))
        )
    )
    from_api = [p["id"] for p in client.get(f"/api/prisoners/?{query}").json()["results"]]
    assert from_html == from_api
    assert sorted(from_csv) == sorted(from_html)


def test_each_list_page_links_its_csv_with_the_same_filters(client, records):
    people = client.get("/prisoners/?status=released&page=1").content.decode()
    assert 'href="/prisoners/export.csv?status=released"' in people
    assert 'href="/releases/export.csv' in client.get("/releases/").content.decode()
    sanctions = client.get("/sanctions/?authority=US").content.decode()
    assert 'href="/sanctions/export.csv?authority=US"' in sanctions
