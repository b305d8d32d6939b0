"""Source URLs are validated once per distinct URL in an import, with the
answers of Django's URLValidator, and nothing kept after the import."""

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from prisoners.interchange import urls
from prisoners.interchange.importer import run_import
from prisoners.models import Person, Source

# Accepted and refused alike, near the validator's edges: schemes, ports,
# IPv4 and IPv6 hosts, internationalized names, user info, lengths.
TRICKY = [
    "https://example.org",
    "http://e.org/a?b=c#d",
    "HTTPS://EXAMPLE.ORG/Path",
    "ftp://example.org/file",
    "ftps://example.org",
    "mailto:someone@example.org",
    "javascript:alert(1)",
    "example.org",
    "//example.org",
    "http://",
    "http://.org",
    "http://localhost",
    "http://localhost:8000/x",
    "http://example.org:65535",
    "http://example.org:65536",
    "http://example.org:0",
    "http://256.1.1.1",
    "http://192.168.0.1",
    "http://[::1]/",
    "http://[2001:db8::1]:8080/",
    "http://[::zz]/",
    "http://user:pass@example.org/",
    "http://user@:example.org",
    "https://пример.бел/путь",
    "https://xn--e1afmkfd.xn--90ais/",
    "https://ex_ample.org",
    "https://-example.org",
    "https://example-.org",
    "https://example.org.",
    "https://a." + "b" * 63 + ".org",
    "https://a." + "b" * 64 + ".org",
    "https://example.org/" + "x" * 2000,
    "http://example.org/\u200bzero-width",
    "http://example.org/a b",
    "http://exa\nmple.org",
    "https://e.org/%ZZ",
]


def _django_accepts(text: str) -> bool:
    try:
        URLValidator()(text)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("text", TRICKY)
def test_is_url_answers_as_django_url_validator_the_first_time_and_every_time_after(text):
    expected = _django_accepts(text)
    assert urls.is_url(text) is expected
    with urls.checked_once():
        assert [urls.is_url(text) for _ in range(3)] == [expected] * 3
    assert urls.is_url(text) is expected


def test_the_validator_runs_once_per_distinct_url_within_an_import_only(monkeypatch):
    calls = []

    def counting(text):
        calls.append(text)
        URLValidator()(text)

    monkeypatch.setattr(urls, "_validator", counting)
    with urls.checked_once():
        for text in ["https://e.org/a", "https://e.org/b", "https://e.org/a", "bad", "bad"]:
            urls.is_url(text)
    # A refusal is asked again (an error line for each row that gives it).
    assert calls == ["https://e.org/a", "https://e.org/b", "bad", "bad"]
    urls.is_url("https://e.org/a")
    assert calls[-1] == "https://e.org/a"  # the import's answers are gone


@pytest.mark.django_db
def test_an_import_with_repeated_urls_validates_each_once_and_links_them_all(monkeypatch):
    calls = []

    def counting(text):
        calls.append(text)
        URLValidator()(text)

    monkeypatch.setattr(urls, "_validator", counting)
    rows = "".join(f"p-{i},Name {i},https://e.org/a https://e.org/{i % 2}\n" for i in range(6))
    result = run_import([("p.csv", f"person_id,name,person_sources\n{rows}".encode())])
    assert result.ok, result.errors
    assert sorted(calls) == ["https://e.org/0", "https://e.org/1", "https://e.org/a"]
    assert Source.objects.count() == 3
    assert [sorted(s.url for s in p.sources.all()) for p in Person.objects.order_by("pk")][:2] == [
        ["https://e.org/0", "https://e.org/a"],
        ["https://e.org/1", "https://e.org/a"],
    ]


@pytest.mark.django_db
def test_a_bad_url_repeated_across_rows_is_reported_on_each_row():
    rows = "p-1,N,https://e.org/a example.org\np-2,M,example.org https://e.org/a\n"
    result = run_import([("p.csv", f"person_id,name,person_sources\n{rows}".encode())])
    assert result.errors == [
        "p.csv:2: person_sources: 'example.org' is not a URL (separate URLs by spaces)",
        "p.csv:3: person_sources: 'example.org' is not a URL (separate URLs by spaces)",
    ]
    assert Person.objects.count() == 0
