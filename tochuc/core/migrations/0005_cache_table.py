"""The cache table of a PostgreSQL deployment (settings.CACHES): one for every process and
machine, so that throttles and cached panels are shared. Does nothing where the cache is not
in the database (SQLite keeps it in files, tests in memory)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_submitted_form")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
