"""Transfers of party activity, temporary activity, exits and re-admission, with the named
cast: a member of the commune's village cell (Nà Phái) goes to the sibling commune's cell
(Khòn Lèng).

Working days of March–April 2026: 2/3 (Monday) + 30 working days = 13/4/2026 (no public
holiday in between: the Hùng Kings' day falls on 26/4 that year).
"""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tochuc.accounts.access import Scope
from tochuc.members import selectors
from tochuc.members.models import Affiliation, MemberEvent, Status
from tochuc.members.services import member_exempt, member_exit, member_readmit
from tochuc.organizations.models import Kind
from tochuc.testing import MEMBER_DEFAULTS, found, register
from tochuc.transfers import selectors as transfers
from tochuc.transfers.models import Transfer
from tochuc.transfers.services import (
    OutsideLetter,
    temporary_transfer_issue,
    temporary_transfer_return,
    temporary_transfers_expire,
    transfer_issue,
    transfer_receive,
    transfer_receive_from_outside,
    working_away_check,
    working_away_record,
)

pytestmark = pytest.mark.django_db
T = MemberEvent.Type
LETTER_ON = date(2026, 3, 2)
PRESENT_DUE = date(2026, 4, 13)


@pytest.fixture(autouse=True)
def spring_2026():
    with time_machine.travel(date(2026, 6, 20), tick=False):
        yield


@pytest.fixture
def binh(cast):
    return register(cast.village_cell, "Trần Thị Bình", citizen_id="001185000002")


def counts(cast, on):
    return (
        selectors.member_count_on(organization=cast.commune, on=on),
        selectors.member_count_on(organization=cast.sibling_commune, on=on),
    )


def names(user):
    qs = selectors.member_list(scope=Scope.for_user(user), filters=selectors.MemberFilters())
    return [m.full_name for m in qs]


def timeline(member):
    return [(e.type, e.on) for e in selectors.member_timeline(member=member)]


def sent(member, cast, **kwargs):
    return transfer_issue(member=member, on=LETTER_ON, to=cast.sibling_cell, **kwargs)


# ---------------------------------------------------------------- official, inside


def test_the_commune_sends_a_member_and_the_sibling_commune_receives_them(cast, users, binh):
    transfer = sent(binh, cast, move_decided_on=date(2026, 2, 2), reason="Chuyển nơi cư trú")
    binh.refresh_from_db()
    assert transfer.state == Transfer.State.ISSUED
    assert transfer.issuer == cast.commune
    assert transfer.letter_no == "1-GGT/ĐU"
    assert transfer.present_due == PRESENT_DUE
    # 60 working days after 2/2: Tết (16–20/2), 27/4, 30/4 and 1/5 are skipped.
    assert transfer.start_due == date(2026, 5, 7)
    # In transfer: still a member of the village cell, counted and listed there.
    assert binh.organization == cast.village_cell
    assert transfers.open_transfer(member=binh) == transfer
    assert names(users.commune_officer) == ["Trần Thị Bình"]
    assert names(users.sibling_officer) == []
    assert list(transfers.transfers_in(organization=cast.sibling_commune)) == [transfer]
    assert list(transfers.transfers_out(organization=cast.commune)) == [transfer]

    transfer_receive(transfer=transfer, arrived_on=date(2026, 3, 10), by=users.sibling_officer)
    binh.refresh_from_db()
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.RECEIVED
    assert transfer.received_by == users.sibling_officer
    assert binh.organization == cast.sibling_cell
    assert binh.status == Status.FULL
    assert names(users.commune_officer) == []
    assert names(users.sibling_officer) == ["Trần Thị Bình"]
    assert timeline(binh) == [
        (T.ADMITTED, date(2010, 5, 19)), (T.CONFIRMED, date(2011, 6, 3)),
        (T.TRANSFERRED_OUT, LETTER_ON), (T.TRANSFERRED_IN, date(2026, 3, 10)),
    ]  # fmt: skip
    # Counts as of dates before, during and after the transfer.
    assert counts(cast, date(2026, 3, 1)) == (1, 0)
    assert counts(cast, LETTER_ON) == (1, 0)
    assert counts(cast, date(2026, 3, 9)) == (1, 0)
    assert counts(cast, date(2026, 3, 10)) == (0, 1)
    assert counts(cast, date(2026, 3, 20)) == (0, 1)
    official = binh.affiliations.filter(kind=Affiliation.Kind.OFFICIAL).order_by("valid_from")
    assert [(a.organization, a.valid_from, a.valid_to) for a in official] == [
        (cast.village_cell, date(2025, 7, 1), date(2026, 3, 10)),
        (cast.sibling_cell, date(2026, 3, 10), None),
    ]


