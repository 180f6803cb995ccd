"""Drop the single-column indexes of five foreign keys that a composite index already leads
with (fewer indexes to maintain on every write; the bulk import writes ~300,000 rows).

By name, not by AlterField: on PostgreSQL, AlterField(db_index=False) drops *every* index on
the column alone — the partial unique index affiliation_one_open_official included.
"""

import django.db.models.deletion
from django.db import migrations, models

DROPPED = [  # (index, table, column): Django's names for the foreign keys' indexes
    ("members_member_organization_id_4832e3e5", "members_member", "organization_id"),
    ("members_member_province_id_bdc59f3f", "members_member", "province_id"),
    ("members_memberevent_member_id_0cf90450", "members_memberevent", "member_id"),
    ("members_affiliation_member_id_03796ae2", "members_affiliation", "member_id"),
    ("members_affiliation_organization_id_d362b64e", "members_affiliation", "organization_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_transfers_letters_and_working_away"),
        ("organizations", "0001_organization_tree"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    reverse_sql=f'CREATE INDEX "{index}" ON "{table}" ("{column}")',
                )
                for index, table, column in DROPPED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="affiliation",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="affiliations",
                        to="members.member",
                    ),
                ),
                migrations.AlterField(
                    model_name="affiliation",
                    name="organization",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="affiliations",
                        to="organizations.organization",
                    ),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="organization",
                    field=models.ForeignKey(
                        db_index=False,
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="members",
                        to="organizations.organization",
                    ),
                ),
                migrations.AlterField(
                    model_name="member",
                    name="province",
                    field=models.ForeignKey(
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organizations.organization",
                    ),
                ),
                migrations.AlterField(
                    model_name="memberevent",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="members.member",
                    ),
                ),
            ],
        )
    ]
