"""A commune's congress of 19–20/08/2025 elects three of four candidates; "xác nhận kết quả"
seats them in the committee and the first meeting elects the secretary and the deputy (with
a preview that writes nothing); the base committee's congress below elects its delegates
to the commune's congress, which lists and counts them."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tochuc.committees import selectors, services
from tochuc.committees.models import Began, Congress, Delegate, DelegateKind, Post, Role
from tochuc.committees.results import FirstMeeting, congress_confirm, congress_delegates_set
from tochuc.core.models import AuditEntry
from tochuc.reports import periods, registry
from tochuc.testing import register

pytestmark = pytest.mark.django_db
ELECTED_ON = date(2025, 8, 20)
CANDIDATES = "Hoàng Văn An; 140\nLục Thị Bình; 130\nNông Văn Cường; 120\nMa Văn Dũng; 60"


@pytest.fixture
def people(cast):
    return SimpleNamespace(
        an=register(cast.village_cell, "Hoàng Văn An"),
        binh=register(cast.village_cell, "Lục Thị Bình"),
        cuong=register(cast.cell, "Nông Văn Cường"),
        dung=register(cast.cell, "Ma Văn Dũng"),
    )


def record_congress(organization, people, *, size=5, deputies=1, standing=0, ordinal=1,
                    starts_on=date(2025, 8, 19), ends_on=ELECTED_ON):  # fmt: skip
    committee = services.committee_form(
        organization=organization, formed_on=ends_on, formed_how="elected",
        decision_no="01-NQ/ĐH", decision_date=ends_on, size=size, deputies=deputies,
        standing_size=standing,
    )  # fmt: skip
    by_name = {m.full_name: m for m in vars(people).values()}
    return services.congress_record(
        organization=organization, ordinal=ordinal, kind="delegates", starts_on=starts_on,
        ends_on=ends_on, delegates=150, delegates_present=148, ballots_issued=148,
        ballots_valid=146, committee=committee,
        candidates=[(name, int(votes), by_name.get(name)) for name, votes in
                    (line.split("; ") for line in CANDIDATES.splitlines())],
    )  # fmt: skip


@pytest.fixture
def congress(cast, people):
    return record_congress(cast.commune, people)


def test_confirming_the_results_seats_the_elected_and_the_first_meeting_elects_the_leaders(
    client, cast, users, people, congress
):
    client.force_login(users.commune_officer)
    url = (
        reverse("committees:congress_confirm", args=[cast.commune.code]) + f"?dai_hoi={congress.pk}"
    )
    page = client.get(url).content.decode()
    assert "Hoàng Văn An" in page and "Ma Văn Dũng" not in page  # only the elected are offered
    fields = {
        "held_on": "20/08/2025", "secretary": people.an.pk, "deputies": [people.binh.pk],
        "decision_no": "01-NQ/ĐH", "decision_date": "20/08/2025", "row_version": "1",
    }  # fmt: skip
    preview = client.post(url, {**fields, "action": "preview"}).content.decode()
    assert "Nông Văn Cường: Cấp ủy viên từ 20/08/2025 (bầu tại đại hội)." in preview
    assert "Hoàng Văn An: Bí thư từ 20/08/2025 (bầu tại hội nghị cấp ủy)." in preview
    assert "Lục Thị Bình: Phó Bí thư từ 20/08/2025 (bầu tại hội nghị cấp ủy)." in preview
    assert not Post.objects.exists()
    response = client.post(url, {**fields, "action": "save"})
    assert response.status_code == 302
    committee = congress.term.committee
    posts = selectors.posts_on(committee=committee, on=date(2025, 9, 1))
    assert sorted((p.role, p.member.full_name, p.began_how) for p in posts) == [
        (Role.DEPUTY, "Lục Thị Bình", Began.MEETING),
        (Role.MEMBER, "Hoàng Văn An", Began.CONGRESS),
        (Role.MEMBER, "Lục Thị Bình", Began.CONGRESS),
        (Role.MEMBER, "Nông Văn Cường", Began.CONGRESS),
        (Role.SECRETARY, "Hoàng Văn An", Began.MEETING),
    ]
    assert not any(p.is_consolidation for p in posts)
    missing = selectors.vacancies(committee=committee, posts=posts)
    assert [(v.label, v.missing, v.seats) for v in missing] == [("Cấp ủy viên", 2, 5)]
    congress.refresh_from_db()
    assert congress.confirmed_on == ELECTED_ON and congress.row_version == 2
    entry = AuditEntry.objects.get(action="tochuc.committee.congress_confirmed")
    assert entry.data["elected"] == 3 and entry.data["posts"] == 5
    again = client.post(url, {**fields, "row_version": "2", "action": "save"}).content.decode()
    assert "Kết quả đã được xác nhận ngày 20/08/2025." in again
    assert Post.objects.count() == 5


def test_a_leader_not_elected_is_refused_beside_the_field_and_nothing_is_written(
    cast, people, congress
):
    from django.core.exceptions import ValidationError

    meeting = FirstMeeting(held_on=ELECTED_ON, secretary=people.an, deputies=[people.an])
    with pytest.raises(ValidationError) as refused:
        congress_confirm(congress=congress, meeting=meeting, decision_no="01-NQ/ĐH",
                         decision_date=ELECTED_ON)  # fmt: skip
    assert "Một người được chọn hai lần" in refused.value.message_dict["standing"][0]
    too_many = FirstMeeting(held_on=ELECTED_ON, secretary=people.an,
                            deputies=[people.binh, people.cuong])  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        congress_confirm(congress=congress, meeting=too_many, decision_no="01-NQ/ĐH",
                         decision_date=ELECTED_ON)  # fmt: skip
    assert refused.value.message_dict["deputies"] == ["Cấp ủy được bầu 1 Phó Bí thư; đã chọn 2."]
    assert not Post.objects.exists()
    assert Congress.objects.get().confirmed_on is None


def test_an_elected_candidate_who_is_not_a_known_member_stops_the_confirmation(cast, people):
    stranger = record_congress(cast.sibling_commune, SimpleNamespace(), ordinal=1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        congress_confirm(congress=stranger, meeting=FirstMeeting(held_on=ELECTED_ON),
                         decision_no="01-NQ/ĐH", decision_date=ELECTED_ON)  # fmt: skip
    assert (
        "Chưa xác định được đảng viên của: Hoàng Văn An, Lục Thị Bình, Nông Văn Cường"
        in (refused.value.message_dict["candidates"][0])
    )


def test_the_delegates_elected_below_are_listed_and_counted_by_the_congress_above(
    client, cast, users, people, congress
):
    base_congress = record_congress(
        cast.base, people, size=3, starts_on=date(2025, 8, 1), ends_on=date(2025, 8, 2)
    )
    client.force_login(users.commune_officer)
    url = (
        reverse("committees:congress_delegates", args=[cast.base.code])
        + f"?dai_hoi={base_congress.pk}"
    )
    bad = client.post(url, {"delegates": "Nông Văn Cường; khách mời", "row_version": "1"})
    assert "Dòng 1: cần “Họ và tên; chính thức hoặc dự khuyết; số phiếu”." in bad.content.decode()
    response = client.post(url, {
        "delegates": "Nông Văn Cường; chính thức; 120\nMa Văn Dũng; chính thức; 110\n"
                     "Lục Thị Bình; dự khuyết", "row_version": "1",
    })  # fmt: skip
    assert response.status_code == 302
    assert sorted(Delegate.objects.values_list("full_name", "kind", "votes")) == [
        ("Lục Thị Bình", DelegateKind.ALTERNATE, None),
        ("Ma Văn Dũng", DelegateKind.OFFICIAL, 110),
        ("Nông Văn Cường", DelegateKind.OFFICIAL, 120),
    ]
    [entry] = selectors.delegates_for(congress=congress)
    assert (entry.congress.organization, entry.official, entry.alternate) == (cast.base, 2, 1)
    page = client.get(reverse("committees:congresses", args=[cast.commune.code])).content.decode()
    below = page.split(f'id="below-{congress.pk}"')[1].split("</table>")[0]
    assert "Đảng bộ Trường THPT Tân An" in below and "Ma Văn Dũng" in below
    assert '<td class="text-end">2</td><td class="text-end">1</td>' in below
    data = registry.build("committee_congresses", cast.commune, periods.year(2025))
    delegates = next(t for t in data.tables if t.key == "delegates")
    assert [(r["label"], r["official"], r["alternate"]) for r in delegates.rows] == [
        ("Đảng bộ Trường THPT Tân An", 2, 1),
    ]
    # Recorded again: the list is replaced, not added to.
    congress_delegates_set(congress=base_congress, delegates=[
        ("Nông Văn Cường", DelegateKind.OFFICIAL, 120, people.cuong),
    ])  # fmt: skip
    assert selectors.delegates_for(congress=congress)[0].official == 1
    assert Delegate.objects.count() == 1
