"""Every action recorded anywhere in the code has a Vietnamese label (core/audit_labels.py),
and the audit viewer shows labels and readable details instead of codes and raw data."""

import ast
from datetime import date
from pathlib import Path

from django.urls import reverse

from tochuc.core import audit
from tochuc.core.audit_labels import ACTIONS, GROUPS, action_label, readable_details

SOURCE = Path(__file__).resolve().parents[2]


def _families() -> dict[str, list[str]]:
    """What each action built at run time (an f-string) can be, by its fixed beginning."""
    from tochuc.admissions.models import ConfirmationCase, Stage
    from tochuc.core.corrections import ENTITIES
    from tochuc.imports.registry import IMPORTERS
    from tochuc.members.timeline import EXIT_STATUS
    from tochuc.policy.services import SUBJECTS

    return {
        "tochuc.admission.": list(Stage.values),
        "tochuc.confirmation.": [o for o in ConfirmationCase.Outcome.values if o],
        "tochuc.import.": list(IMPORTERS),
        "tochuc.member.": list(EXIT_STATUS),
        "tochuc.policy.": [f"{s}_{v}" for s in SUBJECTS for v in ("created", "changed", "deleted")],
        "tochuc.": [f"{e}.{a}" for e in ENTITIES for a in ("corrected", "cancelled")],
    }


def _recorded_actions() -> tuple[set[str], set[str]]:
    """Actions written as text in `….record("tochuc.…")` or `action="tochuc.…"`, and the
    fixed beginnings of those written as f-strings, in every module but the tests."""
    actions, prefixes = set(), set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
            values = [node.args[0]] if name == "record" and node.args else []
            values += [k.value for k in node.keywords if k.arg == "action"]
            for value in values:
                if isinstance(value, ast.Constant) and str(value.value).startswith("tochuc."):
                    actions.add(value.value)
                elif isinstance(value, ast.JoinedStr) and isinstance(value.values[0], ast.Constant):
                    prefixes.add(value.values[0].value)
    return actions, prefixes


def test_every_action_recorded_in_the_code_has_a_vietnamese_label():
    actions, prefixes = _recorded_actions()
    families = _families()
    assert len(actions) > 60 and "tochuc.organization.founded" in actions
    assert prefixes <= set(families), "an action built at run time: name its values here"
    for prefix in prefixes:
        actions.update(prefix + value for value in families[prefix])
    assert sorted(action for action in actions if action not in ACTIONS) == []


def test_every_group_of_actions_has_a_label():
    for action in ACTIONS:
        assert ".".join(action.split(".")[:2]) in GROUPS


def test_labels_read_as_vietnamese_and_details_as_a_person_writes_them():
    assert action_label("tochuc.member.exported") == "Xuất danh sách đảng viên"
    assert action_label("tochuc.member") == "Đảng viên"
    assert action_label("tochuc.unknown.thing") == "tochuc.unknown.thing"
    data = {"on": "2025-07-01", "rows": 70000, "year": 2025, "active": False, "kinds": ["a", "b"]}
    assert readable_details(data) == [
        ("ngày", "01/07/2025"),
        ("số dòng", "70.000"),
        ("năm", "2025"),
        ("đang hoạt động", "không"),
        ("các loại", "a, b"),
    ]


def test_the_viewer_shows_the_label_and_the_readable_details(client, users):
    audit.record("tochuc.member.exported", by=users.commune_officer, on=date(2026, 3, 2), count=3)
    client.force_login(users.admin)
    page = client.get(reverse("audit:list"), {"nguoi_dung": "commune_officer"}).content.decode()
    assert "Xuất danh sách đảng viên" in page
    assert "ngày: 02/03/2026" in page and "số dòng: 3" in page
    assert "on: 2026-03-02" not in page
    # The filter names the groups in Vietnamese.
    assert '<option value="tochuc.member">Đảng viên</option>' in page
