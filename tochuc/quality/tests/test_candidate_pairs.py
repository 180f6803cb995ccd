"""A member entered again as a candidate is found by the scan, shown beside the member, and
resolved: "not the same person", or the candidate's process stopped (never merged)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.admissions.models import Candidate, Stage
from tochuc.admissions.services import candidate_identify
from tochuc.core.models import AuditEntry
from tochuc.quality import selectors, services
from tochuc.quality.models import DuplicatePair, Problem, Scan
from tochuc.quality.scan import scan_run

from .conftest import scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def again(cast, village):
    """Hoàng Văn Tuấn, a member of the village cell, named a candidate of it again, his name
    typed without accents."""
    tuan = village["tuan"]
    return candidate_identify(
        cell=cast.village_cell, on=date(2025, 8, 4),
        record={"full_name": "Hoang Van Tuan", "gender": tuan.gender,
                "birth_date": tuan.birth_date, "ethnicity": "01"},
    )  # fmt: skip


def candidate_pair() -> DuplicatePair:
    return DuplicatePair.objects.get(candidate__isnull=False)


def test_the_scan_finds_the_member_entered_again_as_a_candidate(cast, village, again):
    done = scan(cast.province)
    assert done.pairs == 2
    pair = candidate_pair()
    assert (pair.first, pair.second, pair.candidate, pair.second_pk) == (
        village["tuan"],
        None,
        again,
        again.pk,
    )
    assert pair.state == "open" and pair.score >= 85
    assert "cùng chi bộ" in pair.evidence
    assert Problem.objects.filter(member=village["tuan"], kind="duplicate").count() == 1
    assert scan(cast.province).pairs == 2  # found again, not added again
    assert DuplicatePair.objects.count() == 2


def test_without_candidates_the_scan_compares_the_members_only(cast, village, again):
    done = scan_run(
        Scan.objects.create(organization=cast.province, org_path=cast.province.path,
                            state=Scan.State.QUEUED, on=date.today()),
        with_candidates=False,
    )  # fmt: skip
    assert done.pairs == 1
    assert not DuplicatePair.objects.filter(candidate__isnull=False).exists()


def test_stopping_the_candidate_resolves_the_pair_and_the_member_is_clean(cast, users, again):
    scan(cast.province)
    pair = services.pair_withdraw_candidate(
        pair=candidate_pair(), reason="Đã là đảng viên từ 2010", by=users.admin
    )
    again.refresh_from_db()
    assert again.stage == Stage.WITHDRAWN
    assert again.withdrawn_reason.startswith("Trùng với đảng viên Hoàng Văn Tuấn")
    assert pair.state == "withdrawn"
    assert not Problem.objects.filter(member=pair.first, kind="duplicate").exists()
    assert AuditEntry.objects.filter(action="tochuc.quality.pair_candidate_withdrawn").exists()
    assert scan(cast.province).pairs == 1  # a stopped candidate is not compared again
    assert DuplicatePair.objects.get(candidate=again).state == "withdrawn"


def test_not_the_same_person_is_never_suggested_again(cast, users, village, again):
    scan(cast.province)
    services.pair_not_same(pair=candidate_pair(), reason="Hai người cùng tên", by=users.admin)
    assert not Problem.objects.filter(member=village["tuan"], kind="duplicate").exists()
    scan(cast.province)
    assert candidate_pair().state == "not_same"
    assert Candidate.objects.get(pk=again.pk).stage == Stage.IDENTIFIED


def test_a_candidate_is_not_merged_into_a_member(cast, users, village, again):
    scan(cast.province)
    with pytest.raises(ValidationError, match="Không gộp hồ sơ quần chúng"):
        services.pair_merge(
            pair=candidate_pair(), keep=village["tuan"].pk, values={}, reason="x", by=users.admin
        )


def test_the_officer_sees_both_records_and_stops_the_candidate(client, cast, users, again):
    scan(cast.province)
    pair = candidate_pair()
    client.force_login(users.province_officer)
    listed = client.get(reverse("quality:pairs", args=[cast.province.code])).content.decode()
    assert "Hoang Van Tuan" in listed and "quần chúng" in listed
    page = client.get(reverse("quality:pair", args=[cast.province.code, pair.pk]))
    body = page.content.decode()
    assert reverse("admissions:detail", args=[again.pk]) in body
    assert 'id="withdraw-form"' in body and 'id="merge-form"' not in body
    rows = {str(label): (a, b) for label, a, b, _differs in page.context["rows"]}
    assert rows["họ và tên"] == ("Hoàng Văn Tuấn", "Hoang Van Tuan")
    refused = client.post(reverse("quality:pair_withdraw", args=[cast.province.code, pair.pk]))
    assert refused.status_code == 200 and "reason" in refused.context["withdraw_form"].errors
    done = client.post(
        reverse("quality:pair_withdraw", args=[cast.province.code, pair.pk]),
        {"reason": "Đã là đảng viên"},
    )
    assert done.status_code == 302
    assert Candidate.objects.get(pk=again.pk).stage == Stage.WITHDRAWN
    assert selectors.pair_list(organization=cast.province).count() == 1
