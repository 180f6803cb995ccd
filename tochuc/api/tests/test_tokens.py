"""The token page: a user makes a token (its secret shown once, stored hashed), sees it in
the list, revokes it; another user's token is not found; every step audited."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tochuc.api.models import ApiToken
from tochuc.api.selectors import token_digest
from tochuc.core.models import AuditEntry


def _in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.mark.django_db
def test_a_commune_officer_makes_a_token_seen_once_and_stored_hashed(client, users):
    client.force_login(users.commune_officer)
    page = client.post(reverse("api:tokens"), {"name": "Hệ thống tỉnh", "expires_on": _in(30)})
    secret = page.context["secret"]
    assert secret.startswith("tc_") and secret in page.content.decode()
    token = ApiToken.objects.get(user=users.commune_officer)
    assert token.digest == token_digest(secret) and secret not in token.digest
    again = client.get(reverse("api:tokens")).content.decode()
    assert secret not in again and token.prefix in again
    entry = AuditEntry.objects.get(action="tochuc.api.token_created")
    assert entry.user == users.commune_officer and entry.data["name"] == "Hệ thống tỉnh"


@pytest.mark.django_db
def test_an_expiry_past_the_limit_or_today_is_refused_beside_the_field(client, users):
    client.force_login(users.commune_officer)
    for expires_on in (_in(0), _in(400)):
        page = client.post(reverse("api:tokens"), {"name": "x", "expires_on": expires_on})
        assert page.context["form"].errors["expires_on"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_expired_token_opens_nothing(client, users, token_for):
    secret = token_for(users.commune_officer)
    ApiToken.objects.update(expires_on=timezone.localdate() - timedelta(days=1))
    response = client.get("/api/v1/members/", headers={"authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


@pytest.mark.django_db
def test_a_user_revokes_their_token_but_not_anothers(client, users, token_for):
    token_for(users.commune_officer)
    token = ApiToken.objects.get()
    url = reverse("api:token_revoke", args=[token.pk])
    client.force_login(users.sibling_officer)
    assert client.post(url).status_code == 404
    client.force_login(users.commune_officer)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="tochuc.api.token_revoked").count() == 1
