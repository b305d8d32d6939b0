"""Every public and API URL, with random parameters, paths and methods: the
answer is never a server error, and a method the URL does not take is 405."""

from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prisoners.public.filters import PersonFilter, ReleaseEventFilter, SanctionsEventFilter
from tests.public_urls import build_world, embed_urls, public_urls, public_urls_in_languages
from tests.test_filter_fuzz import values as filter_values

METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]
# What no URL of the site or the API takes: each answers 405.
WRITES = {"POST", "PUT", "DELETE", "PATCH"}

# The real parameter names (a filter's range halves too), then junk.
REAL_NAMES = sorted(
    {
        *PersonFilter.base_filters,
        *ReleaseEventFilter.base_filters,
        *SanctionsEventFilter.base_filters,
        *(
            f"{name}{suffix}"
            for name in ("released", "date", "detained", "recognized")
            for suffix in ("_after", "_before", "_min", "_max")
        ),
        "page",
        "page_size",
        "from",
        "to",
        "interval",
        "ordering",
        "q",
        "format",
        "lang",
        "version",
    }
)
names = st.one_of(st.sampled_from(REAL_NAMES), st.text(max_size=12))

# The filter fuzz's values, and more that have broken parsers elsewhere.
values = st.one_of(
    filter_values,
    st.sampled_from(
        [
            "\ud7ff",
            "Бяляцкі",
            "🙂" * 5,
            "0001-01-01",
            "10000-01-01",
            "2025-02-30",
            "-1",
            "0",
            "1e309",
            "NaN",
            "9" * 40,
            "no",
            "in_custody",
            "released_on",
        ]
    ),
)

# Addresses made up from the URL patterns: archives of any year and month,
# records that may or may not exist.
segments = st.text(alphabet=st.sampled_from("abcz-_0129.%~Бя🙂"), min_size=1, max_size=20).map(
    lambda s: quote(s, safe="")
)
made_up = st.one_of(
    st.tuples(st.sampled_from(["", "/be", "/ru"]), st.integers(0, 9999)).map(
        lambda t: f"{t[0]}/releases/{t[1]:04d}/"
    ),
    st.tuples(st.integers(0, 9999), st.integers(1, 12)).map(
        lambda t: f"/releases/{t[0]:04d}/{t[1]:02d}/"
    ),
    st.tuples(
        st.sampled_from(
            [
                "/prisoners/",
                "/releases/",
                "/sanctions/",
                "/be/prisoners/",
                "/api/prisoners/",
                "/api/release-events/",
                "/api/sanctions-events/",
                "/sitemap-",
            ]
        ),
        segments,
    ).map(lambda t: f"{t[0]}{t[1]}/" if not t[0].startswith("/sitemap") else f"{t[0]}{t[1]}.xml"),
)

# The API's own addresses, not in public_urls (its root and docs are).
API_URLS = ["/api/schema/?format=json", "/api/stats/held/", "/api/stats/releases.csv"]


@pytest.fixture
def urls(db, settings):
    # Once, not in each example: each assignment stacks one more override.
    settings.API_THROTTLE_RATE = None
    world = build_world()
    urls = public_urls(world) + public_urls_in_languages(world) + embed_urls(world)
    return sorted(set(urls + API_URLS))


def with_params(url: str, params: list[tuple[str, str]]) -> str:
    if not params:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


@pytest.mark.django_db
@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_url_parameter_or_method_gives_a_server_error(client, urls, data):
    listed = data.draw(st.booleans(), label="listed")
    url = data.draw(st.sampled_from(urls) if listed else made_up, label="path")
    params = data.draw(st.lists(st.tuples(names, values), max_size=6), label="params")
    # A name may repeat: some filters take several values, others one.
    if params and data.draw(st.booleans(), label="repeat"):
        params += [(params[0][0], data.draw(values, label="again"))]
    method = data.draw(st.sampled_from(METHODS), label="method")
    body = data.draw(st.one_of(st.just(b""), st.binary(max_size=40)), label="body")
    response = client.generic(
        method, with_params(url, params), data=body, content_type="application/json"
    )
    assert response.status_code < 500, (method, url, params, response.status_code)
    if listed and method in WRITES:
        # DRF answers an unknown ?format= (404) before it looks at the method.
        allowed = {404, 405} if "format" in {name for name, _ in params} else {405}
        assert response.status_code in allowed, (method, url, params, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, url",
    [
        ("GET", "/releases/0001/"),
        ("GET", "/releases/0001/01/"),
        ("GET", "/releases/9999/12/"),
        ("OPTIONS", "/api/docs/"),
        ("OPTIONS", "/api/"),
        ("POST", "/prisoners/ales-bialiatski/"),
        ("DELETE", "/"),
        ("PUT", "/prisoners/export.csv"),
        ("PATCH", "/releases/feed.atom"),
        ("POST", "/sitemap.xml"),
        ("POST", "/robots.txt"),
    ],
)
def test_the_requests_that_once_failed_answer_below_500(client, method, url):
    build_world()
    response = client.generic(method, url)
    assert response.status_code < 500
    if method in WRITES:
        assert response.status_code == 405
