"""Sessions, the three steps, the cap on "xuất sắc", exempted members, the screening flag
and votes of confidence — through the services."""

from datetime import date
from decimal import Decimal

import pytest

from tochuc.core.errors import ProcedureError
from tochuc.core.models import AuditEntry
from tochuc.members.services import member_exempt
from tochuc.ratings import selectors, services
from tochuc.ratings.models import Level, RatingSubject, Step, SubjectKind

from .conftest import DECIDED_ON, carry, subject_of

pytestmark = pytest.mark.django_db


def open_2025(cast, by=None):
    return services.rating_session_open(organization=cast.commune, kind="year", year=2025, by=by)


def test_opening_a_session_lists_the_members_and_the_organizations_below(cast, school, village):
    session = open_2025(cast)
    assert session.title == "Năm 2025"
    assert (session.starts_on, session.ends_on, session.listed_on) == (
        date(2025, 1, 1), date(2025, 12, 31), date(2025, 12, 31),
    )  # fmt: skip
    assert "366-QĐ/TW" in session.policy_source
    members = session.subjects.filter(kind=SubjectKind.MEMBER)
    assert members.count() == 16
    rated = session.subjects.filter(kind=SubjectKind.ORGANIZATION)
    assert set(rated.values_list("rated_organization", flat=True)) == {
        cast.base.pk, cast.cell.pk, cast.village_cell.pk,
    }  # fmt: skip
    # The cap groups: the school's grassroots committee; the village cell itself; grassroots
    # organizations within the commune.
    assert subject_of(session, school[0]).cap_group == cast.base
    assert subject_of(session, village[0]).cap_group == cast.village_cell
    assert session.subjects.get(rated_organization=cast.cell).cap_group == cast.base
    assert session.subjects.get(rated_organization=cast.base).cap_group == cast.commune
    assert AuditEntry.objects.filter(action="tochuc.rating.session_opened").count() == 1


def test_a_session_is_opened_once_per_organization_and_period(cast, school):
    open_2025(cast)
    with pytest.raises(ProcedureError, match="đã có kỳ đánh giá Năm 2025"):
        open_2025(cast)


def test_exempted_members_are_not_listed_and_are_refused(cast, school):
    member_exempt(member=school[0], on=date(2025, 9, 1), decision_no="05-NQ/CB")
    session = open_2025(cast)
    assert not session.subjects.filter(member=school[0]).exists()
    assert session.subjects.filter(kind=SubjectKind.MEMBER).count() == 12
    with pytest.raises(ProcedureError, match="miễn công tác và sinh hoạt đảng"):
        services.rating_subject_add_member(session=session, member=school[0])
    # Exempted after the list was drawn, with effect before its date: refused at every step.
    subject = subject_of(session, school[1])
    member_exempt(member=school[1], on=date(2025, 12, 20))
    with pytest.raises(ProcedureError, match="miễn công tác"):
        carry(subject, Level.GOOD)
    subject.refresh_from_db()
    assert subject.step == Step.PENDING and subject.self_score is None


def test_an_exemption_ended_before_the_list_does_not_exclude(cast, school):
    member_exempt(member=school[0], on=date(2025, 8, 1))
    member_exempt(member=school[0], on=date(2025, 10, 1), end=True)
    session = open_2025(cast)
    assert session.subjects.filter(member=school[0]).exists()


def test_the_self_assessment_adds_the_criteria_to_two_places(cast, school):
    session = open_2025(cast)
    subject = services.rating_self_assess(
        subject=subject_of(session, school[0]),
        scores=[Decimal("27.5"), Decimal("42.25"), Decimal("9.24"), Decimal("10")],
        comment="Hoàn thành tốt", on=date(2025, 12, 10),
    )  # fmt: skip
    assert subject.self_score == Decimal("88.99")
    assert subject.self_level == Level.GOOD
    assert subject.criteria_scores == ["27.50", "42.25", "9.24", "10.00"]
    with pytest.raises(ProcedureError) as refused:
        services.rating_self_assess(
            subject=subject, scores=[Decimal(31), Decimal(50), Decimal(10), Decimal(9)],
            on=date(2025, 12, 10),
        )  # fmt: skip
    assert "c0" in refused.value.error_dict
    subject.refresh_from_db()
    assert subject.self_score == Decimal("88.99")


