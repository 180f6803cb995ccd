"""Two officers at the same moment, on PostgreSQL: real concurrent transactions in two
threads (each with its own connection). SQLite serializes writers; its path (a stale
`row_version`) is tested in test_transfers.py."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tochuc.members.models import Affiliation, MemberEvent
from tochuc.testing import build_cast, register
from tochuc.transfers.models import Transfer
from tochuc.transfers.services import transfer_issue, transfer_receive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers"),
]
LETTER_ON = date(2026, 3, 2)


def at_once(*calls):
    """Run each call in its own thread, released together; results or errors in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 — the refusal is the result
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_officers_receiving_the_same_member_one_wins_and_the_other_is_told():
    cast = build_cast()
    member = register(cast.village_cell, "Trần Thị Bình")
    transfer = transfer_issue(member=member, on=LETTER_ON, to=cast.sibling_cell)
    version = transfer.row_version
    results = at_once(
        lambda: transfer_receive(
            transfer=transfer, arrived_on=date(2026, 3, 10), expected_version=version
        ),  # fmt: skip
        lambda: transfer_receive(
            transfer=transfer, arrived_on=date(2026, 3, 11), expected_version=version
        ),  # fmt: skip
    )
    won = [r for r in results if isinstance(r, Transfer)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(refused) == 1, results
    assert "đã được tiếp nhận ngày" in refused[0].messages[0]
    transfer.refresh_from_db()
    assert transfer.state == Transfer.State.RECEIVED and transfer.row_version == version + 1
    assert member.events.filter(type=MemberEvent.Type.TRANSFERRED_IN).count() == 1
    official = member.affiliations.filter(kind=Affiliation.Kind.OFFICIAL).order_by("valid_from")
    assert [(a.organization_id, a.valid_to) for a in official] == [
        (cast.village_cell.pk, won[0].arrived_on), (cast.sibling_cell.pk, None),
    ]  # fmt: skip


def test_two_letters_issued_at_once_get_different_numbers():
    cast = build_cast()
    first = register(cast.village_cell, "Trần Thị Bình")
    second = register(cast.village_cell, "Hoàng Văn Chiến")
    results = at_once(
        lambda: transfer_issue(member=first, on=LETTER_ON, to=cast.sibling_cell),
        lambda: transfer_issue(member=second, on=LETTER_ON, to=cast.sibling_cell),
    )
    assert sorted(r.letter_no for r in results) == ["1-GGT/ĐU", "2-GGT/ĐU"], results
