"""Materialized paths ("12/345/6789/"): a subtree is every path that starts with a prefix.

PostgreSQL answers `LIKE 'prefix%'` from a varchar_pattern_ops index. SQLite's LIKE is
case-insensitive and cannot use an index, so there the same set is asked as a range
(paths hold only digits and "/", all below "~"), which its binary index answers.
"""

from django.db import connection
from django.db.models import Q


def under(field: str, prefix: str) -> Q:
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "~"})
    return Q(**{f"{field}__startswith": prefix})
