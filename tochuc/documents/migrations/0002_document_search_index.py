"""The full-text index of the document search on PostgreSQL (selectors.text_condition):
a GIN index on to_tsvector('simple', search_text), the folded text, so that the search is
accent-insensitive without the unaccent extension. SQLite searches the same column with LIKE.
"""

from django.db import migrations

INDEX = "document_search_fts"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document USING gin "
        "(to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_document_registry")]

    operations = [migrations.RunPython(create, drop)]
