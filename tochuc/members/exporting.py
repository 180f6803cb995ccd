"""Export of the member list to XLSX (the "Xuất Excel" button of the list page).

Same filters and scope as the list page, formula-injection safe (lib.xlsx), audited.
Contact details and citizen ID numbers are left out: the list is for counting and
reviewing, and a file travels further than a page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import scoped_view
from tochuc.accounts.permissions import EXPORT
from tochuc.core.pages import DATE, INT, TEXT, Col, Sheet, dated_filename, export_response, workbook
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

COLUMNS = (
    Col(gettext_lazy("STT"), INT, 6),
    Col(gettext_lazy("Họ và tên"), TEXT, 28),
    Col(gettext_lazy("Ngày sinh"), DATE, 12),
    Col(gettext_lazy("Giới tính"), TEXT, 9),
    Col(gettext_lazy("Dân tộc"), TEXT, 12),
    Col(gettext_lazy("Tôn giáo"), TEXT, 14),
    Col(gettext_lazy("Quê quán"), TEXT, 30),
    Col(gettext_lazy("Chi bộ"), TEXT, 36),
    Col(gettext_lazy("Mã chi bộ"), TEXT, 20),
    Col(gettext_lazy("Trạng thái"), TEXT, 14),
    Col(gettext_lazy("Miễn sinh hoạt"), TEXT, 10),
    Col(gettext_lazy("Ngày quyết định kết nạp"), DATE, 14),
    Col(gettext_lazy("Ngày vào Đảng"), DATE, 14),
    Col(gettext_lazy("Ngày chính thức"), DATE, 14),
    Col(gettext_lazy("Số thẻ đảng viên"), TEXT, 16),
    Col(gettext_lazy("Chuyên môn"), TEXT, 16),
    Col(gettext_lazy("Lý luận chính trị"), TEXT, 16),
    Col(gettext_lazy("Nghề nghiệp"), TEXT, 22),
    Col(gettext_lazy("Nơi làm việc"), TEXT, 30),
)


def members_sheet(rows: Iterable[Member]) -> Sheet:
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

    return Sheet(_("Đảng viên"), COLUMNS, lines())


def members_workbook(rows: Iterable[Member]) -> bytes:
    return workbook([members_sheet(rows)])


@scoped_view(EXPORT)
def export_list(request):
    code = request.GET.get("to_chuc", "").strip()
    organization = request.scope.get_organization(code=code) if code else None
    form = MemberFilterForm(request.GET)
    qs = selectors.member_list(scope=request.scope, filters=form.to_filters(organization))
    rows = qs.iterator(chunk_size=2000)
    return export_response(
        request,
        sheets=[members_sheet(rows)],
        filename=dated_filename("dang-vien"),
        action="tochuc.member.exported",
        filters={**form.summary(), **({"to_chuc": organization.code} if organization else {})},
    )
