"""Write many rows into one table at once: COPY on PostgreSQL, one executemany on SQLite.

For the bulk paths (imports, the summary table) where `bulk_create` would build a
multi-row INSERT per thousand rows. The values are passed as the database takes them
(dates and times already adapted by the caller where the driver does not)."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from django.db import connection


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence], *, raw=None) -> None:
    """`raw`: a cursor of the PostgreSQL driver itself (psycopg) on the same connection,
    for a thread other than the connection's own (`members.bulk`: writing one batch while
    the next is built); its errors are Django's, as through Django's cursor."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    name = connection.ops.quote_name(table)
    if raw is not None:
        copying = f"COPY {name} ({quoted}) FROM STDIN"
        with connection.wrap_database_errors, raw.copy(copying) as copy:
            for values in rows:
                copy.write_row(values)
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            copying = f"COPY {name} ({quoted}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(copying) as copy:
                for values in rows:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {name} ({quoted}) VALUES ({marks})", list(rows))


class Table:
    """Plain multi-row inserts of dicts keyed by attname: executemany on SQLite, COPY on
    PostgreSQL; Django's bulk_create spends more time composing SQL than the database
    spends storing rows. Values are converted as the fields' get_db_prep_save would."""

    PLAIN = {"CharField", "TextField", "EmailField", "BooleanField", "ForeignKey",
             "BigAutoField", "AutoField", "BigIntegerField", "IntegerField",
             "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
             "PositiveBigIntegerField", "SmallAutoField"}  # fmt: skip

    def __init__(
        self, model, *, with_pk: bool, now, constants: dict | None = None, ready: tuple = ()
    ):
        """`constants`: values shared by every row (converted once); `ready`: attnames
        whose values the caller gives already converted."""
        self.model = model
        self.table = model._meta.db_table
        self.sequence = None
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        constants = dict(constants or {})
        for f in fields:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                constants.setdefault(f.attname, now)
        varying = [f for f in fields if f.attname not in constants]
        fixed = [f for f in fields if f.attname in constants]
        self.columns = [f.column for f in varying + fixed]
        self.defaults = {f.attname: f.get_default() for f in varying if not f.primary_key}
        self.pairs = [(f.attname, self.defaults.get(f.attname)) for f in varying]
        self._names = [name for name, _default in self.pairs]
        self._default_values = [default for _name, default in self.pairs]
        self.converted = [
            (index, convert)
            for index, f in enumerate(varying)
            if f.attname not in ready and (convert := self._converter(f)) is not None
        ]
        self.fixed = []
        for f in fixed:
            value, convert = constants[f.attname], self._converter(f)
            self.fixed.append(value if convert is None or value is None else convert(value))

    @classmethod
    def _converter(cls, f) -> Callable | None:
        internal = f.get_internal_type()
        if internal in cls.PLAIN:
            return None
        if internal == "DateField":
            return connection.ops.adapt_datefield_value
        if internal == "DateTimeField":
            return connection.ops.adapt_datetimefield_value
        return lambda value: f.get_db_prep_save(value, connection)

    def values(self, row: dict) -> list:
        values = list(map(row.get, self._names, self._default_values))  # faster than a loop
        for index, convert in self.converted:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        values += self.fixed
        return values

    def reserve(self, count: int, *, raw=None) -> list[int]:
        """Primary keys for `count` new rows (the write lock is held on SQLite); `raw`: as
        for `insert_rows`."""
        pk = self.model._meta.pk.column
        if raw is not None:
            with connection.wrap_database_errors:
                return self._next_values(raw, pk, count)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                return self._next_values(cursor, pk, count)
            cursor.execute(f'SELECT MAX("{pk}") FROM "{self.table}"')
            highest = cursor.fetchone()[0] or 0
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            found = cursor.fetchone()
            start = max(highest, found[0] if found else 0) + 1
            return list(range(start, start + count))

    def _next_values(self, cursor, pk: str, count: int) -> list[int]:
        if self.sequence is None:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [self.table, pk])
            self.sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [self.sequence, count]
        )
        return [value for (value,) in cursor.fetchall()]

    def insert(self, rows: list[dict], *, raw=None) -> None:
        if not rows:
            return
        insert_rows(self.table, self.columns, [self.values(row) for row in rows], raw=raw)


def _date(value: date | None) -> str | date | None:
    return connection.ops.adapt_datefield_value(value) if value is not None else None


def update_rows(table: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
    """UPDATE `table` SET columns … WHERE id = the last value of each row: through a
    temporary table filled by COPY on PostgreSQL (one statement), executemany on SQLite."""
    if not rows:
        return
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            dates = [i for i, (_c, kind) in enumerate(columns) if kind == "date"]
            converted = [
                tuple(_date(v) if i in dates else v for i, v in enumerate(row)) for row in rows
            ]
            assignments = ", ".join(f"{q(c)} = %s" for c, _kind in columns)
            cursor.executemany(f"UPDATE {q(table)} SET {assignments} WHERE id = %s", converted)
            return
        scratch = q(f"tochuc_update_{table}")
        definition = ", ".join(f"{q(c)} {kind}" for c, kind in columns)
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} ({definition}, id bigint PRIMARY KEY)")
        names = ", ".join([*(q(c) for c, _kind in columns), "id"])
        with (
            connection.wrap_database_errors,
            cursor.cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{q(c)} = s.{q(c)}" for c, _kind in columns)
        cursor.execute(
            f"UPDATE {q(table)} AS t SET {assignments} FROM {scratch} AS s WHERE t.id = s.id"
        )
        cursor.execute(f"DROP TABLE {scratch}")
