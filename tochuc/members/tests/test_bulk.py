"""`members_bulk_register` leaves what `member_register` and the timeline's services leave."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tochuc.core.models import AuditEntry
from tochuc.members import party_age
from tochuc.members.bulk import BulkRowError, MemberRow, TimelineEvent, members_bulk_register
from tochuc.members.models import Affiliation, Member, MemberEvent
from tochuc.members.services import (
    member_confirm,
    member_exempt,
    member_exit,
    member_readmit,
    member_register,
    member_transfer,
)
from tochuc.organizations.models import Kind, Organization
from tochuc.organizations.services import organization_dissolve
from tochuc.testing import found

pytestmark = pytest.mark.django_db
T = MemberEvent.Type
E = TimelineEvent


def by_services(row: MemberRow) -> Member:
    """The reference: the row entered with `member_register`, then its timeline, step by step."""
    org = Organization.objects.get
    member = member_register(
        organization=org(pk=row.organization_id), record=row.record, admitted_on=row.admitted_on,
        admission_decision_no=row.admission_decision_no, ceremony_on=row.ceremony_on,
        confirmed_on=row.confirmed_on, since=row.since,
    )  # fmt: skip
    for step in row.timeline:
        if step.type == "transferred":
            member_transfer(member=member, on=step.on, to=org(pk=step.to_organization_id),
                            arrived_on=step.arrived_on, decision_no=step.decision_no)  # fmt: skip
        elif step.type == T.TRANSFERRED_OUT:
            member_transfer(member=member, on=step.on, other_party=step.other_party,
                            decision_no=step.decision_no)  # fmt: skip
        elif step.type in (T.EXEMPTED, T.EXEMPTION_ENDED):
            member_exempt(member=member, on=step.on, end=step.type == T.EXEMPTION_ENDED,
                          decision_no=step.decision_no)  # fmt: skip
        elif step.type == T.READMITTED:
            member_readmit(member=member, organization=org(pk=step.to_organization_id),
                           decided_on=step.on, decision_no=step.decision_no,
                           consent=step.consent)  # fmt: skip
        elif step.type == T.CONFIRMED:
            member_confirm(member=member, on=step.on, decision_no=step.decision_no)
        else:
            member_exit(member=member, type=step.type, on=step.on, decision_no=step.decision_no)
    return member


def snapshot() -> dict:
    """Every member with its derived state, events and affiliations; ids replaced by codes."""
    code = dict(Organization.objects.values_list("id", "code"))
    skip = {"id", "created_at", "photo"}
    fields = [f.attname for f in Member._meta.concrete_fields if f.attname not in skip]
    members = {}
    for member in Member.objects.all():
        state = {name: getattr(member, name) for name in fields}
        state["organization_id"] = code[member.organization_id]
        state["province_id"] = code[member.province_id]
        state["org_path"] = "/".join(code[int(p)] for p in member.org_path.strip("/").split("/"))
        events = [
            (e.type, e.on, e.decision_no, e.decision_date, code.get(e.organization_id),
             code.get(e.other_organization_id), e.other_party, e.detail, e.note,
             e.recorded_by_id)
            for e in member.events.order_by("on", "id")
        ]  # fmt: skip
        affiliations = [
            (code[a.organization_id], a.kind, a.valid_from, a.valid_to,
             (a.started_by.type, a.started_by.on) if a.started_by else None)
            for a in member.affiliations.order_by("valid_from", "id").select_related("started_by")
        ]  # fmt: skip
        members[member.full_name] = (state, events, affiliations)
    return members


@pytest.fixture
def place(cast):
    """Cells with a past: two villages since 1990, a school cell since 2000, one ended."""
    village = found("T01.LS.NA", "Chi bộ thôn Nà Lầu", Kind.BASE_CELL, cast.province,
                    on=date(1990, 1, 1))  # fmt: skip
    hill = found("T01.LS.KL", "Chi bộ thôn Khuổi Lừa", Kind.BASE_CELL, cast.province,
                 on=date(1990, 1, 1))  # fmt: skip
    school = found("T01.LS.THPT", "Đảng bộ Trường THPT Na Sầm", Kind.BASE_COMMITTEE,
                   cast.province, on=date(2000, 1, 1))  # fmt: skip
    teachers = found("T01.LS.THPT.TOAN", "Chi bộ Tổ Toán", Kind.CELL, school, on=date(2000, 1, 1))
    old = found("T01.LS.CU", "Chi bộ Hợp tác xã cũ", Kind.BASE_CELL, cast.province,
                on=date(1980, 1, 1))  # fmt: skip
    organization_dissolve(organization=old, on=date(1999, 1, 1))
    old.refresh_from_db()
    return {"village": village, "hill": hill, "teachers": teachers, "old": old}


def person(name, gender="male", born=date(1970, 5, 2), **extra):
    return {"full_name": name, "gender": gender, "birth_date": born, "ethnicity": "06", **extra}


def rows(place) -> list[MemberRow]:
    v, h, t, old = (place[k].pk for k in ("village", "hill", "teachers", "old"))
    return [
        MemberRow(v, person("Nguyễn Văn An", citizen_id="020070000001", party_card_no="20001"),
                  date(1995, 3, 1), "12-QĐ/HU", date(1995, 3, 20), date(1996, 3, 20)),
        MemberRow(h, person("Hoàng Thị Bích", "female", date(2000, 1, 9)), date(2026, 2, 1),
                  ceremony_on=date(2026, 2, 20)),
        # Moved between cells (with a gap before arriving), exempted, then died.
        MemberRow(old, person("Lương Văn Cường", born=date(1940, 1, 1),
                              citizen_id="020040000001"), date(1975, 5, 1),
                  "3-QĐ/HU", date(1980, 5, 19), date(1981, 5, 19), since=date(1980, 5, 19),
                  timeline=[
                      E("transferred", date(1998, 12, 1), v, date(1998, 12, 20), decision_no="9"),
                      E("transferred", date(2010, 6, 1), t),
                      E(T.EXEMPTED, date(2012, 1, 1), decision_no="1-QĐ/ĐU"),
                      E(T.EXEMPTION_ENDED, date(2013, 1, 1)),
                      E(T.EXEMPTED, date(2015, 1, 1)),
                      E(T.DIED, date(2024, 8, 3)),
                  ]),
        # Left the system; a deceased member's citizen ID can be reused.
        MemberRow(t, person("Vi Thị Dung", "female", citizen_id="020070000009"),
                  date(2005, 1, 1), ceremony_on=date(2005, 1, 20), confirmed_on=date(2006, 1, 20),
                  timeline=[E(T.TRANSFERRED_OUT, date(2019, 9, 1), other_party="Tỉnh Bắc Giang",
                              decision_no="77-QĐ/ĐU")]),
        # Removed, re-admitted after 3 years elsewhere; confirmed by a later event.
        MemberRow(v, person("Lăng Văn Én"), date(2000, 1, 10), ceremony_on=date(2000, 2, 1),
                  confirmed_on=date(2001, 2, 1), timeline=[
                      E(T.REMOVED, date(2015, 1, 10), decision_no="5-QĐ/ĐU"),
                      E(T.READMITTED, date(2019, 3, 1), h, decision_no="8-QĐ/HU",
                        consent="Công văn 12-CV/HU"),
                      E(T.CONFIRMED, date(2020, 3, 1), decision_no="21-QĐ/ĐU"),
                      E("transferred", date(2021, 5, 5), t),
                  ]),
        MemberRow(h, person("Chu Văn Giáp"), date(1990, 6, 1), confirmed_on=date(1991, 6, 1),
                  timeline=[E(T.EXPELLED, date(2011, 4, 30), decision_no="2-QĐ/UBKT")]),
        MemberRow(t, person("Mã Thị Hạnh", "female", citizen_id="020070000010"),
                  date(2002, 1, 1), timeline=[E(T.RESIGNED, date(2003, 1, 1))]),
    ]  # fmt: skip


def test_bulk_leaves_exactly_what_the_services_leave(place):
    planned = rows(place)
    # The citizen ID of a member who died can be given to a living one.
    planned.append(
        MemberRow(
            place["village"].pk,
            person("Nông Văn Ích", citizen_id="020040000001"),
            date(1990, 1, 2),
            confirmed_on=date(1991, 1, 2),
        )  # fmt: skip
    )
    with transaction.atomic():
        for row in planned:
            by_services(row)
        one_by_one = snapshot()
        transaction.set_rollback(True)
    assert Member.objects.count() == 0

    audits = AuditEntry.objects.count()
    assert members_bulk_register(planned, batch_size=3) == len(planned)
    assert snapshot() == one_by_one
    assert AuditEntry.objects.count() == audits + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.data) == ("tochuc.member.bulk_registered", {"count": 8})
    history = Member.history.model.objects
    assert history.count() == len(planned)
    assert set(history.values_list("history_change_reason", flat=True)) == {"Nhập hồ sơ"}
    tracked = [f.attname for f in Member.history.model.tracked_fields]
    for record in history.all():  # the member as registered, with its whole timeline
        member = Member.objects.get(pk=record.id)
        assert [getattr(record, n) for n in tracked] == [getattr(member, n) for n in tracked]
        assert record.history_type == "+"


def test_the_entry_names_the_one_province_the_rows_touch_and_none_across_two(cast, place):
    members_bulk_register(rows(place))
    assert AuditEntry.objects.latest("id").province_id == cast.province.pk
    other_cell = found("T02.P01.CB1", "Chi bộ khu phố 1", Kind.BASE_CELL, cast.other_commune)
    arrived = MemberRow(place["village"].pk, person("Đàm Văn Khải"), date(2001, 1, 2),
                        confirmed_on=date(2002, 1, 2),
                        timeline=[E("transferred", date(2026, 3, 2), other_cell.pk)])  # fmt: skip
    members_bulk_register([arrived])
    assert AuditEntry.objects.latest("id").province_id is None  # every province


def test_the_state_is_derived_as_expected(place):
    members_bulk_register(rows(place))
    got = {m.full_name: m for m in Member.objects.all()}
    assert (got["Nguyễn Văn An"].status, got["Hoàng Thị Bích"].status) == ("full", "probationary")
    cuong = got["Lương Văn Cường"]
    assert (cuong.status, cuong.is_exempted, cuong.organization_id) == (
        "deceased", False, place["teachers"].pk,
    )  # fmt: skip
    assert got["Vi Thị Dung"].status == "away"
    en = got["Lăng Văn Én"]
    assert (en.status, en.organization_id, en.row_version) == ("full", place["teachers"].pk, 5)
    # Party age: from 10/1/2000, plus the time out (10/1/2015 – 1/3/2019).
    assert en.party_age_anchor == date(2000, 1, 10) + (date(2019, 3, 1) - date(2015, 1, 10))
    assert Affiliation.objects.filter(valid_to__isnull=True).count() == 3
    for member in got.values():  # bulk's party-age arithmetic is party_age's
        assert member.party_age_anchor == party_age.anchor(list(member.events.all()), date.today())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r[1].record.update(citizen_id="020070000001"), "đã có trong hồ sơ khác"),
        (lambda r: r[1].record.update(party_card_no="20001"), "đã được dùng"),
        (lambda r: setattr(r[0], "since", date(1985, 1, 1)), "không hoạt động"),
        (lambda r: r[4].timeline[1].__setattr__("on", date(2016, 1, 1)), "36 tháng"),
        (lambda r: r[5].timeline.append(E(T.EXEMPTED, date(2012, 1, 1))), "không còn sinh hoạt"),
        (lambda r: r[0].timeline.append(E(T.REMOVED, date(1996, 1, 1))), "trình tự thời gian"),
        (lambda r: r[1].record.update(birth_date=date(2026, 3, 1)), "phải sau ngày sinh"),
        (lambda r: r[1].record.update(rank="x"), "Trường không hợp lệ"),
    ],
)
def test_bulk_refuses_what_the_services_refuse_and_writes_nothing(place, change, message):
    planned = rows(place)
    change(planned)
    with pytest.raises(ValidationError, match=message) as refused:
        members_bulk_register(planned, batch_size=2)
    assert isinstance(refused.value, BulkRowError)
    assert Member.objects.count() == MemberEvent.objects.count() == 0
    assert not AuditEntry.objects.filter(action="tochuc.member.bulk_registered").exists()


def test_an_existing_member_blocks_a_duplicate_in_the_input(place):
    by_services(rows(place)[0])
    # The stored record may be outside the importer's scope: not named (issue 17).
    with pytest.raises(BulkRowError, match="Dòng 1 .*Số CCCD này không dùng được"):
        members_bulk_register(rows(place)[:1])
    assert Member.objects.count() == 1


def test_a_row_with_its_own_reason_keeps_it_in_its_history_in_the_same_insert(place):
    planned = rows(place)[:4]
    planned[1].reason = "Nhập khi nghi trùng: đã đối chiếu"
    planned[3].reason = "Lý do khác"
    with CaptureQueriesContext(connection) as queries:
        members_bulk_register(planned, reason="Nhập từ tệp")
    history = Member.history.model._meta.db_table
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and history in q["sql"]]
    reasons = dict(Member.history.model.objects.values_list("full_name", "history_change_reason"))
    assert reasons == {
        planned[0].record["full_name"]: "Nhập từ tệp",
        planned[1].record["full_name"]: "Nhập khi nghi trùng: đã đối chiếu",
        planned[2].record["full_name"]: "Nhập từ tệp",
        planned[3].record["full_name"]: "Lý do khác",
    }


def test_a_checked_row_is_not_checked_again_but_an_unchecked_one_is(place):
    """`MemberRow.checked`: the import's plan checked the record and its dates already."""
    planned = rows(place)[:2]
    planned[1].record.update(general_education="12")
    with pytest.raises(BulkRowError, match="Giáo dục phổ thông ghi dạng 12/12"):
        members_bulk_register(planned)
    planned[1].checked = True  # (a caller vouching for a row it did not check)
    assert members_bulk_register(planned) == 2
    assert Member.objects.get(general_education="12").full_name == "Hoàng Thị Bích"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a writing thread: PostgreSQL")
