"""The badge cycle through the services: who is due at an occasion, the proposal (early and
posthumous cases with their grounds), the decision with its gift, the ceremony, re-issue,
withdrawal and return on removal — each refusal in Vietnamese, changing nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.awards import selectors, services
from tochuc.awards.models import BadgeCase, Early, Stage
from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry
from tochuc.members.services import member_exit

from .conftest import SEPT_2026

pytestmark = pytest.mark.django_db


def _due(organization, occasion=SEPT_2026):
    return {
        r.member.full_name: (r.milestone, r.reached_on, r.overdue)
        for r in selectors.badge_due(scope=None, organization=organization, occasion=occasion)
    }


def test_the_commune_sees_its_members_due_exempted_included_removed_and_young_not(cast, veterans):
    assert _due(cast.commune) == {
        "Hoàng Văn An": (30, date(2026, 6, 20), False),
        "Lục Thị Bình": (40, date(2026, 7, 1), False),
        "Nông Văn Chiến": (30, date(2026, 5, 2), True),  # exempted; due since 19/5/2026
    }
    assert _due(cast.sibling_commune) == {"Lường Văn Giang": (30, date(2026, 6, 1), False)}
    # Before Bình's 40 years, the 30-year badge he never received is the one due.
    assert _due(cast.commune, date(2026, 5, 19)) == {
        "Lục Thị Bình": (30, date(2016, 7, 1), True),
        "Nông Văn Chiến": (30, date(2026, 5, 2), False),
    }


def test_the_cycle_proposes_decides_and_awards_with_the_gift_in_dong(cast, veterans, cycle):
    cases = cycle([veterans.an, veterans.binh])
    an, binh = sorted(cases, key=lambda c: c.milestone)
    assert (an.stage, an.milestone, an.badge_no, an.ceremony_on) == (
        Stage.AWARDED,
        30,
        "HH-00001",
        SEPT_2026,
    )
    assert (an.gift_amount, binh.gift_amount) == (3_510_000, 4_680_000)
    assert (an.base_salary, str(binh.gift_multiple)) == (2_340_000, "2.0")
    assert _due(cast.commune) == {"Nông Văn Chiến": (30, date(2026, 5, 2), True)}
    actions = list(
        AuditEntry.objects.filter(action__startswith="tochuc.badge.").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == sorted(
        ["tochuc.badge.proposed"] * 2 + ["tochuc.badge.decided"] * 2 + ["tochuc.badge.awarded"] * 2
    )
    panel = selectors.member_badges(member=veterans.an, today=date(2026, 12, 6))
    assert [c.milestone for c in panel.cases] == [30]
    assert (panel.next_milestone, panel.next_reached_on, panel.next_occasion) == (
        40,
        date(2036, 6, 20),
        date(2036, 9, 2),
    )


def test_a_member_not_due_is_refused_and_nothing_is_written(cast, users, veterans):
    with pytest.raises(ProcedureError, match="chưa đủ tuổi Đảng"):
        services.badge_propose(
            proposer=cast.commune,
            occasion=SEPT_2026,
            members=[veterans.an, veterans.young],
            proposal_no="15-TTr/ĐU",
            proposed_on=date(2026, 8, 10),
            by=users.commune_officer,
        )
    assert BadgeCase.objects.count() == 0


def test_a_removed_member_is_not_eligible_and_a_day_that_is_no_occasion_is_refused(
    cast, users, veterans
):
    with pytest.raises(ProcedureError, match="không thuộc diện"):
        services.badge_propose(
            proposer=cast.commune,
            occasion=SEPT_2026,
            members=[veterans.dung],
            proposal_no="1",
            proposed_on=date(2026, 8, 1),
        )
    with pytest.raises(ValidationError) as refused:
        services.badge_propose(
            proposer=cast.commune,
            occasion=date(2026, 9, 3),
            members=[veterans.an],
            proposal_no="1",
            proposed_on=date(2026, 8, 1),
        )
    assert "không phải đợt trao" in refused.value.message_dict["occasion"][0]


def test_the_same_milestone_is_not_proposed_twice(cast, users, veterans, cycle):
    cycle([veterans.an], award=False)
    with pytest.raises(ProcedureError):
        services.badge_propose(
            proposer=cast.commune,
            occasion=date(2026, 11, 7),
            members=[veterans.an],
            proposal_no="16-TTr/ĐU",
            proposed_on=date(2026, 10, 1),
        )


def test_serious_illness_brings_the_award_up_to_12_months_early_with_its_grounds(
    cast, users, veterans
):
    # 40 years on 2/3/2027 (admitted 2/3/1987): proposed for 7/11/2026, 4 months early.
    from tochuc.testing import register

    ill = register(cast.village_cell, "Lâm Văn Hùng", admitted_on=date(1987, 3, 2))
    with pytest.raises(ValidationError) as refused:
        services.badge_propose(
            proposer=cast.commune,
            occasion=date(2026, 11, 7),
            members=[ill],
            proposal_no="17-TTr/ĐU",
            proposed_on=date(2026, 10, 20),
            early=Early.ILLNESS,
        )
    assert "grounds" in refused.value.message_dict
    (case,) = services.badge_propose(
        proposer=cast.commune,
        occasion=date(2026, 11, 7),
        members=[ill],
        proposal_no="17-TTr/ĐU",
        proposed_on=date(2026, 10, 20),
        early=Early.ILLNESS,
        grounds="Giấy xác nhận bệnh hiểm nghèo của Bệnh viện Đa khoa tỉnh ngày 15/10/2026",
    )
    assert (case.milestone, case.reached_on, case.early) == (40, date(2027, 3, 2), "illness")


def test_illness_too_early_is_refused_with_the_rule_and_its_source(cast, veterans):
    from tochuc.testing import register

    far = register(cast.village_cell, "Lâm Thị Khuê", admitted_on=date(1998, 3, 2))
    with pytest.raises(ProcedureError) as refused:
        services.badge_propose(
            proposer=cast.commune,
            occasion=date(2026, 11, 7),
            members=[far],
            proposal_no="18",
            proposed_on=date(2026, 10, 20),
            early=Early.ILLNESS,
            grounds="Bệnh nặng",
        )
    assert "quá 12 tháng" in str(refused.value) and "54-QĐ/TW" in str(refused.value)


def test_a_member_who_died_months_short_of_the_milestone_is_awarded_posthumously(
    cast, users, veterans
):
    from tochuc.testing import register

    late = register(cast.village_cell, "Triệu Văn Lâm", admitted_on=date(1976, 12, 1))
    member_exit(member=late, type="died", on=date(2026, 6, 1))
    late.refresh_from_db()
    with pytest.raises(ProcedureError, match="chỉ xét truy tặng"):
        services.badge_propose(
            proposer=cast.commune,
            occasion=SEPT_2026,
            members=[late],
            proposal_no="19",
            proposed_on=date(2026, 8, 1),
        )
    (case,) = services.badge_propose(
        proposer=cast.commune,
        occasion=SEPT_2026,
        members=[late],
        proposal_no="19-TTr/ĐU",
        proposed_on=date(2026, 8, 1),
        early=Early.POSTHUMOUS,
        grounds="Giấy chứng tử số 112",
    )
    assert (case.milestone, case.reached_on) == (50, date(2026, 12, 1))


def test_a_lost_badge_is_reissued_and_a_removed_member_returns_theirs(cast, users, veterans, cycle):
    (case,) = cycle([veterans.an])
    services.badge_reissue(
        case=case,
        badge_no="HH-09999",
        reissued_on=date(2026, 11, 1),
        reason="Mất do lũ quét",
        by=users.commune_officer,
    )
    with pytest.raises(ProcedureError, match="không bị xóa tên"):
        services.badge_return(case=case, returned_on=date(2026, 11, 2), reason="Nhầm")
    member_exit(member=veterans.an, type="removed", on=date(2026, 11, 20), decision_no="30-QĐ/ĐU")
    case.refresh_from_db()
    assert (case.stage, case.returned_on) == (Stage.RETURNED, date(2026, 11, 20))
    assert "30-QĐ/ĐU" in case.return_reason
    assert [r.badge_no for r in case.reissues.all()] == ["HH-09999"]


def test_a_withdrawn_proposal_may_be_made_again(cast, users, veterans, cycle):
    cases = services.badge_propose(
        proposer=cast.commune,
        occasion=SEPT_2026,
        members=[veterans.an],
        proposal_no="15-TTr/ĐU",
        proposed_on=date(2026, 8, 10),
    )
    services.badge_withdraw(case=cases[0], reason="Ghi nhầm đợt")
    again = services.badge_propose(
        proposer=cast.commune,
        occasion=date(2026, 11, 7),
        members=[veterans.an],
        proposal_no="20-TTr/ĐU",
        proposed_on=date(2026, 10, 10),
    )
    assert again[0].milestone == 30
    assert BadgeCase.objects.filter(stage=Stage.WITHDRAWN).count() == 1


def test_the_ceremony_checks_the_row_version_and_the_decision_date(cast, users, veterans, cycle):
    (case,) = cycle([veterans.an], award=False)
    with pytest.raises(ProcedureError, match="vừa được người khác"):
        services.badge_award(case=case, badge_no="1", ceremony_on=SEPT_2026, row_version=1)
    with pytest.raises(ValidationError) as refused:
        services.badge_award(case=case, badge_no="1", ceremony_on=date(2026, 8, 1))
    assert "ceremony_on" in refused.value.message_dict


def test_a_decision_number_is_corrected_with_its_reason_and_a_wrong_date_refused(
    client, cast, users, veterans, cycle
):
    from django.urls import reverse

    from tochuc.awards.corrections import badge_correct
    from tochuc.core.corrections import Grounds
    from tochuc.core.models import Correction

    (case,) = cycle([veterans.an])
    with pytest.raises(ValidationError) as refused:
        badge_correct(case=case, grounds=Grounds("Ghi nhầm ngày"), ceremony_on=date(2026, 8, 1))
    assert "ceremony_on" in refused.value.message_dict
    client.force_login(users.commune_officer)
    url = reverse("awards:correct", args=[cast.commune.code]) + f"?ho_so={case.pk}"
    response = client.post(
        url,
        {
            "mode": "corrected",
            "reason": "Ghi nhầm số quyết định",
            "decision_no": "246-QĐ/TU",
            "action": "save",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.decision_no, case.gift_amount) == ("246-QĐ/TU", 3_510_000)
    correction = Correction.objects.get(entity="badge")
    assert correction.before["decision_no"] == "245-QĐ/TU"
    assert correction.after["decision_no"] == "246-QĐ/TU"
