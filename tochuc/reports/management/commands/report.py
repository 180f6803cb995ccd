"""tochuc report NAME --org CODE (--date D | --year Y | --quarter YYYY-Qn | --from D --to D)
--format json|xlsx|docx|pdf|text [-o FILE] [--user USERNAME]

Writes the report to FILE, or to standard output (text and JSON only). Audited as an export,
like the web download. `--org toan-quoc` is the whole country (reports declared `national`),
as on the web for a system administrator. Without --user the operator reports as the system
(any organization, the whole country); with it, within that user's scope and permission to
export — the whole country only for a system administrator.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import EXPORT
from tochuc.core import audit
from tochuc.organizations.models import Organization
from tochuc.reports import periods, registry, renderers
from tochuc.reports.forms import NATIONAL, is_national

BINARY = ("xlsx", "docx", "pdf")


class Command(BaseCommand):
    help = "Lập báo cáo thống kê cho một tổ chức đảng tại một ngày hoặc trong một kỳ."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=registry.names(), help="tên báo cáo")
        parser.add_argument("--org", required=True, help=f"mã tổ chức đảng ({NATIONAL}: toàn quốc)")
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--date", help="tại ngày dd/mm/yyyy (báo cáo tại một thời điểm)")
        when.add_argument("--year", help="cả năm, VD 2025")
        when.add_argument("--quarter", help="một quý, VD 2025-Q1")
        when.add_argument("--from", dest="start", help="từ ngày dd/mm/yyyy (cùng --to)")
        parser.add_argument("--to", dest="end", help="đến ngày dd/mm/yyyy (cùng --from)")
        parser.add_argument("--format", default="text", choices=list(renderers.FORMATS))
        parser.add_argument("-o", "--output", help="tệp kết quả (mặc định: màn hình)")
        parser.add_argument(
            "--user", help="lập với phạm vi và quyền của người dùng này (mặc định: toàn hệ thống)"
        )

    def handle(
        self, *args, name, org, date, year, quarter, start, end, format, output, user=None, **opts
    ):
        by, organization = self._caller(user, org)
        if end and not start:
            raise CommandError("--to cần đi cùng --from.")
        try:
            period = periods.parse(
                on=date, year_text=year, quarter_text=quarter, start=start, end=end
            )
            report = registry.get(name)
            if period is None:
                raise CommandError("Hãy cho --date, --year, --quarter hoặc --from … --to ….")
            if report.needs_period and not period.is_period:
                raise CommandError(
                    f"Báo cáo {name} cần một kỳ: --year, --quarter hoặc --from … --to …."
                )
            if not report.needs_period and period.is_period:
                period = periods.at(period.end)
            data = registry.build(name, organization, period)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        content = renderers.render(data, format)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"Đã ghi {output} ({len(content):,} byte).".replace(",", "."))
        elif format in BINARY:
            raise CommandError(f"Định dạng {format} cần tệp kết quả: -o TỆP.")
        else:
            sys.stdout.flush()
            self.stdout.write(content.decode(), ending="")
        audit.record(
            "tochuc.report.exported",
            by=by,
            obj=organization,  # None: the whole country, named in the data
            **({} if organization else {"organization": NATIONAL}),
            report=name,
            period=period.as_dict(),
            format=format,
            channel="cli",
            output=output or "",
        )

    @staticmethod
    def _caller(username: str | None, code: str) -> tuple[object, Organization | None]:
        """(the user reporting or None for the system, the organization or None for the
        whole country); what the user may not see reads as missing, as on the web."""
        scope = None
        by = None
        if username:
            by = get_user_model().objects.filter(username=username, is_active=True).first()
            if by is None:
                raise CommandError(f"Không có người dùng “{username}” (hoặc đã bị khóa).")
            scope = Scope.for_user(by)
        if is_national(code):
            if scope is not None and not scope.is_admin:
                raise CommandError(f"Không có tổ chức mã {code}.")
            return by, None
        organization = Organization.objects.filter(code=code).first()
        if organization is None or (scope is not None and not scope.contains(organization)):
            raise CommandError(f"Không có tổ chức mã {code}.")
        if scope is not None and EXPORT not in scope.permissions_for(organization):
            raise CommandError(f"Người dùng “{username}” không có quyền xuất báo cáo của {code}.")
        return by, organization
