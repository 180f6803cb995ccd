from datetime import date

import pytest
from django.urls import reverse

from tochuc.organizations.models import Organization, OrganizationEvent
from tochuc.testing import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_commune_officer_sees_their_tree_with_counts(client, cast, users):
    login(client, users.commune_officer)
    response = client.get(reverse("organizations:detail", args=[cast.commune.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đảng bộ Trường THPT Tân An" in body
    assert "Chi bộ thôn Nà Phái" in body
    # Two grassroots organizations (the school committee, the village cell), one cell under.
    assert response.context["totals"].grassroots == 2
    assert response.context["totals"].under_grassroots == 1


def test_another_communes_organization_is_not_found(client, cast, users):
    login(client, users.commune_officer)
    for code in (cast.sibling_commune.code, cast.sibling_cell.code, cast.other_commune.code):
        assert client.get(reverse("organizations:detail", args=[code])).status_code == 404
    assert client.get(reverse("organizations:detail", args=["KHONG-CO"])).status_code == 404


def test_search_without_accents_finds_the_commune_inside_the_scope_only(client, cast, users):
    login(client, users.province_officer)
    response = client.get(reverse("organizations:search"), {"q": "dang bo xa tan an"})
    assert [o.code for o in response.context["page"]] == [cast.commune.code]
    login(client, users.sibling_officer)
    response = client.get(reverse("organizations:search"), {"q": "tan an"})
    assert list(response.context["page"]) == []


def test_a_viewer_cannot_open_a_restructuring_form(client, cast, users):
    login(client, users.commune_viewer)
    assert client.get(reverse("organizations:rename", args=[cast.commune.code])).status_code == 403


def test_a_merge_is_previewed_then_recorded_and_shows_in_both_histories(client, cast, users):
    login(client, users.province_officer)
    url = reverse("organizations:merge", args=[cast.commune.code])
    data = {
        "mode": "into",
        "siblings": [cast.sibling_commune.code],
        "effective_on": "2026-01-01",
        "decision_no": "125-QĐ/TU",
        "decision_date": "2025-12-20",
    }
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200
    assert any("Đảng bộ xã Tân Bình chấm dứt hoạt động từ 01/01/2026" in line
               for line in preview.context["lines"])  # fmt: skip
    assert Organization.objects.get(pk=cast.sibling_commune.pk).ended_on is None

    saved = client.post(url, {**data, "action": "save"})
    assert saved.status_code == 302
    cast.sibling_commune.refresh_from_db()
    assert cast.sibling_commune.ended_on == date(2026, 1, 1)
    event = OrganizationEvent.objects.get(type="merged")
    for org in (cast.commune, cast.sibling_commune):
        page = client.get(reverse("organizations:detail", args=[org.code]))
        assert [e for e, _parts in page.context["history"]][0] == event
    before = client.get(
        reverse("organizations:detail", args=[cast.province.code]), {"ngay": "31/12/2025"}
    )
    after = client.get(
        reverse("organizations:detail", args=[cast.province.code]), {"ngay": "01/01/2026"}
    )
    assert len(before.context["children"]) == 2
    assert len(after.context["children"]) == 1
    assert before.context["totals"].grassroots == after.context["totals"].grassroots == 3


def test_a_wrong_kind_is_refused_beside_the_form_and_nothing_changes(client, cast, users):
    login(client, users.province_officer)
    url = reverse("organizations:move", args=[cast.village_cell.code])
    response = client.post(
        url, {"parent_code": cast.cell.code, "effective_on": "2026-01-01", "action": "save"}
    )
    assert response.status_code == 200
    assert "cấp trên phải là" in str(response.context["form"].errors)
    cast.village_cell.refresh_from_db()
    assert cast.village_cell.parent == cast.commune


def test_the_picker_lists_only_organizations_in_scope(client, cast, users):
    login(client, users.commune_officer)
    response = client.get(reverse("organizations:picker"), {"q": "tan", "target": "x"})
    codes = {o.code for o in response.context["results"]}
    assert cast.commune.code in codes and cast.sibling_commune.code not in codes


def test_an_organization_page_leads_to_its_candidates_transfers_and_reports(client, cast, users):
    client.login(username=users.commune_officer.username, password=PASSWORD)
    body = client.get(reverse("organizations:detail", args=[cast.commune.code])).content.decode()
    assert reverse("admissions:list", args=[cast.commune.code]) in body
    assert reverse("transfers:transfers", args=[cast.commune.code]) in body
    reports = client.get(reverse("reports:index"), {"to_chuc": cast.commune.code})
    assert reports.context["form"].initial["to_chuc"] == cast.commune.code
    assert not reports.context["form"].is_bound  # nothing run, no errors shown yet


def test_the_page_lists_the_predecessors_and_asks_for_them_only_when_there_are(client, cast, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tochuc.organizations.services import organization_merge

    login(client, users.province_officer)
    page = reverse("organizations:detail", args=[cast.sibling_commune.code])
    client.get(page)  # warm the session
    with CaptureQueriesContext(connection) as before:
        response = client.get(page)
    assert list(response.context["predecessors"]) == []
    organization_merge(sources=[cast.commune], into=cast.sibling_commune, on=date(2026, 2, 1))
    with CaptureQueriesContext(connection) as after:
        response = client.get(page)
    assert [p.code for p in response.context["predecessors"]] == [cast.commune.code]
    assert "Tổ chức tiền thân" in response.content.decode()

    def asked(queries):  # the versions' query says whether there are any; then the list
        return len([q for q in queries.captured_queries if '"successor_id" =' in q["sql"]])

    assert asked(before) == 1 and asked(after) == 2


def test_the_history_shows_the_latest_events_with_their_participants_read_in_one_query(
    client, cast, users, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tochuc.organizations import views
    from tochuc.organizations.selectors import organization_history
    from tochuc.organizations.services import organization_merge

    organization_merge(sources=[cast.commune], into=cast.sibling_commune, on=date(2026, 2, 1))
    login(client, users.commune_officer)  # the sibling commune is out of their scope
    page = reverse("organizations:detail", args=[cast.commune.code])
    client.get(page)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page)
    events = list(organization_history(organization=cast.commune))
    assert len(events) == 2  # founded, merged
    shown = response.context["history"]
    assert [event.pk for event, _parts in shown] == [event.pk for event in events]
    assert [[(p.pk, visible) for p, visible in parts] for _event, parts in shown] == [
        [(p.pk, p.organization_id == cast.commune.pk) for p in event.parts.order_by("id")]
        for event in events
    ]
    participants = [q for q in queries.captured_queries if history_read(q)]
    assert len(participants) == 1
    monkeypatch.setattr(views, "HISTORY_SIZE", 1)
    latest = client.get(page).context["history"]
    assert [event.pk for event, _parts in latest] == [events[0].pk]


def history_read(query) -> bool:
    """The history's query (not the versions' query asking whether there is one)."""
    return query["sql"].startswith('SELECT "organizations_eventparticipant"')


def test_the_history_is_read_only_when_the_organization_has_one(client, cast, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tochuc.organizations.models import EventParticipant
    from tochuc.organizations.services import organization_merge

    login(client, users.province_officer)
    page = reverse("organizations:detail", args=[cast.sibling_commune.code])
    EventParticipant.objects.filter(organization=cast.sibling_commune).delete()  # none yet
    client.get(page)  # warm the session
    with CaptureQueriesContext(connection) as before:
        response = client.get(page)
    assert response.context["history"] == []
    assert "Chưa có sự kiện." in response.content.decode()
    organization_merge(sources=[cast.commune], into=cast.sibling_commune, on=date(2026, 2, 1))
    with CaptureQueriesContext(connection) as after:
        response = client.get(page)
    assert [event.type for event, _parts in response.context["history"]] == ["merged"]
    assert len([q for q in before if history_read(q)]) == 0
    assert len([q for q in after if history_read(q)]) == 1
    assert len(after) == len(before) + 2  # the history and the predecessors (the merged one)
