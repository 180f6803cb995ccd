"""Benchmark: the refresh of one province's part of the movement summary
(`flows.rebuild({province})`, what the background `refresh_summary` does after an import),
in a transaction rolled back, with the time of each SQL statement (COPY: around
`insert_rows`). `--change N` first copies N of the province's admissions with raw SQL
(dated 40 days later), as an import would change its rows; `--check` (without a change)
compares the rows with those already in the table (a whole build's).

Against a copy of the national data set whose movement summary was built
(`flows.rebuild()`); side by side with another checkout (`TOCHUC_TREE`: the directory
whose `tochuc` package is measured):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5433/national_COPY
    TOCHUC_TREE=/work/main .venv/bin/python bench/flows_province.py --province 101840 --change 10000
    .venv/bin/python bench/flows_province.py --province 101840 --change 10000
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.environ.get("TOCHUC_TREE") or str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from tochuc.statistics import flows  # noqa: E402
from tochuc.statistics.models import FlowCount  # noqa: E402

COPY_ADMISSIONS = (
    'INSERT INTO members_memberevent (member_id, type, "on", decision_no, organization_id, '
    "other_party, detail, note, recorded_at) "
    'SELECT e.member_id, e.type, e."on" + 40, e.decision_no, e.organization_id, e.other_party, '
    "e.detail, e.note, now() FROM members_memberevent e JOIN organizations_organizationversion v "
    "ON v.organization_id = e.organization_id WHERE v.province_id = %s AND e.type = 'admitted' "
    "ORDER BY e.id LIMIT %s"
)


class Rollback(Exception):
    pass


def rows_of(province: int) -> list[tuple]:
    found = FlowCount.objects.filter(province_id=province)
    return sorted(found.values_list("holder", "month", "key", "n"))


def run(province: int, change: int, check: bool) -> None:
    statements: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - start, sql[:110]))

    insert_rows = flows.insert_rows

    def timed_insert(table, columns, rows):
        start = time.perf_counter()
        try:
            return insert_rows(table, columns, rows)
        finally:
            statements.append((time.perf_counter() - start, f"COPY {table}"))

    flows.insert_rows = timed_insert
    before = rows_of(province) if check else None
    try:
        with transaction.atomic():
            if change:
                with connection.cursor() as cursor:
                    cursor.execute(COPY_ADMISSIONS, [province, change])
            start = time.perf_counter()
            with connection.execute_wrapper(timed):
                written = flows.rebuild({province})
            total = time.perf_counter() - start
            if check:
                print("rows equal to the whole build's:", rows_of(province) == before)
            raise Rollback
    except Rollback:
        pass
    finally:
        flows.insert_rows = insert_rows
    sql = sum(s for s, _ in statements)
    print(f"province {province}: {written} rows, total {total:.2f} s, SQL {sql:.2f} s")
    for seconds, text in sorted(statements, reverse=True)[:8]:
        print(f"  {seconds:6.2f}  {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--province", type=int, required=True, help="the province's id")
    parser.add_argument("--change", type=int, default=0, metavar="N")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.runs):
        run(args.province, args.change, args.check and not args.change)


if __name__ == "__main__":
    main()
