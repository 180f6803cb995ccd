"""The meeting pages through the client: the cell secretary records on the phone page (all
present but those marked), the commune officer sees the cells due and the rate per cell,
outsiders get 404, and a refused meeting changes nothing."""

import io
from datetime import date

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from tochuc.meetings.models import Meeting

from .conftest import hold

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 12)


@pytest.fixture(autouse=True)
def _march():
    with time_machine.travel(date(2026, 3, 12), tick=False):
        yield


def _record(client, cell, on, data):
    url = f"{reverse('meetings:record', args=[cell.code])}?ngay={on:%d/%m/%Y}"
    return client.post(url, data)


def test_the_cell_secretary_records_the_meeting_in_one_post(client, cast, users, school):
    client.force_login(users.cell_secretary)
    page = client.get(reverse("meetings:record", args=[cast.cell.code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "3 đồng chí phải dự" in text and "Triệu Thị Hằng" in text
    lan, khanh, _hang = school
    response = _record(client, cast.cell, TODAY, {
        "kind": "regular", "topic": "Sinh hoạt thường kỳ tháng 3",
        **{f"p{m.pk}": "present" for m in school},
        f"p{khanh.pk}": "excused", f"r{khanh.pk}": "Đi tập huấn",
        "chair": str(lan.pk),
    })  # fmt: skip
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"?buoi={meeting.pk}")
    assert (meeting.present, meeting.excused, meeting.absent) == (2, 1, 0)
    detail = client.get(response.url).content.decode()
    assert "2/3 có mặt" in detail and "Đi tập huấn" in detail


def test_a_refused_meeting_stays_on_the_page_and_writes_nothing(client, cast, users, school):
    client.force_login(users.cell_secretary)
    khanh = school[1]
    response = _record(client, cast.cell, TODAY, {"kind": "regular", f"p{khanh.pk}": "excused"})
    assert response.status_code == 200
    assert "hãy ghi lý do" in response.content.decode()
    hold(cast.cell, date(2026, 3, 2))
    response = _record(client, cast.cell, TODAY, {"kind": "regular"})
    assert (
        response.status_code == 200 and "Chi bộ đã sinh hoạt thường kỳ" in response.content.decode()
    )
    assert Meeting.objects.count() == 1


def test_the_secretary_of_one_cell_cannot_reach_another(client, cast, users, village):
    meeting = hold(cast.village_cell, date(2026, 3, 2))
    client.force_login(users.cell_secretary)
    assert client.get(reverse("meetings:record", args=[cast.village_cell.code])).status_code == 404
    url = f"{reverse('meetings:detail', args=[cast.village_cell.code])}?buoi={meeting.pk}"
    assert client.get(url).status_code == 404
    # Nor through their own cell's address.
    url = f"{reverse('meetings:detail', args=[cast.cell.code])}?buoi={meeting.pk}"
    assert client.get(url).status_code == 404


def test_the_commune_officer_sees_the_cells_due_and_the_rate_per_cell(
    client, cast, users, village, school
):
    hold(cast.village_cell, date(2026, 3, 2), marks={village[0].pk: ("absent", "")})
    hold(cast.village_cell, date(2026, 2, 20), kind="thematic")
    client.force_login(users.commune_officer)
    due = client.get(reverse("meetings:due", args=[cast.commune.code])).content.decode()
    assert "1/2 chi bộ chưa sinh hoạt thường kỳ" in due
    assert "Chi bộ Tổ Toán" in due
    response = client.get(reverse("meetings:due_export", args=[cast.commune.code]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã chi bộ", "Chi bộ")
    assert [r[0] for r in rows[1:]] == [cast.cell.code]
    response = client.get(reverse("meetings:figures_export", args=[cast.commune.code]),
                          {"nam": "2026"})  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    by_code = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_code[cast.village_cell.code][2:6] == (2, 1, 10, 9)
    assert by_code[cast.village_cell.code][6] == pytest.approx(0.9)
    assert by_code[cast.cell.code][2:6] == (0, 0, 0, 0)


def test_the_list_exports_every_meeting_of_the_subtree(client, cast, users, village, school):
    hold(cast.village_cell, date(2026, 3, 2), topic="Tháng 3")
    hold(cast.cell, date(2026, 3, 3), marks={school[2].pk: ("absent", "")})
    client.force_login(users.commune_officer)
    page = client.get(reverse("meetings:list", args=[cast.commune.code]))
    assert page.status_code == 200 and "Tháng 3" in page.content.decode()
    response = client.get(reverse("meetings:export", args=[cast.commune.code]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[5], r[6], r[8]) for r in rows] == [
        (cast.cell.code, 3, 2, 1),
        (cast.village_cell.code, 5, 5, 0),
    ]


def test_a_correction_page_previews_then_saves(client, cast, users, school):
    meeting = hold(cast.cell, date(2026, 3, 2))
    client.force_login(users.cell_secretary)
    url = f"{reverse('meetings:correct', args=[cast.cell.code])}?buoi={meeting.pk}"
    assert client.get(url).status_code == 200
    data = {
        "mode": "corrected", "held_on": "02/03/2026", "kind": "regular", "topic": "Đã sửa",
        "reason": "Ghi thiếu chủ đề", "row_version": "1",
        **{f"p{m.pk}": "present" for m in school}, f"p{school[0].pk}": "absent",
    }  # fmt: skip
    preview = client.post(url, data)
    assert preview.status_code == 200 and "Đã sửa" in preview.content.decode()
    assert Meeting.objects.get().topic == ""
    saved = client.post(url, {**data, "action": "save"})
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.absent, meeting.row_version) == ("Đã sửa", 1, 2)


def test_members_absent_without_reason_three_months_are_flagged(client, cast, users, village):
    nam = village[4]
    for month in (1, 2, 3):
        hold(cast.village_cell, date(2026, month, 2), marks={nam.pk: ("absent", "")})
    client.force_login(users.commune_officer)
    page = client.get(reverse("meetings:absentees", args=[cast.commune.code])).content.decode()
    assert "Bế Văn Nam" in page and "1, 2, 3" in page


def test_the_list_and_the_figures_read_in_a_fixed_number_of_queries(client, cast, users, village):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users.commune_officer)

    def queries(name):
        client.get(reverse(name, args=[cast.commune.code]))  # what a first read caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name, args=[cast.commune.code])).status_code == 200
        return len(captured)

    hold(cast.village_cell, date(2026, 1, 5))
    before = {name: queries(name) for name in ("meetings:list", "meetings:figures")}
    for month in (2, 3):
        hold(cast.village_cell, date(2026, month, 2))
        hold(cast.village_cell, date(2026, month, 9), kind="thematic")
    assert {name: queries(name) for name in before} == before


def test_the_home_page_shows_this_month_s_meetings_of_the_commune(client, cast, users, village):
    hold(cast.village_cell, date(2026, 3, 2), marks={village[0].pk: ("absent", "")})
    client.force_login(users.commune_officer)
    response = client.get("/")
    panels = {p.key: c for p, c in response.context["panels"]}
    month = panels["meetings_month"]
    assert (month["meetings_cells"], month["meetings_not_met"], month["meetings_held"]) == (2, 1, 1)
    assert month["meetings_rate"] == 80
    assert month["meetings_due"] == [(cast.cell.code, "Chi bộ Tổ Toán")]
    assert "1/2 chi bộ chưa sinh hoạt" in response.content.decode()