def test_the_steps_go_in_order(cast, school):
    session = open_2025(cast)
    subject = subject_of(session, school[0])
    with pytest.raises(ProcedureError, match="Chưa có tự đánh giá"):
        services.rating_propose(subject=subject, level=Level.GOOD, on=date(2025, 12, 15))
    with pytest.raises(ProcedureError, match="Chưa có đề xuất"):
        services.rating_decide(subject=subject, level=Level.GOOD, decision_no="1",
                               decided_on=DECIDED_ON)  # fmt: skip
    subject = carry(subject, Level.GOOD)
    assert (subject.step, subject.final_level, subject.decision_no) == (
        Step.DECIDED, Level.GOOD, "01-QĐ/ĐU",
    )  # fmt: skip
    with pytest.raises(ProcedureError, match="Đã có quyết định"):
        services.rating_decide(subject=subject, level=Level.DONE, decision_no="2",
                               decided_on=DECIDED_ON)  # fmt: skip


@pytest.mark.parametrize(("good", "allowed"), [(0, 0), (4, 0), (5, 1), (9, 1), (10, 2)])
def test_the_cap_allows_a_fifth_of_the_good_as_excellent_and_refuses_one_more(
    cast, school, good, allowed
):
    """Interpretation (docs/danh-gia.md): "xuất sắc" ≤ 20% of those decided "tốt" (xuất sắc
    not counted among them) in the grassroots organization, rounded down: with five "tốt",
    one "xuất sắc"; the second is refused."""
    session = open_2025(cast)
    subjects = [subject_of(session, m) for m in school]
    for subject in subjects[:good]:
        carry(subject, Level.GOOD)
    for subject in subjects[good : good + allowed]:
        assert carry(subject, Level.EXCELLENT).final_level == Level.EXCELLENT
    refused = carry(subjects[good + allowed], Level.EXCELLENT, decide="")
    with pytest.raises(ProcedureError) as error:
        services.rating_decide(subject=refused, level=Level.EXCELLENT, decision_no="09-QĐ/ĐU",
                               decided_on=DECIDED_ON)  # fmt: skip
    message = " ".join(error.value.error_dict["level"][0].messages)
    assert f"mới có {good} đảng viên" in message and f"tối đa là {allowed}" in message
    assert "Đảng bộ Trường THPT Tân An" in message
    refused.refresh_from_db()
    assert (refused.step, refused.final_level, refused.decision_no) == (Step.PROPOSED, "", "")
    excellent = session.subjects.filter(final_level=Level.EXCELLENT).count()
    assert excellent == allowed


def test_the_cap_is_counted_per_grassroots_organization(cast, school, village):
    session = open_2025(cast)
    for member in school[:5]:
        carry(subject_of(session, member), Level.GOOD)
    # The village cell has no "tốt": its first "xuất sắc" is refused; the school's is allowed.
    with pytest.raises(ProcedureError, match="Chi bộ thôn Nà Phái"):
        carry(subject_of(session, village[0]), Level.EXCELLENT)
    assert carry(subject_of(session, school[5]), Level.EXCELLENT).final_level == Level.EXCELLENT


def test_a_lower_decision_than_proposed_is_allowed(cast, school):
    session = open_2025(cast)
    subject = carry(subject_of(session, school[0]), Level.EXCELLENT, decide=Level.GOOD)
    assert (subject.proposed_level, subject.final_level) == (Level.EXCELLENT, Level.GOOD)


def test_results_count_levels_per_organization_with_percentages(cast, school, village):
    session = open_2025(cast)
    levels = [Level.GOOD] * 5 + [Level.EXCELLENT, Level.DONE, Level.DONE, Level.NOT_DONE]
    for member, level in zip(school, levels, strict=False):
        carry(subject_of(session, member), level)
    carry(subject_of(session, village[0]), Level.DONE)
    found = selectors.results(scope=_all(), organization=cast.commune, session=session)
    by_label = {row.label: row for row in found.members}
    school_row = by_label["Đảng bộ Trường THPT Tân An"]
    assert (school_row.subjects, school_row.decided) == (13, 9)
    assert [n for n, _p in school_row.cells()] == [1, 5, 2, 1]
    assert [p for _n, p in school_row.cells()] == [
        Decimal("11.11"), Decimal("55.56"), Decimal("22.22"), Decimal("11.11"),
    ]  # fmt: skip
    assert school_row.display()[1] == ("5", "55,56%")
    village_row = by_label["Chi bộ thôn Nà Phái"]
    assert (village_row.subjects, village_row.decided, village_row.counts[Level.DONE]) == (3, 1, 1)
    total = found.members_total
    assert (total.subjects, total.decided, total.counts[Level.DONE]) == (16, 10, 3)
    assert found.organizations_total.subjects == 3


def _all():
    from types import SimpleNamespace

    return SimpleNamespace(filter_versions=lambda qs: qs)


