"""The JSON API through the client, as the cast's users with their tokens."""

import pytest
from django.test import override_settings

from tochuc.core.models import AuditEntry


def get(client, url, secret, **params):
    return client.get(url, params, headers={"authorization": f"Bearer {secret}"})


def patch(client, url, secret, row_version, **changes):
    body = {"row_version": row_version, "changes": changes}
    return send(client, "patch", url, secret, body)


def send(client, method, url, secret, body):
    return getattr(client, method)(
        url, body, content_type="application/json", headers={"authorization": f"Bearer {secret}"}
    )


@pytest.mark.django_db
def test_a_commune_officer_searching_nguyen_van_gets_only_the_communes_members(
    client, users, people, token_for
):
    secret = token_for(users.commune_officer)
    response = get(client, "/api/v1/members/", secret, q="nguyen van")
    assert response.status_code == 200
    names = [m["full_name"] for m in response.json()["items"]]
    assert names == ["Nguyễn Văn An", "Nguyễn Văn Bình"]  # not Dũng of the sibling commune


@pytest.mark.django_db
def test_the_province_officer_sees_both_communes_paged_by_cursor(client, users, people, token_for):
    secret = token_for(users.province_officer)
    first = get(client, "/api/v1/members/", secret, limit=3).json()
    assert [m["full_name"] for m in first["items"]] == [
        "Nguyễn Văn An", "Nguyễn Văn Bình", "Trần Thị Cúc",
    ]  # fmt: skip
    rest = get(client, "/api/v1/members/", secret, limit=3, cursor=first["next_cursor"]).json()
    assert [m["full_name"] for m in rest["items"]] == ["Nguyễn Văn Dũng"]
    assert rest["next_cursor"] is None


@pytest.mark.django_db
def test_without_a_token_or_with_a_wrong_one_the_api_answers_401(client, people):
    assert client.get("/api/v1/members/").status_code == 401
    assert get(client, "/api/v1/members/", "tc_khong-phai-ma").status_code == 401


@pytest.mark.django_db
def test_a_revoked_token_stops_working(client, users, people, token_for):
    from tochuc.api.models import ApiToken
    from tochuc.api.services import token_revoke

    secret = token_for(users.commune_officer)
    assert get(client, "/api/v1/members/", secret).status_code == 200
    token_revoke(token=ApiToken.objects.get(user=users.commune_officer), by=users.commune_officer)
    assert get(client, "/api/v1/members/", secret).status_code == 401


@pytest.mark.django_db
def test_a_member_of_another_commune_is_not_found(client, users, people, token_for):
    secret = token_for(users.commune_officer)
    mine = get(client, f"/api/v1/members/{people['an'].pk}/", secret)
    assert mine.status_code == 200
    body = mine.json()
    assert body["organization"] == people["an"].organization.code
    assert [e["type"] for e in body["timeline"]][:1] == ["admitted"]
    assert body["party_age_years"] >= 15
    other = get(client, f"/api/v1/members/{people['sibling'].pk}/", secret)
    assert other.status_code == 404 and other.json()["code"] == "not_found"


@pytest.mark.django_db
def test_the_tree_as_of_a_date_holds_only_the_callers_subtree(client, cast, users, token_for):
    secret = token_for(users.commune_officer)
    rows = get(client, "/api/v1/organizations/", secret, on="2026-01-01").json()
    assert {r["code"] for r in rows} == {
        cast.commune.code, cast.base.code, cast.cell.code, cast.village_cell.code,
    }  # fmt: skip
    # Before the commune was founded (1/7/2025) it was not there.
    assert get(client, "/api/v1/organizations/", secret, on="2025-06-30").json() == []
    sibling = get(client, f"/api/v1/organizations/{cast.sibling_commune.code}/", secret)
    assert sibling.status_code == 404
    detail = get(client, f"/api/v1/organizations/{cast.commune.code}/", secret).json()
    assert detail["name"] == cast.commune.name
    assert detail["parent"] is None  # the province is above the officer's scope


@pytest.mark.django_db
def test_a_correction_with_a_stale_version_is_refused_and_changes_nothing(
    client, users, people, token_for
):
    secret = token_for(users.commune_officer)
    member = people["an"]
    url = f"/api/v1/members/{member.pk}/"
    ok = patch(client, url, secret, member.row_version, phone="0912345678")
    assert ok.status_code == 200 and ok.json()["row_version"] == member.row_version + 1
    stale = patch(client, url, secret, member.row_version, phone="0900000000")
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    member.refresh_from_db()
    assert member.phone == "0912345678"


@pytest.mark.django_db
def test_a_viewer_may_read_but_not_correct(client, users, people, token_for):
    secret = token_for(users.commune_viewer)
    member = people["an"]
    response = patch(client, f"/api/v1/members/{member.pk}/", secret, 1, phone="1")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


