"""Correcting and cancelling a member's timeline acts: replayed through the engine, refused
when a later act would become impossible, kept in history, counted in reports."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.core.corrections import Grounds, preview
from tochuc.core.models import AuditEntry, Correction
from tochuc.members.corrections import timeline_act_cancel, timeline_act_correct
from tochuc.members.models import Member, MemberEvent, Status
from tochuc.members.services import member_exempt, member_exit, member_transfer
from tochuc.reports import periods, registry
from tochuc.statistics import counts
from tochuc.testing import register
from tochuc.transfers.models import Transfer
from tochuc.transfers.services import transfer_issue, transfer_receive

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


def members_on(organization, on):
    report = registry.build("membership", organization, periods.at(on))
    return {row["key"]: row["count"] for row in report.table("members").rows}


def official(member):
    return [
        (a.organization.code, a.valid_from, a.valid_to)
        for a in member.affiliations.filter(kind="official").order_by("valid_from")
    ]


@pytest.fixture
def an(cast):
    return register(cast.cell, "Nguyễn Văn An")


def test_a_wrongly_dated_exemption_is_corrected_and_reports_follow(an):
    member_exempt(member=an, on=date(2025, 10, 1), decision_no="NQ 5")
    act = an.events.get(type=T.EXEMPTED)
    timeline_act_correct(
        member=an, act=act, on=date(2025, 11, 15),
        grounds=Grounds("Ghi nhầm ngày nghị quyết", decision_no="NQ 5a"),
    )  # fmt: skip
    act.refresh_from_db()
    assert act.on == date(2025, 11, 15) and act.decision_no == "NQ 5"
    correction = Correction.objects.get()
    assert correction.rows() == [
        (f"Sự kiện #{act.pk}", "Miễn công tác và sinh hoạt đảng ngày 01/10/2025 (NQ 5) — "
         "Chi bộ Tổ Toán", "Miễn công tác và sinh hoạt đảng ngày 15/11/2025 (NQ 5) — "
         "Chi bộ Tổ Toán"),
    ]  # fmt: skip
    assert correction.reason == "Ghi nhầm ngày nghị quyết" and correction.decision_no == "NQ 5a"
    entry = AuditEntry.objects.get(action="tochuc.member.event_corrected")
    assert entry.data["before"][str(act.pk)]["on"] == "2025-10-01"
    assert entry.data["after"][str(act.pk)]["on"] == "2025-11-15"
    an.refresh_from_db()
    assert an.is_exempted
    assert an.history.first().history_change_reason.startswith("Sửa sự kiện: Ghi nhầm")


def test_a_removal_is_corrected_and_a_report_for_a_date_between_follows(cast, an):
    member_exit(member=an, type=T.REMOVED, on=date(2025, 9, 1), decision_no="QĐ 7")
    counts.rebuild(date(2025, 10, 1))
    assert members_on(cast.commune, date(2025, 10, 1))["total"] == 0
    act = an.events.get(type=T.REMOVED)
    timeline_act_correct(member=an, act=act, on=date(2025, 11, 1), grounds=Grounds("Sai ngày"))
    an.refresh_from_db()
    assert an.status == Status.LEFT
    assert official(an)[-1][2] == date(2025, 11, 1)
    # The summary built before the correction is stale: the report counts the corrected facts.
    assert members_on(cast.commune, date(2025, 10, 1))["total"] == 1
    assert members_on(cast.commune, date(2025, 11, 2))["total"] == 0


def test_a_removal_cancelled_makes_the_member_active_again(cast, an):
    member_exit(member=an, type=T.REMOVED, on=date(2025, 9, 1))
    act = an.events.get(type=T.REMOVED)
    timeline_act_cancel(member=an, act=act, grounds=Grounds("Quyết định bị thu hồi", "QĐ 9"))
    an.refresh_from_db()
    assert an.status == Status.FULL
    assert official(an) == [("T01.X01.THPT.TOAN", date(2025, 7, 1), None)]
    assert not an.events.filter(type=T.REMOVED).exists()
    assert ("Tình trạng", "Đã ra khỏi Đảng", "Chính thức") in Correction.objects.get().rows()
    assert AuditEntry.objects.filter(action="tochuc.member.event_cancelled").count() == 1
    assert members_on(cast.commune, date(2025, 12, 31))["total"] == 1


def test_a_transfer_to_the_wrong_cell_is_corrected_with_its_arrival(cast, an):
    member_transfer(member=an, on=date(2025, 8, 1), to=cast.sibling_cell)
    act = an.events.get(type=T.TRANSFERRED_OUT)
    shown, refusal = preview(
        timeline_act_correct, member=an, act=act, organization=cast.village_cell,
        grounds=Grounds("Nhầm chi bộ nơi đến"),
    )  # fmt: skip
    assert refusal is None
    assert (
        "Nơi sinh hoạt chính thức",
        "Chi bộ Tổ Toán 01/07/2025–01/08/2025; Chi bộ thôn Khòn Lèng 01/08/2025–…",
        "Chi bộ Tổ Toán 01/07/2025–01/08/2025; Chi bộ thôn Nà Phái 01/08/2025–…",
    ) in shown.rows()
    assert Member.objects.get(pk=an.pk).organization == cast.sibling_cell  # nothing written
    assert not Correction.objects.exists()
    timeline_act_correct(
        member=an, act=act, organization=cast.village_cell, grounds=Grounds("Nhầm chi bộ")
    )
    an.refresh_from_db()
    assert an.organization == cast.village_cell
    assert official(an) == [
        ("T01.X01.THPT.TOAN", date(2025, 7, 1), date(2025, 8, 1)),
        ("T01.X01.NAPHAI", date(2025, 8, 1), None),
    ]
    arrival = an.events.get(type=T.TRANSFERRED_IN)
    assert arrival.organization == cast.village_cell
    assert members_on(cast.sibling_commune, date(2025, 12, 31))["total"] == 0
    assert members_on(cast.commune, date(2025, 12, 31))["total"] == 1


def test_cancelling_a_receipt_puts_the_transfer_back_in_progress(cast, an):
    transfer = transfer_issue(member=an, on=date(2025, 8, 1), to=cast.sibling_cell)
    transfer_receive(transfer=transfer, arrived_on=date(2025, 8, 20))
    receipt = an.events.get(type=T.TRANSFERRED_IN)
    timeline_act_cancel(member=an, act=receipt, grounds=Grounds("Đảng viên chưa đến"))
    transfer.refresh_from_db()
    an.refresh_from_db()
    assert transfer.state == Transfer.State.ISSUED and transfer.arrived_on is None
    assert an.organization == cast.cell


def test_cancelling_an_issued_letter_cancels_its_receipt_too(cast, an):
    transfer = transfer_issue(member=an, on=date(2025, 8, 1), to=cast.sibling_cell)
    transfer_receive(transfer=transfer, arrived_on=date(2025, 8, 20))
    timeline_act_cancel(
        member=an, act=an.events.get(type=T.TRANSFERRED_OUT), grounds=Grounds("Lập nhầm")
    )
    transfer.refresh_from_db()
    an.refresh_from_db()
    assert transfer.state == Transfer.State.CANCELLED
    assert an.organization == cast.cell and an.status == Status.FULL
    assert not an.events.filter(type__in=[T.TRANSFERRED_OUT, T.TRANSFERRED_IN]).exists()


def test_a_correction_that_breaks_a_later_act_is_refused_and_changes_nothing(an):
    member_exempt(member=an, on=date(2025, 9, 1))
    member_exempt(member=an, on=date(2025, 10, 1), end=True)
    act = an.events.get(type=T.EXEMPTED)
    before = list(an.events.values_list("type", "on"))
    with pytest.raises(ValidationError, match="chưa được miễn công tác") as refused:
        timeline_act_correct(member=an, act=act, on=date(2025, 10, 5), grounds=Grounds("Sửa"))
    assert "Chưa thay đổi gì" in refused.value.messages[0]
    assert list(an.events.values_list("type", "on")) == before
    assert not Correction.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="tochuc.member.event_").exists()


def test_a_reason_is_required(an):
    member_exempt(member=an, on=date(2025, 9, 1))
    with pytest.raises(ValidationError) as refused:
        timeline_act_cancel(member=an, act=an.events.get(type=T.EXEMPTED), grounds=Grounds(" "))
    assert refused.value.message_dict == {"reason": ["Hãy ghi lý do sửa, hủy."]}
    assert an.events.filter(type=T.EXEMPTED).exists()


def test_the_admission_is_not_corrected_here(an):
    with pytest.raises(ValidationError, match="hồ sơ kết nạp"):
        timeline_act_cancel(member=an, act=an.events.get(type=T.ADMITTED), grounds=Grounds("x"))


@pytest.mark.parametrize(
    ("field", "day", "why"),
    [
        ("on", date(1920, 1, 1), "trước ngày thành lập Đảng"),
        ("on", date(2009, 1, 1), "ngày quyết định kết nạp"),  # An was admitted 19/05/2010
        ("on", date(2999, 1, 1), "không được sau hôm nay"),
        ("decision_date", date(2999, 1, 1), "không được sau hôm nay"),
        ("decision_date", date(1, 1, 1), "trước ngày thành lập Đảng"),
    ],
)
def test_a_correction_dated_where_the_act_cannot_be_is_refused(an, field, day, why):
    member_exempt(member=an, on=date(2025, 9, 1))
    act = an.events.get(type=T.EXEMPTED)
    with pytest.raises(ValidationError, match=why) as refused:
        timeline_act_correct(member=an, act=act, grounds=Grounds("Sửa"), **{field: day})
    assert list(refused.value.message_dict) == [field]
    act.refresh_from_db()
    assert act.on == date(2025, 9, 1) and act.decision_date is None
    assert not Correction.objects.exists()


def test_an_admission_corrected_to_before_the_person_was_of_age_is_refused(an):
    from tochuc.members.corrections import admission_act_correct

    with pytest.raises(ValidationError, match="ngày đủ 18 tuổi"):  # An was born 15/03/1985
        admission_act_correct(member=an, decided_on=date(2001, 1, 1), grounds=Grounds("Sửa"))
    assert an.events.get(type=T.ADMITTED).on == date(2010, 5, 19)
    assert not Correction.objects.exists()
