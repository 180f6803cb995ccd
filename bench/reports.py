"""Benchmark: the statistical reports on the demo province, against the raw SQL count.

Runs against the configured database after `tochuc demo`; for a throw-away copy:

    DATABASE_URL=sqlite:////tmp/bench-reports.sqlite3 .venv/bin/tochuc migrate
    DATABASE_URL=sqlite:////tmp/bench-reports.sqlite3 .venv/bin/tochuc demo
    DATABASE_URL=sqlite:////tmp/bench-reports.sqlite3 .venv/bin/python bench/reports.py

Each report (the whole computation: every grouped query of the dataset, no rendering) is
timed side by side, in the same run, with the two raw SQL counts that bound it: members of
the province today by the indexed `province_id` (the physical floor of any member count)
and members at a date through affiliations and organization versions (what a point-in-time
count must read); then the first three again from the summary table (`tochuc
report_counts`), with the time of one rebuild. Medians of --runs runs; a Markdown table.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.db import connection  # noqa: E402

from tochuc.organizations.models import Organization  # noqa: E402
from tochuc.organizations.selectors import version_of  # noqa: E402
from tochuc.reports import periods, renderers  # noqa: E402
from tochuc.reports.numbers import vn_int  # noqa: E402
from tochuc.statistics import counts, sources  # noqa: E402
from tochuc.statistics.models import CountSnapshot  # noqa: E402
from tochuc.statistics.reports import membership as membership_report  # noqa: E402
from tochuc.statistics.reports import movement as movement_report  # noqa: E402
from tochuc.statistics.reports import movement_by_child as movement_by_child_report  # noqa: E402
from tochuc.statistics.reports import summary as summary_report  # noqa: E402

RAW_TODAY = """
SELECT count(*) FROM members_member
WHERE province_id = %s AND status IN ('probationary', 'full')
"""
RAW_AT_DATE = """
SELECT count(*) FROM members_affiliation a
WHERE a.kind = 'official' AND a.valid_from <= %s AND (a.valid_to IS NULL OR a.valid_to > %s)
  AND a.organization_id IN (
    SELECT organization_id FROM organizations_organizationversion
    WHERE {path} AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s))
"""


def at_date_sql() -> str:
    """Subtree by path prefix: LIKE on PostgreSQL (pattern index), a range on SQLite."""
    if connection.vendor == "sqlite":
        return RAW_AT_DATE.format(path="path >= %s AND path < %s")
    return RAW_AT_DATE.format(path="path LIKE %s")


def median_ms(func, runs: int) -> float:
    func()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def raw(sql: str, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--province", default="T20", help="mã tỉnh (mặc định: Lạng Sơn)")
    args = parser.parse_args()
    province = Organization.objects.filter(code=args.province).first()
    if province is None:
        sys.exit("No organizations: run `tochuc demo` first.")
    today = date.today()
    last_year = today.year - 1
    at_today = periods.at(today)
    at_year_end = periods.at(date(last_year, 12, 31))
    year = periods.year(last_year)

    def at_date_params(on):
        path = version_of(organization=province, on=on).path
        if connection.vendor == "sqlite":
            return (on, on, path, path + "~", on, on)
        return (on, on, path + "%", on, on)

    raw_today = median_ms(lambda: raw(RAW_TODAY, (province.pk,)), args.runs)
    raw_year_end = median_ms(lambda: raw(at_date_sql(), at_date_params(at_year_end.on)), args.runs)
    members_today = raw(RAW_TODAY, (province.pk,))
    members_year_end = raw(at_date_sql(), at_date_params(at_year_end.on))
    assert sources.member_total(province, today) == raw(at_date_sql(), at_date_params(today))
    assert sources.member_total(province, at_year_end.on) == members_year_end

    cases = [
        ("số đảng viên tại 31/12 (nguồn báo cáo)",
         lambda: sources.member_total(province, at_year_end.on), raw_year_end),
        ("1. tổ chức và đảng viên hôm nay (11 bảng)",
         lambda: membership_report.membership(province, at_today), raw_today),
        (f"1. tổ chức và đảng viên tại 31/12/{last_year}",
         lambda: membership_report.membership(province, at_year_end), raw_year_end),
        (f"2. biến động năm {last_year}",
         lambda: movement_report.movement(province, year), raw_year_end),
        (f"3. biến động năm {last_year} theo tổ chức trực thuộc",
         lambda: movement_by_child_report.movement_by_child(province, year), raw_year_end),
        (f"4. tóm tắt năm {last_year} (gồm 1 và 2)",
         lambda: summary_report.summary(province, year), raw_year_end),
        ("1. hôm nay, xuất XLSX",
         lambda: renderers.render(membership_report.membership(province, at_today), "xlsx"),
         raw_today),
    ]  # fmt: skip
    CountSnapshot.objects.all().delete()  # live first
    rows = [(label, median_ms(func, args.runs), raw_ms) for label, func, raw_ms in cases]

    # The same from the summary table (tochuc report_counts), after one rebuild per date.
    start = time.perf_counter()
    counts.rebuild(at_year_end.on)
    rebuild_ms = (time.perf_counter() - start) * 1000
    counts.rebuild(today)
    rows.append((f"tính lại bảng tổng hợp tại 31/12/{last_year} (một lần)", rebuild_ms,
                 raw_year_end))  # fmt: skip
    for label, func, raw_ms in cases[:3]:
        rows.append((f"{label}, từ bảng tổng hợp", median_ms(func, args.runs), raw_ms))
    CountSnapshot.objects.all().delete()

    print(
        f"\n{province.name}: {vn_int(members_today)} đảng viên hôm nay, "
        f"{vn_int(members_year_end)} tại 31/12/{last_year}"
    )
    print(f"{connection.vendor} · Python {platform.python_version()} · trung vị {args.runs} lần\n")
    print("| việc | ứng dụng (ms) | SQL thô (ms) | tỷ lệ |")
    print("|---|---:|---:|---:|")
    for label, app_ms, raw_ms in rows:
        print(f"| {label} | {app_ms:.1f} | {raw_ms:.1f} | {app_ms / raw_ms:.1f}× |")
    print(
        f"\nSQL thô: đếm hôm nay theo province_id = {raw_today:.1f} ms; đếm tại một ngày qua "
        f"nơi sinh hoạt và phiên bản tổ chức = {raw_year_end:.1f} ms."
    )


if __name__ == "__main__":
    main()
