"""Read settings from the environment, failing loudly on a bad value."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def read_dotenv(path: Path) -> bool:
    """Development: add the variables of ``path`` (the ``.env`` that ``make``
    writes, DEBUG=1 and a generated SECRET_KEY) to the environment.

    Real environment variables win over the file. When the real environment
    turns DEBUG off (production, ``make check-deploy``) the file is not read
    at all, so that a development file can never loosen production settings.
    """
    debug = os.environ.get("DEBUG")
    if debug is not None and debug.strip().lower() in _FALSE:
        return False
    return load_dotenv(path, override=False, interpolate=False)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0 or true/false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ImproperlyConfigured(f"{name} must not be negative, not {value!r}")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str | None:
    """A throttle rate such as ``60/minute``; ``off`` gives None (no limit)."""
    value = os.environ.get(name, default).strip()
    if value.lower() == "off":
        return None
    number, _, period = value.partition("/")
    if not number.isdigit() or period not in {"second", "minute", "hour", "day"}:
        raise ImproperlyConfigured(
            f"{name} must look like 60/minute (second, minute, hour, day) or be off, not {value!r}"
        )
    return value


def env_secret(name: str, debug: bool) -> str:
    """Required in production; a fixed, clearly insecure key in development."""
    value = os.environ.get(name, "")
    if value:
        return value
    if debug:
        return "insecure-development-key-do-not-use-in-production"
    raise ImproperlyConfigured(f"{name} must be set when DEBUG is off")


def env_site_url(name: str, debug: bool) -> str:
    """The site's origin (``https://tracker.example.org``), from which every
    absolute URL is made: required in production, the development server's
    address with DEBUG on. Never the request's Host header, which a client
    chooses."""
    value = os.environ.get(name, "").strip()
    if not value:
        if debug:
            return "http://127.0.0.1:8000"
        raise ImproperlyConfigured(
            f"{name} must be set when DEBUG is off: the site's address, e.g. "
            "https://tracker.example.org (absolute links never come from the Host header)"
        )
    parts = urlsplit(value)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.netloc
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(
            f"{name} must be a scheme and host such as https://tracker.example.org, not {value!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"
