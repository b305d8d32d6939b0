"""PostgreSQL: ``superseded_at`` kept once per statement, not once per row.

0027's trigger ran for each history row written: a window query and an
UPDATE per row. The importer COPYs about three history rows a spreadsheet
row, so a 50,000-row import ran 150,000 of them and its write took four
times as long. These triggers see the statement's rows as a transition
table and recompute the records they touch in one set-based UPDATE.

PostgreSQL allows transition tables only on one event a trigger and not
with a column list, so there are three triggers a table, and the UPDATE one
picks out the rows whose record or date moved: its own UPDATE of
superseded_at fires it again, finds none and stops there. SQLite keeps 0027's row
triggers (it has no statement triggers, and its files stay small).
"""

from django.db import migrations

TABLES = [
    "prisoners_historicalperson",
    "prisoners_historicaldetention",
    "prisoners_historicalrelease",
]

# The ids of the records whose rows the statement moved, by event.
MOVED = {
    "insert": ("INSERT", "NEW TABLE AS new_rows", "SELECT id FROM new_rows"),
    "delete": ("DELETE", "OLD TABLE AS old_rows", "SELECT id FROM old_rows"),
    "update": (
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT unnest(ARRAY[old_rows.id, new_rows.id]) FROM old_rows "
        "JOIN new_rows USING (history_id) "
        "WHERE old_rows.id IS DISTINCT FROM new_rows.id "
        "OR old_rows.history_date IS DISTINCT FROM new_rows.history_date",
    ),
}

STATEMENT = """
CREATE FUNCTION {table}_superseded_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A statement trigger fires even on no rows: the UPDATE below would
    -- fire its own trigger again and again.
    IF NOT EXISTS ({moved}) THEN
        RETURN NULL;
    END IF;
    UPDATE {table} SET superseded_at = later.until FROM (
        SELECT history_id, MIN(history_date) OVER (
            PARTITION BY id ORDER BY history_id
            ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS until
        FROM {table} WHERE id IN ({moved})
    ) AS later
    WHERE {table}.history_id = later.history_id
        AND {table}.superseded_at IS DISTINCT FROM later.until;
    RETURN NULL;
END $$;
CREATE TRIGGER {table}_superseded_{event} AFTER {on} ON {table}
    REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {table}_superseded_{event}();
"""
STATEMENT_DROP = """
DROP TRIGGER IF EXISTS {table}_superseded_{event} ON {table};
DROP FUNCTION IF EXISTS {table}_superseded_{event}();
"""


def row_triggers():
    """0027's module (its name starts with a digit: no import statement)."""
    from importlib import import_module

    return import_module("prisoners.migrations.0027_history_superseded")


def per_statement(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(row_triggers().POSTGRESQL_DROP.format(table=table))
        for event, (on, tables, moved) in MOVED.items():
            schema_editor.execute(
                STATEMENT.format(table=table, event=event, on=on, tables=tables, moved=moved)
            )


def per_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    old = row_triggers()
    for table in TABLES:
        for event in MOVED:
            schema_editor.execute(STATEMENT_DROP.format(table=table, event=event))
        later = old.LATER.format(table=table, where=old.ROW_CHANGED)
        schema_editor.execute(old.POSTGRESQL.format(table=table, later=later))


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0027_history_superseded"),
    ]

    operations = [migrations.RunPython(per_statement, per_row)]
