"""Issue 16, done when: a wrongly recorded exemption, removal, transfer and merge are each
corrected through the UI (the test client, as an officer would), and the membership and
movement reports of the commune follow, balanced."""

from datetime import date

import pytest
from django.urls import reverse

from tochuc.members.models import MemberEvent
from tochuc.members.services import member_exempt, member_exit, member_transfer
from tochuc.organizations.models import OrganizationEvent
from tochuc.organizations.services import organization_merge
from tochuc.reports import periods, registry
from tochuc.testing import PASSWORD, register

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


def membership(organization, on) -> dict[str, int]:
    report = registry.build("membership", organization, periods.at(on))
    return {row["key"]: row["count"] for row in report.table("members").rows}


def movement(organization, year) -> tuple[dict[str, int], int]:
    data = registry.build("movement", organization, periods.year(year))
    counts = {row["key"]: row["count"] for row in data.table("movement").rows}
    return counts, data.checks[0].difference


def timeline_page(member, act) -> str:
    return f"{reverse('members:timeline_correct', args=[member.pk])}?su_kien={act.pk}"


def save(client, url, **fields):
    response = client.post(url, {"reason": "Ghi nhầm", "action": "save", **fields})
    if response.status_code != 302:
        import re

        errors = re.findall(
            r'class="(?:invalid-feedback|alert[^"]*)"[^>]*>(.*?)</', response.content.decode(), re.S
        )
        raise AssertionError(errors)


def test_an_exemption_a_removal_a_transfer_and_a_merge_are_corrected_through_the_ui(
    client, cast, users
):
    an = register(cast.cell, "Nguyễn Văn An")
    binh = register(cast.cell, "Trần Thị Bình", gender="female")
    chi = register(cast.cell, "Lê Văn Chí")
    register(cast.village_cell, "Hà Thị Dung", gender="female")  # merged by mistake
    # The four mistakes.
    member_exempt(member=an, on=date(2026, 3, 2), decision_no="NQ 3")
    member_exit(member=binh, type=T.REMOVED, on=date(2026, 2, 2), decision_no="05-QĐ/ĐU")
    member_transfer(member=chi, on=date(2026, 4, 1), to=cast.sibling_cell)
    organization_merge(sources=[cast.village_cell], into=cast.sibling_cell, on=date(2026, 5, 4))
    assert membership(cast.commune, date(2026, 6, 1))["total"] == 1  # only An remains
    an.refresh_from_db()
    assert an.is_exempted
    counts, difference = movement(cast.commune, 2026)
    assert (counts["removed"], counts["transferred_out"], counts["restructured_out"]) == (1, 1, 1)
    assert difference == 0

    assert client.login(username=users.commune_officer.username, password=PASSWORD)
    # The exemption was never decided: cancelled.
    save(client, timeline_page(an, an.events.get(type=T.EXEMPTED)), mode="cancelled")
    # The removal took effect on 04/05/2026, not 02/02/2026.
    save(client, timeline_page(binh, binh.events.get(type=T.REMOVED)), mode="corrected",
         on="04/05/2026", decision_no="05-QĐ/ĐU")  # fmt: skip
    # Chí, now filed under the sibling commune, is out of the commune officer's sight …
    transfer = timeline_page(chi, chi.events.get(type=T.TRANSFERRED_OUT))
    assert client.get(transfer).status_code == 404
    # … the province's officer cancels the transfer (and its receipt): Chí never moved.
    client.logout()
    assert client.login(username=users.province_officer.username, password=PASSWORD)
    save(client, transfer, mode="cancelled")
    # The merge belongs to the province too: its officer undoes it.
    merge = OrganizationEvent.objects.get(type=OrganizationEvent.Type.MERGED)
    url = reverse("organizations:correct_event", args=[cast.sibling_cell.code])
    save(client, f"{url}?su_kien={merge.pk}", mode="cancelled", correcting_decision_no="9-QĐ/TU")

    # The reports count the corrected facts, for any date, balanced.
    assert membership(cast.commune, date(2026, 3, 1))["total"] == 4  # Bình still in
    assert membership(cast.commune, date(2026, 6, 1))["total"] == 3  # Bình out from 04/05
    an.refresh_from_db()
    assert not an.is_exempted and not an.events.filter(type=T.EXEMPTED).exists()
    assert membership(cast.sibling_commune, date(2026, 6, 1))["total"] == 0
    counts, difference = movement(cast.commune, 2026)
    assert (counts["removed"], counts["transferred_out"], counts["restructured_out"]) == (1, 0, 0)
    assert (counts["start"], counts["end"], difference) == (4, 3, 0)
    binh.refresh_from_db()
    assert binh.events.get(type=T.REMOVED).on == date(2026, 5, 4)
