"""The error pages: 400, 404, 500 and, when the database is lost, 503; in the
language of the URL's prefix and the site's style, never a traceback."""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils import translation

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client is asked to wait: the database usually comes back from a
# restart or failover within that.
RETRY_AFTER = 5


def error_page(request: HttpRequest, template_name: str, status: int) -> HttpResponse:
    """An error page in the language of the URL's prefix (/be/, /ru/; English
    without one: the error may come before or outside the middleware that
    sets it). Its template (templates/4xx.html, 5xx.html) leaves out the
    footer's data, so it needs no database."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        content = loader.render_to_string(template_name, request=request)
    return HttpResponse(content, status=status)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page: its template needs no database."""
    response = error_page(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database connection error raised by a view (or its template)
    into the 503 page. With conn_health_checks on, the next request after the
    database returns opens a new connection: no restart needed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable: %s", exception)
            return database_unavailable(request)
        return None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a malformed request (too many fields, a bad Host header)."""
    return error_page(request, "400.html", 400)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404."""
    return error_page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database error raised outside a view (a middleware
    loading the session, say) also gets the 503 page."""
    # The handler has logged the exception already.
    try:
        if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
            return database_unavailable(request)
        return error_page(request, "500.html", 500)
    except Exception:
        # The page itself failed: a bare answer rather than none at all.
        logger.exception("The error page failed")
        return HttpResponseServerError("<h1>Server Error (500)</h1>")
