"""`tochuc housekeeping`: daily clean-up of what is no data of record: the claims of
one-time form tokens older than two days (tochuc.core.once)."""

from django.core.management.base import BaseCommand

from tochuc.core.once import KEEP, forget_old


class Command(BaseCommand):
    help = "Dọn dẹp hằng ngày: xóa mã gửi biểu mẫu đã cũ."

    def handle(self, *args, **options):
        forms = forget_old()
        self.stdout.write(f"Đã xóa {forms} mã gửi biểu mẫu cũ (quá {KEEP.days} ngày).")
