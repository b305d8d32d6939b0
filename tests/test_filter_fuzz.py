"""Whatever is thrown at a filter, the answer is never a server error."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prisoners.public.filters import PersonFilter, ReleaseEventFilter, SanctionsEventFilter

PERSON_PARAMS = [*PersonFilter.base_filters, "page", "page_size"]
EVENT_PARAMS = [*ReleaseEventFilter.base_filters, *SanctionsEventFilter.base_filters, "page"]
RANGE_PARAMS = ["from", "to", "interval"]

ENDPOINTS = {
    "/prisoners/": PERSON_PARAMS,
    "/prisoners/export.csv": PERSON_PARAMS,
    "/prisoners/feed.atom": PERSON_PARAMS,
    "/api/prisoners/": PERSON_PARAMS,
    "/releases/": EVENT_PARAMS,
    "/releases/export.csv": EVENT_PARAMS,
    "/api/release-events/": EVENT_PARAMS,
    "/sanctions/": EVENT_PARAMS,
    "/sanctions/export.csv": EVENT_PARAMS,
    "/api/sanctions-events/": EVENT_PARAMS,
    "/api/organizations/": ["page"],
    "/timeline/": RANGE_PARAMS,
    "/api/stats/held/": RANGE_PARAMS,
    "/api/stats/held.csv": RANGE_PARAMS,
    "/api/stats/releases/": RANGE_PARAMS,
    "/api/stats/releases.csv": RANGE_PARAMS,
}

values = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="0123456789-", max_size=12),
    st.dates().map(str),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "",
            " ",
            "%",
            "'; drop table x;--",
            "9999-12-31",
            "0000-00-00",
            "yes",
            "released",
            "-name",
            "day",
            "month",
            "year",
        ]
    ),
)


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    endpoint=st.sampled_from(sorted(ENDPOINTS)),
    data=st.data(),
)
def test_no_filter_value_gives_a_server_error(client, settings, endpoint, data):
    settings.API_THROTTLE_RATE = None
    params = data.draw(
        st.lists(st.tuples(st.sampled_from(ENDPOINTS[endpoint]), values), max_size=5)
    )
    response = client.get(f"{endpoint}?{urlencode(params)}")
    assert response.status_code < 500, (endpoint, params)
    assert response.status_code in {200, 400, 404}, (endpoint, params, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["region", "charge", "organization", "release_event", "q"])
def test_a_nul_byte_in_a_text_filter_is_a_400(client, param):
    response = client.get(f"/api/prisoners/?{param}=a%00b")
    assert response.status_code == 400
    assert param in response.json()
