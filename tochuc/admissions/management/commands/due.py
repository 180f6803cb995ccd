"""`tochuc due [--org CODE] [--ngay dd/mm/yyyy] [--user USERNAME]`: what is due and overdue
in admissions and probation, for a daily job (cron) or a look from the console.

Without --org, the whole database (or the user's scope); the exit status is 0 even when
something is overdue, so the job's output is what a person reads.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tochuc.accounts.access import Scope
from tochuc.admissions import selectors
from tochuc.lib.dates import parse_command_date, vn_date
from tochuc.organizations.models import Organization


class Command(BaseCommand):
    help = "Liệt kê việc đến hạn và quá hạn về kết nạp đảng viên, công nhận đảng viên chính thức."

    def add_arguments(self, parser):
        parser.add_argument("--org", help="Mã tổ chức: chỉ tính trong tổ chức này và cấp dưới.")
        parser.add_argument("--ngay", help="Tính đến ngày (dd/mm/yyyy; mặc định hôm nay).")
        parser.add_argument("--user", help="Chỉ trong phạm vi của người dùng này.")

    def handle(self, *args, org=None, ngay=None, user=None, **options):
        try:
            on = parse_command_date(ngay, label="--ngay") or timezone.localdate()
        except ValueError as error:
            raise CommandError(str(error)) from error
        scope = selectors.WholeDatabase()
        if user:
            account = get_user_model().objects.filter(username=user, is_active=True).first()
            if account is None:
                raise CommandError(f"Không có người dùng “{user}” (hoặc đã bị khóa).")
            scope = Scope.for_user(account)
        organization = None
        if org:
            organization = scope.organizations().filter(code=org).first()
            if organization is None:
                exists = Organization.objects.filter(code=org).exists()
                raise CommandError(
                    f"Tổ chức mã “{org}” không thuộc phạm vi của người dùng."
                    if exists
                    else f"Không có tổ chức mã “{org}”."
                )
        items = selectors.due_items(scope=scope, on=on, organization=organization)
        where = organization.name if organization else "toàn bộ phạm vi"
        overdue = sum(1 for i in items if i.overdue)
        self.stdout.write(
            f"Việc đến hạn — {where} — ngày {vn_date(on)}: {len(items)} việc, {overdue} quá hạn."
        )
        for item in items:
            when = (
                f"QUÁ HẠN {item.late} ngày"
                if item.overdue
                else ("hạn hôm nay" if item.days == 0 else f"còn {item.days} ngày")
            )
            self.stdout.write(
                f"{vn_date(item.deadline)}  {when:<18} {item.title}: {item.name} — "
                f"{item.organization.name}"
            )
