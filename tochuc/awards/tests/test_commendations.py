"""Commendations: recorded for organizations, members and other persons, refused when the
recipient is outside the awarding organization; the candidates drawn from the ratings; the
report per subtree and period by form and recipient kind ("4 tổ chức đảng và 15 đảng viên")."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.awards import selectors, services
from tochuc.awards.models import Commendation
from tochuc.reports import periods, registry

pytestmark = pytest.mark.django_db


def _record(cast, users, *, kind, form="certificate", year=2025, **recipient):
    return services.commendation_record(
        authority=cast.province,
        issuer="Ban Thường vụ Tỉnh ủy",
        form=form,
        recipient_kind=kind,
        reason_kind="year",
        year_from=year,
        year_to=None,
        decision_no="512-QĐ/TU",
        decided_on=date(2026, 1, 20),
        by=users.province_officer,
        **recipient,
    )


def test_the_province_report_counts_commendations_by_form_and_recipient_kind(cast, users, veterans):
    for org in (cast.commune, cast.base, cast.village_cell, cast.sibling_commune):
        _record(cast, users, kind="organization", recipient_organization=org)
    for member in (veterans.an, veterans.binh, veterans.sibling):
        _record(cast, users, kind="member", recipient_member=member)
    _record(
        cast,
        users,
        kind="person",
        form="medal_tcxdd",
        recipient_name="Nguyễn Văn Hải",
        recipient_detail="Nguyên Trưởng Ban Tổ chức Tỉnh ủy",
    )
    services.commendation_record(
        authority=cast.commune,
        issuer="Ban Thường vụ Đảng ủy xã",
        form="merit",
        recipient_kind="member",
        recipient_member=veterans.chien,
        reason_kind="period",
        year_from=2021,
        year_to=2025,
        decision_no="88-QĐ/ĐU",
        decided_on=date(2026, 2, 1),
    )

    data = registry.build("commendations", cast.province, periods.year(2026))
    rows = {r["form"]: r for r in data.table("commendations").rows}
    assert (rows["Bằng khen"]["organization"], rows["Bằng khen"]["member"]) == (4, 3)
    assert rows["Giấy khen"]["member"] == 1
    assert rows["Kỷ niệm chương “Vì sự nghiệp Tổ chức xây dựng Đảng”"]["person"] == 1
    assert data.table("commendations").totals["total"] == 9
    assert "Bằng khen: 4 tổ chức đảng và 3 đảng viên." in data.paragraphs
    commune = registry.build("commendations", cast.commune, periods.year(2026))
    assert commune.table("commendations").totals["total"] == 1
    assert registry.build("commendations", cast.province, periods.year(2025)).paragraphs == [
        "Không có khen thưởng nào trong kỳ."
    ]


def test_a_recipient_outside_the_awarding_organization_is_refused(cast, users, veterans):
    with pytest.raises(ValidationError) as refused:
        services.commendation_record(
            authority=cast.commune,
            issuer="Ban Thường vụ Đảng ủy xã",
            form="merit",
            recipient_kind="member",
            recipient_member=veterans.sibling,
            reason_kind="year",
            year_from=2025,
            year_to=None,
            decision_no="1-QĐ/ĐU",
            decided_on=date(2026, 1, 5),
        )
    assert "member" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _record(cast, users, kind="organization", recipient_organization=cast.commune, year=2027)
    assert "year_from" in refused.value.message_dict
    assert Commendation.objects.count() == 0


def test_candidates_are_those_rated_excellent_every_year_of_the_period(cast, users, veterans):
    from tochuc.ratings.models import Level, RatingSubject
    from tochuc.ratings.services import rating_session_open

    session = rating_session_open(
        organization=cast.commune, kind="year", year=2025, listed_on=date(2025, 12, 20)
    )
    RatingSubject.objects.filter(session=session, member=veterans.an).update(
        final_level=Level.EXCELLENT, step="decided"
    )
    RatingSubject.objects.filter(session=session, rated_organization=cast.village_cell).update(
        final_level=Level.EXCELLENT, step="decided"
    )
    RatingSubject.objects.filter(session=session, member=veterans.binh).update(
        final_level=Level.GOOD, step="decided"
    )
    found = selectors.candidates(
        scope=None, organization=cast.commune, year_from=2025, year_to=2025
    )
    assert [(c.kind, c.name, c.already) for c in found] == [
        ("organization", "Chi bộ thôn Nà Phái", False),
        ("member", "Hoàng Văn An", False),
    ]
    assert (
        selectors.candidates(scope=None, organization=cast.commune, year_from=2024, year_to=2025)
        == []
    )

    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(users.commune_officer)
    page = client.get(
        reverse("awards:candidates", args=[cast.commune.code]),
        {"tu_nam": "2025", "den_nam": "2025"},
    )
    assert [c.name for c in page.context["rows"]] == ["Chi bộ thôn Nà Phái", "Hoàng Văn An"]
    response = client.post(
        reverse("awards:commendation_add", args=[cast.commune.code]),
        {
            "form": "merit",
            "issuer": "Ban Thường vụ Đảng ủy xã",
            "recipient_kind": "member",
            "member": veterans.an.pk,
            "reason_kind": "year",
            "year_from": "2025",
            "decision_no": "90-QĐ/ĐU",
            "decided_on": "15/01/2026",
        },
    )
    assert response.status_code == 302
    found = selectors.candidates(
        scope=None, organization=cast.commune, year_from=2025, year_to=2025
    )
    assert [c.already for c in found] == [False, True]
    rows = client.get(reverse("awards:commendations", args=[cast.commune.code]), {"nam": "2026"})
    assert [c.recipient_name for c in rows.context["rows"]] == ["Hoàng Văn An"]


def test_the_sibling_officer_does_not_see_the_communes_commendations(cast, users, veterans):
    services.commendation_record(
        authority=cast.commune,
        issuer="Ban Thường vụ Đảng ủy xã",
        form="merit",
        recipient_kind="member",
        recipient_member=veterans.an,
        reason_kind="year",
        year_from=2025,
        year_to=None,
        decision_no="90-QĐ/ĐU",
        decided_on=date(2026, 1, 15),
    )
    from django.test import Client

    client = Client()
    client.force_login(users.sibling_officer)
    assert client.get(reverse("awards:commendations", args=[cast.commune.code])).status_code == 404
    record = Commendation.objects.get()
    url = reverse("awards:commendation_cancel", args=[cast.sibling_commune.code])
    assert client.get(url, {"ban_ghi": record.pk}).status_code == 404


def test_a_commendation_recorded_by_mistake_is_cancelled_with_its_reason(
    client, cast, users, veterans
):
    from tochuc.core.models import Correction

    record = services.commendation_record(
        authority=cast.commune,
        issuer="Ban Thường vụ Đảng ủy xã",
        form="merit",
        recipient_kind="member",
        recipient_member=veterans.an,
        reason_kind="year",
        year_from=2025,
        year_to=None,
        decision_no="90-QĐ/ĐU",
        decided_on=date(2026, 1, 15),
    )
    client.force_login(users.commune_officer)
    url = reverse("awards:commendation_cancel", args=[cast.commune.code])
    response = client.post(
        f"{url}?ban_ghi={record.pk}",
        {"mode": "cancelled", "reason": "Ghi nhầm người", "action": "save"},
    )
    assert response.status_code == 302
    assert Commendation.objects.count() == 0
    assert Correction.objects.get().reason == "Ghi nhầm người"
