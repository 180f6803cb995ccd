"""The nightly due run reads in bulk: its queries do not grow with the number of accounts."""

from datetime import date

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tochuc.documents.services import document_distribute, document_register
from tochuc.notifications.models import Notification
from tochuc.ratings.services import rating_session_open
from tochuc.selfservice.models import DocumentRead
from tochuc.selfservice.services import due_notify
from tochuc.testing import citizen_id_for, member_account, register


def _members_with_accounts(cell, names):
    members = [register(cell, name, citizen_id=citizen_id_for(name)) for name in names]
    for member in members:
        member_account(member)
    return members


def _run(on):
    with time_machine.travel(on, tick=False), CaptureQueriesContext(connection) as queries:
        told = due_notify(on=on)
    return told, len(queries)


def test_the_due_run_makes_as_many_queries_for_five_accounts_as_for_two(cast, hoa):
    member_account(hoa)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        rating_session_open(organization=cast.cell, kind="year", year=2025)
        directive = document_register(
            organization=cast.province, number="35-CT/TW", issued_on=date(2026, 2, 1),
            title="Chỉ thị về đại hội đảng bộ các cấp",
        )  # fmt: skip
        document_distribute(document=directive, organization=cast.cell, sent_on=date(2026, 2, 2))
    _members_with_accounts(cast.village_cell, ["Trần Văn Bình"])
    two, two_queries = _run(date(2026, 3, 17))
    _members_with_accounts(cast.cell, ["Nguyễn Văn An", "Phạm Thị Cúc", "Đỗ Văn Dũng"])
    five, five_queries = _run(date(2026, 4, 17))  # a month more owed: new content for all
    assert (two, five) == ({"members": 2, "officers": 0}, {"members": 5, "officers": 0})
    assert five_queries == two_queries


def test_the_bulk_run_tells_each_member_exactly_what_is_due_from_them(cast, hoa):
    member_account(hoa)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        directive = document_register(
            organization=cast.province, number="35-CT/TW", issued_on=date(2026, 2, 1),
            title="Chỉ thị về đại hội đảng bộ các cấp",
        )  # fmt: skip
        document_distribute(document=directive, organization=cast.cell, sent_on=date(2026, 2, 2))
    (binh,) = _members_with_accounts(cast.village_cell, ["Trần Văn Bình"])
    (an,) = _members_with_accounts(cast.cell, ["Nguyễn Văn An"])
    DocumentRead.objects.create(member=an, document=directive)
    _run(date(2026, 3, 17))
    bodies = dict(Notification.objects.filter(kind="due").values_list("user__username", "body"))
    owed = "Đảng phí chưa nộp 3 tháng (01/2026, 02/2026, 03/2026): 15.000 đồng."
    assert bodies == {
        hoa.account.user.username: owed + "\n1 văn bản gửi chi bộ đồng chí chưa đọc.",
        an.account.user.username: owed,
        binh.account.user.username: owed,
    }
