"""A commune's committee: designated on 1/7/2025, its secretary transfers away and the seat
is vacant, a consolidation fills it and the quarter's report counts it; letters are signed by
the secretary in office; the sizes are the dated policy's."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tochuc.committees import selectors, services
from tochuc.committees.models import Began, Ended, Post, Role
from tochuc.lib.dates import add_months
from tochuc.members.models import MemberEvent
from tochuc.members.services import member_discipline, member_exit, member_transfer
from tochuc.organizations import hooks
from tochuc.reports import periods, registry
from tochuc.testing import register
from tochuc.transfers.letters import letter
from tochuc.transfers.services import transfer_issue

pytestmark = pytest.mark.django_db
JULY = date(2025, 7, 1)


@pytest.fixture
def people(cast):
    from types import SimpleNamespace

    return SimpleNamespace(
        an=register(cast.village_cell, "Hoàng Văn An"),
        binh=register(cast.village_cell, "Lục Thị Bình"),
        cuong=register(cast.cell, "Nông Văn Cường"),
    )


@pytest.fixture
def committee(cast, users, people):
    """The commune's committee designated from 1/7/2025: An secretary, Bình deputy."""
    made = services.committee_form(
        organization=cast.commune, formed_on=JULY, formed_how="designated",
        decision_no="1234-QĐ/TU", decision_date=date(2025, 6, 28), size=7, standing_size=3,
        deputies=1, inspection_size=3, term_ends_on=date(2030, 7, 31), by=users.province_officer,
    )  # fmt: skip
    for member, role in ((people.an, Role.SECRETARY), (people.binh, Role.DEPUTY)):
        services.post_begin(
            committee=made, member=member, role=role, began_on=JULY,
            began_how=Began.DESIGNATED, decision_no="1235-QĐ/TU", decision_date=date(2025, 6, 28),
        )  # fmt: skip
    return made


def secretary_on(organization, on):
    committee = selectors.committee_on(organization=organization, on=on)
    posts = selectors.posts_on(committee=committee, on=on) if committee else []
    return [p.member.full_name for p in posts if p.role == Role.SECRETARY]


def test_the_committee_is_as_of_the_date_in_view(cast, committee):
    assert selectors.committee_on(organization=cast.commune, on=date(2025, 6, 30)) is None
    assert secretary_on(cast.commune, JULY) == ["Hoàng Văn An"]
    posts = selectors.posts_on(committee=committee, on=date(2026, 1, 1))
    assert [(p.role, p.member.full_name) for p in posts] == [
        (Role.SECRETARY, "Hoàng Văn An"),
        (Role.DEPUTY, "Lục Thị Bình"),
    ]
    missing = {v.label: (v.missing, v.seats) for v in selectors.vacancies(committee=committee,
                                                                          posts=posts)}  # fmt: skip
    assert missing == {
        "Cấp ủy viên": (5, 7),
        "Ủy viên Ban Thường vụ": (1, 3),
        "Chủ nhiệm Ủy ban kiểm tra": (1, 1),
        "Ủy viên Ủy ban kiểm tra": (3, 3),
    }


def test_a_secretary_transferred_out_leaves_the_seat_vacant_from_that_day(cast, committee, people):
    member_transfer(
        member=people.an, on=date(2026, 3, 2), to=cast.sibling_cell, arrived_on=date(2026, 3, 5)
    )
    post = Post.objects.get(member=people.an)
    assert (post.ended_on, post.ended_how) == (date(2026, 3, 2), Ended.TRANSFER)
    assert post.ended_by_event.type == MemberEvent.Type.TRANSFERRED_OUT
    assert secretary_on(cast.commune, date(2026, 3, 1)) == ["Hoàng Văn An"]
    assert secretary_on(cast.commune, date(2026, 3, 2)) == []
    rows = selectors.vacancy_rows(committees=selectors.committees_under(organization=cast.province),
                                  on=date(2026, 3, 2))  # fmt: skip
    assert [v.label for v in rows[0].vacancies][0] == "Bí thư"


