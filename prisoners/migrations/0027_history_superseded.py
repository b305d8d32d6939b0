"""When each history row of people, detentions and releases stopped being in
force (``superseded_at``: the earliest history_date of its record's later
rows), filled for the rows there are and kept by triggers from then on, so
that the list as of a day (as_of.py) and what changed (changes.py) read the
rows in force at a moment by a range instead of a GROUP BY over the history.

Triggers rather than code at each writer: rows are written by save()'s
signal, the importer's COPY, bulk_create (merges, the synthetic data) and
restores, and history_date is sometimes rewritten after the fact; a trigger
sees them all. Each recomputes the rows of the one record whose rows moved.
"""

from django.db import migrations, models

TABLES = [
    "prisoners_historicalperson",
    "prisoners_historicaldetention",
    "prisoners_historicalrelease",
]

# The earliest history_date of each row's later rows (by history_id) among
# the rows of the records chosen by {where}.
LATER = (
    "SELECT history_id, MIN(history_date) OVER ("
    "PARTITION BY id ORDER BY history_id "
    "ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS until "
    "FROM {table} WHERE {where}"
)
FILL = (
    "UPDATE {table} SET superseded_at = later.until FROM ({later}) AS later "
    "WHERE {table}.history_id = later.history_id AND later.until IS NOT NULL"
)

POSTGRESQL = """
CREATE FUNCTION {table}_superseded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {table} SET superseded_at = later.until FROM ({later}) AS later
    WHERE {table}.history_id = later.history_id
        AND {table}.superseded_at IS DISTINCT FROM later.until;
    RETURN NULL;
END $$;
CREATE TRIGGER {table}_superseded
    AFTER INSERT OR DELETE OR UPDATE OF id, history_date ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_superseded();
"""
# The changed record's rows (OLD and NEW: whichever the event has).
ROW_CHANGED = (
    "id IN (CASE WHEN TG_OP = 'INSERT' THEN NEW.id ELSE OLD.id END, "
    "CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)"
)
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS {table}_superseded ON {table};
DROP FUNCTION IF EXISTS {table}_superseded();
"""

# SQLite: one trigger per event (no OR), no function.
SQLITE = """
CREATE TRIGGER {table}_superseded_{event} AFTER {on} ON {table}
BEGIN
    UPDATE {table} SET superseded_at = (
        SELECT MIN(later.history_date) FROM {table} AS later
        WHERE later.id = {table}.id AND later.history_id > {table}.history_id
    ) WHERE {where};
END;
"""
SQLITE_EVENTS = {
    "insert": ("INSERT", "id = NEW.id"),
    "delete": ("DELETE", "id = OLD.id"),
    "update": ("UPDATE OF id, history_date", "id IN (OLD.id, NEW.id)"),
}


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        schema_editor.execute(
            FILL.format(table=table, later=LATER.format(table=table, where="TRUE"))
        )
        if vendor == "postgresql":
            later = LATER.format(table=table, where=ROW_CHANGED)
            schema_editor.execute(POSTGRESQL.format(table=table, later=later))
        elif vendor == "sqlite":
            for event, (on, where) in SQLITE_EVENTS.items():
                schema_editor.execute(SQLITE.format(table=table, event=event, on=on, where=where))
        else:
            raise NotImplementedError(f"superseded_at has no triggers for {vendor}")


def uninstall(apps, schema_editor):
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(POSTGRESQL_DROP.format(table=table))
        else:
            for event in SQLITE_EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_superseded_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0026_sanctions_target_text_removed"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicaldetention",
            name="superseded_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="superseded_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalrelease",
            name="superseded_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(install, uninstall),
        migrations.AddIndex(
            model_name="historicalperson",
            index=models.Index(
                fields=["history_date", "superseded_at", "history_type", "id", "visibility"],
                name="hperson_in_force",
            ),
        ),
        migrations.AddIndex(
            model_name="historicaldetention",
            index=models.Index(
                fields=["history_date", "superseded_at", "history_type", "id", "person_id"],
                name="hdetention_in_force",
            ),
        ),
        migrations.AddIndex(
            model_name="historicalrelease",
            index=models.Index(
                fields=["history_date", "superseded_at", "history_type", "id", "detention_id"],
                name="hrelease_in_force",
            ),
        ),
    ]
