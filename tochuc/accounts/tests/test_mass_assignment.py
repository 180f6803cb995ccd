"""Mass assignment: extra fields posted into the forms (an organization, a role, staff
flags, a version number, an id) are ignored or refused; nothing but the form's own fields
changes."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tochuc.accounts.models import Grant
from tochuc.members.models import PERSONAL_FIELDS, Member
from tochuc.organizations.models import Organization
from tochuc.testing import PASSWORD, register

pytestmark = pytest.mark.django_db

SMUGGLED = {
    "organization": "T02.P01",
    "organization_id": "1",
    "org_path": "/",
    "province": "T02",
    "province_id": "1",
    "role": "admin",
    "is_staff": "on",
    "is_superuser": "on",
    "is_active": "on",
    "status": "expelled",
    "id": "1",
    "pk": "1",
    "user": "1",
    "user_id": "1",
}


def edit_data(member, **changes) -> dict:
    data = {}
    for name in PERSONAL_FIELDS:
        value = getattr(member, name)
        data[name] = value.strftime("%d/%m/%Y") if isinstance(value, date) else value
    return {**data, "row_version": member.row_version, "reason": "Bổ sung hồ sơ", **changes}


def test_a_member_edit_saves_only_the_personal_record(client, cast, users):
    member = register(cast.cell, "Nguyễn Văn An")
    before = Member.objects.filter(pk=member.pk).values().get()
    client.force_login(users.commune_officer)
    url = reverse("members:edit", kwargs={"pk": member.pk})
    response = client.post(url, edit_data(member, phone="0912345678", **SMUGGLED))
    assert response.status_code == 302
    after = Member.objects.filter(pk=member.pk).values().get()
    changed = {k for k in after if after[k] != before[k]}
    assert changed <= {"phone", "row_version", "updated_at", "name_search", "name_sort"}
    assert after["phone"] == "0912345678" and after["row_version"] == before["row_version"] + 1
    assert after["organization_id"] == before["organization_id"]
    users.commune_officer.refresh_from_db()
    assert not users.commune_officer.is_staff and not users.commune_officer.is_superuser


def test_a_forged_version_number_is_refused(client, cast, users):
    member = register(cast.cell, "Nguyễn Văn An")
    client.force_login(users.commune_officer)
    url = reverse("members:edit", kwargs={"pk": member.pk})
    for forged in (member.row_version + 7, member.row_version - 1, "abc"):
        response = client.post(url, edit_data(member, phone="0999999999", row_version=forged))
        assert response.status_code == 200, forged
    member.refresh_from_db()
    assert (member.phone, member.row_version) == ("", 1)


def test_an_organization_event_ignores_smuggled_fields(client, cast, users):
    client.force_login(users.commune_officer)
    url = reverse("organizations:rename", kwargs={"code": cast.base.code})
    data = {"name": "Đảng bộ Trường THPT Tân An mới", "effective_on": "01/09/2025",
            "decision_no": "15-QĐ/ĐU", "action": "save", **SMUGGLED,
            "parent": cast.other_commune.pk, "parent_id": cast.other_commune.pk,
            "path": cast.other_commune.path, "code": "T02.P01.X"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    base = Organization.objects.get(pk=cast.base.pk)
    assert (base.code, base.parent_id) == (cast.base.code, cast.commune.pk)
    assert base.path == cast.base.path
    assert base.name == "Đảng bộ Trường THPT Tân An mới"
    assert not Organization.objects.filter(code="T02.P01.X").exists()


def test_password_change_changes_only_the_password(client, users):
    client.force_login(users.commune_viewer)
    grants_before = list(Grant.objects.filter(user=users.commune_viewer).values())
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-2026",
         "new_password2": "Mot-mat-khau-moi-2026", "username": "admin2", **SMUGGLED},
    )  # fmt: skip
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=users.commune_viewer.pk)
    assert user.check_password("Mot-mat-khau-moi-2026")
    assert (user.username, user.is_staff, user.is_superuser) == ("commune_viewer", False, False)
    assert list(Grant.objects.filter(user=user).values()) == grants_before
