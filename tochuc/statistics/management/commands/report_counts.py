"""tochuc report_counts [--date D ...] [--year-ends N] [--prune] [--flows] | --stale

Rebuild the reports' summary table (tochuc/statistics/counts.py): by default for today and
the last N year-ends (31/12, the statistical date of forms 1-TCTW…4-TCTW). Run it nightly
(cron or a systemd timer). `--stale` rebuilds only the provinces written to since their
part was built, in every snapshot (seconds: run it every few minutes). A province's part
is used by the reports only while none of the rows it counts has changed since it was built
(the database records every change: tochuc/statistics/counts.py).

The movement summary (tochuc/statistics/flows.py: every month, not one date) is brought
up to date after it: only the provinces whose rows changed since their part was built (and
the parts built in an earlier year), as `--stale` does; the whole of it when it has no part
yet, or with `--flows` (after a restore, or to check). Each build sets the PostgreSQL
session settings it needs (`database.BUILD_SESSION`: work_mem…) for its own transaction.

Then it queues the computing ahead of the provinces' home-page panels from the new summary
(tochuc/core/tasks.py: the worker does it, the command does not wait).
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tochuc.core.tasks import warm_home_panels
from tochuc.lib.dates import QUERY_FIRST, parse_command_date
from tochuc.statistics import counts, flows
from tochuc.statistics.models import CountSnapshot, FlowPart


class Command(BaseCommand):
    help = "Tính lại bảng tổng hợp số liệu cho báo cáo thống kê (chạy hằng đêm, sau khi nhập)."

    def add_arguments(self, parser):
        parser.add_argument("--date", action="append", default=[], help="ngày dd/mm/yyyy")
        parser.add_argument("--year-ends", type=int, default=6, help="số ngày 31/12 gần nhất")
        parser.add_argument("--prune", action="store_true", help="xóa các ngày không tính lại")
        parser.add_argument(
            "--stale", action="store_true", help="chỉ tính lại các tỉnh có thay đổi từ lần trước"
        )
        parser.add_argument(
            "--flows",
            action="store_true",
            dest="all_flows",
            help="dựng lại toàn bộ bảng biến động theo tháng (mặc định: chỉ các tỉnh có thay đổi)",
        )

    def handle(self, *args, date, year_ends, prune, stale, all_flows, **options):
        if stale and all_flows:
            raise CommandError("--flows không dùng cùng --stale.")
        if stale:
            start = time.perf_counter()
            changed = 0
            for day, rebuilt in counts.refresh():
                self.stdout.write(f"{day:%d/%m/%Y}: {rebuilt} tỉnh tính lại")
                changed += rebuilt
            movement = flows.refresh()
            self.stdout.write(f"biến động: {movement} tỉnh tính lại")
            self.stdout.write(f"xong trong {time.perf_counter() - start:.1f} s")
            if changed or movement:
                self._warm()
            return
        today = timezone.localdate()
        try:
            days = {parse_command_date(text, label="--date", latest=today) for text in date}
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not 0 <= year_ends <= today.year - QUERY_FIRST.year:
            raise CommandError(
                f"--year-ends: {year_ends} ngoài khoảng 0 – {today.year - QUERY_FIRST.year}."
            )
        if not date:
            days = {today, *(_year_end(today.year - k) for k in range(1, year_ends + 1))}
        for day in sorted(days):
            start = time.perf_counter()
            snapshot = counts.rebuild(day)
            self.stdout.write(
                f"{day:%d/%m/%Y}: {snapshot.members:,} đảng viên, "
                f"{snapshot.rows.count():,} dòng, {time.perf_counter() - start:.1f} s".replace(
                    ",", "."
                )
            )
        if prune:
            CountSnapshot.objects.exclude(on__in=days).delete()
        self._movement(whole=all_flows)
        self._warm()

    def _warm(self) -> None:
        """The home pages' panels from the new summary: computed by the worker, not here (a
        minute or two nationally, which the nightly rebuild need not wait for)."""
        warm_home_panels.enqueue()
        self.stdout.write("đã xếp hàng việc tính trước các ô trang chính của các tỉnh")

    def _movement(self, *, whole: bool) -> None:
        """The movement summary: whole, or only its stale parts (it does not depend on the
        dates asked)."""
        start = time.perf_counter()
        if whole or not FlowPart.objects.exists():
            rows = f"{flows.rebuild():,}".replace(",", ".")
            done = f"dựng lại toàn bộ, {rows} dòng"
        else:
            done = f"{flows.refresh()} tỉnh tính lại"
        self.stdout.write(f"biến động theo tháng: {done}, {time.perf_counter() - start:.1f} s")


def _year_end(year: int) -> date:
    return date(year, 12, 31)
