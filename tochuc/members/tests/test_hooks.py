"""Apps that follow the timeline hear of each act a service records, in its transaction."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tochuc.members import hooks
from tochuc.members.models import MemberEvent, Status
from tochuc.members.services import member_exit
from tochuc.testing import register

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


@pytest.fixture
def heard(monkeypatch):
    calls = []
    monkeypatch.setattr(hooks, "acts_recorded", [lambda m, events, by: calls.append(events)])
    return calls


def test_a_death_recorded_is_heard_once_with_its_stored_event(cast, heard):
    an = register(cast.cell, "Nguyễn Văn An")
    heard.clear()  # the registration's own acts
    member_exit(member=an, type=T.DIED, on=date(2026, 6, 1))
    assert [[(e.type, e.on) for e in events] for events in heard] == [[(T.DIED, date(2026, 6, 1))]]
    assert MemberEvent.objects.filter(pk=heard[0][0].pk, type=T.DIED).exists()


def test_a_follower_that_refuses_undoes_the_whole_step(cast, monkeypatch):
    an = register(cast.cell, "Trần Thị Bình")

    def refuse(member, events, by):
        raise ValidationError("Chức vụ chưa được kết thúc.")

    monkeypatch.setattr(hooks, "acts_recorded", [refuse])
    with pytest.raises(ValidationError, match="Chức vụ"):
        member_exit(member=an, type=T.DIED, on=date(2026, 6, 1))
    an.refresh_from_db()
    assert an.status == Status.FULL
    assert not an.events.filter(type=T.DIED).exists()


def test_no_module_of_the_members_app_imports_the_transfers_app():
    import ast
    from pathlib import Path

    import tochuc.members

    root = Path(tochuc.members.__file__).parent
    importing = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tochuc.transfers"))
        or (isinstance(node, ast.Import)
            and any(a.name.startswith("tochuc.transfers") for a in node.names))
    )  # fmt: skip
    assert importing == []


def test_the_transfers_app_follows_every_moves_hook_once():
    from tochuc.transfers import moves, selectors

    assert hooks.moves_replayed.count(moves.sync_moves) == 1
    assert hooks.open_moves_among.count(moves.open_moves_among) == 1
    assert hooks.moves_written.count(moves.write_moves) == 1
    assert hooks.member_page.count(selectors.member_movements) == 1
