"""Export of the member list to XLSX (the "Xuất Excel" button of the list page).

Same filters and scope as the list page, formula-injection safe (lib.xlsx), audited.
Contact details and citizen ID numbers are left out: the list is for counting and
reviewing, and a file travels further than a page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import scoped_view
from tochuc.accounts.permissions import EXPORT
from tochuc.core import audit
from tochuc.lib import xlsx
from tochuc.lib.reference import (
    ETHNICITIES,
    RELIGIONS,
    Gender,
    PoliticalTheory,
    Qualification,
)

from . import selectors
from .forms import MemberFilterForm
from .models import Member, Status

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    (gettext_lazy("STT"), 6),
    (gettext_lazy("Họ và tên"), 28),
    (gettext_lazy("Ngày sinh"), 12),
    (gettext_lazy("Giới tính"), 9),
    (gettext_lazy("Dân tộc"), 12),
    (gettext_lazy("Tôn giáo"), 14),
    (gettext_lazy("Quê quán"), 30),
    (gettext_lazy("Chi bộ"), 36),
    (gettext_lazy("Mã chi bộ"), 20),
    (gettext_lazy("Trạng thái"), 14),
    (gettext_lazy("Miễn sinh hoạt"), 10),
    (gettext_lazy("Ngày quyết định kết nạp"), 14),
    (gettext_lazy("Ngày vào Đảng"), 14),
    (gettext_lazy("Ngày chính thức"), 14),
    (gettext_lazy("Số thẻ đảng viên"), 16),
    (gettext_lazy("Chuyên môn"), 16),
    (gettext_lazy("Lý luận chính trị"), 16),
    (gettext_lazy("Nghề nghiệp"), 22),
    (gettext_lazy("Nơi làm việc"), 30),
)


def members_workbook(rows: Iterable[Member]) -> bytes:
    """One sheet "Đảng viên", a row per member (their organization selected)."""
    genders, ethnicities = dict(Gender.choices), dict(ETHNICITIES)
    religions, statuses = dict(RELIGIONS), dict(Status.choices)
    qualifications, theories = dict(Qualification.choices), dict(PoliticalTheory.choices)

    def lines():
        for number, m in enumerate(rows, start=1):
            yield (
                number,
                m.full_name,
                m.birth_date,
                genders.get(m.gender, m.gender),
                ethnicities.get(m.ethnicity, m.ethnicity),
                religions.get(m.religion, m.religion),
                m.hometown,
                m.organization.name,
                m.organization.code,
                statuses.get(m.status, m.status),
                _("Có") if m.is_exempted else "",
                m.admitted_on,
                m.ceremony_on,
                m.confirmed_on,
                m.party_card_no,
                qualifications.get(m.qualification, m.qualification),
                theories.get(m.political_theory, m.political_theory),
                m.occupation,
                m.workplace,
            )

    return xlsx.write_workbook(
        [
            xlsx.SheetData(
                _("Đảng viên"),
                [title for title, _width in COLUMNS],
                lines(),
                [width for _title, width in COLUMNS],
            )
        ]
    )


@scoped_view(EXPORT)
def export_list(request):
    code = request.GET.get("to_chuc", "").strip()
    organization = request.scope.get_organization(code=code) if code else None
    form = MemberFilterForm(request.GET)
    qs = selectors.member_list(scope=request.scope, filters=form.to_filters(organization))
    count = 0

    def counted():
        nonlocal count
        for member in qs.iterator(chunk_size=2000):
            count += 1
            yield member

    content = members_workbook(counted())
    audit.record(
        "tochuc.member.exported",
        by=request.user,
        count=count,
        filters={**form.summary(), **({"to_chuc": organization.code} if organization else {})},
    )
    filename = f"dang-vien-{timezone.localdate():%Y-%m-%d}.xlsx"
    return HttpResponse(
        content,
        content_type=XLSX_TYPE,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
