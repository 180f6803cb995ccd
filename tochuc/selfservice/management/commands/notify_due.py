"""`tochuc notify_due`: tell members what is due from them and officers which members'
requests are overdue (daily, e.g. from cron; running it twice the same week repeats nothing)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from tochuc.selfservice.services import due_notify


class Command(BaseCommand):
    help = "Thông báo việc đến hạn cho đảng viên và yêu cầu quá hạn cho cán bộ"

    def handle(self, *args, **options):
        told = due_notify(on=timezone.localdate())
        self.stdout.write(
            f"Đã thông báo {told['members']} đảng viên, {told['officers']} lượt cán bộ."
        )