@pytest.mark.django_db
def test_recording_a_member_goes_through_the_service_with_its_vietnamese_refusals(
    client, cast, users, token_for
):
    secret = token_for(users.commune_officer)
    body = {
        "organization": cast.village_cell.code,
        "record": {"full_name": "Hoàng Thị Mai", "gender": "female", "birth_date": "1990-02-03"},
        "admitted_on": "2020-05-19",
        "ceremony_on": "2020-06-01",
        "confirmed_on": "2021-06-01",
        "since": "2025-07-01",
    }
    created = send(client, "post", "/api/v1/members/", secret, body)
    assert created.status_code == 201, created.content
    assert created.json()["organization"] == cast.village_cell.code
    assert AuditEntry.objects.filter(action="tochuc.member.registered").count() == 1
    young = {**body, "record": {**body["record"], "birth_date": "2010-01-01"}}
    too_young = send(client, "post", "/api/v1/members/", secret, young)
    assert too_young.status_code in (409, 422)
    assert too_young.json()["message"]  # in Vietnamese, from the service
    elsewhere = {**body, "organization": cast.sibling_cell.code}
    elsewhere = send(client, "post", "/api/v1/members/", secret, elsewhere)
    assert elsewhere.status_code == 404


@pytest.mark.django_db
def test_a_report_dataset_is_the_json_of_the_report(client, cast, users, people, token_for):
    secret = token_for(users.commune_officer)
    names = [r["name"] for r in get(client, "/api/v1/reports/", secret).json()]
    assert "membership" in names
    data = get(client, "/api/v1/reports/membership/", secret, organization=cast.commune.code).json()
    assert data["report"] == "membership" and data["organization"]["code"] == cast.commune.code
    assert AuditEntry.objects.filter(action="tochuc.report.exported").count() == 1
    sibling = cast.sibling_commune.code
    other = get(client, "/api/v1/reports/membership/", secret, organization=sibling)
    assert other.status_code == 404


@pytest.mark.django_db
@override_settings(TOCHUC_API_REQUESTS_PER_MINUTE=2)
def test_a_token_over_its_rate_is_told_to_wait(client, users, token_for):
    secret = token_for(users.commune_officer)
    statuses = [get(client, "/api/v1/reports/", secret).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_the_schema_and_the_docs_page_are_served_from_the_app(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    assert "/api/v1/members/" in schema.json()["paths"]
    page = client.get("/api/v1/tai-lieu/").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page


@pytest.mark.django_db
def test_an_officer_records_a_death_on_the_timeline(client, users, people, token_for):
    secret = token_for(users.commune_officer)
    url = f"/api/v1/members/{people['an'].pk}/events/"
    response = send(client, "post", url, secret, {"type": "died", "on": "2026-03-02"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "deceased"
    assert [e["type"] for e in response.json()["timeline"]][-1] == "died"
    unknown = send(client, "post", url, secret, {"type": "vanished", "on": "2026-03-02"})
    assert unknown.status_code == 422 and "type" in unknown.json()["fields"]


@pytest.mark.django_db
def test_a_letter_to_the_sibling_commune_is_received_there(client, cast, users, people, token_for):
    officer, sibling = token_for(users.commune_officer), token_for(users.sibling_officer)
    member = people["binh"]
    body = {"on": "2026-03-02", "to": cast.sibling_cell.code}
    issued = send(client, "post", f"/api/v1/members/{member.pk}/transfers/", officer, body)
    assert issued.status_code == 201, issued.content
    letter = issued.json()
    assert letter["destination"] == cast.sibling_cell.code and letter["arrived_on"] is None
    url = f"/api/v1/transfers/{letter['id']}/receive/"
    # The sender may not record the arrival; a stale version is refused.
    receipt = {"arrived_on": "2026-03-10", "row_version": letter["row_version"]}
    assert send(client, "post", url, officer, receipt).status_code == 403
    stale = send(client, "post", url, sibling, {**receipt, "row_version": 99})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    received = send(client, "post", url, sibling, receipt)
    assert received.status_code == 200, received.content
    assert received.json()["arrived_on"] == "2026-03-10"
    member.refresh_from_db()
    assert member.organization == cast.sibling_cell


def test_a_members_token_reads_their_own_record_and_nobody_elses(client, cast, people, token_for):
    from tochuc.members.services import member_update
    from tochuc.testing import member_account

    an = member_update(
        member=people["an"], changes={"citizen_id": "001085000111"},
        expected_version=people["an"].row_version,
    )  # fmt: skip
    secret = token_for(member_account(an).user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    mine = client.get("/api/v1/me/", **headers).json()
    assert (mine["id"], mine["full_name"], mine["organization"]) == (
        people["an"].pk, "Nguyễn Văn An", cast.cell.code,
    )  # fmt: skip
    assert client.get("/api/v1/members/", **headers).status_code == 404
    assert client.get(f"/api/v1/members/{people['an'].pk}/", **headers).status_code == 404
    assert client.get(f"/api/v1/members/{people['binh'].pk}/", **headers).status_code == 404


def test_a_staff_token_has_no_own_record(client, users, token_for):
    secret = token_for(users.commune_officer)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 404
