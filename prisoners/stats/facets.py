"""The counts beside a list of people: how many of them have each status,
region, organization, and (on a detention matching the detention filters)
release type and charge."""

from __future__ import annotations

from django.db import connections
from django.db.models import Count, F, QuerySet, Value

from ..models import Detention, Release
from .time_limit import rows_within


def count_facets(
    people: QuerySet, held: QuerySet | None = None, time_limit_ms: float | None = None
) -> dict[str, list[tuple[str, int]]]:
    """How many of ``people`` have each status, region, organization, and
    release type and charge: adding that value to the filters gives that
    many, largest first. ``held`` are the detentions that match the
    detention filters, of people who pass the person filters; None when no
    detention filter is given (every detention of ``people`` counts).

    With ``time_limit_ms`` (PostgreSQL), release type and charge are left
    out when they cannot be counted within that time."""
    facets: dict[str, list] = {}
    # One query for the facets of the people, one (that may run out of
    # time) for those of their detentions, which join every detention.
    for names, rows in (
        (PEOPLE_FACETS, FacetRows(PEOPLE_FACETS_SQL, people=people)),
        (DETENTION_FACETS, _detention_facet_rows(people, held)),
    ):
        if time_limit_ms and names is DETENTION_FACETS:
            rows = rows_within(rows, time_limit_ms)
            if rows is None:
                continue
        facets.update((name, []) for name in names)
        for facet, value, n in sorted(rows, key=lambda row: (-row[2], row[1])):
            facets[facet].append((value, n))
    return facets


def _detention_facet_rows(people: QuerySet, held: QuerySet | None):
    if held is None:
        # Every detention of the people: grouped by the ORM, which
        # PostgreSQL plans better here than from the materialized list.
        ids = people.values("pk")
        releases = Release.objects.filter(detention__person__in=ids)
        charges = Detention.charges.through.objects.filter(detention__person__in=ids)
        people_count = Count("detention__person", distinct=True)
        return (
            _grouped(releases, "release_type", "release_type", people_count)
            .union(_grouped(charges, "charge", "charge__article", people_count), all=True)
            .values_list("facet", "value", "n")
        )
    return FacetRows(DETENTION_FACETS_SQL, held=held)


def _grouped(rows: QuerySet, facet: str, key: str, n) -> QuerySet:
    return (
        rows.annotate(facet=Value(facet), value=F(key))
        .values("facet", "value")
        .annotate(n=n)
        .order_by()
    )


PEOPLE_FACETS = ("status", "region", "organization")
DETENTION_FACETS = ("release_type", "charge")

# The filtered people are found once (a materialized CTE, "matched") and each
# facet groups them: as a UNION of querysets, each part ran the filters
# again. A person belongs to an organization once (a unique pair).
PEOPLE_FACETS_SQL = """
SELECT 'status', status, COUNT(*) FROM matched GROUP BY status
UNION ALL
SELECT 'region', region, COUNT(*) FROM matched WHERE region <> '' GROUP BY region
UNION ALL
SELECT 'organization', o.name, COUNT(*) FROM matched
    JOIN prisoners_person_organizations m ON m.person_id = matched.id
    JOIN prisoners_organization o ON o.id = m.organization_id
    GROUP BY o.name
"""
# "held": the detentions that match the detention filters, of matched people.
DETENTION_FACETS_SQL = """
SELECT 'release_type', r.release_type, COUNT(DISTINCT held.person_id) FROM held
    JOIN prisoners_release r ON r.detention_id = held.id
    GROUP BY r.release_type
UNION ALL
SELECT 'charge', c.article, COUNT(DISTINCT held.person_id) FROM held
    JOIN prisoners_detention_charges dc ON dc.detention_id = held.id
    JOIN prisoners_charge c ON c.id = dc.charge_id
    GROUP BY c.article
"""


class FacetRows:
    """``(facet, value, n)`` rows of ``sql`` over ``matched``, the rows of
    ``people``, or ``held``, those of ``held``, read when iterated."""

    def __init__(self, sql: str, *, people: QuerySet | None = None, held: QuerySet | None = None):
        ctes, params = [], ()
        for name, columns, queryset in (
            ("matched", ("pk", "status", "region"), people),
            ("held", ("pk", "person_id"), held),
        ):
            if queryset is None:
                continue
            # Unordered: the models' default order would sort every row for nothing.
            query_sql, query_params = _compiled(queryset.order_by().values(*columns))
            names = ", ".join("id" if column == "pk" else column for column in columns)
            ctes.append(f"{name} ({names}) AS MATERIALIZED ({query_sql})")
            params += query_params
            self.db = queryset.db
        self.sql, self.params = f"WITH {', '.join(ctes)} {sql}", params

    def __iter__(self):
        with connections[self.db].cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return iter(cursor.fetchall())


def _compiled(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)
