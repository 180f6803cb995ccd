"""Appointments, planning and quotas through the services, with the dated policy's refusals."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tochuc.cadres import services
from tochuc.cadres.models import Appointment, PlanningEntry, StaffingQuota
from tochuc.core.models import AuditEntry

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _first(cadre, starts_on, decision_no="15-QĐ/ĐU", **extra):
    return services.appointment_record(
        cadre=cadre, kind="first", title="Trưởng phòng", unit="Phòng Kinh tế",
        decision_no=decision_no, decided_on=starts_on, starts_on=starts_on, **extra,
    )  # fmt: skip


def test_a_first_appointment_runs_for_five_years(cadre):
    an = cadre("Hoàng Văn An", born=date(1978, 5, 12))
    appointment = _first(an, date(2024, 3, 1))
    assert appointment.term_ends_on == date(2029, 3, 1)
    assert appointment.position.term_ends_on == date(2029, 3, 1)
    assert AuditEntry.objects.filter(action="tochuc.cadre.appointed").count() == 1


def test_a_first_appointment_needs_the_whole_term_before_retirement(cadre):
    # A man born in 3/1966 is 61 years 9 months, the age of 2027, in 12/2027: retires from
    # 1/2028, less than 3 years after 3/2025.
    binh = cadre("Lục Văn Bình", born=date(1966, 3, 10))
    with pytest.raises(ValidationError) as refused:
        _first(binh, date(2025, 3, 1))
    message = refused.value.message_dict["starts_on"][0]
    assert "01/01/2028" in message and "60 tháng" in message and "80-QĐ/TW" in message
    assert not Appointment.objects.exists()


def test_a_reappointment_with_two_to_five_years_left_ends_at_retirement(cadre):
    # A woman born in 6/1971 retires from 7/2029 (58 years 4 months in 2029).
    cuc = cadre("Nông Thị Cúc", born=date(1971, 6, 4), gender="female")
    position = _first(cuc, date(2021, 12, 1)).position
    again = services.appointment_record(
        cadre=cuc, kind="again", position=position, decision_no="30-QĐ/ĐU",
        decided_on=date(2026, 11, 10), starts_on=date(2026, 12, 1),
    )  # fmt: skip
    assert again.term_ends_on == date(2029, 7, 1)


def test_a_reappointment_with_less_than_two_years_left_is_refused(cadre):
    dung = cadre("Vi Văn Dũng", born=date(1966, 6, 1))  # retires from 7/2028
    position = _first(dung, date(2021, 12, 1)).position
    with pytest.raises(ValidationError) as refused:
        services.appointment_record(
            cadre=dung, kind="again", position=position, decision_no="31-QĐ/ĐU",
            decided_on=date(2026, 11, 10), starts_on=date(2026, 12, 1),
        )  # fmt: skip
    assert "kéo dài thời gian giữ chức vụ" in refused.value.message_dict["starts_on"][0]
    assert Appointment.objects.count() == 1


def test_a_reappointment_long_before_the_term_ends_is_refused(cadre):
    an = cadre("Hoàng Văn An")
    position = _first(an, date(2024, 3, 1)).position
    with pytest.raises(ValidationError) as refused:
        services.appointment_record(
            cadre=an, kind="again", position=position, decision_no="32-QĐ/ĐU",
            decided_on=date(2026, 11, 1), starts_on=date(2026, 11, 2),
        )  # fmt: skip
    assert "90 ngày" in refused.value.message_dict["starts_on"][0]


@pytest.fixture
def secretary(cast):
    return services.planned_position_create(
        committee=cast.commune, title="Bí thư Đảng ủy xã", min_theory="trung_cap"
    )


def test_planning_refuses_a_cadre_who_cannot_serve_the_term(cadre, secretary):
    old = cadre("Lục Văn Bình", born=date(1966, 3, 10), political_theory="cao_cap")
    with pytest.raises(ValidationError) as refused:
        services.planning_add(position=secretary, cadre=old, term_start=2030,
                              added_on=date(2026, 10, 1))  # fmt: skip
    assert "Không đủ tuổi" in refused.value.message_dict["cadre"][0]
    assert "50-QĐ/TW" in refused.value.message_dict["cadre"][0]
    assert not PlanningEntry.objects.exists()


def test_planning_refuses_a_cadre_below_the_political_theory_needed(cadre, secretary):
    young = cadre("Hà Thị Én", born=date(1988, 1, 5), gender="female", political_theory="so_cap")
    with pytest.raises(ValidationError) as refused:
        services.planning_add(position=secretary, cadre=young, term_start=2030,
                              added_on=date(2026, 10, 1))  # fmt: skip
    assert refused.value.message_dict["cadre"] == [
        "Chưa đạt trình độ lý luận chính trị trung cấp (hiện: sơ cấp)."
    ]


def test_a_position_takes_at_most_four_planned_cadres(cadre, secretary):
    people = [cadre(f"Cán bộ Số {n}", political_theory="trung_cap") for n in range(5)]
    for person in people[:4]:
        services.planning_add(position=secretary, cadre=person, term_start=2030,
                              added_on=date(2026, 10, 1))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.planning_add(position=secretary, cadre=people[4], term_start=2030,
                              added_on=date(2026, 10, 1))  # fmt: skip
    assert "đã quy hoạch đủ 4 người" in refused.value.message_dict["cadre"][0]
    assert PlanningEntry.objects.count() == 4


def test_setting_the_same_quota_again_changes_nothing(cast):
    agency = services.agency_create(organization=cast.commune, code="X01.PKT",
                                    name="Phòng Kinh tế xã Tân An")  # fmt: skip
    for _ in range(2):
        services.quota_set(agency=agency, year=2026, assigned=7, actual=6, planned_reduction=1)
    assert StaffingQuota.objects.get().assigned == 7
    assert AuditEntry.objects.filter(action="tochuc.staffing.quota_set").count() == 1


def test_a_completed_political_theory_degree_raises_the_record_and_meets_the_criterion(
    cadre, secretary
):
    en = cadre("Hà Thị Én", born=date(1988, 1, 5), gender="female", political_theory="so_cap")
    services.training_record(
        cadre=en, kind="political_theory", theory_level="trung_cap",
        name="Trung cấp lý luận chính trị – hành chính", institution="Trường Chính trị tỉnh",
        starts_on=date(2025, 3, 1), ends_on=date(2026, 6, 30), completed=True,
    )  # fmt: skip
    en.refresh_from_db()
    assert en.political_theory == "trung_cap"
    entry = services.planning_add(position=secretary, cadre=en, term_start=2030,
                                  added_on=date(2026, 10, 1))  # fmt: skip
    assert entry.term_label == "2030–2035"


def test_a_rotation_is_due_back_after_its_planned_months_and_not_twice_at_once(cast, cadre):
    from tochuc.accounts.access import Scope
    from tochuc.cadres import selectors

    an = cadre("Hoàng Văn An")
    rotation = services.rotation_record(
        cadre=an, from_position="Trưởng phòng Kinh tế", to_position="Phó Bí thư Đảng ủy xã",
        to_unit="Đảng ủy xã Tân Bình", starts_on=date(2024, 12, 1), planned_months=24,
        decision_no="88-QĐ/TU",
    )  # fmt: skip
    assert rotation.due_back_on == date(2026, 12, 1)
    admin = cast.user("quan_tri", "admin")
    due = selectors.rotations_due_back(scope=Scope.for_user(admin), organization=cast.commune,
                                       on=TODAY)  # fmt: skip
    assert list(due) == [rotation]
    with pytest.raises(ValidationError) as refused:
        services.rotation_record(
            cadre=an, from_position="x", to_position="y", to_unit="z",
            starts_on=date(2025, 6, 1), planned_months=12, decision_no="89-QĐ/TU",
        )  # fmt: skip
    assert "đang được luân chuyển" in refused.value.message_dict["starts_on"][0]
    services.rotation_return(rotation=rotation, returned_on=date(2026, 11, 1))
    assert not selectors.rotations_due_back(
        scope=Scope.for_user(admin), organization=cast.commune, on=TODAY
    ).exists()
