"""A read that every request makes, compiled once: the same queryset but for a few values.

Django builds and compiles a queryset on each evaluation: for a small read by key on every
page (the signed-in user with their grants, the session) that is 0.5–1 ms of CPU, several
times the query itself. `Prepared` builds the queryset once with a sample value for each
parameter, compiles it once per database connection, finds where each sample went in the
SQL's parameters, and then runs that SQL with the call's values, the rows converted as
Django's `values_list` converts them (its compiler's converters: SQLite's dates and times).
On PostgreSQL the SQL is moreover a prepared statement of each database session (`PREPARE`
once, then `EXECUTE name(values)`): the server plans it once instead of at every request
(planning the user's grants: ~0.3 ms, three times its execution). A prepared statement
outlives transactions and is dropped with its session; a pooler that shares sessions
between clients (PgBouncer in transaction mode) would need its own handling.

The queryset is still written with the ORM where its rules live (`Grant.objects.active_on`):
nothing of it is copied here. Each sample must be a value that the query takes as it is
(`field=value`, `field__gt=value`) and that appears nowhere else in it: an int, a string, a
date or an aware datetime (dates and times go to the database as the backend adapts them:
SQLite's text). An int sample stays within 32 bits (Django drops a comparison out of an
integer column's range). A string sample may also be taken into a pattern (`__startswith`,
`__contains`): the call's value then goes in its place escaped as the ORM escapes it for
LIKE; such a sample is a word no query holds otherwise ("qzxaq"), and that `fold`, `lower`
and the like leave as it is.

`plan_each=True`: never a prepared statement; the database plans the SQL at each call. For a
read whose best plan depends on the values (a name search: a common name walks the sorted
index, a rare one the trigram index), which a plan made once for all values would not fit.
"""

import itertools
import re
import weakref
from collections.abc import Callable
from datetime import date, datetime
from threading import local

from django.db import connections
from django.db.models import QuerySet

_NAMES = itertools.count(1)
_PLACEHOLDERS = re.compile(r"%[s%]")


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], *, plan_each: bool = False, **samples):
        """`build(**values)`: the read as a `values_list` queryset; `samples`: one value per
        parameter of `build`, of the parameter's type, used only to compile it."""
        self.build = build
        self.plan_each = plan_each
        self.samples = samples
        self._compiled = local()  # per thread: a connection belongs to its thread
        self.statement = f"tochuc_prepared_{next(_NAMES)}"
        self._prepared_in = weakref.WeakSet()  # the PostgreSQL sessions (driver connections)

    def _compile(self, using: str):
        connection = connections[using]
        compiler = self.build(**self.samples).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = []
        for name, sample in self.samples.items():
            adapt = _adapter(connection, sample)
            sent = adapt(sample)
            kept = [(i, adapt) for i, p in enumerate(params) if type(p) is type(sent) and p == sent]
            if isinstance(sample, str):  # in a LIKE pattern
                kept += [
                    (i, _in_pattern(connection, p, sample))
                    for i, p in enumerate(params)
                    if isinstance(p, str) and p != sample and sample in p
                ]
            if not kept:
                raise ValueError(f"{name}: its sample is not a parameter of the compiled query")
            slots += [(i, name, adapt) for i, adapt in kept]
        prepare = execute = None
        if connection.vendor == "postgresql" and not self.plan_each:
            numbers = itertools.count(1)
            body = _PLACEHOLDERS.sub(lambda m: "%" if m[0] == "%%" else f"${next(numbers)}", sql)
            prepare = f"PREPARE {self.statement} AS {body}"
            execute = f"EXECUTE {self.statement}({', '.join(['%s'] * len(params))})"
        compiled = (connection, compiler, sql, params, slots, prepare, execute)
        setattr(self._compiled, using, compiled)
        return compiled

    def rows(self, using: str = "default", **values) -> list[tuple]:
        compiled = getattr(self._compiled, using, None)
        if compiled is None or compiled[0] is not connections[using]:
            compiled = self._compile(using)
        connection, compiler, sql, template, slots, prepare, execute = compiled
        params = list(template)
        for index, name, adapt in slots:
            params[index] = adapt(values[name])
        with connection.cursor() as cursor:
            if execute is None:
                cursor.execute(sql, params)
            else:
                session = connection.connection
                if session not in self._prepared_in:
                    cursor.execute(prepare)
                    self._prepared_in.add(session)
                cursor.execute(execute, params)
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))

    def ran(self, sql: str) -> bool:
        """Whether `sql` (as a test captures it) is this read: its SQL, or the execution of
        its prepared statement."""
        compiled = getattr(self._compiled, "default", None)
        return sql.startswith(f"EXECUTE {self.statement}(") or (
            compiled is not None and sql.startswith(compiled[2].split("%s")[0])
        )


def _adapter(connection, sample) -> Callable:
    """How the backend passes a value of the sample's type (as the ORM's lookups do)."""
    if isinstance(sample, datetime):
        return connection.ops.adapt_datetimefield_value
    if isinstance(sample, date):
        return connection.ops.adapt_datefield_value
    return _as_is


def _as_is(value):
    return value


def _in_pattern(connection, pattern: str, sample: str) -> Callable:
    """The pattern with the call's value in the sample's place, escaped for LIKE."""
    if pattern.count(sample) != 1:
        raise ValueError(f"{sample!r} is more than once in the pattern {pattern!r}")
    before, after = pattern.split(sample)
    escape = connection.ops.prep_for_like_query
    return lambda value: f"{before}{escape(value)}{after}"