def test_letters_are_numbered_per_issuer_and_year_without_duplicates(cast):
    members = [register(cast.village_cell, f"Đảng viên {i}") for i in range(3)]
    school = register(cast.cell, "Lý Văn Giáo")
    first = sent(members[0], cast)
    second = sent(members[1], cast)
    from_school = sent(school, cast)  # the school's cell sits under the commune too
    with time_machine.travel(date(2027, 1, 5), tick=False):
        next_year = transfer_issue(member=members[2], on=date(2027, 1, 5), to=cast.sibling_cell)
    assert [first.letter_no, second.letter_no, from_school.letter_no, next_year.letter_no] == [
        "1-GGT/ĐU", "2-GGT/ĐU", "3-GGT/ĐU", "1-GGT/ĐU",
    ]  # fmt: skip
    sibling = transfer_issue(
        member=register(cast.sibling_cell, "Hà Văn Khoa"), on=LETTER_ON, to=cast.village_cell
    )
    assert (sibling.issuer, sibling.letter_no) == (cast.sibling_commune, "1-GGT/ĐU")


def test_the_database_refuses_a_duplicate_letter_number(cast, binh):
    from django.db import IntegrityError, transaction

    transfer = sent(binh, cast)
    other = register(cast.village_cell, "Đinh Văn Cường")
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            member=other, kind=Transfer.Kind.OFFICIAL, state=Transfer.State.RECEIVED,
            source=cast.village_cell, destination=cast.sibling_cell, issuer=cast.commune,
            letter_year=2026, letter_seq=transfer.letter_seq, letter_no="1-GGT/ĐU",
            letter_on=LETTER_ON,
        )  # fmt: skip


# ---------------------------------------------------------------- refusals change nothing


def snapshot(member):
    member.refresh_from_db()
    return (
        member.row_version,
        member.organization_id,
        member.status,
        member.is_exempted,
        list(member.events.values_list("type", "on")),
        list(member.affiliations.values_list("organization_id", "kind", "valid_from", "valid_to")),
        list(member.transfers.values_list("state", "row_version")),
    )


def test_a_member_already_in_transfer_cannot_be_transferred_again(cast, binh):
    sent(binh, cast)
    before = snapshot(binh)
    with pytest.raises(ValidationError, match="đang chuyển sinh hoạt đảng .giấy giới thiệu 1-GGT"):
        transfer_issue(member=binh, on=date(2026, 3, 5), to=cast.cell)
    with pytest.raises(ValidationError, match="đang chuyển sinh hoạt đảng"):
        temporary_transfer_issue(
            member=binh, on=date(2026, 3, 5), ends_on=date(2026, 9, 5), purpose="work",
            host=cast.cell,
        )  # fmt: skip
    assert snapshot(binh) == before


def test_a_letter_or_a_receipt_dated_after_today_is_refused(cast, binh):
    with pytest.raises(ValidationError) as refused:
        transfer_issue(member=binh, on=date(2026, 6, 21), to=cast.sibling_cell)
    assert refused.value.message_dict == {"on": ["Ngày này không được sau hôm nay."]}
    transfer = sent(binh, cast)
    with pytest.raises(ValidationError) as refused:
        transfer_receive(transfer=transfer, arrived_on=date(2026, 6, 21))
    assert refused.value.message_dict == {"arrived_on": ["Ngày này không được sau hôm nay."]}


def test_a_receipt_dated_before_its_letter_is_refused(cast, binh):
    transfer = sent(binh, cast)
    before = snapshot(binh)
    with pytest.raises(ValidationError) as refused:
        transfer_receive(transfer=transfer, arrived_on=date(2026, 3, 1))
    assert refused.value.message_dict["arrived_on"] == [
        "Ngày đến sinh hoạt (01/03/2026) không được trước ngày cấp giấy giới thiệu (02/03/2026)."
    ]
    assert snapshot(binh) == before


