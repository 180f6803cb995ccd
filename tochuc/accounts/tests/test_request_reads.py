"""What every signed-in request reads before its view: the session and the user with their
grants, each by a query compiled once (lib.prepared), giving what the ORM gives."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tochuc.accounts import access, sessions
from tochuc.accounts.models import Grant
from tochuc.accounts.permissions import Role
from tochuc.accounts.services import grant_create, grant_revoke, user_create
from tochuc.notifications.models import Notification
from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def assert_read_as_the_orm_reads(user_id) -> None:
    user = access.user_with_grants(user_id)
    expected = User.objects.get(pk=user_id)
    assert fields(user) == fields(expected)
    today, grants = getattr(user, access.ACTIVE_GRANTS)
    active = Grant.objects.active_on(today).filter(user_id=user_id).select_related("organization")
    assert today == timezone.localdate()
    assert sorted((fields(g) for g in grants), key=lambda f: f["id"]) == sorted(
        (fields(g) for g in active), key=lambda f: f["id"]
    )
    by_pk = {g.pk: g for g in active}
    for grant in grants:
        assert grant.user is user
        expected_organization = by_pk[grant.pk].organization
        if expected_organization is None:
            assert grant.organization is None
        else:
            assert fields(grant.organization) == fields(expected_organization)
    unread = Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
    assert getattr(user, access.READ_WITH) == {"unread_notifications": unread}


def test_the_user_and_their_grants_are_read_as_the_orm_reads_them(cast, users):
    two = user_create(username="hai_noi", password=PASSWORD)
    today = timezone.localdate()
    grant_create(user=two, role=Role.OFFICER, organization=cast.commune, valid_from=today)
    grant_create(user=two, role=Role.VIEWER, organization=cast.sibling_commune,
                 valid_from=today - timedelta(days=9))  # fmt: skip
    grant_create(user=two, role=Role.VIEWER, organization=cast.province,
                 valid_from=today + timedelta(days=1))  # not yet  # fmt: skip
    Notification.objects.create(user=two, kind="due", title="Một")
    Notification.objects.create(user=two, kind="due", title="Hai", read_at=timezone.now())
    for user in (two, users.province_officer, users.admin, users.cell_secretary):
        assert_read_as_the_orm_reads(user.pk)


def test_a_user_whose_grants_ended_is_read_alone(cast, users):
    grant_revoke(grant=Grant.objects.get(user=users.commune_officer), reason="nghỉ hưu")
    assert_read_as_the_orm_reads(users.commune_officer.pk)
    assert getattr(access.user_with_grants(users.commune_officer.pk), access.ACTIVE_GRANTS)[1] == ()


def test_a_missing_user_is_none(db):
    assert access.user_with_grants(987_654) is None


def test_reading_the_grants_organizations_asks_nothing_more(users, django_assert_num_queries):
    user = access.user_with_grants(users.province_officer.pk)
    with django_assert_num_queries(0):
        scope = access.Scope.for_user(user)
        assert [g.organization.path for g in scope.grants] and scope.roots


def test_a_signed_in_request_compiles_the_reads_of_its_session_and_user_once(
    client, cast, users, monkeypatch
):
    builds = []
    for prepared in (access._GRANTS_OF, sessions._SESSION):
        build = prepared.build

        def counted(build=build, **values):
            builds.append(build)
            return build(**values)

        monkeypatch.setattr(prepared, "build", counted)
        monkeypatch.setattr(prepared, "_compiled", threading.local())
    client.force_login(users.commune_officer)
    page = reverse("organizations:detail", args=[cast.commune.code])
    for _ in range(3):
        assert client.get(page).status_code == 200
    assert len(builds) == 2


def test_a_revoked_grant_is_not_served_from_an_earlier_read(client, cast, users):
    client.force_login(users.commune_officer)
    page = reverse("organizations:detail", args=[cast.commune.code])
    for _ in range(2):
        assert client.get(page).status_code == 200
    grant_revoke(grant=Grant.objects.get(user=users.commune_officer), reason="chuyển công tác")
    assert client.get(page).status_code == 404


# ---------------------------------------------------------------- the session engine


def test_a_saved_session_is_read_back_until_it_expires():
    store = sessions.SessionStore()
    store["seen"] = 42
    store.set_expiry(600)
    store.save()
    key = store.session_key
    assert sessions.SessionStore(key).load() == {"seen": 42, "_session_expiry": 600}
    with time_machine.travel(timezone.now() + timedelta(seconds=601)):
        later = sessions.SessionStore(key)
        assert later.load() == {}
        assert later.session_key is None  # forgotten: a new key is made if it is saved


def test_a_deleted_session_is_not_read(client, users):
    client.force_login(users.commune_officer)
    key = client.session.session_key
    assert sessions.SessionStore(key).load()
    Session.objects.filter(session_key=key).delete()  # as services.sessions_end does
    assert sessions.SessionStore(key).load() == {}
    assert client.get(reverse("home")).status_code == 302  # to the login page


def test_logging_out_ends_the_session(client, users):
    assert client.login(username="commune_officer", password=PASSWORD)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert sessions.SessionStore(key).load() == {}