def test_the_next_batch_is_built_while_the_server_stores_one(place, monkeypatch):
    """Batch k is written (COPY) by a thread of its own while batch k+1's timelines are
    played: the COPY of the first batch waits here until a row of the second is built,
    which a write-then-build loop never does."""
    import threading

    from tochuc.lib.rows import Table
    from tochuc.members import bulk

    second_batch_built = threading.Event()
    overlapped = []
    build, insert = bulk.build, Table.insert

    def building(row, *args):
        if row.record["full_name"] == "Lương Văn Cường":  # the first row of batch 2
            second_batch_built.set()
        return build(row, *args)

    def inserting(table, rows, **kwargs):
        if table.model is Member and not overlapped:
            overlapped.append(second_batch_built.wait(timeout=10))
        return insert(table, rows, **kwargs)

    monkeypatch.setattr(bulk, "build", building)
    monkeypatch.setattr(Table, "insert", inserting)
    assert members_bulk_register(rows(place), batch_size=2) == 7
    assert overlapped == [True]
    assert Member.objects.count() == 7 and Affiliation.objects.count() >= 7


def test_a_stored_number_met_in_a_later_batch_names_its_row_and_writes_nothing(place):
    planned = rows(place)
    by_services(planned[6])  # Mã Thị Hạnh, citizen ID …010: the fourth batch of two
    Member.objects.update(status="full")  # living: her ID cannot be taken again
    planned[6].record["full_name"] = "Mã Thị Hạnh Hai"
    with pytest.raises(BulkRowError, match="Dòng 7 .*Số CCCD này không dùng được"):
        members_bulk_register(planned, batch_size=2)
    assert Member.objects.count() == 1
    assert not AuditEntry.objects.filter(action="tochuc.member.bulk_registered").exists()