def test_exempting_an_exempted_member_is_refused(binh):
    member_exempt(member=binh, on=date(2026, 1, 5), decision_no="Nghị quyết 03-NQ/CB",
                  grounds="Sức khỏe yếu")  # fmt: skip
    before = snapshot(binh)
    with pytest.raises(ValidationError, match="đã được miễn công tác và sinh hoạt đảng"):
        member_exempt(member=binh, on=date(2026, 2, 5))
    assert snapshot(binh) == before
    exempted = binh.events.get(type=T.EXEMPTED)
    assert (exempted.decision_no, exempted.note) == ("Nghị quyết 03-NQ/CB", "Sức khỏe yếu")
    member_exempt(member=binh, on=date(2026, 3, 5), end=True)
    binh.refresh_from_db()
    assert not binh.is_exempted


def test_an_exit_of_someone_who_already_left_is_refused(binh):
    member_exit(member=binh, type=T.RESIGNED, on=date(2026, 2, 1), grounds="Xin ra khỏi Đảng")
    before = snapshot(binh)
    with pytest.raises(ValidationError, match="không còn sinh hoạt đảng"):
        member_exit(member=binh, type=T.REMOVED, on=date(2026, 3, 1), grounds="Bỏ sinh hoạt")
    assert snapshot(binh) == before


def test_an_exit_during_a_transfer_closes_the_letter(cast, binh):
    transfer = sent(binh, cast)
    member_exit(member=binh, type=T.DIED, on=date(2026, 3, 8))
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.CLOSED
    with pytest.raises(ValidationError, match="không còn chờ tiếp nhận"):
        transfer_receive(transfer=transfer, arrived_on=date(2026, 3, 10))
    assert counts(cast, date(2026, 3, 10)) == (0, 0)


# ---------------------------------------------------------------- two officers at once


def test_a_stale_receipt_is_refused_and_changes_nothing(cast, users, binh):
    transfer = sent(binh, cast)
    seen_version = transfer.row_version  # both officers opened the page with this version
    transfer_receive(
        transfer=transfer, arrived_on=date(2026, 3, 10), expected_version=seen_version,
        by=users.sibling_officer,
    )  # fmt: skip
    before = snapshot(binh)
    with pytest.raises(ValidationError) as refused:
        transfer_receive(
            transfer=transfer, arrived_on=date(2026, 3, 11), expected_version=seen_version,
            by=users.province_officer,
        )  # fmt: skip
    assert refused.value.messages == [
        "Trần Thị Bình đã được tiếp nhận ngày 10/03/2026 (người ghi: sibling_officer). Không "
        "ghi lại lần nữa; hãy tải lại trang để xem tình trạng mới."
    ]
    assert snapshot(binh) == before


# ---------------------------------------------------------------- deadlines


def test_overdue_transfers_are_listed_for_both_sides(cast, binh):
    transfer = sent(binh, cast)
    on_time = sent(register(cast.village_cell, "Hoàng Văn Chiến"), cast)
    transfer_receive(transfer=on_time, arrived_on=date(2026, 4, 10))
    for today, expected in ((PRESENT_DUE, []), (date(2026, 4, 14), [transfer])):
        assert list(transfers.overdue(transfers.transfers_out(organization=cast.commune),
                                      today=today)) == expected  # fmt: skip
        assert list(transfers.overdue(transfers.transfers_in(organization=cast.sibling_commune),
                                      today=today)) == expected  # fmt: skip
    assert list(transfers.overdue(transfers.transfers_in(organization=cast.commune),
                                  today=date(2026, 4, 14))) == []  # fmt: skip


