import io
from datetime import date

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from tochuc.admissions import confirmations
from tochuc.admissions.models import Candidate, Stage
from tochuc.lib.documents import docx_text
from tochuc.members.models import Member, MemberEvent, Status

from .conftest import carry

pytestmark = pytest.mark.django_db


def post(client, url, data, *, follow=False):
    return client.post(url, data, follow=follow)


def errors_of(response) -> dict:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def step_url(candidate, slug):
    return reverse("admissions:step", args=[candidate.pk, slug])


def decide_url(candidate, slug):
    return reverse("admissions:decide", args=[candidate.pk, slug])


@time_machine.travel(date(2026, 1, 5))
def test_a_cell_secretary_carries_a_candidate_from_identification_to_the_ceremony(
    client, cast, users, cell_members
):
    client.force_login(users.cell_secretary)
    response = post(
        client,
        reverse("admissions:add", args=[cast.cell.code]),
        {
            "cell": cast.cell.pk,
            "full_name": "Đinh Thị Ngọc",
            "gender": "female",
            "birth_date": "12/04/2000",
            "ethnicity": "02",
            "on": "04/08/2025",
            "hometown": "xã Tân An, tỉnh Lạng Sơn",
        },
    )
    candidate = Candidate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admissions:detail", args=[candidate.pk])
    assert candidate.cell == cast.cell and candidate.stage == Stage.IDENTIFIED

    post(
        client,
        step_url(candidate, "khoa-hoc"),
        {"certificate_no": "125-GCN/TTCT", "on": "05/09/2025"},
    )
    post(client, step_url(candidate, "don"), {"on": "15/09/2025"})
    # An introducer who has worked with her for only ten months is refused beside the field.
    response = post(
        client,
        step_url(candidate, "gioi-thieu"),
        {
            "who": "member",
            "member": cell_members[0].pk,
            "worked_with_from": "23/11/2024",
            "on": "22/09/2025",
        },
    )
    assert response.status_code == 200
    assert "mới cùng công tác với người vào Đảng 9 tháng" in " ".join(errors_of(response)["member"])
    for member in cell_members[:2]:
        post(
            client,
            step_url(candidate, "gioi-thieu"),
            {
                "who": "member",
                "member": member.pk,
                "worked_with_from": "02/01/2024",
                "on": "22/09/2025",
            },
        )
    post(
        client,
        step_url(candidate, "tham-tra"),
        {"on": "20/10/2025", "conclusion": "Lý lịch rõ ràng"},
    )
    # Four of seven is short of two thirds: refused, with the count beside the votes.
    cell_vote = {
        "on": "03/11/2025",
        "resolution_no": "05-NQ/CB",
        "votes_for": 4,
        "votes_against": 3,
    }
    response = post(client, step_url(candidate, "chi-bo"), cell_vote)
    assert errors_of(response)["votes_for"] == [
        "Cần ít nhất 5/7 đảng viên chính thức tán thành (2/3); mới có 4."
    ]
    response = post(
        client, step_url(candidate, "chi-bo"), {**cell_vote, "votes_for": 6, "votes_against": 1}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.CELL_APPROVED

    # The committees' steps are not the cell secretary's.
    assert client.get(decide_url(candidate, "dang-uy")).status_code == 403
    client.force_login(users.commune_officer)
    post(
        client, decide_url(candidate, "dang-uy"), {"on": "10/11/2025", "resolution_no": "12-NQ/ĐU"}
    )
    response = post(
        client,
        decide_url(candidate, "quyet-dinh"),
        {
            "on": "01/12/2025",
            "decision_no": "215-QĐ/ĐU",
            "decided_by": "Ban Thường vụ Đảng ủy xã Tân An",
        },
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.DECIDED

    client.force_login(users.cell_secretary)
    response = post(client, step_url(candidate, "le-ket-nap"), {"on": "19/12/2025"}, follow=True)
    member = Member.objects.get(full_name="Đinh Thị Ngọc")
    assert response.redirect_chain[-1][0] == reverse("members:detail", args=[member.pk])
    page = response.content.decode()
    assert "Đinh Thị Ngọc là đảng viên dự bị từ 19/12/2025." in page
    assert (member.status, member.organization) == (Status.PROBATIONARY, cast.cell)
    assert (member.admitted_on, member.ceremony_on) == (date(2025, 12, 1), date(2025, 12, 19))
    assert member.hometown == "xã Tân An, tỉnh Lạng Sơn"


def test_an_officer_confirms_the_member_a_year_later(client, cast, users, cell_members, identify):
    with time_machine.travel(date(2026, 1, 5)):
        member = carry(identify(), cell_members[:2], Stage.ADMITTED).member
    with time_machine.travel(date(2027, 1, 20)):
        client.force_login(users.cell_secretary)
        page = client.get(reverse("admissions:confirmation", args=[member.pk])).content.decode()
        assert "hết thời gian dự bị ngày 19/12/2026" in page
        response = post(
            client,
            reverse("admissions:confirmation_vote", args=[member.pk]),
            {"on": "08/01/2027", "resolution_no": "01-NQ/CB", "votes_for": 7, "votes_against": 0},
        )
        assert response.status_code == 302
        assert (
            client.get(reverse("admissions:confirmation_decide", args=[member.pk])).status_code
            == 403
        )
        client.force_login(users.commune_officer)
        response = post(
            client,
            reverse("admissions:confirmation_decide", args=[member.pk]),
            {
                "confirmed": "1",
                "decision_no": "40-QĐ/ĐU",
                "decided_on": "18/01/2027",
            },
        )
        assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == Status.FULL
    assert member.confirmed_on == date(2026, 12, 19)
    event = member.events.get(type=MemberEvent.Type.CONFIRMED)
    assert (event.decision_no, event.decision_date) == ("40-QĐ/ĐU", date(2027, 1, 18))


def test_a_candidate_of_another_commune_is_not_found(client, cast, users, identify):
    with time_machine.travel(date(2026, 1, 5)):
        candidate = identify()
    client.force_login(users.sibling_officer)
    assert client.get(reverse("admissions:detail", args=[candidate.pk])).status_code == 404
    assert client.get(decide_url(candidate, "quyet-dinh")).status_code == 404
    client.force_login(users.commune_viewer)
    assert client.get(reverse("admissions:detail", args=[candidate.pk])).status_code == 200
    assert client.get(step_url(candidate, "khoa-hoc")).status_code == 403


@time_machine.travel(date(2026, 1, 5))
def test_the_admission_decision_reads_back_from_the_docx(
    client, cast, users, cell_members, identify
):
    candidate = carry(identify(), cell_members[:2], Stage.DECIDED)
    client.force_login(users.commune_officer)
    response = client.get(reverse("admissions:decision_docx", args=[candidate.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(response.content)
    assert "ĐẢNG BỘ TỈNH A" in text
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ TÂN AN" in text
    assert "Số 215-QĐ/ĐU" in text
    assert "Tân An, ngày 01 tháng 12 năm 2025" in text
    assert "về việc kết nạp đảng viên" in text
    assert "Điều 1. Kết nạp đồng chí Đinh Thị Ngọc, sinh ngày 12/04/2000" in text
    assert "(6/7 đảng viên chính thức tán thành)" in text
    assert "Thời gian dự bị 12 tháng" in text


def test_the_confirmation_decision_reads_back_from_the_docx(
    client, cast, users, cell_members, identify
):
    with time_machine.travel(date(2026, 1, 5)):
        member = carry(identify(), cell_members[:2], Stage.ADMITTED).member
    with time_machine.travel(date(2027, 3, 1)):
        confirmations.confirmation_vote(
            member=member, on=date(2027, 1, 8), votes_for=7, votes_against=0
        )
        confirmations.confirmation_decide(
            member=member, confirmed=True, decision_no="40-QĐ/ĐU", decided_on=date(2027, 2, 25)
        )
        client.force_login(users.commune_officer)
        response = client.get(reverse("admissions:confirmation_docx", args=[member.pk]))
    text = docx_text(response.content)
    assert "Số 40-QĐ/ĐU" in text
    assert "Tân An, ngày 25 tháng 02 năm 2027" in text
    assert (
        "Điều 1. Công nhận đồng chí Đinh Thị Ngọc, sinh ngày 12/04/2000, vào Đảng ngày "
        "19/12/2025, là đảng viên chính thức kể từ ngày 19/12/2026."
    ) in text
    assert "(7/7 đảng viên chính thức tán thành)" in text


@time_machine.travel(date(2026, 1, 5))
def test_the_candidate_list_is_searchable_without_accents_and_exports(
    client, cast, users, identify
):
    identify()
    identify({"full_name": "Lương Văn Bình", "gender": "male"}, cell=cast.village_cell)
    client.force_login(users.commune_officer)
    response = client.get(reverse("admissions:list", args=[cast.commune.code]), {"q": "binh"})
    assert [c.full_name for c in response.context["rows"]] == ["Lương Văn Bình"]
    response = client.get(reverse("admissions:list", args=[cast.commune.code]))
    assert [c.full_name for c in response.context["rows"]] == ["Lương Văn Bình", "Đinh Thị Ngọc"]
    response = client.get(reverse("admissions:export", args=[cast.commune.code]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[4]) for r in rows] == [
        ("Lương Văn Bình", "Chi bộ thôn Nà Phái"),
        ("Đinh Thị Ngọc", "Chi bộ Tổ Toán"),
    ]
