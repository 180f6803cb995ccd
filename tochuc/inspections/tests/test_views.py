"""The pages: recording through the forms, the lists and their exports, the period counts
(page, XLSX, DOCX and the report engine), and the scope."""

import io
import json
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from tochuc.inspections.models import Discipline, Inspection
from tochuc.lib.documents import docx_text
from tochuc.members.models import MemberEvent

pytestmark = pytest.mark.django_db
YEAR_2026 = {"nam": "2026"}


def _sheet(response):
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)], book


def _counts(client, organization, params=YEAR_2026):
    response = client.get(reverse("inspections:counts", args=[organization.code]), params)
    assert response.status_code == 200
    return response.context


def test_a_supervision_and_a_discipline_recorded_through_the_ui_are_counted(
    client, cast, users, members
):
    client.force_login(users.commune_officer)
    add = reverse("inspections:add", args=[cast.commune.code])
    response = client.post(
        add,
        {
            "body": "committee", "activity": "supervision", "kind": "thematic",
            "subject_type": "member", "member": members.an.pk, "decision_no": "05-KH/ĐU",
            "starts_on": "10/02/2026", "ends_on": "20/02/2026", "conclusion": "discipline",
            "conclusion_text": "Có vi phạm đến mức phải xem xét kỷ luật.",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    response = client.post(
        add,
        {
            "body": "commission", "activity": "inspection", "kind": "on_signs",
            "subject_type": "organization", "subject_code": cast.village_cell.code,
            "decision_no": "02-QĐ/UBKT", "starts_on": "03/03/2026", "ends_on": "30/03/2026",
            "conclusion": "no_violation",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    record = Inspection.objects.get(subject_member=members.an)
    response = client.post(
        reverse("inspections:discipline_member", args=[cast.commune.code]),
        {
            "body": "commission", "member": members.an.pk, "form": "warning",
            "decision_no": "07-QĐ/UBKT", "decided_on": "06/04/2026",
            "effective_on": "06/04/2026", "reasons": "Vi phạm nguyên tắc tập trung dân chủ.",
            "inspection": record.pk, "authority_level": "Ủy ban Kiểm tra Đảng ủy xã",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    assert Discipline.objects.get().inspection == record

    context = _counts(client, cast.commune)
    assert context["paragraphs"] == [
        "Năm 2026, cấp ủy giám sát 1 đảng viên; ủy ban kiểm tra kiểm tra 1 tổ chức đảng.",
        "Thi hành kỷ luật 1 đảng viên (cảnh cáo 1).",
    ]
    inspections, disciplines = context["tables"]
    by_key = {row["key"]: row for row in inspections.rows}
    assert by_key["committee_supervision"]["members"] == 1
    assert by_key["commission_inspection"]["organizations"] == 1
    assert inspections.totals["total"] == 2
    assert {r["key"]: r["members"] for r in disciplines.rows}["warning"] == 1

    # The member's timeline shows the discipline with its form.
    page = client.get(reverse("members:detail", args=[members.an.pk])).content.decode()
    assert "Kỷ luật" in page and "Cảnh cáo: Vi phạm nguyên tắc tập trung dân chủ." in page


def test_the_counts_sentence_reads_like_the_sectors_report(cast, users, members, inspect, client):
    for org in (cast.base, cast.cell, cast.village_cell):
        inspect(org)
    for member in (members.an, members.binh):
        inspect(member)
    inspect(members.cuong, body="commission", decision_no="03-KH/UBKT")
    inspect(cast.cell, body="commission", decision_no="03-KH/UBKT", starts_on=date(2026, 5, 4))
    inspect(members.an, body="commission", activity="inspection", decision_no="04-QĐ/UBKT")
    inspect(members.binh, decision_no="01-KH/ĐU", starts_on=date(2025, 11, 3))  # last year
    inspect(members.sibling, conductor=cast.sibling_commune)  # another commune
    client.force_login(users.province_officer)

    assert _counts(client, cast.commune)["paragraphs"] == [
        "Năm 2026, cấp ủy giám sát 3 tổ chức đảng và 2 đảng viên; ủy ban kiểm tra kiểm tra "
        "1 đảng viên, giám sát 1 tổ chức đảng và 1 đảng viên."
    ]
    assert _counts(client, cast.commune, {"quy": "2026-Q1"})["paragraphs"] == [
        "Quý I năm 2026, cấp ủy giám sát 3 tổ chức đảng và 2 đảng viên; ủy ban kiểm tra "
        "kiểm tra 1 đảng viên, giám sát 1 đảng viên."
    ]
    # The province: the commune's eight of 2026 and the sibling commune's one.
    assert _counts(client, cast.province)["tables"][0].totals["total"] == 9
    assert _counts(client, cast.commune, {"nam": "2025"})["paragraphs"] == [
        "Năm 2025, cấp ủy giám sát 1 đảng viên."
    ]

    rows, book = _sheet(
        client.get(reverse("inspections:counts_xlsx", args=[cast.commune.code]), YEAR_2026)
    )
    assert rows[0] == ["Chủ thể, hoạt động", "Tổ chức đảng", "Đảng viên", "Cộng"]
    assert rows[1:] == [
        ["Cấp ủy giám sát", 3, 2, 5],
        ["Cấp ủy kiểm tra", 0, 0, 0],
        ["Ủy ban kiểm tra giám sát", 1, 1, 2],
        ["Ủy ban kiểm tra kiểm tra", 0, 1, 1],
        ["Tổng cộng", 4, 4, 8],
    ]
    assert book.sheetnames == ["Kiểm tra, giám sát", "Kỷ luật", "Tóm tắt"]

    # The same numbers through the report engine (JSON), and in the DOCX summary.
    response = client.get(
        reverse("reports:download", args=[cast.commune.code]),
        {"bao_cao": "inspections", "nam": "2026", "dinh_dang": "json"},
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["tables"][0]["totals"]["total"] == 8
    assert data["paragraphs"][0].startswith("Năm 2026, cấp ủy giám sát 3 tổ chức đảng")
    response = client.get(reverse("inspections:summary_docx", args=[cast.commune.code]), YEAR_2026)
    text = docx_text(response.content)
    assert "BÁO CÁO" in text and "ủy ban kiểm tra kiểm tra 1 đảng viên" in text


def test_the_lists_filter_and_export(client, cast, users, members, inspect, discipline):
    inspect(members.an)
    inspect(cast.cell, body="commission", activity="inspection", decision_no="02-QĐ/UBKT")
    discipline(members.binh, "reprimand")
    client.force_login(users.commune_officer)
    url = reverse("inspections:list", args=[cast.commune.code])
    assert client.get(url, YEAR_2026).context["total"] == 2
    only = client.get(url, {**YEAR_2026, "hoat_dong": "inspection"}).context["rows"]
    assert [r.subject_name for r in only] == ["Chi bộ Tổ Toán"]
    assert client.get(url, {"nam": "2025"}).context["total"] == 0

    rows, _book = _sheet(
        client.get(
            reverse("inspections:export", args=[cast.commune.code]),
            {**YEAR_2026, "doi_tuong": "member"},
        )  # fmt: skip
    )
    assert len(rows) == 2
    assert rows[1][1:10] == [
        "Đảng bộ xã Tân An", "Cấp ủy", "Giám sát", "Thường xuyên", "Đảng viên",
        "Hoàng Văn An", "Chi bộ thôn Nà Phái", "05-KH/ĐU", rows[1][9],
    ]  # fmt: skip

    response = client.get(reverse("inspections:disciplines", args=[cast.commune.code]), YEAR_2026)
    assert [r.subject_name for r in response.context["rows"]] == ["Lục Thị Bình"]
    rows, _book = _sheet(
        client.get(reverse("inspections:disciplines_export", args=[cast.commune.code]), YEAR_2026)
    )
    assert rows[1][1:7] == [
        "Đảng viên", "Lục Thị Bình", "đảng viên chính thức", "Khiển trách", "01-QĐ/UBKT",
        rows[1][6],
    ]  # fmt: skip


def test_a_refused_form_shows_why_beside_the_field_and_changes_nothing(
    client, cast, users, members
):
    client.force_login(users.commune_officer)
    before = MemberEvent.objects.count()
    response = client.post(
        reverse("inspections:discipline_member", args=[cast.commune.code]),
        {
            "body": "commission", "member": members.cuong.pk, "form": "expulsion",
            "decision_no": "08-QĐ/UBKT", "decided_on": "06/04/2026",
            "effective_on": "06/04/2026", "reasons": "Vi phạm.",
        },
    )  # fmt: skip
    assert response.status_code == 200
    [message] = response.context["form"].errors["form"]
    assert message.startswith("Hình thức khai trừ không áp dụng với đảng viên dự bị")
    assert Discipline.objects.count() == 0 and MemberEvent.objects.count() == before


def test_out_of_scope_is_not_found(client, cast, users, members, inspect):
    inspect(members.an)
    client.force_login(users.sibling_officer)
    for name in ("list", "counts", "disciplines", "export", "add", "member_picker"):
        response = client.get(reverse(f"inspections:{name}", args=[cast.commune.code]))
        assert response.status_code == 404, name
    # The sibling's own pages do not show the commune's records.
    response = client.get(reverse("inspections:list", args=[cast.sibling_commune.code]), YEAR_2026)
    assert response.context["total"] == 0

    client.force_login(users.commune_officer)
    response = client.post(
        reverse("inspections:add", args=[cast.commune.code]),
        {
            "body": "committee", "activity": "supervision", "kind": "regular",
            "subject_type": "member", "member": members.sibling.pk, "decision_no": "06-KH/ĐU",
            "starts_on": "10/02/2026", "ends_on": "20/02/2026", "conclusion": "pending",
        },
    )  # fmt: skip
    assert response.context["form"].errors["member"] == [
        f"Không có đảng viên số {members.sibling.pk} sinh hoạt trong Đảng bộ xã Tân An."
    ]
    picker = client.get(
        reverse("inspections:member_picker", args=[cast.commune.code]),
        {"q": "thi", "target": "id_member"},
    )
    assert [m.full_name for m in picker.context["results"]] == ["Lục Thị Bình"]


def test_the_navigation_entry_opens_the_users_organization(client, cast, users):
    client.force_login(users.cell_secretary)
    response = client.get(reverse("inspections:index"))
    assert response["Location"] == reverse("inspections:list", args=[cast.cell.code])


def test_the_members_page_leads_to_the_discipline_form_for_that_member_and_to_the_ratings(
    client, cast, users, members
):
    client.force_login(users.commune_officer)
    page = client.get(reverse("members:detail", args=[members.an.pk])).content.decode()
    form_url = reverse("inspections:discipline_member", args=[cast.village_cell.code])
    assert f'{form_url}?dang_vien={members.an.pk}"' in page
    assert reverse("ratings:member", args=[members.an.pk]) in page
    form = client.get(form_url, {"dang_vien": members.an.pk}).context["form"]
    assert str(form.initial["member"]) == str(members.an.pk)