def test_only_the_days_after_the_presentation_deadline_are_a_gap_in_party_age(cast, binh):
    transfer = sent(binh, cast)
    transfer_receive(transfer=transfer, arrived_on=date(2026, 4, 23))  # 10 days late
    age = selectors.member_party_age(member=binh, on=date(2026, 5, 29))
    # From 19/5/2010: 16 years and 10 days, minus the 10 days after 13/4/2026.
    assert (age.years, age.months, age.gap_days) == (16, 0, 10)
    on_time = register(cast.village_cell, "Hoàng Văn Chiến")
    transfer_receive(transfer=sent(on_time, cast), arrived_on=date(2026, 4, 13))
    assert selectors.member_party_age(member=on_time, on=date(2026, 5, 29)).gap_days == 0


# ---------------------------------------------------------------- across the boundary


def test_a_member_leaves_the_system_and_comes_back_from_outside(cast, users, binh):
    out = transfer_issue(member=binh, on=LETTER_ON, other_party="Đảng bộ phường Bến Nghé, TP HCM")
    binh.refresh_from_db()
    assert out.state == Transfer.State.LEFT_SYSTEM
    assert binh.status == Status.TRANSFERRED_AWAY
    assert counts(cast, date(2026, 3, 1)) == (1, 0)
    assert counts(cast, LETTER_ON) == (0, 0)
    back = transfer_receive_from_outside(
        organization=cast.sibling_cell, member=binh, arrived_on=date(2026, 3, 18),
        letter=OutsideLetter("45-GGT/ĐU", date(2026, 3, 16), "Đảng ủy phường Bến Nghé"),
    )  # fmt: skip
    binh.refresh_from_db()
    assert (binh.status, binh.organization) == (Status.FULL, cast.sibling_cell)
    assert back.source is None and back.destination == cast.sibling_cell
    assert timeline(binh)[-2:] == [(T.TRANSFERRED_OUT, LETTER_ON),
                                   (T.TRANSFERRED_IN, date(2026, 3, 18))]  # fmt: skip
    assert [e.other_party for e in binh.events.filter(type__in=[T.TRANSFERRED_OUT,
                                                                T.TRANSFERRED_IN])] == [
        "Đảng bộ phường Bến Nghé, TP HCM", "Đảng ủy phường Bến Nghé",
    ]  # fmt: skip
    assert counts(cast, date(2026, 3, 18)) == (0, 1)
    assert selectors.member_party_age(member=binh, on=date(2026, 5, 19)).gap_days == 0


def test_one_who_left_the_system_is_recognized_by_their_citizen_id(cast, binh):
    transfer_issue(member=binh, on=LETTER_ON, other_party="Đảng bộ tỉnh Cao Bằng")
    back = transfer_receive_from_outside(
        organization=cast.sibling_cell, arrived_on=date(2026, 3, 18),
        letter=OutsideLetter("9-GGT/ĐU", date(2026, 3, 16), "Đảng ủy xã Quảng Uyên, Cao Bằng"),
        record={"full_name": "Trần Thị Bình", **MEMBER_DEFAULTS, "citizen_id": "001185000002"},
        admitted_on=date(2010, 5, 19),
    )  # fmt: skip
    assert back.member == binh
    binh.refresh_from_db()
    assert (binh.status, binh.organization) == (Status.FULL, cast.sibling_cell)
    assert [t for t, _on in timeline(binh)][-2:] == [T.TRANSFERRED_OUT, T.TRANSFERRED_IN]


def test_a_new_member_is_received_from_another_province(cast):
    transfer = transfer_receive_from_outside(
        organization=cast.village_cell, arrived_on=date(2026, 3, 12),
        letter=OutsideLetter("7-GGT/ĐU", date(2026, 3, 9), "Đảng ủy xã Yên Bình, tỉnh Thái Nguyên"),
        record={"full_name": "Mai Văn Đức", **MEMBER_DEFAULTS}, admitted_on=date(2015, 3, 3),
        ceremony_on=date(2015, 3, 20), confirmed_on=date(2016, 3, 20),
    )  # fmt: skip
    member = transfer.member
    assert member.status == Status.FULL and member.organization == cast.village_cell
    assert timeline(member) == [
        (T.ADMITTED, date(2015, 3, 3)), (T.CONFIRMED, date(2016, 3, 20)),
        (T.TRANSFERRED_IN, date(2026, 3, 12)),
    ]  # fmt: skip
    assert member.events.get(type=T.ADMITTED).organization is None
    assert counts(cast, date(2026, 3, 11)) == (0, 0)
    assert counts(cast, date(2026, 3, 12)) == (1, 0)


