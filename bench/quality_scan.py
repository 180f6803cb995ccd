"""Bench: a full data-quality scan of the demo province (issue 24: under 60 s).

After `tochuc migrate` and `tochuc demo` in a throw-away TOCHUC_VAR_DIR:

    TOCHUC_VAR_DIR=/tmp/qdemo .venv/bin/python bench/quality_scan.py [--runs 3]

Each run scans the whole province (`quality.scan.scan_run`, as the background job does):
every record against the rules, every record compared for duplicates, problems and scores
stored. Prints each run and the median.
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    province = Organization.objects.get(code=langson.PROVINCE_CODE)
    records = Member.objects.filter(province=province).count()
    times = []
    for run in range(args.runs):
        scan = Scan.objects.create(
            organization=province, org_path=province.path, state=Scan.State.QUEUED,
            on=timezone.localdate(),
        )  # fmt: skip
        started = time.perf_counter()
        scan_run(scan)
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        print(
            f"run {run + 1}: {elapsed:.1f} s — {records:,} records, {scan.records:,} active, "
            f"{scan.problems:,} with problems, {scan.pairs:,} open pairs"
        )
    print(f"median of {len(times)}: {statistics.median(times):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
