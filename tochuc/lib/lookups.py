"""Looking rows up by many values at once: `field__any=values`, and how many values a query
may carry (`value_chunks`).

Django's `__in` sends one parameter per value, each converted by Django and by psycopg:
for the tens of thousands of citizen IDs, phones and birth dates of an imported file that
conversion, not the database, was most of the look-up (issue 26). On PostgreSQL `__any`
sends the values as one array parameter (`= ANY(%s)`, which the planner treats as `IN` and
answers from the same index); elsewhere it is `__in`, and `value_chunks` keeps each query
under SQLite's limit of bound parameters.
"""

from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import Field
from django.db.models.lookups import In

# Values per query where each value is a bound parameter (SQLite, and `__in`).
PARAMETER_CHUNK = 500
# Values per array parameter on PostgreSQL: one query for a whole file, bounded.
ARRAY_CHUNK = 50_000


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def get_prep_lookup(self):
        # On PostgreSQL each value is prepared once, by `as_postgresql` (`In` would prepare
        # it here and again there: for a file's 300,000 values, a second of the check).
        if connection.vendor == "postgresql" and isinstance(self.rhs, (list, tuple)):
            return self.rhs
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(v, connection, prepared=False) for v in self.rhs]
        values = [v for v in values if v is not None]
        if not values:
            return "FALSE", []
        cast = field.cast_db_type(connection)
        return f"{lhs} = ANY(%s::{cast}[])", (*lhs_params, values)


def value_chunks(values: Iterable) -> Iterator[list]:
    """`values` sorted, in lists small enough for one `__any` look-up each."""
    values = sorted(values)
    size = ARRAY_CHUNK if connection.vendor == "postgresql" else PARAMETER_CHUNK
    for start in range(0, len(values), size):
        yield values[start : start + size]