# ---------------------------------------------------------------- temporary


def test_a_temporary_member_counts_at_home_and_is_listed_at_the_host(cast, binh):
    transfer = temporary_transfer_issue(
        member=binh, on=LETTER_ON, ends_on=date(2026, 9, 2), purpose="work",
        host=cast.sibling_cell,
    )  # fmt: skip
    assert transfer.letter_no == "1-GGTTT/CB"  # the village cell is a grassroots cell
    assert counts(cast, date(2026, 3, 20)) == (1, 0)
    listed = selectors.temporary_members_on(organization=cast.sibling_commune, on=date(2026, 3, 20))
    assert [a.member for a in listed] == [binh]
    assert (
        selectors.temporary_members_on(organization=cast.sibling_commune, on=date(2026, 9, 2)) == []
    )
    temporary_transfer_return(transfer=transfer, on=date(2026, 6, 1))
    transfer.refresh_from_db()
    assert (transfer.state, transfer.returned_on) == (Transfer.State.RETURNED, date(2026, 6, 1))
    assert (
        selectors.temporary_members_on(organization=cast.sibling_commune, on=date(2026, 6, 1)) == []
    )
    assert timeline(binh)[-2:] == [(T.TEMPORARY_OUT, LETTER_ON),
                                   (T.TEMPORARY_RETURNED, date(2026, 6, 1))]  # fmt: skip


def test_temporary_periods_follow_the_rules(cast, binh):
    def issue(ends_on, purpose="work"):
        return temporary_transfer_issue(
            member=binh, on=LETTER_ON, ends_on=ends_on, purpose=purpose, host=cast.sibling_cell
        )

    with pytest.raises(ValidationError, match="ít nhất 3 tháng"):
        issue(date(2026, 6, 1))
    with pytest.raises(ValidationError, match="dưới 12 tháng .trước ngày 02/03/2027"):
        issue(date(2027, 3, 2))
    with pytest.raises(ValidationError, match="không quá 24 tháng"):
        issue(date(2028, 3, 3), purpose="study")
    assert not binh.transfers.exists()
    assert issue(date(2028, 3, 2), purpose="study").ends_on == date(2028, 3, 2)


def test_temporary_activity_ends_by_itself_when_its_period_is_over(cast, binh):
    transfer = temporary_transfer_issue(
        member=binh, on=LETTER_ON, ends_on=date(2026, 6, 2), purpose="residence",
        other_party="Chi bộ khu phố 3, phường Bến Nghé, TP HCM",
    )  # fmt: skip
    assert temporary_transfers_expire(today=date(2026, 6, 1)) == []
    assert [t.pk for t in temporary_transfers_expire(today=date(2026, 6, 5))] == [transfer.pk]
    transfer.refresh_from_db()
    assert (transfer.state, transfer.returned_on) == (Transfer.State.RETURNED, date(2026, 6, 2))
    assert binh.events.get(type=T.TEMPORARY_RETURNED).detail == {"automatic": True}


# ---------------------------------------------------------------- re-admission


