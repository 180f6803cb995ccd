"""The programme pages: a secretary reports progress on the cell's task; the home page's
panel lists what is overdue; the demo step."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from tochuc.programmes import services
from tochuc.programmes.demo import seed_briefings, seed_programme
from tochuc.programmes.models import Briefing, ProgressReport, Task

pytestmark = pytest.mark.django_db


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
        assignees=[cast.cell],
        deadline=date(2026, 3, 31),
    )


@time_machine.travel(date(2026, 4, 10), tick=False)
def test_a_secretary_reports_progress_on_the_cells_task(client, cast, users, task):
    client.force_login(users.cell_secretary)
    page = client.get(reverse("programmes:list", args=[cast.cell.code]))
    assert [t.title for t in page.context["overdue"]] == ["Kết nạp 2 đảng viên"]
    url = reverse("programmes:progress", args=[cast.cell.code, task.pk])
    response = client.post(url, {"reported_on": "09/04/2026", "status": "done", "percent": "80"})
    assert response.status_code == 200  # done means 100%: refused beside the field
    assert "100%" in response.context["form"].errors["percent"][0]
    assert not ProgressReport.objects.exists()
    response = client.post(
        url,
        {
            "reported_on": "09/04/2026",
            "status": "done",
            "percent": "100",
            "text": "Đã kết nạp 2 đảng viên.",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.percent, task.completed_on) == ("done", 100, date(2026, 4, 9))


@time_machine.travel(date(2026, 4, 10), tick=False)
def test_the_home_panel_lists_the_overdue_task(cast, task):
    from tochuc.programmes.dashboard import programmes_panel

    panel = programmes_panel(None, cast.commune, date(2026, 4, 10))
    assert panel["overdue_count"] == 1 and panel["overdue"][0].title == "Kết nạp 2 đảng viên"


def test_a_task_of_another_cell_is_not_found_for_the_secretary(client, cast, users):
    programme = services.programme_create(
        organization=cast.commune,
        title="CT",
        starts_on=date(2025, 9, 1),
        ends_on=date(2030, 8, 31),
        groups=["Nhóm"],
    )
    other = services.task_add(
        group=programme.groups.get(),
        title="Việc của thôn",
        assignees=[cast.village_cell],
        deadline=date(2026, 3, 31),
    )
    client.force_login(users.cell_secretary)
    url = reverse("programmes:progress", args=[cast.cell.code, other.pk])
    assert client.get(url).status_code == 404


@time_machine.travel(date(2026, 4, 10), tick=False)
def test_the_demo_step_builds_the_programme_and_the_briefings(cast):
    import random

    programme, tasks = seed_programme(
        cast.province,
        [cast.commune, cast.sibling_commune],
        today=date(2026, 4, 10),
        rng=random.Random(3),
        cells=[cast.cell],
    )
    assert programme.groups.count() == 8 and tasks == Task.objects.count() == 12
    assert Task.objects.get(assignees=cast.cell).group.number == 4
    assert programme.document.number == "04-CTr/TU"
    assert seed_briefings(cast.commune, today=date(2026, 4, 10), months=2) == 2
    issued = Briefing.objects.filter(issued_at__isnull=False).values_list("month", flat=True)
    assert list(issued) == [date(2026, 2, 1)]  # last month's stays a draft to edit


def test_an_officer_sets_a_programme_on_a_registered_document_and_assigns_a_task(
    client, cast, users
):
    from tochuc.documents.services import document_register
    from tochuc.programmes.models import Programme

    document_register(
        organization=cast.commune,
        number="04-CTr/ĐU",
        issued_on=date(2025, 9, 5),
        title="Chương trình hành động",
    )
    client.force_login(users.commune_officer)
    response = client.post(
        reverse("programmes:add", args=[cast.commune.code]),
        {
            "title": "Chương trình hành động thực hiện Nghị quyết Đại hội",
            "document": "4-ctr/du",
            "starts_on": "05/09/2025",
            "ends_on": "31/08/2030",
            "groups": "Xây dựng tổ chức đảng\nPhát triển đảng viên\n",
        },
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert programme.document.number == "04-CTr/ĐU" and programme.groups.count() == 2
    url = reverse("programmes:task_add", args=[cast.commune.code, programme.pk])
    data = {
        "group": programme.groups.get(number=2).pk,
        "title": "Kết nạp đảng viên",
        "assignees": f"{cast.village_cell.code}, {cast.sibling_cell.code}",
        "deadline": "31/12/2026",
    }
    response = client.post(url, data)
    assert "T01.X02.KHONLENG" in response.context["form"].errors["assignees"][0]
    response = client.post(url, {**data, "assignees": cast.village_cell.code})
    assert response.status_code == 302
    assert list(Task.objects.get().assignees.all()) == [cast.village_cell]


@time_machine.travel(date(2026, 4, 10), tick=False)
def test_the_tasks_export_holds_each_task_with_its_progress(client, cast, users, task):
    import io

    import openpyxl

    client.force_login(users.commune_officer)
    response = client.get(reverse("programmes:export", args=[cast.commune.code]))
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(response.content))
            .worksheets[0].iter_rows(values_only=True)]  # fmt: skip
    assert rows[0][:4] == ["STT", "Chương trình", "Nhóm nhiệm vụ", "Nhiệm vụ"]
    assert rows[1][3:5] == ["Kết nạp 2 đảng viên", "Chi bộ Tổ Toán"]
    assert rows[1][7:] == ["Chưa triển khai", 0, "Quá hạn"]
    assert len(rows) == 2
