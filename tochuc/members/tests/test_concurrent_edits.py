"""Two sessions saving the same member at the same moment, on PostgreSQL, 1,000 times: in
every pair exactly one edit is saved and the other is refused with its message; no update is
ever lost (the stored record is always the winner's). SQLite serializes writers; its path (a
stale `row_version`) is tested in test_views.py."""

import os
import threading

import pytest
from django.db import connection, connections

from tochuc.core.errors import ProcedureError
from tochuc.members.models import Member
from tochuc.members.services import member_update
from tochuc.testing import build_cast, register

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]
PAIRS = int(os.environ.get("TOCHUC_CONCURRENT_PAIRS", "1000"))
STALE = "Hồ sơ đã được người khác sửa sau khi đồng chí mở trang này."


def test_a_thousand_simultaneous_pairs_of_edits_lose_no_update():
    member = register(build_cast().village_cell, "Trần Thị Bình")
    start, done = threading.Barrier(3), threading.Barrier(3)
    round_ = {"version": member.row_version, "index": 0}
    outcomes: list[list] = [[], []]

    def session(side: int) -> None:
        try:
            for _ in range(PAIRS):
                start.wait(30)
                phone = f"09{round_['index']:07d}{side}"
                try:
                    member_update(
                        member=Member.objects.get(pk=member.pk), changes={"phone": phone},
                        expected_version=round_["version"], reason=f"phiên {side}",
                    )  # fmt: skip
                    outcomes[side].append(phone)
                except ProcedureError as refused:
                    assert STALE in str(refused)
                    outcomes[side].append(None)
                done.wait(30)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=session, args=(side,)) for side in (0, 1)]
    for thread in threads:
        thread.start()
    lost = both = 0
    for index in range(PAIRS):
        round_["index"] = index
        start.wait(30)
        done.wait(30)
        saved = [outcomes[side][index] for side in (0, 1) if outcomes[side][index]]
        stored = Member.objects.values_list("phone", "row_version").get(pk=member.pk)
        both += len(saved) != 1
        lost += stored != (saved[0] if saved else None, round_["version"] + 1)
        round_["version"] = stored[1]
    for thread in threads:
        thread.join(30)

    assert (both, lost) == (0, 0)
    assert Member.objects.get(pk=member.pk).row_version == member.row_version + PAIRS
