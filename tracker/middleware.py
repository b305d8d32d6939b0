"""A lost database answers a clear 503 page, never a traceback."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client is asked to wait: the database usually comes back from a
# restart or failover within that.
RETRY_AFTER = 5


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page: a plain template that needs no database."""
    response = HttpResponse(loader.render_to_string("503.html", request=None), status=503)
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


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database error raised outside a view (a middleware
    loading the session, say) also gets the 503 page."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        # The handler has logged the exception already.
        return database_unavailable(request)
    return defaults.server_error(request)
