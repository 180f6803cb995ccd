"""Importing a correction file: many timeline acts corrected or cancelled at once.

The columns of the events import (the member's card or citizen ID, the type, the date, the
decision number, the organization …) plus the act's number (“Mã sự kiện”, shown on the
member's “Sửa / Hủy” page), the action (Sửa / Hủy), the reason and the correcting
decision, each a typed column of `tochuc.imports.columns` read by `parse_rows` (the action
and the type whatever the accents and case; a date within the acts' bounds); the acts are
looked up in batches. Each row goes through the same service as the page (`corrections.py`): the
whole timeline is replayed through the engine, so a row that would make a later act
impossible is refused with its reason. All or nothing: one refused row and nothing is
written (the rows are tried in order, inside a transaction that is rolled back, to find
every refusal before anything is written).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import CHANGE_MEMBERS
from tochuc.core.corrections import Grounds
from tochuc.imports import columns
from tochuc.imports.columns import LOOKUP_BATCH
from tochuc.imports.registry import Importer, ImportFailed, Plan, Progress, RowError
from tochuc.lib import xlsx
from tochuc.lib.vntext import fold

from .corrections import CORRECTABLE, timeline_act_cancel, timeline_act_correct
from .events_import import COLUMNS as EVENT_COLUMNS
from .models import MemberEvent
from .timeline import CELL_KINDS

T = MemberEvent.Type

CANCEL, CORRECT = "cancel", "correct"
ACTIONS = [(CORRECT, gettext_lazy("Sửa")), (CANCEL, gettext_lazy("Hủy"))]
KEPT = ("party_card_no", "citizen_id", "full_name", "type", "on", "decision_no", "organization")
# Empty date, decision number, organization: kept as recorded (so none is required here).
COLUMNS = [
    columns.Number(
        "event_id",
        gettext_lazy("Mã sự kiện"),
        required=True,
        width=12,
        minimum=1,
        note=gettext_lazy("Số của sự kiện cần sửa, hủy (trang “Sửa / Hủy” của đảng viên)."),
    ),
    columns.Choice(
        "action",
        gettext_lazy("Thao tác"),
        width=10,
        note=gettext_lazy("Sửa (mặc định) hoặc Hủy (ghi nhầm)."),
        vocabulary=ACTIONS,
        synonyms={"x": CANCEL, "cancelled": CANCEL, "corrected": CORRECT},
    ),
    *(replace(c, required=False) for c in EVENT_COLUMNS if c.key in KEPT),
    columns.Text("reason", gettext_lazy("Lý do sửa, hủy"), required=True, width=30),
    columns.Text(
        "correcting_decision_no", gettext_lazy("Số quyết định sửa, hủy"), width=18, max_length=60
    ),
]
# The type is checked against the act's: any correctable type is read (not only those the
# events import writes).
COLUMNS[[c.key for c in COLUMNS].index("type")] = replace(
    next(c for c in COLUMNS if c.key == "type"),
    vocabulary=[(code, T(code).label) for code in CORRECTABLE],
)
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass
class _Row:
    number: int
    act: MemberEvent
    cancel: bool
    grounds: Grounds
    on: date | None
    decision_no: str | None
    organization: object | None

    def service(self):
        if self.cancel:
            return timeline_act_cancel, {"member": self.act.member, "act": self.act}
        return timeline_act_correct, {
            "member": self.act.member, "act": self.act, "on": self.on,
            "decision_no": self.decision_no, "organization": self.organization,
        }  # fmt: skip


class CorrectionImporter(Importer):
    name = "event-corrections"
    title = gettext_lazy("đính chính sự kiện của đảng viên")
    description = gettext_lazy(
        "Sửa ngày, số quyết định, tổ chức hoặc hủy nhiều sự kiện đã ghi của đảng viên một lúc "
        "(chuyển sinh hoạt, miễn sinh hoạt, ra khỏi Đảng, kết nạp lại …), mỗi dòng một sự kiện "
        "với lý do."
    )
    sheet_title = gettext_lazy("Đính chính")
    columns = COLUMNS
    example = {
        "event_id": "1234", "action": "Sửa", "party_card_no": "01020304",
        "type": "Xóa tên", "on": "01/11/2025", "decision_no": "15-QĐ/ĐU",
        "reason": "Ghi nhầm ngày quyết định", "correcting_decision_no": "20-QĐ/ĐU",
    }  # fmt: skip
    notes = (
        gettext_lazy("Để trống ngày, số quyết định, tổ chức: giữ như đã ghi."),
        gettext_lazy(
            "Mỗi dòng được kiểm tra lại với mọi sự kiện sau đó của đảng viên; có dòng sai thì "
            "không ghi dòng nào. Xem docs/sua-huy-su-kien.md."
        ),
    )

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        parsed = columns.parse_rows(table, self.columns, plan, scope=scope)
        acts = self._acts({r.values["event_id"] for r in parsed if r.ok}, scope)
        rows = [r for r in (self._check(row, acts, plan, scope) for row in parsed if row.ok) if r]
        if plan.errors:
            return plan
        # Try every row in order, then roll back: each refusal, with the state the earlier
        # rows leave (nothing stays written).
        with transaction.atomic():
            for row in rows:
                func, kwargs = row.service()
                try:
                    with transaction.atomic():
                        func(grounds=row.grounds, by=by, **kwargs)
                except ValidationError as error:
                    plan.error(row.number, "", " ".join(str(m) for m in error.messages))
            transaction.set_rollback(True)
        if not plan.errors:
            plan.changed = len(rows)
            plan.items = rows
            plan.samples = [
                [str(r.act.member), str(r.act.get_type_display()), _("Hủy") if r.cancel
                 else _("Sửa")] for r in rows[:200]
            ]  # fmt: skip
        return plan

    @staticmethod
    def _acts(ids: set[int], scope: Scope) -> dict[int, MemberEvent]:
        """The correctable acts of members in scope, by number."""
        found = MemberEvent.objects.filter(type__in=CORRECTABLE, member__in=scope.members())
        found = found.select_related("member", "member__organization")
        ids_ = sorted(ids)
        acts: dict[int, MemberEvent] = {}
        for start in range(0, len(ids_), LOOKUP_BATCH):
            acts.update(found.in_bulk(ids_[start : start + LOOKUP_BATCH]))
        return acts

    def _check(
        self, row: columns.ParsedRow, acts: dict[int, MemberEvent], plan: Plan, scope: Scope
    ) -> _Row | None:
        """The row against the act it names: same member, same type, a cell in scope."""
        values, errors_before = row.values, len(plan.errors)
        act = acts.get(values["event_id"])
        if act is None:
            message = _("Không có sự kiện mã “%(id)s” trong phạm vi được nhập.") % {
                "id": values["event_id"]
            }
            plan.error(row.number, TITLES["event_id"], message)
            return None
        if CHANGE_MEMBERS not in scope.permissions_for(act.member.organization):
            plan.error(row.number, TITLES["event_id"],
                       _("Đồng chí không có quyền sửa hồ sơ của %(name)s.")
                       % {"name": act.member.full_name})  # fmt: skip
            return None
        member = act.member
        card, citizen_id = values["party_card_no"], values["citizen_id"]
        if (card and card != member.party_card_no) or (
            citizen_id and citizen_id != member.citizen_id
        ):
            message = _("Sự kiện mã %(id)s không phải của đảng viên này.") % {"id": act.pk}
            plan.error(row.number, TITLES["party_card_no"], message)
        name = values["full_name"]
        if name and fold(name) != fold(member.full_name):
            plan.error(row.number, TITLES["full_name"],
                       _("Họ tên “%(given)s” không khớp hồ sơ (%(stored)s).")
                       % {"given": name, "stored": member.full_name})  # fmt: skip
        if values["type"] and values["type"] != act.type:
            plan.error(row.number, TITLES["type"],
                       _("Sự kiện mã %(id)s là “%(type)s”.")
                       % {"id": act.pk, "type": act.get_type_display()})  # fmt: skip
        organization = None
        if code := values["organization"]:
            organization = scope.organizations().filter(code=code, kind__in=CELL_KINDS).first()
            if organization is None:
                plan.error(row.number, TITLES["organization"],
                           _("Không có chi bộ mã “%(code)s” trong phạm vi được nhập.")
                           % {"code": code})  # fmt: skip
        if len(plan.errors) > errors_before:
            return None
        return _Row(
            number=row.number, act=act, cancel=values["action"] == CANCEL,
            grounds=Grounds(values["reason"], decision_no=values["correcting_decision_no"]),
            on=values["on"], decision_no=values["decision_no"] or None,
            organization=organization,
        )  # fmt: skip

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        for done, row in enumerate(plan.items, start=1):
            func, kwargs = row.service()
            # Fresh objects: the plan's were changed by its rolled-back trial.
            kwargs["member"] = type(row.act.member).objects.get(pk=row.act.member_id)
            kwargs["act"] = MemberEvent.objects.get(pk=row.act.pk)
            try:
                func(grounds=row.grounds, by=by, **kwargs)
            except ValidationError as error:
                message = " ".join(str(m) for m in error.messages)
                raise ImportFailed([RowError(row.number, "", message)]) from error
            if progress is not None:
                progress(done, len(plan.items))