def test_a_move_within_the_commune_keeps_the_post(cast, committee, people):
    member_transfer(
        member=people.an, on=date(2026, 3, 2), to=cast.cell, arrived_on=date(2026, 3, 2)
    )
    assert Post.objects.get(member=people.an).ended_on is None


def test_death_and_dismissal_end_posts_but_a_reprimand_does_not(cast, committee, people):
    member_discipline(
        member=people.binh, on=date(2026, 2, 2), form="reprimand", form_label="Khiển trách"
    )
    assert Post.objects.get(member=people.binh).ended_on is None
    member_discipline(
        member=people.binh, on=date(2026, 4, 2), form="dismissal", form_label="Cách chức"
    )
    assert Post.objects.get(member=people.binh).ended_how == Ended.DISCIPLINE
    member_exit(member=people.an, type=MemberEvent.Type.DIED, on=date(2026, 5, 9))
    assert Post.objects.get(member=people.an).ended_how == Ended.DEATH


def test_filling_the_seat_is_a_consolidation_counted_in_the_quarter(cast, committee, people):
    member_transfer(
        member=people.an, on=date(2026, 2, 2), to=cast.sibling_cell, arrived_on=date(2026, 2, 5)
    )
    post = services.post_begin(
        committee=committee, member=people.binh, role=Role.SECRETARY,
        began_on=date(2026, 3, 10), began_how=Began.MEETING, decision_no="45-QĐ/TU",
        decision_date=date(2026, 3, 9),
    )  # fmt: skip
    assert post.is_consolidation
    data = registry.build("committee_consolidations", cast.province, periods.quarter(2026, 1))
    table = data.tables[0]
    assert table.totals["organizations"] == 1
    assert table.totals["filled"] == 1
    # 7 seats, Bình alone (secretary and deputy); 3 standing, 1 held; the commission's 4.
    assert table.totals["vacant"] == 6 + 2 + 1 + 3
    assert [(r["label"], r["organizations"], r["filled"]) for r in table.rows] == [
        ("Đảng bộ xã Tân An", 1, 1),
        ("Đảng bộ xã Tân Bình", 0, 0),
    ]
    later = registry.build("committee_consolidations", cast.province, periods.quarter(2026, 2))
    assert later.tables[0].totals["filled"] == 0


def test_a_letter_is_signed_by_the_secretary_in_office_on_its_date(cast, committee, people):
    signer = hooks.signer(cast.commune, date(2026, 1, 5))
    assert (signer.on_behalf, signer.position, signer.name) == (
        "T/M Ban Thường vụ", "Bí thư", "Hoàng Văn An",
    )  # fmt: skip
    assert hooks.signer(cast.commune, date(2025, 6, 1)) is None
    transfer = transfer_issue(member=people.cuong, on=date(2026, 1, 5), to=cast.sibling_cell)
    assert transfer.issuer == cast.commune
    assert (letter(transfer).on_behalf, letter(transfer).signed_by) == (
        "T/M Ban Thường vụ", "Hoàng Văn An",
    )  # fmt: skip
    # An dies; Bình is elected secretary: a letter after that is signed by her.
    member_exit(member=people.an, type=MemberEvent.Type.DIED, on=date(2026, 2, 1))
    services.post_begin(
        committee=committee, member=people.binh, role=Role.SECRETARY, began_on=date(2026, 2, 9),
        began_how=Began.MEETING, decision_no="12-QĐ/TU", decision_date=date(2026, 2, 9),
    )  # fmt: skip
    other = register(cast.village_cell, "Vi Văn Dũng")
    later = transfer_issue(member=other, on=date(2026, 2, 10), to=cast.sibling_cell)
    assert letter(later).signed_by == "Lục Thị Bình"
    assert letter(transfer).signed_by == "Hoàng Văn An"  # its own date


