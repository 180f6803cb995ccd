"""Sửa / Hủy of a commendation: corrected under the checks of recording one, with the reason
beside both versions and an audit entry; refused when someone changed it since the page was
opened (the row version), nothing written; the proposal and the decision as DOCX."""

import io
from datetime import date

import pytest
from django.urls import reverse

from tochuc.awards import corrections, services
from tochuc.awards.models import Commendation
from tochuc.core.corrections import Grounds
from tochuc.core.models import AuditEntry, Correction
from tochuc.lib.documents import docx_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def merit(cast, veterans):
    return services.commendation_record(
        authority=cast.commune, issuer="Ban Thường vụ Đảng ủy xã", form="merit",
        recipient_kind="member", recipient_member=veterans.an, reason_kind="year",
        year_from=2025, year_to=None, decision_no="90-QĐ/ĐU", decided_on=date(2026, 1, 15),
    )  # fmt: skip


def url(name, cast, record):
    return reverse(f"awards:{name}", args=[cast.commune.code]) + f"?ban_ghi={record.pk}"


def test_an_officer_corrects_the_decision_number_and_the_years_with_a_reason(
    client, cast, users, merit
):
    client.force_login(users.commune_officer)
    response = client.post(
        url("commendation_correct", cast, merit),
        {
            "mode": "corrected", "form": "merit", "issuer": "Ban Thường vụ Đảng ủy xã",
            "reason_kind": "period", "year_from": "2021", "year_to": "2025",
            "decision_no": "91-QĐ/ĐU", "decided_on": "16/01/2026", "row_version": "1",
            "reason": "Ghi nhầm số quyết định", "action": "save",
        },
    )  # fmt: skip
    assert response.status_code == 302
    merit.refresh_from_db()
    assert (merit.decision_no, merit.decided_on) == ("91-QĐ/ĐU", date(2026, 1, 16))
    assert (merit.year_from, merit.year_to, merit.reason_kind) == (2021, 2025, "period")
    assert merit.row_version == 2
    correction = Correction.objects.get(entity="commendation")
    assert correction.reason == "Ghi nhầm số quyết định"
    assert correction.before["decision_no"] == "90-QĐ/ĐU"
    assert correction.after["decision_no"] == "91-QĐ/ĐU"
    entry = AuditEntry.objects.get(action="tochuc.commendation.corrected")
    assert entry.data["after"]["year_from"] == 2021


def test_a_correction_on_a_stale_page_is_refused_and_nothing_changes(client, cast, users, merit):
    corrections.commendation_correct(
        commendation=merit, grounds=Grounds("Sửa nội dung"), reason="Dẫn đầu phong trào"
    )
    client.force_login(users.commune_officer)
    response = client.post(
        url("commendation_correct", cast, merit),
        {
            "mode": "corrected", "form": "merit", "issuer": "Ban Thường vụ Đảng ủy xã",
            "reason_kind": "year", "year_from": "2025", "decision_no": "99-QĐ/ĐU",
            "decided_on": "15/01/2026", "row_version": "1", "reason": "Sửa số",
            "action": "save",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    merit.refresh_from_db()
    assert (merit.decision_no, merit.row_version) == ("90-QĐ/ĐU", 2)
    assert Correction.objects.filter(entity="commendation").count() == 1


def test_a_correction_is_refused_beside_the_field_when_the_decision_precedes_the_years(
    client, cast, users, merit
):
    client.force_login(users.commune_officer)
    response = client.post(
        url("commendation_correct", cast, merit),
        {
            "mode": "corrected", "form": "merit", "issuer": "Ban Thường vụ Đảng ủy xã",
            "reason_kind": "year", "year_from": "2025", "decision_no": "90-QĐ/ĐU",
            "decided_on": "20/12/2024", "row_version": "1", "reason": "Sửa ngày",
            "action": "save",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["decided_on"] == [
        "Quyết định khen thưởng phải sau kỳ được khen."
    ]
    merit.refresh_from_db()
    assert merit.decided_on == date(2026, 1, 15)


def test_cancelling_with_the_version_removes_it_and_keeps_the_reason(client, cast, users, merit):
    client.force_login(users.commune_officer)
    response = client.post(
        url("commendation_correct", cast, merit),
        {"mode": "cancelled", "reason": "Ghi trùng", "row_version": "1", "action": "save"},
    )
    assert response.status_code == 302
    assert Commendation.objects.count() == 0
    assert Correction.objects.get().action == "cancelled"


def test_the_sibling_officer_cannot_open_the_correction_page(client, cast, users, merit):
    client.force_login(users.sibling_officer)
    assert client.get(url("commendation_correct", cast, merit)).status_code == 404


def test_the_decision_docx_lists_those_commended_under_its_number(client, cast, users, merit):
    services.commendation_record(
        authority=cast.commune, issuer="Ban Thường vụ Đảng ủy xã", form="merit",
        recipient_kind="organization", recipient_organization=cast.village_cell,
        reason_kind="year", year_from=2025, year_to=None, decision_no="90-QĐ/ĐU",
        decided_on=date(2026, 1, 15),
    )  # fmt: skip
    client.force_login(users.commune_officer)
    response = client.get(
        reverse("awards:commendation_decision_docx", args=[cast.commune.code]), {"so": "90-QĐ/ĐU"}
    )
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "QUYẾT ĐỊNH" in text and "Số 90-QĐ/ĐU" in text
    assert "cho 1 tổ chức đảng, 1 đảng viên và 0 cá nhân" in text
    assert "Hoàng Văn An" in text and "Chi bộ thôn Nà Phái" in text
    entry = AuditEntry.objects.get(action="tochuc.commendation.document_exported")
    assert entry.data["count"] == 2 and entry.data["kind"] == "decision"
    missing = client.get(
        reverse("awards:commendation_decision_docx", args=[cast.commune.code]), {"so": "1-QĐ"}
    )
    assert missing.status_code == 404


def test_the_proposal_docx_lists_the_candidates_not_yet_commended(client, cast, users, veterans):
    from tochuc.ratings.models import Level, RatingSubject
    from tochuc.ratings.services import rating_session_open

    session = rating_session_open(
        organization=cast.commune, kind="year", year=2025, listed_on=date(2025, 12, 20)
    )
    for subject in ({"member": veterans.an}, {"member": veterans.binh},
                    {"rated_organization": cast.village_cell}):  # fmt: skip
        RatingSubject.objects.filter(session=session, **subject).update(
            final_level=Level.EXCELLENT, step="decided"
        )
    services.commendation_record(
        authority=cast.commune, issuer="Ban Thường vụ Đảng ủy xã", form="merit",
        recipient_kind="member", recipient_member=veterans.an, reason_kind="year",
        year_from=2025, year_to=None, decision_no="90-QĐ/ĐU", decided_on=date(2026, 1, 15),
    )  # fmt: skip
    client.force_login(users.commune_officer)
    response = client.get(
        reverse("awards:commendation_proposal_docx", args=[cast.commune.code]),
        {"tu_nam": "2025", "den_nam": "2025"},
    )
    assert response.status_code == 200
    text = docx_text(io.BytesIO(response.content).getvalue())
    assert "TỜ TRÌNH" in text
    assert (
        "Đảng ủy xã Tân An đề nghị cấp trên xét khen thưởng 1 tổ chức đảng và 1 đảng viên" in text
    )
    assert "Chi bộ thôn Nà Phái" in text and "Lục Thị Bình" in text
    assert "Hoàng Văn An" not in text  # commended already
