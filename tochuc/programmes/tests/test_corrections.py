"""Sửa / Hủy of programme tasks and progress reports: a deadline moved within the programme,
an assignee that has reported kept, a report corrected or cancelled and the task's state
following its latest remaining report; a file on a report, downloaded only in scope; the
months of the briefing computed by lib.dates.add_months."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tochuc.core.corrections import Grounds, history
from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry
from tochuc.programmes import corrections, services
from tochuc.programmes.models import ProgressFile, ProgressReport, Task

pytestmark = pytest.mark.django_db
WRONG = Grounds("Ghi nhầm", "05-QĐ/ĐU", date(2026, 4, 1))


@pytest.fixture
def task(cast):
    programme = services.programme_create(
        organization=cast.commune,
        title="Chương trình hành động",
        starts_on=date(2025, 9, 1),
        ends_on=date(2030, 8, 31),
        groups=["Phát triển đảng viên"],
    )
    return services.task_add(
        group=programme.groups.get(),
        title="Kết nạp 2 đảng viên",
        assignees=[cast.cell, cast.village_cell],
        deadline=date(2026, 3, 31),
    )


def report(task, organization, on, status, percent):
    return services.progress_report(
        task=task, organization=organization, reported_on=on, status=status, percent=percent
    )


def test_a_tasks_deadline_is_moved_inside_the_programme_only(cast, task):
    with pytest.raises(ValidationError) as refused:
        corrections.task_correct(task=task, grounds=WRONG, deadline=date(2031, 1, 1))
    assert "01/09/2025 – 31/08/2030" in refused.value.message_dict["deadline"][0]
    corrections.task_correct(task=task, grounds=WRONG, deadline=date(2026, 6, 30))
    task.refresh_from_db()
    assert (task.deadline, task.row_version) == (date(2026, 6, 30), 2)
    correction = history(task).get()
    assert (correction.before["deadline"], correction.after["deadline"]) == (
        "2026-03-31",
        "2026-06-30",
    )


def test_an_assignee_that_has_reported_stays_assigned(cast, task):
    report(task, cast.cell, date(2026, 2, 1), "in_progress", 50)
    with pytest.raises(ValidationError) as refused:
        corrections.task_correct(task=task, grounds=WRONG, assignees=[cast.village_cell])
    assert cast.cell.name in refused.value.message_dict["assignees"][0]
    corrections.task_correct(task=task, grounds=WRONG, assignees=[cast.cell])
    assert list(task.assignees.all()) == [cast.cell]
    assert history(task).get().after["assignees"] == cast.cell.code


def test_cancelling_a_task_removes_its_reports_and_says_so(cast, task):
    report(task, cast.cell, date(2026, 2, 1), "in_progress", 50)
    corrections.task_cancel(task=task, grounds=WRONG)
    assert (Task.objects.count(), ProgressReport.objects.count()) == (0, 0)
    assert history(task).get().effects == ["Xóa 1 báo cáo tiến độ của nhiệm vụ."]


def test_the_tasks_state_follows_its_latest_remaining_report(cast, task):
    first = report(task, cast.cell, date(2026, 2, 1), "in_progress", 50)
    last = report(task, cast.cell, date(2026, 3, 20), "done", 100)
    corrections.progress_correct(report=last, grounds=WRONG, status="in_progress", percent=80)
    task.refresh_from_db()
    assert (task.status, task.percent, task.completed_on) == ("in_progress", 80, None)
    corrections.progress_cancel(report=ProgressReport.objects.get(pk=last.pk), grounds=WRONG)
    task.refresh_from_db()
    assert (task.status, task.percent) == ("in_progress", 50)
    corrections.progress_cancel(report=first, grounds=WRONG)
    task.refresh_from_db()
    assert (task.status, task.percent) == ("not_started", 0)


def test_done_means_a_hundred_percent_when_correcting_too(cast, task):
    made = report(task, cast.cell, date(2026, 2, 1), "in_progress", 50)
    with pytest.raises(ValidationError) as refused:
        corrections.progress_correct(report=made, grounds=WRONG, status="done")
    assert refused.value.message_dict["percent"] == ["Nhiệm vụ hoàn thành khi và chỉ khi đạt 100%."]


def test_a_report_form_opened_before_another_correction_is_refused(cast, task):
    made = report(task, cast.cell, date(2026, 2, 1), "in_progress", 50)
    corrections.progress_correct(report=made, grounds=WRONG, percent=60)
    with pytest.raises(ProcedureError):
        corrections.progress_correct(report=made, grounds=WRONG, expected_version=1, percent=70)
    assert ProgressReport.objects.get().percent == 60


def test_the_secretary_corrects_the_cells_report_on_the_page(client, cast, users, task):
    made = report(task, cast.cell, date(2026, 2, 1), "in_progress", 50)
    client.force_login(users.cell_secretary)
    page = client.get(reverse("programmes:task", args=[cast.cell.code, task.pk]))
    assert [r.pk for r in page.context["reports"]] == [made.pk]
    url = reverse("programmes:progress_correct", args=[cast.cell.code, made.pk])
    data = {
        "mode": "corrected", "reported_on": "01/02/2026", "status": "in_progress",
        "percent": "70", "reason": "Gõ nhầm tỷ lệ", "row_version": "1", "action": "save",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert ProgressReport.objects.get().percent == 70
    other = report(task, cast.village_cell, date(2026, 2, 2), "in_progress", 10)
    url = reverse("programmes:progress_correct", args=[cast.cell.code, other.pk])
    assert client.get(url).status_code == 404  # another cell's report


def test_a_file_on_a_report_is_stored_and_downloaded_in_scope_only(
    client, cast, users, task, _media
):
    made = report(task, cast.cell, date(2026, 2, 1), "in_progress", 50)
    client.force_login(users.cell_secretary)
    url = reverse("programmes:progress_attach", args=[cast.cell.code, made.pk])
    refused = client.post(url, {"file": SimpleUploadedFile("ket-qua.docx", b"not a zip")})
    assert "không phải tệp .docx" in refused.context["form"].errors["file"][0]
    content = b"Da ket nap 1 dang vien.\n"
    assert client.post(url, {"file": SimpleUploadedFile("ket-qua.txt", content)}).status_code == 302
    row = ProgressFile.objects.get()
    assert (_media / row.path).read_bytes() == content
    client.force_login(users.commune_officer)
    download = client.get(reverse("programmes:file", args=[cast.commune.code, row.pk]))
    assert b"".join(download.streaming_content) == content
    assert AuditEntry.objects.filter(action="tochuc.programme.file_downloaded").count() == 1
    client.force_login(users.sibling_officer)
    url = reverse("programmes:file", args=[cast.sibling_commune.code, row.pk])
    assert client.get(url).status_code == 404


def test_the_briefings_months_come_from_add_months():
    assert services.month_period(date(2024, 2, 1)).end == date(2024, 2, 29)
    assert services.month_period(date(2025, 12, 1)).end == date(2025, 12, 31)
    assert services.previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert services.previous_month(date(2026, 3, 31)) == date(2026, 2, 1)


def test_a_file_attached_by_mistake_is_removed_by_the_reporting_cell(client, cast, users, task):
    from tochuc.core.models import Correction

    made = report(task, cast.cell, date(2026, 2, 1), "in_progress", 50)
    row = corrections.progress_attach(
        report=made, upload=SimpleUploadedFile("nham.txt", b"sai tep\n")
    )
    client.force_login(users.sibling_officer)
    url = reverse("programmes:file_remove", args=[cast.sibling_commune.code, row.pk])
    assert client.get(url).status_code == 404
    client.force_login(users.cell_secretary)
    url = reverse("programmes:file_remove", args=[cast.cell.code, row.pk])
    data = {"mode": "cancelled", "reason": "Nhầm tệp", "action": "save"}
    assert client.post(url, data).status_code == 302
    assert not ProgressFile.objects.exists()
    assert Correction.objects.get(entity="attachment").before["filename"] == "nham.txt"


def test_a_report_dated_before_the_latest_does_not_set_the_tasks_state(cast, task):
    report(task, cast.cell, date(2026, 3, 20), "done", 100)
    report(task, cast.village_cell, date(2026, 2, 1), "in_progress", 30)
    task.refresh_from_db()
    assert (task.status, task.percent, task.completed_on) == ("done", 100, date(2026, 3, 20))
