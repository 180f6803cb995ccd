"""The summary table is written 175,000 rows at a time by a national build: beside its key it
keeps the one index every read uses, (snapshot, organization) — each index more is written
with every row (docs/performance.md, 07/12/2026)."""

import pytest
from django.db import connection

from tochuc.statistics.models import ReportCount

pytestmark = pytest.mark.django_db


def test_the_summary_rows_have_one_index_beside_their_key():
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, ReportCount._meta.db_table)
    indexes = {
        tuple(about["columns"])
        for about in found.values()
        if about["index"] and not about["primary_key"]
    }
    assert indexes == {("snapshot_id", "organization_id")}
