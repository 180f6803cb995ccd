"""Sửa / Hủy through the pages: a post's dates corrected with a preview and a reason, a
stale version refused, a post that replaced the secretary cancelled (the secretary holds
the seat again); a congress's votes corrected (the elected counted again), its ballots
refused beside the field, a confirmed congress's elected kept, and a congress cancelled
with the posts its results began."""

from datetime import date

import pytest
from django.urls import reverse

from tochuc.committees import services
from tochuc.committees.models import Began, Candidate, Congress, Ended, Post, Role
from tochuc.committees.results import FirstMeeting, congress_confirm
from tochuc.core.models import AuditEntry, Correction
from tochuc.testing import register

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


@pytest.fixture
def committee(cast):
    made = services.committee_form(
        organization=cast.commune, formed_on=JULY, formed_how="designated",
        decision_no="1234-QĐ/TU", decision_date=JULY, size=5, deputies=1,
    )  # fmt: skip
    made.an = register(cast.village_cell, "Hoàng Văn An")
    made.binh = register(cast.village_cell, "Lục Thị Bình")
    made.secretary = services.post_begin(
        committee=made, member=made.an, role=Role.SECRETARY, began_on=JULY,
        began_how=Began.DESIGNATED, decision_no="1235-QĐ/TU", decision_date=JULY,
    )  # fmt: skip
    return made


def post_url(cast, post):
    return reverse("committees:post_correct", args=[cast.commune.code]) + f"?chuc_vu={post.pk}"


def test_a_posts_date_is_corrected_with_a_preview_and_a_reason(client, cast, users, committee):
    client.force_login(users.commune_officer)
    post = committee.secretary
    url = post_url(cast, post)
    page = client.get(url).content.decode()
    assert 'value="01/07/2025"' in page and 'value="1235-QĐ/TU"' in page
    fields = {
        "mode": "corrected", "began_on": "02/07/2025", "began_how": "designated",
        "began_decision_no": "1235-QĐ/TU", "began_decision_date": "01/07/2025",
        "reason": "Ghi nhầm ngày", "row_version": "1",
    }  # fmt: skip
    preview = client.post(url, {**fields, "action": "preview"}).content.decode()
    assert "01/07/2025" in preview.split('id="preview"')[1].split("</table>")[0]
    assert Post.objects.get(pk=post.pk).began_on == JULY
    assert client.post(url, {**fields, "action": "save"}).status_code == 302
    post.refresh_from_db()
    assert (post.began_on, post.row_version, post.is_consolidation) == (date(2025, 7, 2), 2, True)
    correction = Correction.objects.get(entity="committee_post")
    assert correction.reason == "Ghi nhầm ngày"
    assert correction.before["began_on"] == "2025-07-01"
    assert correction.after["began_on"] == "2025-07-02"
    assert AuditEntry.objects.filter(action="tochuc.committee_post.corrected").count() == 2
    # The page read before that save is stale now: refused, nothing changes.
    stale = client.post(url, {**fields, "began_on": "03/07/2025", "action": "save"})
    assert "vừa được người khác sửa" in stale.content.decode()
    post.refresh_from_db()
    assert post.began_on == date(2025, 7, 2)


def test_an_impossible_end_is_refused_beside_its_field(client, cast, users, committee):
    client.force_login(users.commune_officer)
    response = client.post(post_url(cast, committee.secretary), {
        "mode": "corrected", "began_on": "01/07/2025", "began_how": "designated",
        "began_decision_no": "1235-QĐ/TU", "began_decision_date": "01/07/2025",
        "ended_on": "30/06/2025", "ended_how": "transfer", "reason": "Ghi thiếu",
        "row_version": "1", "action": "save",
    })  # fmt: skip
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_ended_on-errors"' in text and "ngày bắt đầu giữ chức vụ" in text
    assert Post.objects.get(pk=committee.secretary.pk).ended_on is None


def test_cancelling_a_post_that_replaced_the_secretary_gives_the_seat_back(
    client, cast, users, committee
):
    wrong = services.post_begin(
        committee=committee, member=committee.binh, role=Role.SECRETARY,
        began_on=date(2026, 3, 10), began_how=Began.MEETING, decision_no="45-QĐ/ĐU",
        decision_date=date(2026, 3, 9), replaces=committee.secretary,
    )  # fmt: skip
    committee.secretary.refresh_from_db()
    assert committee.secretary.ended_on == date(2026, 3, 10)
    assert committee.secretary.ended_how == Ended.REASSIGNED
    client.force_login(users.commune_officer)
    url = post_url(cast, wrong)
    fields = {"mode": "cancelled", "reason": "Nhầm người", "row_version": "1"}
    preview = client.post(url, {**fields, "action": "preview"}).content.decode()
    assert "Hoàng Văn An giữ lại chức Bí thư." in preview
    assert client.post(url, {**fields, "action": "save"}).status_code == 302
    assert not Post.objects.filter(pk=wrong.pk).exists()
    committee.secretary.refresh_from_db()
    assert (committee.secretary.ended_on, committee.secretary.ended_how) == (None, "")
    assert Correction.objects.get(action="cancelled").before["member"] == "Lục Thị Bình"


