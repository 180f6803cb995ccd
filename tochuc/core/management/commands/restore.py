from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tochuc.core import audit
from tochuc.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu từ một bản sao lưu (thay toàn bộ dữ liệu hiện có)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Tệp do `tochuc backup` tạo")
        parser.add_argument(
            "--yes", action="store_true", help="Không hỏi lại (dữ liệu hiện có bị thay thế)"
        )

    def handle(self, *args, path, yes=False, **options):
        if not yes:
            answer = input(
                f"Toàn bộ dữ liệu hiện có sẽ bị thay bằng {path}. Gõ “dong y” để tiếp tục: "
            )
            if answer.strip().lower() not in ("dong y", "đồng ý"):
                raise CommandError("Đã hủy, dữ liệu không thay đổi.")
        try:
            restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        audit.record("tochuc.system.restored", path=str(path))
        self.stdout.write(f"Đã khôi phục từ {path}.")