def test_a_cell_with_fewer_than_nine_full_members_elects_no_chi_uy(cast, people):
    with pytest.raises(ValidationError) as refused:
        services.committee_form(
            organization=cast.village_cell, formed_on=date(2025, 9, 1), formed_how="elected",
            decision_no="05-QĐ/ĐU", decision_date=date(2025, 9, 3), size=3,
        )  # fmt: skip
    assert "dưới 9" in refused.value.message_dict["size"][0]
    made = services.committee_form(
        organization=cast.village_cell, formed_on=date(2025, 9, 1), formed_how="elected",
        decision_no="05-QĐ/ĐU", decision_date=date(2025, 9, 3), size=2, deputies=1,
    )  # fmt: skip
    # A chi bộ cơ sở: five years.
    assert made.term.ends_on == date(2030, 9, 1)


def test_a_commune_committee_above_the_policy_size_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        services.committee_form(
            organization=cast.commune, formed_on=JULY, formed_how="designated",
            decision_no="1-QĐ/TU", decision_date=JULY, size=40,
        )  # fmt: skip
    assert "Tối đa 33" in refused.value.message_dict["size"][0]


def test_a_second_secretary_is_refused_until_the_first_ends(cast, committee, people):
    with pytest.raises(ValidationError, match="Đã có Bí thư"):
        services.post_begin(
            committee=committee, member=people.binh, role=Role.SECRETARY,
            began_on=date(2026, 1, 5), began_how=Began.MEETING, decision_no="9-QĐ/TU",
            decision_date=date(2026, 1, 5),
        )  # fmt: skip
    post = Post.objects.get(member=people.an)
    services.post_end(post=post, ended_on=date(2026, 1, 5), ended_how=Ended.REASSIGNED,
                      decision_no="8-QĐ/TU", decision_date=date(2026, 1, 4))  # fmt: skip
    services.post_begin(
        committee=committee, member=people.binh, role=Role.SECRETARY,
        began_on=date(2026, 1, 5), began_how=Began.MEETING, decision_no="9-QĐ/TU",
        decision_date=date(2026, 1, 5),
    )  # fmt: skip
    assert secretary_on(cast.commune, date(2026, 1, 5)) == ["Lục Thị Bình"]


def test_a_new_term_ends_the_posts_of_the_last(cast, committee, people):
    later = services.committee_form(
        organization=cast.commune, formed_on=date(2025, 8, 20), formed_how="elected",
        decision_no="01-NQ/ĐH", decision_date=date(2025, 8, 20), size=9, standing_size=3,
        deputies=2,
    )  # fmt: skip
    assert set(Post.objects.values_list("ended_how", flat=True)) == {Ended.TERM_END}
    assert selectors.committee_on(organization=cast.commune, on=date(2025, 9, 1)) == later


def test_the_due_list_shows_terms_ending_within_six_and_three_months(cast, users):
    today = timezone.localdate()
    for organization, months in ((cast.commune, 2), (cast.sibling_commune, 5)):
        services.committee_form(
            organization=organization, formed_on=JULY, formed_how="designated",
            decision_no="1-QĐ/TU", decision_date=JULY, size=5,
            term_ends_on=add_months(today, months),
        )  # fmt: skip
    from tochuc.accounts.access import Scope

    rows = selectors.terms_ending(scope=Scope.for_user(users.province_officer), today=today)
    assert [(t.organization.name, within) for t, within in rows] == [
        ("Đảng bộ xã Tân An", 3),
        ("Đảng bộ xã Tân Bình", 6),
    ]
    mine = selectors.terms_ending(scope=Scope.for_user(users.sibling_officer), today=today)
    assert [t.organization.name for t, _ in mine] == ["Đảng bộ xã Tân Bình"]


def test_a_congress_elects_by_majority_of_the_valid_ballots(cast, committee, people):
    congress = services.congress_record(
        organization=cast.commune, ordinal=1, kind="delegates", starts_on=JULY,
        ends_on=JULY, delegates=150, delegates_present=148, ballots_issued=148,
        ballots_valid=146, committee=committee, directive="45-CT/TW",
        candidates=[("Hoàng Văn An", 140, people.an), ("Lục Thị Bình", 74, people.binh),
                    ("Nông Văn Cường", 73, people.cuong)],
    )  # fmt: skip
    elected = dict(congress.candidates.values_list("full_name", "elected"))
    # 146 valid ballots: more than 73 needed.
    assert elected == {"Hoàng Văn An": True, "Lục Thị Bình": True, "Nông Văn Cường": False}
    assert congress.ordinal_roman == "I"


