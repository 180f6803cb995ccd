from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tochuc.core import audit
from tochuc.core.backup import BackupError, backup, default_path


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu (SQLite: backup API; PostgreSQL: pg_dump -Fc)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, help="Tệp sao lưu (mặc định var/backups/)")

    def handle(self, *args, output=None, **options):
        path = output or default_path()
        try:
            written = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        audit.record("tochuc.system.backup", path=str(written), bytes=written.stat().st_size)
        self.stdout.write(f"Đã sao lưu vào {written} ({written.stat().st_size:,} byte).")
