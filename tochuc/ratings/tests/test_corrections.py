from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.accounts.access import Scope
from tochuc.core.corrections import Grounds
from tochuc.core.models import AuditEntry, Correction
from tochuc.ratings import selectors, services
from tochuc.ratings.corrections import (
    confidence_vote_cancel,
    confidence_vote_correct,
    rating_decision_cancel,
    rating_decision_correct,
)
from tochuc.ratings.models import ConfidenceVote, Level, Step

from .conftest import carry, subject_of

pytestmark = pytest.mark.django_db
WHY = Grounds("Quyết định ghi nhầm mức", decision_no="20-QĐ/ĐU")


def open_2025(cast):
    return services.rating_session_open(organization=cast.commune, kind="year", year=2025)


def member_counts(cast, users, session) -> dict[str, int]:
    found = selectors.results(
        scope=Scope.for_user(users.province_officer), organization=cast.commune, session=session
    )
    return {level: n for level, n in found.members_total.counts.items() if n}


def test_a_corrected_level_shows_in_the_results_and_keeps_both_versions(cast, users, school):
    session = open_2025(cast)
    subject = carry(subject_of(session, school[0]), Level.GOOD)
    carry(subject_of(session, school[1]), Level.DONE)
    assert member_counts(cast, users, session) == {Level.GOOD: 1, Level.DONE: 1}

    rating_decision_correct(subject=subject, level=Level.DONE, decision_no="02-QĐ/ĐU", grounds=WHY)

    assert member_counts(cast, users, session) == {Level.DONE: 2}
    kept = Correction.objects.get()
    assert kept.rows() == [
        ("mức xếp loại", Level.GOOD.label, Level.DONE.label),
        ("số quyết định", "01-QĐ/ĐU", "02-QĐ/ĐU"),
    ]
    assert AuditEntry.objects.filter(action="tochuc.rating.corrected").count() == 1


def test_lowering_a_good_that_an_excellent_rests_on_is_refused(cast, users, school):
    session = open_2025(cast)
    goods = [carry(subject_of(session, m), Level.GOOD) for m in school[:5]]
    carry(subject_of(session, school[5]), Level.EXCELLENT)
    before = member_counts(cast, users, session)

    with pytest.raises(ValidationError, match="“xuất sắc” tối đa là 0"):
        rating_decision_correct(subject=goods[0], level=Level.DONE, grounds=WHY)
    with pytest.raises(ValidationError, match="“xuất sắc” tối đa là 0"):
        rating_decision_cancel(subject=goods[0], grounds=WHY)

    assert member_counts(cast, users, session) == before == {Level.GOOD: 5, Level.EXCELLENT: 1}
    assert not Correction.objects.exists()


def test_a_cancelled_decision_leaves_the_subject_waiting_for_one(cast, users, school):
    session = open_2025(cast)
    subject = carry(subject_of(session, school[0]), Level.GOOD)
    rating_decision_cancel(subject=subject, grounds=WHY)
    subject.refresh_from_db()
    assert (subject.step, subject.final_level, subject.decision_no) == (Step.PROPOSED, "", "")
    assert member_counts(cast, users, session) == {}
    assert Correction.objects.get().before["decision_no"] == "01-QĐ/ĐU"


def test_a_decision_dated_before_the_proposal_is_refused(cast, school):
    session = open_2025(cast)
    subject = carry(subject_of(session, school[0]), Level.GOOD)
    with pytest.raises(ValidationError, match="trước ngày đề xuất"):
        rating_decision_correct(subject=subject, decided_on=date(2025, 12, 1), grounds=WHY)


@pytest.fixture
def vote(cast, school):
    return services.confidence_vote_record(
        member=school[0], organization=cast.commune, position="Bí thư Đảng ủy xã",
        held_on=date(2025, 11, 20), ballots_issued=20, ballots_valid=20, high=15, medium=4,
        low=1,
    )  # fmt: skip


def test_a_vote_is_corrected_within_its_valid_ballots(cast, vote):
    with pytest.raises(ValidationError, match="vượt số phiếu hợp lệ"):
        confidence_vote_correct(vote=vote, high=18, grounds=WHY)
    confidence_vote_correct(vote=vote, high=14, medium=5, grounds=WHY)
    vote.refresh_from_db()
    assert (vote.high, vote.medium, vote.high_share) == (14, 5, 70)
    assert Correction.objects.get().rows() == [
        ("tín nhiệm cao", "15", "14"), ("tín nhiệm", "4", "5"),
    ]  # fmt: skip


def test_a_cancelled_vote_is_gone_from_the_list_and_kept_in_the_history(cast, vote):
    confidence_vote_cancel(vote=vote, grounds=WHY)
    assert list(selectors.vote_list(organization=cast.commune)) == []
    kept = Correction.objects.get()
    assert (kept.action, kept.before["high"], kept.object_type) == (
        "cancelled", 15, "ratings.confidencevote",
    )  # fmt: skip
    assert not ConfidenceVote.objects.exists()


def test_the_votes_page_offers_sua_huy_and_the_page_corrects_a_vote(client, cast, users, vote):
    from django.urls import reverse

    from tochuc.testing import PASSWORD

    assert client.login(username="commune_officer", password=PASSWORD)
    url = reverse("ratings:correct_vote", args=[cast.commune.code]) + f"?phieu={vote.pk}"
    listing = client.get(reverse("ratings:votes", args=[cast.commune.code])).content.decode()
    assert url.replace("&", "&amp;") in listing
    form = {
        "mode": "corrected", "held_on": "20/11/2025", "position": "Bí thư Đảng ủy xã",
        "ballots_issued": 20, "ballots_valid": 20, "high": 16, "medium": 4, "low": 1,
        "reason": "Nhập nhầm số phiếu", "action": "save",
    }  # fmt: skip
    refused = client.post(url, form).content.decode()
    assert 'id="id_low-errors"' in refused and "vượt số phiếu hợp lệ" in refused
    assert client.post(url, {**form, "high": 14, "medium": 5}).status_code == 302
    vote.refresh_from_db()
    assert (vote.high, vote.medium) == (14, 5)


def test_the_decision_page_previews_a_lower_level(client, cast, users, school):
    from django.urls import reverse

    from tochuc.testing import PASSWORD

    session = open_2025(cast)
    subject = carry(subject_of(session, school[0]), Level.GOOD)
    assert client.login(username="commune_officer", password=PASSWORD)
    url = reverse("ratings:correct_decision", args=[subject.pk])
    html = client.post(url, {
        "mode": "corrected", "final_level": Level.DONE, "decision_no": "01-QĐ/ĐU",
        "decided_on": "22/12/2025", "reason": "Nhầm mức", "action": "preview",
    }).content.decode()  # fmt: skip
    assert f"{Level.GOOD.label}</td><td>{Level.DONE.label}" in html
    subject.refresh_from_db()
    assert subject.final_level == Level.GOOD
