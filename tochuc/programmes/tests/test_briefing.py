"""The monthly briefing: its figures are the registered reports' figures for the month;
tasks completed and overdue; edited, then issued and kept."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tochuc.documents import services as documents
from tochuc.programmes import figures, services
from tochuc.reports import periods, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(cast, users):
    programme = services.programme_create(
        organization=cast.commune,
        title="Chương trình hành động thực hiện Nghị quyết Đại hội",
        starts_on=date(2025, 9, 1),
        ends_on=date(2030, 8, 31),
        groups=["Xây dựng tổ chức đảng", "Phát triển đảng viên"],
    )
    first, second = programme.groups.all()
    services.task_add(
        group=first,
        title="Kiện toàn chi ủy các chi bộ",
        assignees=[cast.village_cell],
        deadline=date(2026, 2, 28),
    )
    services.task_add(
        group=second,
        title="Kết nạp 10 đảng viên mới",
        assignees=[cast.village_cell],
        deadline=date(2026, 3, 31),
    )
    services.task_add(
        group=second,
        title="Rà soát đảng viên đi làm ăn xa",
        assignees=[cast.cell],
        deadline=date(2026, 4, 15),
    )
    return programme


@time_machine.travel(date(2026, 4, 10), tick=False)
def test_the_briefing_figures_equal_the_reports_figures_for_the_month(cast, users, programme):
    for on in (date(2026, 3, 2), date(2026, 3, 20)):
        documents.document_issue(issuer=cast.commune, kind="TB", issued_on=on, title="Thông báo")
    documents.document_issue(
        issuer=cast.commune, kind="KH", issued_on=date(2026, 2, 2), title="Kế hoạch"
    )
    task = programme.groups.get(number=1).tasks.get()
    services.progress_report(
        task=task,
        organization=cast.village_cell,
        reported_on=date(2026, 3, 5),
        status="done",
        percent=100,
        text="Đã kiện toàn 3 chi ủy.",
    )
    briefing = services.briefing_draft(
        organization=cast.commune, month=date(2026, 3, 1), by=users.commune_officer
    )
    march = periods.between(date(2026, 3, 1), date(2026, 3, 31))
    expected = [
        figures.extract(registry.build(d.name, cast.commune, march))
        for d in registry.definitions()
        if d.needs_period
    ]
    assert briefing.figures == [
        {**e, "tables": [{**t, "rows": [list(r) for r in t["rows"]]} for t in e["tables"]]}
        for e in expected
    ]
    issued = next(f for f in briefing.figures if f["report"] == "documents")
    assert issued["tables"][0]["total"] == 2
    assert "Tháng 03/2026" not in briefing.text  # labels come from the reports themselves
    assert "Hoàn thành trong tháng: 1 nhiệm vụ." in briefing.text
    assert "Quá hạn chưa hoàn thành: 1 nhiệm vụ." in briefing.text  # due 31/3, not done
    assert "Rà soát đảng viên đi làm ăn xa" in briefing.text  # due in April


@time_machine.travel(date(2026, 4, 10), tick=False)
def test_an_issued_briefing_is_kept_as_issued(cast, users):
    briefing = services.briefing_draft(organization=cast.commune, month=date(2026, 3, 1))
    briefing = services.briefing_edit(
        briefing=briefing, text="Nội dung đã sửa.", row_version=briefing.row_version
    )
    with pytest.raises(ValidationError):  # a stale page
        services.briefing_edit(briefing=briefing, text="x", row_version=1)
    briefing = services.briefing_issue(
        briefing=briefing, row_version=briefing.row_version, by=users.commune_officer
    )
    with pytest.raises(ValidationError):
        services.briefing_draft(organization=cast.commune, month=date(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.briefing_edit(briefing=briefing, text="y", row_version=briefing.row_version)
    briefing.refresh_from_db()
    assert briefing.text == "Nội dung đã sửa." and briefing.is_issued


def test_a_progress_report_from_an_organization_not_assigned_is_refused(cast, programme):
    task = programme.groups.get(number=1).tasks.get()
    with pytest.raises(ValidationError):
        services.progress_report(
            task=task,
            organization=cast.cell,
            reported_on=date(2026, 1, 5),
            status="in_progress",
            percent=40,
        )


@time_machine.travel(date(2026, 4, 10), tick=False)
def test_an_officer_generates_edits_issues_and_downloads_last_months_briefing(client, cast, users):
    from django.urls import reverse

    from tochuc.lib.documents import docx_text

    documents.document_issue(
        issuer=cast.commune, kind="TB", issued_on=date(2026, 3, 2), title="Thông báo"
    )
    client.force_login(users.province_officer)
    response = client.post(
        reverse("programmes:briefing_generate", args=[cast.commune.code]), {"thang": "2026-03"}
    )
    assert response.status_code == 302
    page = client.get(response.url)
    briefing = page.context["briefing"]
    save = reverse("programmes:briefing_save", args=[cast.commune.code, "2026-03"])
    text = briefing.text + "\nIV. KIẾN NGHỊ\n- Không."
    client.post(save, {"text": text, "row_version": briefing.row_version, "ban_hanh": "1"})
    briefing.refresh_from_db()
    assert briefing.is_issued and briefing.text.endswith("- Không.")
    response = client.get(reverse("programmes:briefing_docx", args=[cast.commune.code, "2026-03"]))
    body = docx_text(response.content)
    assert "BÁO CÁO" in body and "IV. KIẾN NGHỊ" in body and "Thông báo (TB)" in body