def congress_of(cast, committee_size=2):
    an = register(cast.village_cell, "Hoàng Văn An")
    binh = register(cast.village_cell, "Lục Thị Bình")
    elected = services.committee_form(
        organization=cast.commune, formed_on=date(2025, 8, 20), formed_how="elected",
        decision_no="01-NQ/ĐH", decision_date=date(2025, 8, 20), size=committee_size,
        deputies=min(committee_size - 1, 1),
    )  # fmt: skip
    return services.congress_record(
        organization=cast.commune, ordinal=1, kind="delegates", starts_on=date(2025, 8, 19),
        ends_on=date(2025, 8, 20), delegates=150, delegates_present=148, ballots_issued=148,
        ballots_valid=146, committee=elected,
        candidates=[("Hoàng Văn An", 140, an), ("Lục Thị Bình", 70, binh)],
    )  # fmt: skip


def congress_url(cast, congress):
    return reverse("committees:congress_correct", args=[cast.commune.code]) + (
        f"?dai_hoi={congress.pk}"
    )


CONGRESS_FIELDS = {
    "mode": "corrected", "ordinal": "1", "kind": "delegates", "starts_on": "19/08/2025",
    "ends_on": "20/08/2025", "directive": "45-CT/TW", "delegates": "150",
    "delegates_present": "148", "ballots_issued": "148", "ballots_valid": "146",
    "reason": "Kiểm phiếu lại", "row_version": "1",
}  # fmt: skip


def test_a_congresss_votes_are_corrected_and_the_elected_counted_again(client, cast, users):
    congress = congress_of(cast)
    assert list(congress.candidates.filter(elected=True).values_list("full_name", flat=True)) == [
        "Hoàng Văn An"
    ]
    client.force_login(users.commune_officer)
    url = congress_url(cast, congress)
    assert "Lục Thị Bình; 70" in client.get(url).content.decode()
    bad = client.post(url, {**CONGRESS_FIELDS, "ballots_valid": "150", "action": "save",
                            "candidates": "Hoàng Văn An; 140\nLục Thị Bình; 80"})  # fmt: skip
    assert 'id="id_ballots_valid-errors"' in bad.content.decode()
    fields = {**CONGRESS_FIELDS, "candidates": "Hoàng Văn An; 140\nLục Thị Bình; 80"}
    assert client.post(url, {**fields, "action": "save"}).status_code == 302
    elected = Candidate.objects.filter(congress=congress, elected=True)
    assert sorted(elected.values_list("full_name", "votes")) == [
        ("Hoàng Văn An", 140),
        ("Lục Thị Bình", 80),
    ]
    correction = Correction.objects.get(entity="congress")
    assert correction.before["candidates"] == ["Hoàng Văn An; 140", "Lục Thị Bình; 70"]
    assert Congress.objects.get().row_version == 2


def test_a_confirmed_congress_keeps_its_elected_and_its_cancel_takes_its_posts(client, cast, users):
    congress = congress_of(cast, committee_size=1)
    an = congress.candidates.get(full_name="Hoàng Văn An").member
    congress_confirm(
        congress=congress, meeting=FirstMeeting(held_on=date(2025, 8, 20), secretary=an),
        decision_no="01-NQ/ĐH", decision_date=date(2025, 8, 20),
    )  # fmt: skip
    assert Post.objects.filter(from_congress=congress).count() == 2
    client.force_login(users.commune_officer)
    url = congress_url(cast, congress)
    changed = client.post(url, {**CONGRESS_FIELDS, "row_version": "2", "action": "save",
                                "candidates": "Hoàng Văn An; 60\nLục Thị Bình; 140"})  # fmt: skip
    assert "không sửa được danh sách trúng cử" in changed.content.decode()
    cancel = {"mode": "cancelled", "reason": "Ghi nhầm tổ chức", "row_version": "2"}
    preview = client.post(url, {**cancel, "action": "preview"}).content.decode()
    assert "2 chức vụ bầu từ kết quả đại hội được hủy theo." in preview
    assert client.post(url, {**cancel, "action": "save"}).status_code == 302
    assert not Congress.objects.exists() and not Candidate.objects.exists()
    assert not Post.objects.exists()
    assert AuditEntry.objects.filter(action="tochuc.congress.cancelled").count() == 2


def test_the_form_replaces_the_secretary_and_its_preview_says_both(client, cast, users, committee):
    client.force_login(users.commune_officer)
    url = reverse("committees:post_begin", args=[cast.commune.code])
    fields = {
        "member": committee.binh.pk, "role": "secretary", "began_how": "meeting",
        "began_on": "10/03/2026", "decision_no": "45-QĐ/ĐU", "decision_date": "09/03/2026",
        "replaces": committee.secretary.pk, "replaced_how": "retirement",
    }  # fmt: skip
    preview = client.post(url, {**fields, "action": "preview"}).content.decode()
    assert "Lục Thị Bình giữ chức Bí thư từ 10/03/2026 (bầu tại hội nghị cấp ủy)." in preview
    assert "Hoàng Văn An thôi giữ chức Bí thư từ 10/03/2026 (nghỉ hưu)." in preview
    assert Post.objects.get(pk=committee.secretary.pk).ended_on is None
    assert client.post(url, {**fields, "action": "save"}).status_code == 302
    new = Post.objects.get(member=committee.binh)
    assert new.replaced == committee.secretary and new.is_consolidation
    assert Post.objects.get(pk=committee.secretary.pk).ended_how == Ended.RETIREMENT
