"""The summary table's models now belong to the statistics app (statistics 0001 takes them
over with the same tables): dropped from the reports app's state only, no table changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_membership_from_the_decision"),
        ("statistics", "0001_counts_from_reports"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReportCount"),
                migrations.DeleteModel(name="CountPart"),
                migrations.DeleteModel(name="CountSnapshot"),
            ],
            database_operations=[],
        ),
    ]
