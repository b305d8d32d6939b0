"""Queries a page may give up on.

The counts beside a list are worth a fraction of a second, not the page: on
a list of tens of thousands of people, counting charges and release types
joins every detention, and under a rush of readers that takes seconds. On
PostgreSQL such a query runs under a statement timeout and the page goes
without it; SQLite, for small deployments, always answers.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.db import OperationalError, connection, transaction

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement timeout


def rows_within(queryset, milliseconds: float) -> list | None:
    """The rows of ``queryset``, or None if PostgreSQL cannot give them
    within ``milliseconds``."""
    if connection.vendor != "postgresql":
        return list(queryset)
    if milliseconds < 1:
        return None
    # In a transaction, a savepoint keeps a cancelled query from aborting
    # it, and its rollback undoes the SET.
    in_transaction = connection.in_atomic_block
    try:
        savepoint = transaction.atomic() if in_transaction else nullcontext()
        with savepoint, connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(milliseconds)}")
            rows = list(queryset)
            cursor.execute("SET statement_timeout = DEFAULT")
            return rows
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
        if not in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = DEFAULT")
        return None
