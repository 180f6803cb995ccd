"""The pages end to end: the commune officer opens the members due on an occasion, proposes
them, records the decision and the ceremony, prints the proposal and the decision (DOCX),
exports the lists (XLSX), and sees the badges on the member's page and the home page."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from tochuc.awards.models import BadgeCase, Stage
from tochuc.lib.documents import docx_text

from .conftest import SEPT_2026

pytestmark = pytest.mark.django_db
DOT = {"dot": "02/09/2026"}


def _sheet(response):
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_the_commune_officer_runs_an_occasion_from_the_due_list_to_the_member_page(
    client, cast, users, veterans
):
    client.force_login(users.commune_officer)
    code = cast.commune.code
    page = client.get(reverse("awards:due", args=[code]), DOT)
    assert [r.member.full_name for r in page.context["rows"]] == [
        "Hoàng Văn An", "Lục Thị Bình", "Nông Văn Chiến",
    ]  # fmt: skip
    rows = _sheet(client.get(reverse("awards:due_export", args=[code]), DOT))
    assert rows[0][:2] == ["STT", "Họ và tên"] and len(rows) == 4
    assert rows[1][5] == 30 and rows[2][5] == 40

    response = client.post(
        reverse("awards:propose", args=[code]) + "?dot=02/09/2026",
        {"members": [veterans.an.pk, veterans.binh.pk], "proposal_no": "15-TTr/ĐU",
         "proposed_on": "10/08/2026"},
    )  # fmt: skip
    assert response.status_code == 302
    assert BadgeCase.objects.filter(stage=Stage.PROPOSED, occasion=SEPT_2026).count() == 2

    cases = list(BadgeCase.objects.order_by("milestone"))
    response = client.post(
        reverse("awards:decide", args=[code]) + "?dot=02/09/2026",
        {"cases": [c.pk for c in cases], "decision_no": "245-QĐ/TU", "decided_on": "25/08/2026",
         "issuer": "Ban Thường vụ Tỉnh ủy"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(reverse("awards:cases", args=[code]), DOT)
    assert page.context["total_gift"] == 3_510_000 + 4_680_000

    an = cases[0]
    response = client.post(
        reverse("awards:award", args=[code]) + f"?ho_so={an.pk}",
        {"badge_no": "HH-00321", "ceremony_on": "02/09/2026", "row_version": 2},
    )
    assert response.status_code == 302
    an.refresh_from_db()
    assert (an.stage, an.badge_no) == (Stage.AWARDED, "HH-00321")

    member_page = client.get(reverse("members:detail", args=[veterans.an.pk]))
    html = member_page.content.decode()
    assert "Huy hiệu 30 năm tuổi Đảng" in html and "HH-00321" in html
    assert "Huy hiệu 40 năm tuổi Đảng (đủ tuổi Đảng ngày 20/06/2036" in html

    proposal = docx_text(client.get(reverse("awards:proposal_docx", args=[code]), DOT).content)
    assert "TỜ TRÌNH" in proposal and "cho 2 đồng chí" in proposal
    assert "Hoàng Văn An" in proposal and "Lục Thị Bình" in proposal
    decision = docx_text(client.get(reverse("awards:decision_docx", args=[code]), DOT).content)
    assert "QUYẾT ĐỊNH" in decision and "Số 245-QĐ/TU" in decision
    assert "8.190.000" in decision and "3.510.000" in decision
    rows = _sheet(client.get(reverse("awards:cases_export", args=[code]), DOT))
    assert [r[1] for r in rows[1:]] == ["Hoàng Văn An", "Lục Thị Bình"]
    assert [r[9] for r in rows[1:]] == [3_510_000, 4_680_000]


def test_a_refused_proposal_stays_on_the_page_and_writes_nothing(client, cast, users, veterans):
    client.force_login(users.commune_officer)
    response = client.post(
        reverse("awards:propose", args=[cast.commune.code]) + "?dot=02/09/2026",
        {"members": [veterans.an.pk], "proposal_no": "15-TTr/ĐU", "proposed_on": "10/09/2026"},
    )
    assert response.status_code == 200
    assert "Ngày đề nghị phải trước đợt trao" in response.content.decode()
    assert BadgeCase.objects.count() == 0


def test_a_member_of_another_commune_cannot_be_slipped_into_a_proposal(
    client, cast, users, veterans
):
    client.force_login(users.commune_officer)
    response = client.post(
        reverse("awards:propose", args=[cast.commune.code]) + "?dot=02/09/2026",
        {"members": [veterans.sibling.pk], "proposal_no": "1", "proposed_on": "10/08/2026"},
    )
    assert response.status_code == 200 and BadgeCase.objects.count() == 0


def test_the_early_proposal_page_records_a_posthumous_award(client, cast, users, veterans):
    import time_machine

    from tochuc.members.services import member_exit
    from tochuc.testing import register

    late = register(cast.village_cell, "Triệu Văn Lâm", admitted_on=date(1976, 12, 1))
    member_exit(member=late, type="died", on=date(2026, 6, 1))
    client.force_login(users.commune_officer)
    with time_machine.travel(date(2026, 8, 20)):
        response = client.post(
            reverse("awards:propose_early", args=[late.pk]),
            {"occasion": "2026-09-02", "early": "posthumous", "grounds": "Giấy chứng tử số 112",
             "proposal_no": "19-TTr/ĐU", "proposed_on": "15/08/2026"},
        )  # fmt: skip
    assert response.status_code == 302
    case = BadgeCase.objects.get(member=late)
    assert (case.milestone, case.early, case.occasion) == (50, "posthumous", SEPT_2026)


def test_the_home_page_counts_the_badges_due_at_the_next_occasion(client, cast, users, veterans):
    import time_machine

    client.force_login(users.commune_officer)
    with time_machine.travel(date(2026, 8, 1)):
        page = client.get(reverse("home"))
    html = page.content.decode()
    assert 'id="panel-badges"' in html
    assert 'data-figure="badges-due">3<' in html
