from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.accounts.access import Scope
from tochuc.core.corrections import Grounds
from tochuc.core.models import AuditEntry, Correction
from tochuc.inspections import selectors
from tochuc.inspections.corrections import (
    discipline_cancel,
    discipline_correct,
    inspection_cancel,
    inspection_correct,
)
from tochuc.inspections.models import Discipline, Inspection
from tochuc.organizations.models import OrganizationEvent

pytestmark = pytest.mark.django_db
WHY = Grounds("Ghi nhầm ngày", decision_no="09-QĐ/ĐU")
Q1, Q2 = (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30))


def supervised(cast, users, period) -> int:
    counts = selectors.period_counts(
        scope=Scope.for_user(users.province_officer), organization=cast.commune,
        start=period[0], end=period[1],
    )  # fmt: skip
    return counts.get("committee", "supervision", "member")


def test_a_corrected_start_moves_the_supervision_to_its_quarter(cast, users, members, inspect):
    record = inspect(members.an)
    assert (supervised(cast, users, Q1), supervised(cast, users, Q2)) == (1, 0)

    inspection_correct(inspection=record, starts_on=date(2026, 4, 6), ends_on=date(2026, 4, 6),
                       grounds=WHY, by=users.commune_officer)  # fmt: skip

    assert (supervised(cast, users, Q1), supervised(cast, users, Q2)) == (0, 1)
    kept = Correction.objects.get()
    assert ("từ ngày", "10/02/2026", "06/04/2026") in kept.rows()
    assert AuditEntry.objects.filter(action="tochuc.inspection.corrected").exists()


def test_an_end_before_the_start_is_refused_and_changes_nothing(members, inspect):
    record = inspect(members.an)
    with pytest.raises(ValidationError) as refused:
        inspection_correct(inspection=record, ends_on=date(2026, 2, 1), grounds=WHY)
    assert "ends_on" in refused.value.error_dict
    record.refresh_from_db()
    assert record.ends_on == date(2026, 2, 10)


def test_an_inspection_a_discipline_rests_on_cannot_start_after_it(
    cast, members, inspect, discipline
):
    record = inspect(cast.village_cell, body="commission", activity="inspection")
    discipline(cast.village_cell, "reprimand", inspection=record)
    with pytest.raises(ValidationError, match="ngày bắt đầu không được sau ngày đó"):
        inspection_correct(inspection=record, starts_on=date(2026, 3, 5),
                           ends_on=date(2026, 3, 6), grounds=WHY)  # fmt: skip
    with pytest.raises(ValidationError, match="hãy hủy quyết định đó trước"):
        inspection_cancel(inspection=record, grounds=WHY)


def test_a_cancelled_supervision_leaves_the_counts(cast, users, members, inspect):
    record = inspect(members.an)
    inspection_cancel(inspection=record, grounds=WHY)
    assert supervised(cast, users, Q1) == 0
    assert not Inspection.objects.exists()
    assert Correction.objects.get().before["decision_no"] == "05-KH/ĐU"


def test_cancelling_a_dissolution_restores_the_organization(cast, users, discipline):
    record = discipline(cast.village_cell, "dissolution")
    cast.village_cell.refresh_from_db()
    assert cast.village_cell.ended_on == date(2026, 3, 2)

    discipline_cancel(discipline=record, grounds=WHY, by=users.commune_officer)

    cast.village_cell.refresh_from_db()
    assert cast.village_cell.ended_on is None
    assert not Discipline.objects.exists()
    assert not OrganizationEvent.objects.filter(type=OrganizationEvent.Type.DISSOLVED).exists()
    assert {c.entity for c in Correction.objects.all()} == {"discipline", "organization"}


def test_correcting_a_dissolution_date_moves_its_event(cast, discipline):
    record = discipline(cast.village_cell, "dissolution")
    discipline_correct(discipline=record, decided_on=date(2026, 3, 3),
                       effective_on=date(2026, 3, 10), grounds=WHY)  # fmt: skip
    cast.village_cell.refresh_from_db()
    assert cast.village_cell.ended_on == date(2026, 3, 10)
    record.refresh_from_db()
    assert record.organization_event.effective_on == date(2026, 3, 10)


def test_a_members_discipline_is_corrected_on_their_timeline(members, discipline):
    record = discipline(members.an, "reprimand")
    with pytest.raises(ValidationError, match="dòng thời gian của đảng viên"):
        discipline_correct(discipline=record, decided_on=date(2026, 3, 3), grounds=WHY)
    with pytest.raises(ValidationError, match="dòng thời gian của đảng viên"):
        discipline_cancel(discipline=record, grounds=WHY)


def test_the_list_offers_sua_huy_and_the_page_cancels_a_supervision(
    client, cast, users, members, inspect
):
    from django.urls import reverse

    from tochuc.testing import PASSWORD

    record = inspect(members.an)
    assert client.login(username="commune_officer", password=PASSWORD)
    url = reverse("inspections:correct", args=[cast.commune.code]) + f"?ban_ghi={record.pk}"
    listing = client.get(reverse("inspections:list", args=[cast.commune.code]) + "?nam=2026")
    assert url.replace("&", "&amp;") in listing.content.decode()
    refused = client.post(url, {"mode": "corrected", "starts_on": "10/02/2026",
                                "ends_on": "01/02/2026", "decision_no": "05-KH/ĐU",
                                "reason": "Nhầm", "action": "save"}).content.decode()  # fmt: skip
    assert 'id="id_ends_on-errors"' in refused
    assert (
        client.post(url, {"mode": "cancelled", "reason": "Ghi trùng", "action": "save"}).status_code
        == 302
    )
    assert not Inspection.objects.exists()


def test_the_discipline_page_previews_a_dissolution_cancelled(client, cast, users, discipline):
    from django.urls import reverse

    from tochuc.testing import PASSWORD

    record = discipline(cast.village_cell, "dissolution")
    assert client.login(username="commune_officer", password=PASSWORD)
    url = reverse("inspections:discipline_correct", args=[cast.commune.code])
    html = client.post(url + f"?ban_ghi={record.pk}", {
        "mode": "cancelled", "reason": "Quyết định bị thu hồi", "action": "preview",
    }).content.decode()  # fmt: skip
    assert "Tổ chức bị giải thể được khôi phục." in html
    assert Discipline.objects.filter(pk=record.pk).exists()
