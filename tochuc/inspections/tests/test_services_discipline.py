"""Discipline: the forms the dated policy allows for each subject, and each form's effect
on the member's timeline or on the organization."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.core.models import AuditEntry
from tochuc.inspections.models import Discipline
from tochuc.members.models import Affiliation, Member, MemberEvent, Status
from tochuc.organizations.models import Organization

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


def _state(cast, members):
    """Everything a refused discipline must leave as it was."""
    pks = [m.pk for m in vars(members).values()]
    return (
        Discipline.objects.count(),
        MemberEvent.objects.count(),
        list(Member.objects.filter(pk__in=pks).order_by("pk").values_list("status", "row_version")),
        Affiliation.objects.filter(valid_to__isnull=True).count(),
        list(Organization.objects.filter(ended_on__isnull=False).values_list("code", flat=True)),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("who", "form", "status_words", "allowed"),
    [
        ("cuong", "dismissal", "đảng viên dự bị", "khiển trách, cảnh cáo"),
        ("cuong", "expulsion", "đảng viên dự bị", "khiển trách, cảnh cáo"),
        ("an", "dissolution", "đảng viên chính thức", "khiển trách, cảnh cáo, cách chức, khai trừ"),
        ("cell", "dismissal", "tổ chức đảng", "khiển trách, cảnh cáo, giải tán"),
    ],
)
def test_a_form_not_allowed_for_the_subject_is_refused_and_nothing_changes(
    cast, members, discipline, who, form, status_words, allowed
):
    subject = getattr(members, who, None) or getattr(cast, who)
    before = _state(cast, members)
    with pytest.raises(ValidationError) as refused:
        discipline(subject, form)
    message = refused.value.message_dict["form"][0]
    assert status_words in message
    assert f"Các hình thức được áp dụng: {allowed}" in message
    assert "69-QĐ/TW" in message
    assert _state(cast, members) == before


def test_a_warning_lands_on_the_members_timeline_with_its_form(cast, members, discipline):
    record = discipline(members.an, "warning", decision_no="07-QĐ/UBKT")
    event = record.member_event
    assert (event.type, event.on, event.decision_no) == (
        T.DISCIPLINED,
        date(2026, 3, 2),
        "07-QĐ/UBKT",
    )
    assert event.note.startswith("Cảnh cáo: Vi phạm")
    assert event.detail == {"form": "warning"}
    members.an.refresh_from_db()
    assert members.an.status == Status.FULL
    assert record.subject_status == "full"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"tochuc.member.disciplined", "tochuc.discipline.decided"} <= actions


def test_a_probationary_member_may_be_reprimanded(members, discipline):
    record = discipline(members.cuong, "reprimand")
    assert record.subject_status == "probationary"
    assert record.member_event.note.startswith("Khiển trách")


def test_expulsion_ends_membership(members, discipline):
    record = discipline(members.binh, "expulsion", decision_no="09-QĐ/UBKT", on=date(2026, 4, 6))
    member = members.binh
    member.refresh_from_db()
    assert member.status == Status.LEFT
    event = record.member_event
    assert (event.type, event.on, event.decision_no) == (T.EXPELLED, date(2026, 4, 6), "09-QĐ/UBKT")
    assert not Affiliation.objects.filter(member=member, valid_to__isnull=True).exists()
    assert Affiliation.objects.get(member=member, kind="official").valid_to == date(2026, 4, 6)
    assert AuditEntry.objects.filter(action="tochuc.member.expelled").count() == 1


def test_dissolution_is_refused_while_members_remain_then_dissolves(cast, members, discipline):
    before = _state(cast, members)
    with pytest.raises(ValidationError) as refused:
        discipline(cast.village_cell, "dissolution", decision_no="11-QĐ/ĐU")
    assert "còn 3 đảng viên đang sinh hoạt" in " ".join(refused.value.messages)
    assert _state(cast, members) == before

    record = discipline(cast.cell, "dissolution", decision_no="12-QĐ/ĐU", on=date(2026, 5, 4))
    cast.cell.refresh_from_db()
    assert cast.cell.ended_on == date(2026, 5, 4)
    assert record.organization_event.decision_no == "12-QĐ/ĐU"
    assert AuditEntry.objects.filter(action="tochuc.organization.dissolved").count() == 1


def test_the_same_decision_is_recorded_once(members, discipline):
    discipline(members.an, "reprimand", decision_no="02-QĐ/UBKT")
    with pytest.raises(ValidationError, match="đã được ghi"):
        discipline(members.an, "reprimand", decision_no="02-QĐ/UBKT")
    assert Discipline.objects.count() == 1
    assert MemberEvent.objects.filter(type=T.DISCIPLINED).count() == 1


def test_a_subject_outside_the_authoritys_subtree_is_refused(members, discipline):
    with pytest.raises(ValidationError, match="không sinh hoạt trong"):
        discipline(members.sibling, "reprimand")
    assert Discipline.objects.count() == 0


def test_a_decision_before_the_last_timeline_event_is_refused(members, discipline):
    discipline(members.an, "reprimand", decision_no="03-QĐ/UBKT", on=date(2026, 6, 1))
    with pytest.raises(ValidationError, match="trình tự thời gian"):
        discipline(members.an, "warning", decision_no="04-QĐ/UBKT", on=date(2026, 5, 1))
    assert Discipline.objects.count() == 1


def test_the_forms_come_from_the_dated_policy(members, discipline):
    from tochuc.policy.models import PolicyVersion

    PolicyVersion.objects.create(
        effective_from=date(2026, 1, 1), source="Thử nghiệm",
        params={"discipline_forms_full_member": ["reprimand"]},
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Các hình thức được áp dụng: khiển trách"):
        discipline(members.an, "warning")
