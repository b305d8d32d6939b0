"""The page cache for anonymous readers, and figures checked once a request.

A rush of readers after a release makes headlines must not reach the
database, and nothing stale may be served: cached pages are keyed by the
data version (prisoners/data_version.py: one row in the database, read
once a request, so that every worker sees a write at once) and by the day, since "held now"
and the default ranges move at midnight.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from ..data_version import data_version
from ..stats.figures import checked_once

# Pages with a login, forms that post, or data for programs are not cached.
UNCACHED_PREFIXES = ("/admin/", "/api/")


class AnonymousPageCacheMiddleware:
    """Serve anonymous GET pages from the cache for CACHE_SECONDS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = self.key(request)
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            headers = [(k, v) for k, v in response.items() if k.lower() != "set-cookie"]
            cache.set(
                key, (response.status_code, headers, response.content), settings.CACHE_SECONDS
            )
        return response

    @staticmethod
    def cacheable_request(request) -> bool:
        return (
            settings.CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(UNCACHED_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def cacheable_response(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def key(request) -> str:
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        language = getattr(request, "LANGUAGE_CODE", "")
        return f"page:{data_version()!s}:{timezone.localdate()}:{language}:{request.method}:{path}"


class CheckedOnceMiddleware:
    """Requests that change nothing (GET, HEAD) check each figure once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with checked_once():
            return self.get_response(request)