def test_re_admission_gives_a_new_probation_and_party_age_minus_the_gap(cast):
    office = found("T01.CQ", "Chi bộ Văn phòng", Kind.BASE_CELL, cast.province, on=date(1990, 1, 1))
    member = register(office, "Hoàng Văn Dũng", admitted_on=date(2000, 1, 10))
    member_exit(member=member, type=T.REMOVED, on=date(2020, 1, 10), grounds="Bỏ sinh hoạt")
    before = snapshot(member)
    with pytest.raises(ValidationError, match="36 tháng"):
        member_readmit(member=member, organization=office, decided_on=date(2023, 1, 9),
                       consent="Công văn 12-CV/TU")  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        member_readmit(member=member, organization=office, decided_on=date(2023, 1, 10))
    assert "văn bản đồng ý" in str(refused.value.message_dict["consent"])
    assert snapshot(member) == before
    member_readmit(member=member, organization=office, decided_on=date(2023, 1, 10),
                   ceremony_on=date(2023, 2, 3), decision_no="5-QĐ/TU",
                   consent="Công văn 12-CV/TU")  # fmt: skip
    member.refresh_from_db()
    assert member.status == Status.PROBATIONARY
    assert timeline(member) == [
        (T.ADMITTED, date(2000, 1, 10)), (T.CONFIRMED, date(2001, 1, 24)),
        (T.REMOVED, date(2020, 1, 10)), (T.READMITTED, date(2023, 1, 10)),
    ]  # fmt: skip
    assert member.events.get(type=T.READMITTED).detail["consent"] == "Công văn 12-CV/TU"
    age = selectors.member_party_age(member=member, on=date(2026, 3, 20))
    # 10/1/2000 → 20/3/2026 is 26 years 2 months; minus 3 years out (10/1/2020–10/1/2023).
    assert (age.years, age.months) == (23, 2)
    member_exit(member=member, type=T.REMOVED, on=date(2023, 6, 1), grounds="Bỏ sinh hoạt")
    with (
        time_machine.travel(date(2027, 1, 1), tick=False),
        pytest.raises(ValidationError, match="Chỉ được kết nạp lại 1 lần"),
    ):
        member_readmit(member=member, organization=office, decided_on=date(2026, 12, 1),
                       consent="Công văn 30-CV/TU")  # fmt: skip


def test_an_expelled_member_is_not_re_admitted(cast, binh):
    member_exit(member=binh, type=T.EXPELLED, on=date(2025, 8, 1), grounds="Kỷ luật khai trừ")
    with (
        time_machine.travel(date(2028, 10, 1), tick=False),
        pytest.raises(ValidationError, match="Người bị khai trừ không được xem xét kết nạp lại"),
    ):
        member_readmit(member=binh, organization=cast.village_cell, decided_on=date(2028, 9, 1),
                       consent="Công văn 1-CV/TU")  # fmt: skip
    binh.refresh_from_db()
    assert binh.status == Status.LEFT


# ---------------------------------------------------------------- for reports


def test_movement_counts_of_a_subtree_in_a_period(cast, binh):
    chien = register(cast.village_cell, "Hoàng Văn Chiến")
    giao = register(cast.cell, "Lý Văn Giáo")
    khoa = register(cast.sibling_cell, "Hà Văn Khoa")
    transfer_receive(transfer=sent(binh, cast), arrived_on=date(2026, 3, 10))  # out, in
    transfer_issue(member=chien, on=LETTER_ON, other_party="Đảng bộ tỉnh Cao Bằng")  # out
    transfer_receive(  # inside the commune: the school's cell to the village cell
        transfer=transfer_issue(member=giao, on=LETTER_ON, to=cast.village_cell),
        arrived_on=date(2026, 3, 12),
    )
    temporary_transfer_issue(member=khoa, on=LETTER_ON, ends_on=date(2026, 8, 1),
                             purpose="study", host=cast.cell)  # fmt: skip
    member_exit(member=giao, type=T.DIED, on=date(2026, 3, 15))
    commune = selectors.movement_counts(cast.commune, date(2026, 1, 1), date(2026, 3, 31))
    assert (commune.official_out, commune.official_out_of_system) == (2, 1)
    assert (commune.official_in, commune.internal) == (0, 1)
    assert (commune.temporary_in, commune.temporary_out) == (1, 0)
    assert commune.exits == {"removed": 0, "expelled": 0, "resigned": 0, "died": 1}
    assert commune.received_and_transferred == 3
    sibling = selectors.movement_counts(cast.sibling_commune, date(2026, 1, 1), date(2026, 3, 31))
    assert (sibling.official_in, sibling.official_out, sibling.temporary_out) == (1, 0, 1)
    march_10 = selectors.movement_counts(cast.province, date(2026, 3, 10), date(2026, 3, 10))
    assert (march_10.internal, march_10.official_in, march_10.official_out) == (1, 0, 0)


