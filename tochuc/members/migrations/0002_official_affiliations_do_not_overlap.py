"""On PostgreSQL, official affiliations of one member never overlap: an exclusion
constraint over date ranges (btree_gist). SQLite has no such constraint; the services
close the open affiliation before opening another, and a partial unique index keeps at
most one open."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE members_affiliation ADD CONSTRAINT affiliation_official_no_overlap
  EXCLUDE USING gist (member_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&)
  WHERE (kind = 'official');
"""
DROP = "ALTER TABLE members_affiliation DROP CONSTRAINT IF EXISTS affiliation_official_no_overlap;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("members", "0001_member_registry")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
