"""A pair's place is checked again when it is read and when it is resolved: the paths stored
at the scan say where its two records were; a record moved out of the officer's subtree
since takes the pair out of that officer's hands (the list no longer shows it; its page,
the merge and "not the same person" answer 404)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.members.models import Member
from tochuc.members.services import member_transfer
from tochuc.quality import selectors, services
from tochuc.quality.models import DuplicatePair

from .conftest import scan

pytestmark = pytest.mark.django_db

MOVED_ON = date(2025, 9, 1)


@pytest.fixture
def moved_away(cast, village):
    """The scan found the pair in Tân An; then the second record moved to Tân Bình."""
    scan(cast.province)
    pair = DuplicatePair.objects.get()
    member_transfer(member=village["twice"], on=MOVED_ON, to=cast.sibling_cell, arrived_on=MOVED_ON)
    return pair


def test_the_pair_stored_at_the_scan_still_names_the_commune(cast, moved_away):
    assert moved_away.other_path == cast.village_cell.path
    assert Member.objects.get(pk=moved_away.second_pk).org_path == cast.sibling_cell.path


def test_the_commune_list_no_longer_shows_a_pair_whose_record_moved_out(cast, moved_away):
    assert list(selectors.pair_list(organization=cast.commune)) == []
    assert [p.pk for p in selectors.pair_list(organization=cast.province)] == [moved_away.pk]


def test_the_commune_officer_gets_404_on_the_pair_its_merge_and_not_same(
    client, cast, users, village, moved_away
):
    client.force_login(users.commune_officer)
    code, pk = cast.commune.code, moved_away.pk
    assert client.get(reverse("quality:pair", args=[code, pk])).status_code == 404
    merge = client.post(
        reverse("quality:pair_merge", args=[code, pk]),
        {"keep": village["hoa"].pk, "reason": "Nhập hai lần", "v_full_name": "first"},
    )
    assert merge.status_code == 404
    not_same = client.post(
        reverse("quality:pair_not_same", args=[code, pk]), {"reason": "Hai người khác nhau"}
    )
    assert not_same.status_code == 404
    assert DuplicatePair.objects.get().state == "open"
    assert Member.objects.filter(pk=village["twice"].pk).exists()


def test_the_commune_pages_count_no_pair_once_its_record_moved(client, cast, users, moved_away):
    client.force_login(users.commune_officer)
    page = client.get(reverse("quality:pairs", args=[cast.commune.code]))
    assert page.context["total"] == 0


def test_the_provincial_officer_still_resolves_it(client, cast, users, moved_away):
    client.force_login(users.province_officer)
    answer = client.post(
        reverse("quality:pair_not_same", args=[cast.province.code, moved_away.pk]),
        {"reason": "Hai người khác nhau, khác quê"},
    )
    assert answer.status_code == 302
    assert DuplicatePair.objects.get().state == "not_same"


def test_the_service_refuses_a_record_moved_out_between_the_page_and_the_lock(cast, users, village):
    scan(cast.province)
    pair = DuplicatePair.objects.get()
    Member.objects.filter(pk=village["twice"].pk).update(org_path=cast.sibling_cell.path)
    with pytest.raises(ValidationError, match="chuyển ra ngoài phạm vi"):
        services.pair_merge(
            pair=pair, keep=village["hoa"].pk, values={}, reason="Trùng", by=users.admin,
            within=cast.commune.path,
        )  # fmt: skip
    assert Member.objects.filter(pk=village["twice"].pk).exists()
    assert DuplicatePair.objects.get().state == "open"


def test_a_new_scan_moves_the_pair_with_its_record(cast, village, moved_away):
    scan(cast.province)
    pair = DuplicatePair.objects.get()
    assert (pair.org_path, pair.other_path) == (cast.village_cell.path, cast.sibling_cell.path)
