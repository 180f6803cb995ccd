"""Write many rows into one table at once: COPY on PostgreSQL, one executemany on SQLite.

For the bulk paths (imports, the summary table) where `bulk_create` would build a
multi-row INSERT per thousand rows. The values are passed as the database takes them
(dates and times already adapted by the caller where the driver does not)."""

from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copying = f"COPY {name} ({quoted}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(copying) as copy:
                for values in rows:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({marks})", list(rows))
