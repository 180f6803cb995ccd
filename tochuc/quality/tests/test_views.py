"""The pages: the score and ranking, a pair merged through the page, the member add warning,
the problems export and the screening list through proposal and decision."""

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from tochuc.members.models import Member, Status
from tochuc.quality.models import DuplicatePair, ScreeningProposal
from tochuc.transfers.models import WorkingAway

from .conftest import BORN, FULL, scan

pytestmark = pytest.mark.django_db


def test_the_provincial_officer_sees_the_score_ranks_and_merges_a_pair(
    client, cast, users, village
):
    scan(cast.province)
    client.force_login(users.province_officer)
    page = client.get(reverse("quality:overview", args=[cast.province.code]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "25%" in body and cast.commune.name in body
    pair = DuplicatePair.objects.get()
    url = reverse("quality:pair", args=[cast.province.code, pair.pk])
    shown = client.get(url)
    assert "Lâm Thi Hoa" in shown.content.decode()
    merged = client.post(
        reverse("quality:pair_merge", args=[cast.province.code, pair.pk]),
        {"keep": village["hoa"].pk, "reason": "Nhập hai lần", "v_full_name": "first"},
    )
    assert merged.status_code == 302
    assert not Member.objects.filter(pk=village["twice"].pk).exists()
    after = client.get(reverse("quality:overview", args=[cast.province.code])).content.decode()
    assert "67%" in after  # 2 of 3 records clean


def test_a_sibling_commune_officer_cannot_see_the_pair(client, cast, users, village):
    scan(cast.province)
    client.force_login(users.sibling_officer)
    pair = DuplicatePair.objects.get()
    url = reverse("quality:pair", args=[cast.sibling_commune.code, pair.pk])
    assert client.get(url).status_code == 404


def test_adding_a_likely_duplicate_warns_and_needs_a_reason(client, cast, users, village):
    client.force_login(users.commune_officer)
    url = reverse("members:add", args=[cast.village_cell.code])
    data = {
        "cell": cast.village_cell.pk, "full_name": "Lam Thi Hoa", "gender": "female",
        "birth_date": BORN.strftime("%d/%m/%Y"), "ethnicity": "01",
        "admitted_on": "19/05/2010", "ceremony_on": "02/06/2010", **FULL,
    }  # fmt: skip
    warned = client.post(url, data)
    assert warned.status_code == 200
    assert "Lâm Thị Hoa" in warned.content.decode()
    assert "duplicate_reason" in warned.context["form"].errors
    assert Member.objects.filter(full_name="Lam Thi Hoa").count() == 0
    saved = client.post(url, {**data, "duplicate_reason": "Người khác, cùng tên cùng ngày sinh"})
    assert saved.status_code == 302
    added = Member.objects.get(full_name="Lam Thi Hoa")
    assert "Người khác" in added.history.first().history_change_reason


def test_the_problems_export_lists_each_problem(client, cast, users, village):
    scan(cast.province)
    client.force_login(users.commune_officer)
    response = client.get(reverse("quality:problems_xlsx", args=[cast.commune.code]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(rows) == 4
    assert {r[4] for r in rows} == {"Nghi trùng hồ sơ", "Thiếu số CCCD", "Thiếu nơi sinh"}


def test_screening_lists_a_member_out_of_contact_and_removes_on_decision(
    client, cast, users, village
):
    tuan = village["tuan"]
    WorkingAway.objects.create(
        member=tuan, organization=tuan.organization, place="Thuận An, Bình Dương",
        starts_on=date(2025, 1, 10), contact="Qua gia đình",
    )  # fmt: skip
    client.force_login(users.commune_officer)
    page = client.get(reverse("quality:screening", args=[cast.commune.code]))
    assert [r["member"] for r in page.context["rows"]] == [tuan]
    assert "Mất liên lạc khi đi làm ăn xa" in page.content.decode()
    proposed = client.post(
        reverse("quality:propose", args=[cast.commune.code]),
        {"member": tuan.pk, "on": date.today().strftime("%d/%m/%Y")},
    )
    assert proposed.status_code == 302
    proposal = ScreeningProposal.objects.get()
    decided = client.post(
        reverse("quality:decide", args=[cast.commune.code, proposal.pk]),
        {"remove": "1", "on": date.today().strftime("%d/%m/%Y"), "decision_no": "12-QĐ/ĐU"},
    )
    assert decided.status_code == 302
    tuan.refresh_from_db()
    assert tuan.status == Status.LEFT
    assert tuan.events.filter(type="removed", decision_no="12-QĐ/ĐU").exists()


def test_a_campaign_shows_progress_per_organization_per_day(client, cast, users, village):
    from tochuc.members.services import member_update
    from tochuc.quality.campaigns import campaign_progress
    from tochuc.quality.models import Campaign

    client.force_login(users.province_officer)
    today = date.today().strftime("%d/%m/%Y")
    created = client.post(
        reverse("quality:campaign_add", args=[cast.province.code]),
        {"name": "Làm sạch dữ liệu 2026", "starts_on": today, "ends_on": today,
         "target_citizen_id": 100, "target_pairs": 0},
    )  # fmt: skip
    campaign = Campaign.objects.get()
    assert created.status_code == 302
    scan(cast.province)
    twice = Member.objects.get(pk=village["twice"].pk)
    member_update(member=twice, changes={"citizen_id": "020188000109"}, expected_version=1)
    scan(cast.province)  # the day's last scan counts
    days, lines = campaign_progress(campaign=campaign)
    assert days == [date.today()]
    assert [(line.organization, [p.id_percent for p in line.points]) for line in lines] == [
        (cast.province, [100]),
        (cast.commune, [100]),
    ]
    assert not lines[0].reached(campaign)  # the pair is still open
    # Seen from the commune: the commune and its own units, never its siblings.
    _days, below = campaign_progress(campaign=campaign, organization=cast.commune)
    assert [line.organization for line in below] == [cast.commune, cast.village_cell, cast.base]
    client.force_login(users.commune_officer)
    page = client.get(reverse("quality:campaign", args=[cast.commune.code, campaign.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Chưa đạt" in body
    assert cast.province.name not in body.split('id="progress"')[1]
