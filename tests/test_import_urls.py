"""A source URL is read with the answers of Django's URLValidator: the
plain ones (most sources) by a cheaper pattern, the rest by URLValidator."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from prisoners.interchange import urls
from prisoners.interchange.importer import run_import
from prisoners.models import Person

# Accepted and refused alike, near the validator's edges: schemes, ports,
# IPv4 and IPv6 hosts, internationalized names, user info, lengths, and
# characters that are whitespace to Python but not to ASCII.
TRICKY = [
    "https://example.org",
    "http://e.org/a?b=c#d",
    "HTTPS://EXAMPLE.ORG/Path",
    "hTTp://example.org",
    "ftp://example.org/file",
    "ftps://example.org",
    "mailto:someone@example.org",
    "javascript:alert(1)",
    "example.org",
    "//example.org",
    "http://",
    "http://.org",
    "http://e.o",
    "http://e.123",
    "http://1.2.3.com",
    "http://localhost",
    "http://localhost:8000/x",
    "http://example.org:65535",
    "http://example.org:65536",
    "http://256.1.1.1",
    "http://192.168.0.1",
    "http://[::1]/",
    "http://[2001:db8::1]:8080/",
    "http://[::zz]/",
    "http://e.org/[::1]",
    "http://user:pass@example.org/",
    "http://e.org/@user:x",
    "http://e.org?a=b@c.d/",
    "http://e.org/x://y",
    "https://пример.бел/путь",
    "https://example.org/путь",
    "https://xn--e1afmkfd.xn--90ais/",
    "https://ex_ample.org",
    "https://-example.org",
    "https://example-.org",
    "https://exa--mple.org",
    "https://example.org.",
    "https://example.org..",
    "https://example.-org",
    "https://a." + "b" * 63 + ".org",
    "https://a." + "b" * 64 + ".org",
    "https://" + "a" * 63 + ".org",
    "https://" + "a" * 64 + ".org",
    "https://" + "abc." * 62 + "org",
    "https://" + "abc." * 63 + "org",
    "https://e.org/" + "x" * 2030,
    "https://e.org/" + "x" * 2040,
    "http://example.org/\u200bzero-width",
    "http://example.org/a\x1cb",
    "http://example.org/a\xa0b",
    "http://example.org/a\u2028b",
    "http://example.org/a b",
    "http://exa\nmple.org",
    "http://e.org/a\tb",
    "https://e.org/%ZZ",
    "https://e.org/\x7f",
    "https://e.org:/x",
]


def _django_accepts(text: str) -> bool:
    try:
        URLValidator()(text)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("text", TRICKY)
def test_is_url_answers_as_django_url_validator_on_tricky_urls(text):
    assert urls.is_url(text) is _django_accepts(text)


def _random_url(draw: random.Random) -> str:
    """Mostly plain-looking URLs, with a wrong piece here and there."""
    odd = draw.random() < 0.3  # one piece drawn from the wrong ones too
    scheme = draw.choice(["http://", "https://", "HTTPS://"] + odd * ["ftp://", "http:/", ""])
    letters = "abcxyzKQ0129-" + draw.choice([""] + odd * ["_", ".", "é", "\u212a", "@", ":"])
    labels = [
        "".join(draw.choice(letters) for _ in range(draw.choice([1, 2, 5, 61, 62, 63, 64])))
        for _ in range(draw.choice([1, 2, 3, 5]))
    ]
    tld = draw.choice(["org", "by", "COM"] + odd * ["x", "xn--90ais", "бел", "o-g", "org-", "1"])
    port = draw.choice([""] + odd * [":80", ":", ":99999"])
    path_chars = "abc/?#%=&@:[]~'\"!" + draw.choice([""] + odd * [" ", "\x1c", "\xa0", "ж", "\x7f"])
    path = draw.choice(["", "/"]) + "".join(
        draw.choice(path_chars) for _ in range(draw.choice([0, 3, 20]))
    )
    return scheme + ".".join([*labels, tld]) + draw.choice([""] + odd * ["."]) + port + path


def test_is_url_answers_as_django_url_validator_on_random_urls():
    draw = random.Random(17)
    texts = [_random_url(draw) for _ in range(20_000)]
    disagree = [t for t in texts if urls.is_url(t) is not _django_accepts(t)]
    assert disagree == []
    plain = [t for t in texts if urls._PLAIN.fullmatch(t)]
    # The sample reaches both sides, and the cheap path often.
    assert len(plain) > 2_000
    assert 2_000 < sum(map(_django_accepts, texts)) < 18_000


def test_plain_urls_do_not_reach_django_url_validator(monkeypatch):
    asked = []
    monkeypatch.setattr(urls, "_validator", asked.append)
    assert urls.is_url("https://spring96.org/be/news/12345?x=1#a")
    assert urls.is_url("https://пример.бел/")
    assert asked == ["https://пример.бел/"]


@pytest.mark.django_db
def test_a_bad_url_repeated_across_rows_is_reported_on_each_row():
    rows = "p-1,N,https://e.org/a example.org\np-2,M,example.org https://e.org/a\n"
    result = run_import([("p.csv", f"person_id,name,person_sources\n{rows}".encode())])
    assert result.errors == [
        "p.csv:2: person_sources: 'example.org' is not a URL (separate URLs by spaces)",
        "p.csv:3: person_sources: 'example.org' is not a URL (separate URLs by spaces)",
    ]
    assert Person.objects.count() == 0
