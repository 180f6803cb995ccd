"""Bench: a full data-quality scan of the demo province (issue 24: under 60 s).

After `tochuc migrate` and `tochuc demo` in a throw-away TOCHUC_VAR_DIR:

    TOCHUC_VAR_DIR=/tmp/qdemo .venv/bin/python bench/quality_scan.py [--runs 3]

Each run scans the whole province (`quality.scan.scan_run`, as the background job does):
every record against the rules, every record compared for duplicates, problems and scores
stored. Prints each run and the median.

On a PostgreSQL database of `bench.national` (`DATABASE_URL=…`), `--national` scans each
province in turn (34 scans, as the background jobs would run them one after another) and
prints the total, the records per second and the largest province's time:

    DATABASE_URL=postgres://…/national .venv/bin/python bench/quality_scan.py --national --runs 1

`--only T79,T01` scans just these provinces (a measured part of the nation).
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

from django.utils import timezone  # noqa: E402

from tochuc.demo.builders import langson  # noqa: E402
from tochuc.members.models import Member  # noqa: E402
from tochuc.organizations.models import Organization  # noqa: E402
from tochuc.quality.models import Scan  # noqa: E402
from tochuc.quality.scan import scan_run  # noqa: E402


def _scan(organization) -> tuple[float, Scan]:
    scan = Scan.objects.create(
        organization=organization, org_path=organization.path, state=Scan.State.QUEUED,
        on=timezone.localdate(),
    )  # fmt: skip
    started = time.perf_counter()
    scan_run(scan)
    return time.perf_counter() - started, scan


def national(runs: int, only: str = "") -> int:
    roots = Organization.objects.filter(parent__isnull=True).order_by("code")
    if only:
        roots = roots.filter(code__in=only.split(","))
    roots = list(roots)
    total = Member.objects.count()
    print(f"{total:,} records in the database; scanning {len(roots)} provinces")
    totals = []
    for run in range(runs):
        elapsed, records, problems, pairs, largest = 0.0, 0, 0, 0, (0.0, 0, "")
        for root in roots:
            seconds, scan = _scan(root)
            elapsed += seconds
            records += scan.records
            problems += scan.problems
            pairs += scan.pairs
            largest = max(largest, (seconds, scan.records, root.code))
            print(f"  {root.code}: {scan.records:,} active records in {seconds:.1f} s "
                  f"(so far {records:,} in {elapsed:.1f} s)", flush=True)  # fmt: skip
        totals.append(elapsed)
        print(
            f"run {run + 1}: {elapsed:.1f} s for {len(roots)} provinces — {records:,} active "
            f"records ({records / elapsed:,.0f}/s), {problems:,} with problems, {pairs:,} open "
            f"pairs; largest {largest[2]}: {largest[1]:,} records in {largest[0]:.1f} s"
        )
    print(f"median of {len(totals)}: {statistics.median(totals):.1f} s")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--only", default="", help="--national: these provinces (T01,T79)")
    args = parser.parse_args()
    if args.national:
        return national(args.runs, args.only)
    province = Organization.objects.get(code=langson.PROVINCE_CODE)
    records = Member.objects.filter(province=province).count()
    times = []
    for run in range(args.runs):
        elapsed, scan = _scan(province)
        times.append(elapsed)
        print(
            f"run {run + 1}: {elapsed:.1f} s — {records:,} records, {scan.records:,} active, "
            f"{scan.problems:,} with problems, {scan.pairs:,} open pairs"
        )
    print(f"median of {len(times)}: {statistics.median(times):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
