"""An administrator changes the rules and the calendar in the Django admin: bad values are
explained beside the field and change nothing; every change is audited and makes every
province's home page compute its panels again."""

from datetime import date

import pytest

from tochuc.core import audit
from tochuc.core.models import AuditEntry
from tochuc.policy.models import PolicyVersion, WorkingDayOverride

pytestmark = pytest.mark.django_db

ADD_VERSION = "/quan-tri/policy/policyversion/add/"


def _version_form(**values):
    return {"effective_from": "2026-03-01", "source": "Hướng dẫn thử", "note": "",
            "params": '{"probation_months": 18}', **values}  # fmt: skip


def _params_errors(response) -> str:
    return str(response.context["adminform"].form["params"].errors)


def test_an_unknown_parameter_is_explained_beside_the_field_and_saves_nothing(client, users):
    client.force_login(users.admin)
    response = client.post(ADD_VERSION, _version_form(params='{"tuoi_toi_da": 60}'))
    assert response.status_code == 200
    assert "Tham số không có: tuoi_toi_da" in _params_errors(response)
    assert not PolicyVersion.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="tochuc.policy").exists()


def test_a_value_of_the_wrong_type_is_explained_and_saves_nothing(client, users):
    client.force_login(users.admin)
    response = client.post(ADD_VERSION, _version_form(params='{"probation_months": "mười"}'))
    assert response.status_code == 200
    assert "Giá trị tham số không hợp lệ" in _params_errors(response)
    assert not PolicyVersion.objects.exists()


def test_a_rule_change_is_audited_for_every_province_with_its_author(client, users, cast):
    before = audit.last_write_id(cast.province.pk)
    client.force_login(users.admin)
    response = client.post(ADD_VERSION, _version_form())
    assert response.status_code == 302
    version = PolicyVersion.objects.get()
    assert version.created_by == users.admin
    entry = AuditEntry.objects.get(action="tochuc.policy.version_created")
    assert (entry.user, entry.province_id, entry.object_id) == (users.admin, None, str(version.pk))
    assert entry.data["params"] == {"probation_months": 18}
    assert audit.last_write_id(cast.province.pk) == entry.pk > before

    client.post(f"/quan-tri/policy/policyversion/{version.pk}/delete/", {"post": "yes"})
    assert not PolicyVersion.objects.exists()
    deleted = AuditEntry.objects.get(action="tochuc.policy.version_deleted")
    assert deleted.data["source"] == "Hướng dẫn thử"
    assert audit.last_write_id(cast.province.pk) == deleted.pk


def test_a_compensatory_day_off_is_audited_and_its_change_too(client, users):
    client.force_login(users.admin)
    form = {"day": "2026-09-04", "is_working_day": "", "reason": "Nghỉ bù Quốc khánh"}
    assert client.post("/quan-tri/policy/workingdayoverride/add/", form).status_code == 302
    override = WorkingDayOverride.objects.get()
    assert override.day == date(2026, 9, 4) and override.created_by == users.admin
    form["reason"] = "Nghỉ bù Quốc khánh (sửa căn cứ)"
    url = f"/quan-tri/policy/workingdayoverride/{override.pk}/change/"
    assert client.post(url, form).status_code == 302
    assert list(
        AuditEntry.objects.filter(action__startswith="tochuc.policy")
        .order_by("id")
        .values_list("action", "province_id")
    ) == [
        ("tochuc.policy.working_day_created", None),
        ("tochuc.policy.working_day_changed", None),
    ]
