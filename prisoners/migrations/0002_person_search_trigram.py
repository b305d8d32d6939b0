"""pg_trgm and a trigram index on Person.search_text, on PostgreSQL only.

PersonQuerySet.search() filters with ``search_text LIKE '%word%'`` and, on
PostgreSQL, ``search_text %> 'word'`` (trigram word similarity, for small
misspellings); the GIN index person_search_trgm serves both. SQLite has
neither the extension nor the operator class, so there this migration does
nothing (the contains match needs no index to be correct).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "person_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("prisoners", "Person")._meta.db_table)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0001_initial")]

    operations = [
        # CreateExtension itself does nothing on other databases.
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
