"""`tochuc import NAME FILE [--dry-run] [--user USERNAME]`: import a spreadsheet.

The whole file is checked first; every bad row is printed (row, column, reason) and
nothing is written (exit status 1). Otherwise every row is written in one transaction.
Without --user the operator imports over the whole database; with it, within that user's
scope and permissions, exactly as on the web.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tochuc.accounts.access import Scope
from tochuc.imports import registry


class Command(BaseCommand):
    help = "Nhập dữ liệu từ tệp Excel (.xlsx): kiểm tra toàn bộ tệp, có lỗi thì không ghi gì."

    def add_arguments(self, parser):
        parser.add_argument(
            "name", help=f"Loại dữ liệu nhập: {', '.join(sorted(registry.IMPORTERS))}"
        )
        parser.add_argument("file", help="Tệp .xlsx (theo mẫu: tochuc template NAME)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra và báo kết quả, không ghi."
        )
        parser.add_argument(
            "--duplicate-reason",
            default="",
            help="Lý do vẫn nhập các dòng nghi trùng (không có: tệp có dòng nghi trùng "
            "không được ghi).",
        )
        parser.add_argument(
            "--user",
            help="Nhập với phạm vi và quyền của người dùng này (mặc định: toàn hệ thống).",
        )

    def handle(self, *args, name, file, dry_run=False, user=None, duplicate_reason="", **options):
        try:
            importer = registry.get(name)
        except registry.UnknownImporter as error:
            raise CommandError(str(error)) from error
        by, scope = self._caller(user, importer)
        self.stdout.write(f"Đang đọc và kiểm tra {file} …")
        bars: dict[str, tqdm] = {}
        titles = {registry.CHECKING: "Kiểm tra", registry.WRITING: "Ghi thử" if dry_run else "Ghi"}

        def watch(phase: str, done: int, total: int) -> None:
            if phase not in titles:
                return
            if phase not in bars:
                for bar in bars.values():
                    bar.close()
                bars[phase] = tqdm(total=total, unit="dòng", desc=titles[phase], disable=None)
            bars[phase].update(done - bars[phase].n)

        try:
            outcome = registry.run_import(
                importer, file, scope=scope, by=by, dry_run=dry_run, filename=str(file),
                watch=watch, channel="cli", reason=duplicate_reason,
            )  # fmt: skip
        finally:
            for bar in bars.values():
                bar.close()
        for flag in outcome.flags:
            self.stdout.write(f"Nghi trùng — {flag}")
        if not outcome.ok:
            for error in outcome.errors:
                self.stdout.write(str(error))
            rows = len({e.row for e in outcome.errors if e.row is not None})
            if rows:
                raise CommandError(
                    f"Có {len(outcome.errors)} lỗi ở {rows} dòng; chưa ghi dòng nào."
                )
            raise CommandError("Không nhập được tệp; chưa ghi dòng nào.")
        if dry_run:
            self.stdout.write(
                f"Chạy thử: tệp hợp lệ ({outcome.rows} dòng), sẽ có {outcome.summary}. Chưa ghi gì."
            )
            if outcome.samples:  # what the web preview shows: first rows, or counts by kind
                self.stdout.write(self._table(importer.sample_headers, outcome.samples))
        else:
            done = f"Đã nhập {outcome.rows} dòng: {outcome.summary}."
            self.stdout.write(self.style.SUCCESS(done))

    @staticmethod
    def _table(headers, rows) -> str:
        lines = [[str(h) for h in headers], *[[str(v) for v in row] for row in rows]]
        widths = [
            max(len(line[i]) for line in lines if i < len(line)) for i in range(len(lines[0]))
        ]
        return "\n".join(
            "  ".join(value.ljust(width) for value, width in zip(line, widths, strict=False))
            for line in lines
        )

    def _caller(self, username, importer):
        if not username:
            return None, registry.SystemScope()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}” (hoặc đã bị khóa).")
        scope = Scope.for_user(user)
        if importer.permission not in scope.permissions_for(None):
            raise CommandError(f"Người dùng “{username}” không có quyền nhập dữ liệu.")
        return user, scope
