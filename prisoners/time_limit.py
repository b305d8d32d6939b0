"""Queries a page may give up on.

The counts beside a list are worth a fraction of a second, not the page: on
a list of tens of thousands of people, counting charges and release types
joins every detention, and under a rush of readers that takes seconds. On
PostgreSQL such a query runs under a statement timeout and the page goes
without it; SQLite, for small deployments, always answers.
"""

from __future__ import annotations

from django.db import OperationalError, connection, transaction

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement timeout


def rows_within(queryset, milliseconds: float) -> list | None:
    """The rows of ``queryset``, or None if PostgreSQL cannot give them
    within ``milliseconds``."""
    if connection.vendor != "postgresql":
        return list(queryset)
    if milliseconds < 1:
        return None
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {int(milliseconds)}")
            rows = list(queryset)
            with connection.cursor() as cursor:
                # In an outer transaction (a savepoint here) SET LOCAL would
                # outlive this block.
                cursor.execute("SET LOCAL statement_timeout = DEFAULT")
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == QUERY_CANCELED:
            return None
        raise
    return rows
