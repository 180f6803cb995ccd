"""Benchmark: the province's Party badges report (`awards/reports/badges.py`) on the demo
province, a year of four occasions, median of --runs runs, beside the raw SQL that bounds
it (the members of the province whose stored party-age anchor puts a milestone in the
year, and the year's badge cases): the whole computation, no rendering.

Runs against the configured database after `tochuc demo`; for a throw-away copy:

    DATABASE_URL=sqlite:////tmp/bench-badges.sqlite3 .venv/bin/tochuc migrate
    DATABASE_URL=sqlite:////tmp/bench-badges.sqlite3 .venv/bin/tochuc demo
    DATABASE_URL=sqlite:////tmp/bench-badges.sqlite3 .venv/bin/python bench/badges.py

Prints a Markdown table and the report's totals (the figures must not change with speed).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from tochuc.lib.dates import add_months  # noqa: E402
from tochuc.organizations.models import Organization  # noqa: E402
from tochuc.reports import periods, registry  # noqa: E402

RAW_MEMBERS = """
SELECT count(*) FROM members_member
WHERE (org_path = %s OR org_path LIKE %s) AND status IN ('probationary', 'full')
  AND party_age_anchor > %s AND party_age_anchor <= %s
"""
RAW_CASES = """
SELECT count(*) FROM awards_badgecase c JOIN members_member m ON m.id = c.member_id
WHERE (m.org_path = %s OR m.org_path LIKE %s) AND c.occasion BETWEEN %s AND %s
  AND c.stage <> 'withdrawn'
"""


def median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def raw(province, period) -> None:
    like = province.path + "%"
    with connection.cursor() as cursor:
        # The widest window of the year: 30 to 90 years before it (the milestones' span).
        cursor.execute(
            RAW_MEMBERS,
            [province.path, like, add_months(period.start, -12 * 90), add_months(period.end, -360)],
        )
        cursor.fetchall()
        cursor.execute(RAW_CASES, [province.path, like, period.start, period.end])
        cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", default="T20", help="the province (demo: T20, Lạng Sơn)")
    parser.add_argument("--years", default="2025,2026")
    args = parser.parse_args()
    province = Organization.objects.get(code=args.code)
    print(f"{connection.vendor}, {province.name}, median of {args.runs} runs")
    print("| năm | báo cáo (ms) | SQL thuần (ms) | tỉ lệ | đến hạn | đề nghị | quyết định | trao |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for year in [int(y) for y in args.years.split(",")]:
        period = periods.year(year)
        data = registry.build("badges", province, period)  # warm
        totals = data.table("badges").totals
        app = median_ms(lambda p=period: registry.build("badges", province, p), args.runs)
        sql = median_ms(lambda p=period: raw(province, p), args.runs)
        print(
            f"| {year} | {app:.0f} | {sql:.0f} | {app / sql:.1f}× | {totals['due']} | "
            f"{totals['proposed']} | {totals['decided']} | {totals['awarded']} |"
        )


if __name__ == "__main__":
    main()
