"""The OpenAPI schema describes every answer exactly: Schemathesis drives
every operation from /api/schema/ with generated parameters (valid and not)
through Django's WSGI app and checks each answer against it."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.public_urls import build_world

pytestmark = pytest.mark.django_db

# Requests per operation (valid and invalid): 13 operations in about a minute.
EXAMPLES = 60

# What an answer must be: no 500, a documented status and content type, a
# body valid against the schema of that status.
CONTRACT = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db, settings):
    """The schema as served, over a small world (two published people, events,
    private records), with no rate limit (429 has its own test)."""
    from tracker.wsgi import application

    settings.API_THROTTLE_RATE = None
    build_world()
    # As Django's test client does: a request must not close the connection
    # that holds the test's transaction (PostgreSQL would lose the world).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_it_answers_every_operation_as_its_schema_says(api_schema):
    """Valid and invalid parameters alike, a fixed number of examples each,
    derandomized: the same requests on every run."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    # Every endpoint of the API and its root (/api/).
    assert len(operations) == 17
    answers = Counter()
    for operation in operations:
        requests = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=requests)
        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case):
            response = case.call()
            answers[case.operation.label, response.status_code] += 1
            case.validate_response(response, checks=CONTRACT)

        answers_as_documented()
    # Every operation was driven, and answered both data and 400s.
    assert {label for label, _ in answers} == {operation.label for operation in operations}
    assert {status for _, status in answers} >= {200, 400, 404}


def test_it_answers_the_records_and_errors_as_the_schema_says(api_schema):
    """The answers random parameters rarely reach: real records, a person's
    other id (301), invalid filters (400 in JSON and as CSV text)."""
    statuses = set()
    for url in KNOWN_URLS:
        path, _, query = url.partition("?")
        operation = api_schema.find_operation_by_path("GET", path)
        assert operation is not None, url
        template = re.escape(operation.path).replace(r"\{", "{").replace(r"\}", "}")
        pattern = re.sub(r"{(\w+)}", r"(?P<\1>[^/]+)", template)
        case = operation.Case(
            path_parameters=re.fullmatch(pattern, path).groupdict(),
            query=dict(pair.split("=", 1) for pair in query.split("&") if pair),
        )
        response = case.call()
        statuses.add(response.status_code)
        case.validate_response(response, checks=CONTRACT)
    assert statuses == {200, 301, 400, 404}


# Records of build_world(), a person's other id, invalid filters, a page past the last.
KNOWN_URLS = [
    "/api/prisoners/",
    "/api/prisoners/ales-bialiatski/",
    "/api/prisoners/viasna-ales/",
    "/api/release-events/2025-12-13-release/",
    "/api/sanctions-events/2025-12-13-us-potash/",
    "/api/sanctions-events/?in_force_on=2025-12-13&kind=delisting&target=belaruskali",
    "/api/sanctions-events/?in_force_on=13.12.2025",
    "/api/sanctions-targets/",
    "/api/sanctions-targets/belaruskali/",
    "/api/sanctions-targets/?kind=ship",
    "/api/organizations/",
    "/api/facilities/",
    "/api/facilities/penal-colony-no-9-horki/",
    "/api/facilities/?kind=palace",
    "/api/stats/held/?from=2021-01-01&to=2025-12-31&interval=month",
    "/api/stats/held.csv",
    "/api/stats/releases/?from=2020-01-01&interval=year",
    "/api/stats/releases.csv",
    "/api/changes/",
    "/api/changes/?from=2020-01-01&region=Minsk",
    "/api/prisoners/?as_of=2025-12-31",
    "/api/changes/?to=yesterday",
    "/api/prisoners/?as_of=2999-01-01",
    "/api/prisoners/?held_on=2025-02-30",
    "/api/prisoners/?expected_release_after=2022&ordering=-days_in_custody",
    "/api/prisoners/?expected_release_before=2026-13",
    "/api/prisoners/?page=99",
    "/api/release-events/?date_after=yesterday",
    "/api/stats/held/?from=2025-01-01&to=2024-01-01",
    "/api/stats/held.csv?interval=year",
    "/api/stats/releases.csv?from=tomorrow",
]


def test_it_answers_too_many_requests_as_the_schema_says(api_schema, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_THROTTLE_RATE = "1/minute"
    for path in ("/api/prisoners/", "/api/stats/held.csv"):
        cache.clear()
        case = api_schema.find_operation_by_path("GET", path).Case()
        assert case.call().status_code == 200
        response = case.call()
        assert response.status_code == 429
        case.validate_response(response, checks=CONTRACT)
