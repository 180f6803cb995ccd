"""Sửa / Hủy in cadre work: a record, a position, an appointment, a planning entry, a
rotation and a training course can be corrected or cancelled with a reason (both versions
kept, audited); what rests on an act keeps it from being cancelled; the pages are the cadre
officer's own, and a removal from planning and a return from rotation have their page."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tochuc.cadres import corrections, services
from tochuc.cadres.models import Appointment, Cadre, PlanningEntry, Position, Rotation, Training
from tochuc.core.corrections import Grounds
from tochuc.core.models import AuditEntry, Correction

from .conftest import TODAY

pytestmark = pytest.mark.django_db
WHY = Grounds("Ghi nhầm khi nhập hồ sơ", "09-QĐ/ĐU", date(2026, 11, 2))


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def an(cadre):
    an = cadre("Hoàng Văn An", born=date(1978, 5, 12), political_theory="trung_cap")
    services.appointment_record(
        cadre=an, kind="first", title="Trưởng phòng", unit="Phòng Kinh tế",
        decision_no="15-QĐ/ĐU", decided_on=date(2021, 12, 20), starts_on=date(2022, 1, 10),
    )  # fmt: skip
    return an


def test_a_mistyped_birth_date_is_corrected_and_both_versions_are_kept(an):
    corrections.cadre_correct(cadre=an, grounds=WHY, birth_date=date(1979, 5, 12),
                              full_name="Hoàng  Văn  Ân")  # fmt: skip
    an = Cadre.objects.get(pk=an.pk)
    assert (an.full_name, an.birth_date, an.name_folded) == (
        "Hoàng Văn Ân", date(1979, 5, 12), "hoang van an",
    )  # fmt: skip
    correction = Correction.objects.get(entity="cadre")
    assert correction.before["birth_date"] == "1978-05-12"
    assert correction.after["birth_date"] == "1979-05-12"
    assert correction.reason == "Ghi nhầm khi nhập hồ sơ"
    assert AuditEntry.objects.filter(action="tochuc.cadre.corrected").count() == 1


def test_a_correction_on_a_record_changed_since_it_was_read_is_refused(an):
    stale = an.row_version - 1
    with pytest.raises(ValidationError, match="vừa được người khác thay đổi"):
        corrections.cadre_correct(cadre=an, grounds=WHY, row_version=stale, qualification="x")


def test_a_record_with_positions_is_not_cancelled_until_they_are(an):
    with pytest.raises(ValidationError, match="Hồ sơ đã có chức vụ"):
        corrections.cadre_cancel(cadre=an, grounds=WHY)
    appointment = an.appointments.get()
    corrections.appointment_cancel(appointment=appointment, grounds=WHY)
    # The first appointment took the position it opened along.
    assert not Position.objects.filter(cadre=an).exists()
    corrections.cadre_cancel(cadre=an, grounds=WHY)
    assert not Cadre.objects.filter(pk=an.pk).exists()
    assert list(Correction.objects.values_list("entity", "action").order_by("id")) == [
        ("appointment", "cancelled"), ("cadre", "cancelled"),
    ]  # fmt: skip


def test_cancelling_a_reappointment_gives_the_position_back_its_earlier_term(an):
    position = an.positions.get()
    again = services.appointment_record(
        cadre=an, kind="again", position=position, decision_no="41-QĐ/ĐU",
        decided_on=date(2026, 11, 1), starts_on=date(2027, 1, 10),
    )  # fmt: skip
    assert Position.objects.get(pk=position.pk).term_ends_on == date(2032, 1, 10)
    first = an.appointments.get(kind="first")
    with pytest.raises(ValidationError, match="hãy hủy quyết định đó trước"):
        corrections.appointment_cancel(appointment=first, grounds=WHY)
    corrections.appointment_cancel(appointment=again, grounds=WHY)
    assert Position.objects.get(pk=position.pk).term_ends_on == date(2027, 1, 10)
    assert list(Appointment.objects.values_list("decision_no", flat=True)) == ["15-QĐ/ĐU"]


def test_an_appointments_decision_number_is_corrected_on_it_and_its_position(an):
    appointment = an.appointments.get()
    corrections.appointment_correct(
        appointment=appointment, grounds=WHY, decision_no="16-QĐ/ĐU", decided_on=date(2021, 12, 21)
    )
    assert Appointment.objects.get().decision_no == "16-QĐ/ĐU"
    assert Position.objects.get().decision_no == "16-QĐ/ĐU"
    with pytest.raises(ValidationError) as refused:
        corrections.appointment_correct(
            appointment=appointment,
            grounds=WHY,
            decision_no="16-QĐ/ĐU",
            decided_on=date(2022, 2, 1),
        )
    assert refused.value.message_dict["decided_on"] == ["Sau ngày có hiệu lực của quyết định."]


def test_a_rotation_is_corrected_with_its_return_date_recomputed_and_then_cancelled(an):
    rotation = services.rotation_record(
        cadre=an, from_position="Trưởng phòng Kinh tế", to_position="Phó Bí thư Đảng ủy xã",
        to_unit="Đảng ủy xã Tân Bình", starts_on=date(2025, 3, 1), planned_months=24,
        decision_no="20-QĐ/TU",
    )  # fmt: skip
    corrections.rotation_correct(rotation=rotation, grounds=WHY, planned_months=36)
    assert Rotation.objects.get().due_back_on == date(2028, 3, 1)
    corrections.rotation_cancel(rotation=rotation, grounds=WHY)
    assert not Rotation.objects.exists()


def test_a_training_course_is_corrected_and_cancelled(an):
    course = services.training_record(
        cadre=an, kind="course", name="Bồi dưỡng quốc phòng", starts_on=date(2025, 5, 5),
        ends_on=date(2025, 5, 20), completed=True,
    )  # fmt: skip
    corrections.training_correct(training=course, grounds=WHY, result="Giỏi")
    assert Training.objects.get().result == "Giỏi"
    with pytest.raises(ValidationError) as refused:
        corrections.training_correct(training=course, grounds=WHY, kind="political_theory")
    assert "theory_level" in refused.value.message_dict
    corrections.training_cancel(training=course, grounds=WHY)
    assert not Training.objects.exists()


def test_a_planning_entry_is_cancelled_or_removed_at_a_review_on_its_pages(
    client, cast, cadre_officers, an
):
    position = services.planned_position_create(committee=cast.commune, title="Bí thư Đảng ủy xã")
    entry = services.planning_add(position=position, cadre=an, term_start=2025,
                                  added_on=date(2026, 1, 5))  # fmt: skip
    client.force_login(cadre_officers.commune)
    remove = reverse("cadres:planning_remove", args=[an.pk, entry.pk])
    refused = client.post(remove, {"removed_on": "01/01/2026", "reason": "Không còn đủ tiêu chuẩn"})
    assert "ngày đưa vào quy hoạch" in str(refused.context["form"].errors["removed_on"])
    response = client.post(remove, {"removed_on": "15/11/2026", "reason": "Chuyển công tác"})
    assert response.status_code == 302
    entry = PlanningEntry.objects.get()
    assert (entry.removed_on, entry.removal_reason) == (date(2026, 11, 15), "Chuyển công tác")
    cancel = reverse("cadres:planning_cancel", args=[an.pk, entry.pk])
    page = client.get(cancel)
    assert [v for v, _label in page.context["form"].fields["mode"].choices] == ["cancelled"]
    body = {"mode": "cancelled", "reason": "Nhập nhầm người", "action": "save"}
    assert client.post(cancel, body).status_code == 302
    assert not PlanningEntry.objects.exists()


def test_the_record_is_corrected_on_its_page_with_a_preview_first(client, cadre_officers, an):
    client.force_login(cadre_officers.commune)
    url = reverse("cadres:correct", args=[an.pk])
    form = client.get(url).context["form"]
    assert form.initial["full_name"] == "Hoàng Văn An"
    body = {
        "mode": "corrected", "full_name": "Hoàng Văn An", "gender": "male",
        "birth_date": "12/05/1977", "ethnicity": "01", "political_theory": "trung_cap",
        "qualification": "", "note": "", "reason": "Sai năm sinh",
        "row_version": form.initial["row_version"],
    }  # fmt: skip
    preview = client.post(url, {**body, "action": "preview"})
    assert [(label, old, new) for label, old, new in preview.context["preview"].rows()] == [
        ("ngày sinh", "12/05/1978", "12/05/1977")
    ]
    assert Cadre.objects.get(pk=an.pk).birth_date == date(1978, 5, 12)  # a preview writes nothing
    saved = client.post(url, {**body, "action": "save"})
    assert saved.status_code == 302
    assert Cadre.objects.get(pk=an.pk).birth_date == date(1977, 5, 12)


def test_the_sibling_communes_cadre_officer_gets_404_on_the_correction_pages(
    client, cadre_officers, an
):
    client.force_login(cadre_officers.sibling)
    position = an.positions.get()
    for url in (reverse("cadres:correct", args=[an.pk]),
                reverse("cadres:position_correct", args=[an.pk, position.pk])):  # fmt: skip
        assert client.get(url).status_code == 404


def test_a_planned_positions_title_is_corrected_and_an_unused_one_cancelled_on_its_page(
    client, cast, cadre_officers, an
):
    from tochuc.cadres.models import PlannedPosition

    used = services.planned_position_create(committee=cast.commune, title="Bí thư Đảng ủy xa")
    services.planning_add(position=used, cadre=an, term_start=2025, added_on=date(2026, 1, 5))
    unused = services.planned_position_create(committee=cast.commune, title="Chủ tịch UBND")
    client.force_login(cadre_officers.commune)
    url = reverse("cadres:planned_position_correct", args=[used.pk])
    body = {"mode": "corrected", "title": "Bí thư Đảng ủy xã", "min_theory": "", "order": 100,
            "reason": "Gõ thiếu dấu", "action": "save"}  # fmt: skip
    assert client.post(url, body).status_code == 302
    assert PlannedPosition.objects.get(pk=used.pk).title == "Bí thư Đảng ủy xã"
    cancel = {"mode": "cancelled", "reason": "Lập nhầm", "action": "save"}
    refused = client.post(url, cancel)
    assert "đã có cán bộ quy hoạch" in str(refused.context["form"].non_field_errors())
    assert PlannedPosition.objects.filter(pk=used.pk).exists()
    gone = client.post(reverse("cadres:planned_position_correct", args=[unused.pk]), cancel)
    assert gone.status_code == 302
    assert list(PlannedPosition.objects.values_list("title", flat=True)) == ["Bí thư Đảng ủy xã"]
    client.force_login(cadre_officers.sibling)
    assert client.get(url).status_code == 404
