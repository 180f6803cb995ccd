"""Benchmark: a cell merge that moves thousands of members, and its undo.

A scratch SQLite database (under a temporary TOCHUC_VAR_DIR), or the PostgreSQL database
of DATABASE_URL (use a scratch one: the script writes a test province), is migrated, then
for each run a new province gets two cells: the first with N members registered in bulk
(most admitted long ago, every twentieth after the merge date, so the merge refiles its
period instead of moving it, every fiftieth dead before it), the second empty. The first
is merged into the second (`organization_merge`: the members follow through the
organizations hooks), then the merge is cancelled as recorded by mistake
(`organization_event_cancel`: the members go back). Medians of the runs are printed.

    .venv/bin/python bench/merge_members.py [--members 3000] [--runs 3] [--tree PATH]

`--tree` times another checkout (say /work/main, the code before a change) with the same
script: its `tochuc` package is imported instead of this one's.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--members", type=int, default=3000)
parser.add_argument("--runs", type=int, default=3)
parser.add_argument("--tree", default=str(Path(__file__).resolve().parent.parent))
args = parser.parse_args()

sys.path.insert(0, args.tree)
os.chdir(args.tree)
if "DATABASE_URL" not in os.environ:
    os.environ["TOCHUC_VAR_DIR"] = tempfile.mkdtemp(prefix="tochuc-merge-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tochuc.core.corrections import Grounds  # noqa: E402
from tochuc.members.bulk import MemberRow, TimelineEvent, members_bulk_register  # noqa: E402
from tochuc.members.models import Affiliation  # noqa: E402
from tochuc.organizations.corrections import organization_event_cancel  # noqa: E402
from tochuc.organizations.models import Kind, OrganizationEvent  # noqa: E402
from tochuc.organizations.services import organization_merge  # noqa: E402
from tochuc.testing import found  # noqa: E402

FOUNDED = date(2000, 1, 1)
MERGED_ON = date(2026, 3, 1)
FAMILY = ["Nguyễn", "Hoàng", "Lương", "Vi", "Lăng", "Chu", "Mã", "Nông", "Triệu", "Hà"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Én", "Giáp", "Hạnh", "Khánh", "Lâm", "Minh"]


def rows(cell_id: int, n: int, prefix: int) -> list[MemberRow]:
    out = []
    for i in range(n):
        record = {
            "full_name": f"{FAMILY[i % 10]} Văn {GIVEN[(i // 10) % 10]} {i}",
            "gender": "male",
            "birth_date": date(1970 + i % 20, 1 + i % 12, 1 + i % 28),
            "ethnicity": "07",
            "citizen_id": f"0{prefix:02d}0{i:08d}",
        }
        if i % 20 == 0:
            out.append(MemberRow(cell_id, record, date(2026, 4, 1 + i % 28)))
            continue
        timeline = [TimelineEvent("died", date(2024, 5, 1))] if i % 50 == 1 else []
        admitted = date(2005 + i % 15, 3, 5)
        confirmed = admitted.replace(year=admitted.year + 1)
        out.append(MemberRow(cell_id, record, admitted, confirmed_on=confirmed, timeline=timeline))
    return out


def one_run(run: int) -> tuple[float, float, int]:
    province = found(f"B{run}", f"Đảng bộ tỉnh Thử {run}", Kind.PROVINCE, on=FOUNDED)
    commune = found(f"B{run}.X", "Đảng bộ xã Thiện Tân", Kind.COMMUNE, province, on=FOUNDED)
    source = found(f"B{run}.X.A", "Chi bộ thôn Nà Phái", Kind.BASE_CELL, commune, on=FOUNDED)
    into = found(f"B{run}.X.B", "Chi bộ thôn Khuổi Cằm", Kind.BASE_CELL, commune, on=FOUNDED)
    members_bulk_register(rows(source.pk, args.members, run))
    started = time.perf_counter()
    organization_merge(sources=[source], into=into, on=MERGED_ON)
    merged = time.perf_counter() - started
    moved = Affiliation.objects.filter(organization=into, valid_to__isnull=True).count()
    event = OrganizationEvent.objects.filter(parts__organization=source).latest("pk")
    started = time.perf_counter()
    organization_event_cancel(event=event, grounds=Grounds(reason="Ghi nhầm"))
    undone = time.perf_counter() - started
    back = Affiliation.objects.filter(organization=source, valid_to__isnull=True).count()
    return merged, undone, moved, back


def main() -> None:
    call_command("migrate", verbosity=0)
    merges, undos = [], []
    for run in range(1, args.runs + 1):
        merged, undone, moved, back = one_run(run)
        merges.append(merged)
        undos.append(undone)
        print(
            f"run {run}: {moved} members moved, merge {merged:.2f} s; "
            f"undo {undone:.2f} s, {back} back in the source"
        )
    print(f"\n| {connection.vendor} | members | merge (median) | undo (median) |")
    print("|---|---:|---:|---:|")
    print(f"| {args.tree} | {moved:,} | {statistics.median(merges):.2f} s "
          f"| {statistics.median(undos):.2f} s |")  # fmt: skip


main()
