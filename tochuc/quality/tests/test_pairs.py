"""A pair is merged through the timeline engine, or marked as two persons for good."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.core.models import AuditEntry
from tochuc.members.models import Member
from tochuc.members.services import member_update
from tochuc.quality import selectors, services
from tochuc.quality.models import DuplicatePair

from .conftest import scan

pytestmark = pytest.mark.django_db


def test_merging_keeps_one_record_with_both_histories_and_the_score_rises(cast, users, village):
    scan(cast.province)
    pair = DuplicatePair.objects.get()
    hoa, twice = village["hoa"], village["twice"]
    kept = services.pair_merge(
        pair=pair, keep=hoa.pk, values={}, reason="Cùng một người, nhập hai lần", by=users.admin
    )
    assert kept.pk == hoa.pk
    assert not Member.objects.filter(pk=twice.pk).exists()
    assert sorted(kept.events.values_list("type", flat=True)) == ["admitted", "confirmed"]
    assert kept.affiliations.count() == 1
    assert kept.history.first().history_change_reason.startswith("Gộp hồ sơ trùng")
    assert Member.history.filter(id=twice.pk, history_type="-").exists()
    entry = AuditEntry.objects.get(action="tochuc.member.merged")
    assert entry.data["merged"] == twice.pk
    pair.refresh_from_db()
    assert (pair.state, pair.second) == ("merged", None)
    score = selectors.score_of(organization=cast.province)
    assert (score.records, score.clean) == (3, 2)


def test_the_merged_record_takes_the_chosen_values_and_fills_its_blanks(cast, users, village):
    twice = village["twice"]
    member_update(member=twice, changes={"phone": "0912345678"}, expected_version=1)
    scan(cast.province)
    kept = services.pair_merge(
        pair=DuplicatePair.objects.get(), keep=twice.pk,
        values={"full_name": "Lâm Thị Hoa"}, reason="Trùng", by=users.admin,
    )  # fmt: skip
    assert (kept.pk, kept.full_name, kept.citizen_id) == (twice.pk, "Lâm Thị Hoa", "020188000101")
    assert kept.phone == "0912345678"


def test_a_merge_the_engine_cannot_join_is_refused_and_changes_nothing(cast, users, village):
    twice = village["twice"]
    Member.objects.filter(pk=twice.pk).update(admitted_on=date(2010, 5, 1))
    scan(cast.province)
    with pytest.raises(ValidationError, match="ngày quyết định kết nạp khác nhau"):
        services.pair_merge(
            pair=DuplicatePair.objects.get(), keep=village["hoa"].pk, values={}, reason="x"
        )
    assert Member.objects.filter(pk=twice.pk).exists()
    assert DuplicatePair.objects.get().state == "open"


def test_not_the_same_person_is_never_suggested_again(cast, users, village):
    scan(cast.province)
    services.pair_not_same(
        pair=DuplicatePair.objects.get(), reason="Hai chị em sinh đôi", by=users.admin
    )
    assert not selectors.problem_list(organization=cast.province, kind="duplicate").exists()
    scan(cast.province)
    assert DuplicatePair.objects.get().state == "not_same"
    assert not selectors.problem_list(organization=cast.province, kind="duplicate").exists()