def test_two_yearly_not_done_in_a_row_flags_the_member_for_screening(cast, school):
    y2024 = services.rating_session_open(
        organization=cast.commune, kind="year", year=2024, listed_on=date(2025, 7, 1)
    )
    carry(subject_of(y2024, school[0]), Level.NOT_DONE, decision_no="90-QĐ/ĐU")
    carry(subject_of(y2024, school[1]), Level.NOT_DONE, decision_no="90-QĐ/ĐU")
    y2025 = open_2025(cast)
    carry(subject_of(y2025, school[0]), Level.NOT_DONE)
    carry(subject_of(y2025, school[1]), Level.DONE)
    # A quarter is not a year: it does not count.
    q = services.rating_session_open(organization=cast.commune, kind="quarter", year=2025,
                                     quarter=4)  # fmt: skip
    assert (q.starts_on, q.ends_on) == (date(2025, 10, 1), date(2025, 12, 31))
    carry(subject_of(q, school[1]), Level.NOT_DONE)
    flagged = selectors.two_years_not_done(organization=cast.commune)
    assert [(row["member"], row["years"]) for row in flagged] == [(school[0], (2024, 2025))]
    assert selectors.flagged_member_ids(session=y2025, organization=cast.commune) == {school[0].pk}
    assert selectors.two_years_not_done(organization=cast.village_cell) == []


# ---------------------------------------------------------------- votes of confidence


def vote(cast, member, **counts):
    values = {"ballots_issued": 152, "ballots_valid": 150, "high": 101, "medium": 37, "low": 12}
    return services.confidence_vote_record(
        member=member, organization=cast.commune, position="Bí thư Đảng ủy xã",
        held_on=date(2025, 11, 20), **{**values, **counts},
    )  # fmt: skip


def test_confidence_shares_are_of_valid_ballots_rounded_half_up_to_two_places(cast, school):
    v = vote(cast, school[0])
    assert (v.high_share, v.medium_share, v.low_share) == (
        Decimal("67.33"), Decimal("24.67"), Decimal("8.00"),
    )  # fmt: skip
    third = vote(cast, school[1], ballots_issued=3, ballots_valid=3, high=1, medium=2, low=0)
    assert (third.high_share, third.medium_share) == (Decimal("33.33"), Decimal("66.67"))
    eighth = vote(cast, school[2], ballots_issued=8, ballots_valid=8, high=1, medium=7, low=0)
    assert eighth.high_share == Decimal("12.50")
    assert vote(cast, school[3], ballots_valid=0, high=0, medium=0, low=0).high_share is None


def test_confidence_counts_must_fit_in_the_valid_ballots(cast, school):
    with pytest.raises(ProcedureError) as refused:
        vote(cast, school[0], ballots_valid=153)
    assert "ballots_valid" in refused.value.error_dict
    with pytest.raises(ProcedureError) as refused:
        vote(cast, school[0], high=101, medium=38, low=12)
    assert "low" in refused.value.error_dict
    vote(cast, school[0], high=100, medium=38, low=12)  # exactly the valid ballots


@pytest.mark.parametrize(
    ("high", "low", "flags"),
    [(75, 0, []), (74, 0, ["cao dưới"]), (75, 75, []), (0, 76, ["thấp trên", "cao dưới"])],
)
def test_confidence_thresholds_flag_low_above_half_and_high_below_half(cast, school, high, low,
                                                                       flags):  # fmt: skip
    v = vote(cast, school[0], high=high, medium=150 - high - low, low=low)
    found = selectors.vote_flags(v)
    assert len(found) == len(flags)
    for text, expected in zip(found, flags, strict=True):
        assert expected in text


def test_a_vote_of_confidence_is_for_a_member_of_the_organization(cast, school):
    from tochuc.testing import register

    stranger = register(cast.sibling_cell, "Lê Văn Ngoài")
    with pytest.raises(ProcedureError) as refused:
        vote(cast, stranger)
    assert "member" in refused.value.error_dict
    assert not RatingSubject.objects.exists()


def test_with_twenty_five_good_a_sixth_excellent_is_refused(cast):
    """The issue's example read with the documented interpretation: 20% of 25 "tốt" is 5."""
    from tochuc.testing import register

    members = [register(cast.cell, f"Đảng viên số {n}", citizen_id=f"0010850003{n:02d}")
               for n in range(31)]  # fmt: skip
    session = open_2025(cast)
    for member in members[:25]:
        carry(subject_of(session, member), Level.GOOD)
    for member in members[25:30]:
        assert carry(subject_of(session, member), Level.EXCELLENT).final_level == Level.EXCELLENT
    with pytest.raises(ProcedureError, match="tối đa là 5"):
        carry(subject_of(session, members[30]), Level.EXCELLENT)
