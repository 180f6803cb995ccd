"""Check: does the movement report balance for every node of the demo province?

Runs against the configured database after `tochuc demo`; for a throw-away copy:

    TOCHUC_VAR_DIR=/tmp/demo-balance .venv/bin/tochuc migrate
    TOCHUC_VAR_DIR=/tmp/demo-balance .venv/bin/tochuc demo
    TOCHUC_VAR_DIR=/tmp/demo-balance .venv/bin/python bench/demo_balance.py

For every organization that was ever a parent in the province and every year and quarter
from 2021 to this year, the report by child organization is computed and every child row
whose start + in − out differs from its end is printed, with the members that the
drill-down names and their timelines. Exit status 1 when any row is off.
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")

import django  # noqa: E402

django.setup()

from tochuc.demo.builders import langson  # noqa: E402
from tochuc.lib import paths  # noqa: E402
from tochuc.members.models import MemberEvent  # noqa: E402
from tochuc.organizations.models import Organization, OrganizationVersion  # noqa: E402
from tochuc.reports import periods  # noqa: E402
from tochuc.statistics import sources  # noqa: E402
from tochuc.statistics.reports import movement as movement_report  # noqa: E402


def main() -> int:
    started = time.perf_counter()
    province = Organization.objects.get(code=langson.PROVINCE_CODE)
    parents = set(
        OrganizationVersion.objects.filter(paths.under("path", province.path))
        .exclude(parent=None)
        .values_list("parent_id", flat=True)
    )
    all_periods = []
    for year in range(2021, date.today().year + 1):
        all_periods.append(periods.year(year))
        all_periods.extend(periods.quarter(year, q) for q in range(1, 5))
    rows = off = 0
    for period in all_periods:
        for parent in Organization.objects.filter(pk__in=parents).order_by("code"):
            span = sources.Span(parent, period.before, period.end)
            counts = sources.movement(span, period.start, period.end, by_child=True)
            named = None
            for child_id, count in counts.items():
                rows += 1
                difference = count["end"] - movement_report.expected_end(count)
                if not difference:
                    continue
                off += 1
                print(f"{period.label()}: {parent.code} / {child_id}: {dict(count)} → {difference}")
                if named is None:
                    named = sources.unbalanced_members(
                        span, period.start, period.end, by_child=True
                    )
                for unbalanced in (u for u in named if u.bucket == child_id):
                    print(f"    member {unbalanced.member_id}: {unbalanced}")
                    events = MemberEvent.objects.filter(member_id=unbalanced.member_id)
                    for event in events.order_by("on", "pk"):
                        print(f"        {event.on} {event.type} {event.organization_id}")
    elapsed = time.perf_counter() - started
    print(f"{rows} child rows, {off} off ({len(parents)} parents × {len(all_periods)} periods)"
          f" in {elapsed:.0f} s")  # fmt: skip
    return 1 if off else 0


if __name__ == "__main__":
    sys.exit(main())