def test_a_letter_counts_when_the_member_arrives_as_in_the_reports(cast, binh):
    """Issued 02/03, received 10/04: the commune loses Bình in the second quarter, in the
    movement counts and in the movement report alike (one basis)."""
    from tochuc.reports import periods, registry

    transfer_receive(transfer=sent(binh, cast), arrived_on=date(2026, 4, 10))
    for quarter, out in ((1, 0), (2, 1)):
        period = periods.quarter(2026, quarter)
        counts = selectors.movement_counts(cast.commune, period.start, period.end)
        assert (counts.official_out, counts.official_in) == (out, 0)
        arrived = selectors.movement_counts(cast.sibling_commune, period.start, period.end)
        assert arrived.official_in == out
        report = registry.build("movement", cast.commune, period)
        rows = {row["key"]: row["count"] for row in report.table("movement").rows}
        assert rows["transferred_out"] == counts.official_out


def test_a_letter_out_of_a_merged_cell_counts_where_the_merger_took_the_member(cast, binh):
    """Bình's letter is issued from Nà Phái, which is merged into the school's cell before
    she arrives: the arrival takes her out of the cell she was carried into."""
    from tochuc.organizations.services import organization_merge

    transfer = sent(binh, cast)
    organization_merge(sources=[cast.village_cell], into=cast.cell, on=date(2026, 3, 20))
    transfer_receive(transfer=transfer, arrived_on=date(2026, 4, 10))
    school = selectors.movement_counts(cast.base, date(2026, 4, 1), date(2026, 6, 30))
    assert school.official_out == 1
    commune = selectors.movement_counts(cast.commune, date(2026, 1, 1), date(2026, 6, 30))
    assert (commune.official_out, commune.internal) == (1, 0)


# ---------------------------------------------------------------- working away


def test_members_working_away_are_on_the_cells_check_list(cast, binh):
    record = working_away_record(
        member=binh, place="KCN Vsip, Bình Dương", starts_on=date(2025, 10, 1),
        contact="0912 345 678", ends_on=date(2026, 10, 1),
    )  # fmt: skip
    rows = transfers.working_away_list(organization=cast.commune, today=date(2026, 3, 20))
    assert [(r.record, r.last_check, r.next_check, r.is_due) for r in rows] == [
        (record, None, date(2026, 1, 1), True)
    ]
    working_away_check(record=record, checked_on=date(2026, 3, 15), result="Gọi điện, vẫn làm")
    rows = transfers.working_away_list(organization=cast.commune, today=date(2026, 3, 20))
    assert [(r.last_check, r.next_check, r.is_due) for r in rows] == [
        (date(2026, 3, 15), date(2026, 6, 15), False)
    ]
    assert (
        transfers.working_away_list(organization=cast.sibling_commune, today=date(2026, 3, 20))
        == []
    )
    with pytest.raises(ValidationError, match="chưa kết thúc"):
        working_away_record(member=binh, place="Hà Nội", starts_on=date(2026, 3, 1), contact="x")


def test_the_daily_command_records_the_returns(cast, binh):
    from io import StringIO

    from django.core.management import call_command

    temporary_transfer_issue(
        member=binh, on=LETTER_ON, ends_on=date(2026, 6, 2), purpose="work",
        host=cast.sibling_cell,
    )  # fmt: skip
    out = StringIO()
    call_command("expire_temporary_transfers", "--ngay", "05/06/2026", stdout=out)
    assert out.getvalue().splitlines() == [
        "Trần Thị Bình: 1-GGTTT/CB, trở về ngày 02/06/2026",
        "Đã ghi trở về: 1 trường hợp.",
    ]


def test_the_demo_puts_transfers_in_progress_between_two_communes(cast):
    from tochuc.transfers.demo import add_demo_transfers

    for i in range(6):
        register(cast.village_cell, f"Đảng viên Nà Phái {i}")
    register(cast.sibling_cell, "Hà Văn Khoa")
    today = date(2026, 9, 1)
    with time_machine.travel(today, tick=False):
        made = add_demo_transfers(cast.province)
    assert made == {"received": 1, "waiting": 1, "overdue": 1, "temporary": 1, "out": 1, "away": 1}
    out = transfers.transfers_out(organization=cast.commune)
    assert len(transfers.overdue(out, today=today)) == 1
    assert selectors.member_count_on(organization=cast.sibling_commune, on=today) == 2
    hosted = selectors.temporary_members_on(organization=cast.sibling_commune, on=today)
    assert len(hosted) == 1
