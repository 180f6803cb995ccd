"""Benchmark: the summary table's freshness and rebuilds, beside the raw SQL, in one run.

On the database of DATABASE_URL (the national data set, bench/national, or a demo), for the
date given (default: today):

- the whole-nation rebuild through the command users run (`tochuc report_counts --date D`,
  which sets its own session settings) beside the raw one-pass statement (affiliations joined
  with members, grouped by organization and every dimension, into a temporary table);
- the freshness check of a page (`counts.stale_provinces`: one grouped read of the changes);
- a raw SQL change of the counted rows of one province (an UPDATE of members' gender, as a
  fix made in the database), then `counts.refresh()`: the parts rebuilt, and the seconds;
- raw SQL DELETE of members with their rows (as bench/national cleans up), the refresh, and
  the summary against the live count (must be equal).

Writes are undone at the end (the deleted rows are put back from temporary copies).

    DATABASE_URL=postgres://…/national_fresh .venv/bin/python bench/freshness.py [--date D]
        [--delete 2000]
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def seconds(func, runs: int = 1) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _band_sql(on: date, bands) -> tuple[str, list]:
    from tochuc.lib.dates import add_months

    sql, params = "CASE", []
    for band in bands:
        conditions = []
        if band.low is not None:
            conditions.append("m.birth_date <= %s")
            params.append(add_months(on, -12 * band.low))
        if band.high is not None:
            conditions.append("m.birth_date > %s")
            params.append(add_months(on, -12 * (band.high + 1)))
        sql += f" WHEN {' AND '.join(conditions) or 'TRUE'} THEN %s"
        params.append(band.key)
    return sql + " ELSE '' END", params


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--date", help="yyyy-mm-dd (default: today)")
    parser.add_argument("--delete", type=int, default=2000, help="members deleted with raw SQL")
    parser.add_argument("--raw-runs", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tochuc.statistics import counts, live
    from tochuc.statistics.bands import AGE_BANDS
    from tochuc.statistics.models import CountSnapshot

    on = date.fromisoformat(args.date) if args.date else timezone.localdate()
    rows = []

    def add(label, app_s, raw_s=None):
        ratio = f"{app_s / raw_s:.2f}×" if raw_s else "—"
        raw_text = f"{raw_s:.2f}" if raw_s is not None else "—"
        rows.append(f"| {label} | {app_s:.2f} | {raw_text} | {ratio} |")
        print(rows[-1], file=sys.stderr, flush=True)

    def execute(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else None

    # The raw one-pass statement of bench/national (status, gender, age band, the profile
    # fields per organization), with the engine's own age bands.
    band, band_params = _band_sql(on, AGE_BANDS)
    raw_sql = (
        "CREATE TEMP TABLE bench_summary AS SELECT a.organization_id, m.confirmed_on <= %s "
        f"AS full, m.gender, {band} AS band, m.ethnicity, m.religion, m.general_education, "
        "m.qualification, m.political_theory, count(*) AS n FROM members_affiliation a "
        "JOIN members_member m ON m.id = a.member_id WHERE a.kind = 'official' AND "
        "a.valid_from <= %s AND (a.valid_to IS NULL OR a.valid_to > %s) "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
    )

    def raw_pass():
        execute("DROP TABLE IF EXISTS bench_summary")
        execute(raw_sql, [on, *band_params, on, on])

    members = execute("SELECT count(*) FROM members_member")[0][0]
    raw_s = seconds(raw_pass, args.raw_runs)
    execute("DROP TABLE IF EXISTS bench_summary")
    command_s = seconds(
        lambda: call_command("report_counts", "--date", f"{on:%d/%m/%Y}", stdout=sys.stderr)
    )
    add(f"dựng lại toàn quốc: `tochuc report_counts --date` ({members:,} hồ sơ)", command_s, raw_s)
    snapshot = CountSnapshot.objects.get(on=on)
    check_ms = seconds(lambda: counts.stale_provinces(snapshot), 20) * 1000
    print(f"freshness check: {check_ms:.1f} ms", file=sys.stderr)

    province, size = execute(
        "SELECT province_id, count(*) FROM members_member WHERE status IN ('full', "
        "'probationary') GROUP BY 1 ORDER BY 2 LIMIT 1"
    )[0]
    sample = [
        r[0]
        for r in execute(
            "SELECT id FROM members_member WHERE province_id = %s AND status IN ('full', "
            "'probationary') ORDER BY id LIMIT %s",
            [province, args.delete],
        )
    ]
    marks = ", ".join(["%s"] * len(sample))
    # 1. A fix in the database: swap the gender of some members of one province.
    execute(
        "UPDATE members_member SET gender = CASE gender WHEN 'male' THEN 'female' ELSE 'male' "
        f"END WHERE id IN ({marks})",
        sample,
    )
    stale = counts.stale_provinces(snapshot)
    started = time.perf_counter()
    done = counts.refresh()
    refresh_s = time.perf_counter() - started
    add(
        f"UPDATE thô {len(sample):,} hồ sơ của 1 tỉnh ({size:,} đảng viên) → "
        f"{len(stale)} tỉnh cũ; `refresh` tính lại {done}",
        refresh_s,
        raw_s,
    )
    execute(
        "UPDATE members_member SET gender = CASE gender WHEN 'male' THEN 'female' ELSE 'male' "
        f"END WHERE id IN ({marks})",
        sample,
    )
    counts.refresh()
    # 2. Members deleted with raw SQL, as bench/national cleans up its import.
    tables = (("members_affiliation", "member_id"), ("members_memberevent", "member_id"),
              ("members_historicalmember", "id"), ("members_member", "id"))  # fmt: skip
    for table, column in tables:
        execute(f"CREATE TEMP TABLE keep_{table} AS SELECT * FROM {table} "
                f"WHERE {column} IN ({marks})", sample)  # fmt: skip
    deleted = 0
    for table, column in tables:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", sample)
            deleted += cursor.rowcount
    started = time.perf_counter()
    done = counts.refresh()
    refresh_s = time.perf_counter() - started
    served = counts.snapshot_counts(None, on)
    live_total = sum(live.member_profile(None, on, AGE_BANDS)["status"].values())
    served_total = sum(served["status"].values()) if served else None
    add(
        f"DELETE thô {len(sample):,} đảng viên ({deleted:,} dòng) → `refresh` {done}; "
        f"bảng tổng hợp {served_total:,} = đếm trực tiếp {live_total:,}",
        refresh_s,
        raw_s,
    )
    for table, _column in reversed(tables):
        execute(f"INSERT INTO {table} SELECT * FROM keep_{table}")
    counts.refresh()
    print(f"{os.cpu_count()} nhân; {platform.machine()}; {connection.vendor}; ngày {on}; "
          f"tải {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"kiểm tra độ mới (`stale_provinces`): {check_ms:.1f} ms (trung vị 20 lần)")
    print()
    print("| việc | ứng dụng (s) | SQL thuần một lượt (s) | tỉ lệ |")
    print("|---|---:|---:|---:|")
    print("\n".join(rows))
    if served_total != live_total:
        sys.exit("the summary is not exact after raw deletes")


if __name__ == "__main__":
    main()