def test_the_congress_report_counts_held_and_due(cast, committee, people):
    services.congress_record(
        organization=cast.commune, ordinal=1, kind="delegates", starts_on=JULY, ends_on=JULY,
        delegates=150, delegates_present=148, ballots_issued=148, ballots_valid=146,
        committee=committee, candidates=[("Hoàng Văn An", 140, people.an)],
    )  # fmt: skip
    held = registry.build("committee_congresses", cast.province, periods.year(2025))
    assert held.tables[0].totals["count"] == 1
    due = registry.build("committee_congresses", cast.province, periods.year(2030))
    assert [(r["label"], r["ends_on"], r["held"]) for r in due.tables[1].rows] == [
        ("Đảng bộ xã Tân An", "31/07/2030", "Chưa"),
    ]


def test_an_organization_merged_away_ends_its_committee_posts(cast, people):
    from tochuc.organizations.services import organization_merge

    made = services.committee_form(
        organization=cast.sibling_commune, formed_on=JULY, formed_how="designated",
        decision_no="7-QĐ/TU", decision_date=JULY, size=3, deputies=1,
    )  # fmt: skip
    dung = register(cast.sibling_cell, "Vi Văn Dũng")
    services.post_begin(
        committee=made, member=dung, role=Role.SECRETARY, began_on=JULY,
        began_how=Began.DESIGNATED, decision_no="8-QĐ/TU", decision_date=JULY,
    )  # fmt: skip
    from tochuc.organizations.models import OrganizationEvent

    organization_merge(sources=[cast.sibling_commune], into=cast.commune, on=date(2026, 4, 1))
    event = OrganizationEvent.objects.order_by("-id").first()
    post = Post.objects.get(member=dung)
    assert (post.ended_on, post.ended_how) == (date(2026, 4, 1), Ended.ORGANIZATION_ENDED)
    assert "1 chức vụ trong cấp ủy kết thúc." in hooks.describe(event)


def test_the_three_reports_render_in_every_format(cast, committee):
    from tochuc.reports.renderers import RENDERERS, render

    for name, period in (
        ("committee_consolidations", periods.quarter(2026, 1)),
        ("committee_composition", periods.at(date(2026, 1, 1))),
        ("committee_congresses", periods.year(2025)),
    ):
        data = registry.build(name, cast.commune, period)
        for fmt in RENDERERS:
            assert len(render(data, fmt, today=date(2026, 4, 1))) > 100, (name, fmt)
    text = render(
        registry.build("committee_composition", cast.commune, periods.at(date(2026, 1, 1))),
        "text",
        today=date(2026, 4, 1),
    )
    assert "Đảng bộ xã Tân An" in text.decode() and "Cơ cấu cấp ủy" in text.decode()


def test_a_merger_cancelled_gives_the_posts_back(cast, people):
    from tochuc.core.corrections import Grounds
    from tochuc.organizations.corrections import organization_event_cancel
    from tochuc.organizations.models import OrganizationEvent
    from tochuc.organizations.services import organization_merge

    made = services.committee_form(
        organization=cast.sibling_commune, formed_on=JULY, formed_how="designated",
        decision_no="7-QĐ/TU", decision_date=JULY, size=3, deputies=1,
    )  # fmt: skip
    dung = register(cast.sibling_cell, "Vi Văn Dũng")
    services.post_begin(
        committee=made, member=dung, role=Role.SECRETARY, began_on=JULY,
        began_how=Began.DESIGNATED, decision_no="8-QĐ/TU", decision_date=JULY,
    )  # fmt: skip
    organization_merge(sources=[cast.sibling_commune], into=cast.commune, on=date(2026, 4, 1))
    event = OrganizationEvent.objects.order_by("-id").first()
    organization_event_cancel(event=event, grounds=Grounds("Ghi nhầm"))
    post = Post.objects.get(member=dung)
    assert (post.ended_on, post.ended_how) == (None, "")
