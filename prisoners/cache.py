"""The page cache for anonymous readers.

A rush of readers after a release makes headlines must not reach the
database, and nothing stale may be served: cached pages are keyed by a data
version that every save, delete and import bumps (signals on every model of
the app; bulk writes bump it themselves), and by the day, since "held now"
and the default ranges move at midnight.
"""

from __future__ import annotations

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone

VERSION_KEY = "tracker:data-version"
# Pages with a login, forms that post, or data for programs are not cached.
UNCACHED_PREFIXES = ("/admin/", "/api/")


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh cache: start from a value no earlier page can carry.
        version = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_data_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        data_version()
        cache.incr(VERSION_KEY)


def records_changed(**kwargs) -> None:
    """A save, delete or many-to-many change: bump now, and again once it is
    committed, since a page built in between shows the records before the
    change under the new version."""
    bump_data_version()
    transaction.on_commit(bump_data_version)


def connect_signals() -> None:
    for model in apps.get_app_config("prisoners").get_models():
        if getattr(model, "derived", False):
            continue  # stored figures follow the records; they are not records
        uid = f"bump-data-version-{model._meta.label}"
        post_save.connect(records_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(records_changed, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(records_changed, dispatch_uid="bump-data-version-m2m")


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
        return f"page:{data_version()}:{timezone.localdate()}:{language}:{request.method}:{path}"
