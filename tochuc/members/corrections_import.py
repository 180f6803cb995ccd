"""Importing a correction file: many timeline acts corrected or cancelled at once.

The columns of the events import (the member's card or citizen ID, the type, the date, the
decision number, the organization …) plus the act's number (“Mã sự kiện”, shown on the
member's “Sửa / Hủy” page), the action (Sửa / Hủy), the reason and the correcting
decision. Each row goes through the same service as the page (`corrections.py`): the
whole timeline is replayed through the engine, so a row that would make a later act
impossible is refused with its reason. All or nothing: one refused row and nothing is
written (the rows are tried in order, inside a transaction that is rolled back, to find
every refusal before anything is written).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import CHANGE_MEMBERS
from tochuc.core.corrections import Grounds
from tochuc.imports.registry import Importer, ImportFailed, Plan, Progress, RowError
from tochuc.lib import xlsx
from tochuc.lib.vntext import fold

from .corrections import CORRECTABLE, timeline_act_cancel, timeline_act_correct
from .events_import import COLUMNS as EVENT_COLUMNS
from .events_import import TYPES_BY_TEXT
from .models import MemberEvent
from .timeline import CELL_KINDS

CANCEL_WORDS = {"huy", "cancel", "cancelled", "x"}
CORRECT_WORDS = {"", "sua", "correct", "corrected"}
KEPT = ("party_card_no", "citizen_id", "full_name", "type", "on", "decision_no", "organization")
COLUMNS = [
    xlsx.Column(
        "event_id",
        gettext_lazy("Mã sự kiện"),
        required=True,
        width=12,
        note=gettext_lazy("Số của sự kiện cần sửa, hủy (trang “Sửa / Hủy” của đảng viên)."),
    ),  # fmt: skip
    xlsx.Column(
        "action",
        gettext_lazy("Thao tác"),
        width=10,
        choices=("Sửa", "Hủy"),
        note=gettext_lazy("Sửa (mặc định) hoặc Hủy (ghi nhầm)."),
    ),  # fmt: skip
    *(c for c in EVENT_COLUMNS if c.key in KEPT),
    xlsx.Column("reason", gettext_lazy("Lý do sửa, hủy"), required=True, width=30),
    xlsx.Column("correcting_decision_no", gettext_lazy("Số quyết định sửa, hủy"), width=18),
]


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
        rows = [r for r in (self._parse(row, plan, scope) for row in table.rows) if r]
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

    def _title(self, key: str) -> str:
        return next(str(c.title) for c in COLUMNS if c.key == key)

    def _parse(self, row: xlsx.Row, plan: Plan, scope: Scope) -> _Row | None:
        errors_before = len(plan.errors)
        text = row.text("event_id")
        act = None
        if text.isdigit():
            act = (
                MemberEvent.objects.filter(
                    pk=int(text), type__in=CORRECTABLE, member__in=scope.members()
                )
                .select_related("member", "member__organization")
                .first()
            )
        if act is None:
            message = _("Không có sự kiện mã “%(id)s” trong phạm vi được nhập.") % {"id": text}
            plan.error(row.number, self._title("event_id"), message)
            return None
        if CHANGE_MEMBERS not in scope.permissions_for(act.member.organization):
            plan.error(row.number, self._title("event_id"),
                       _("Đồng chí không có quyền sửa hồ sơ của %(name)s.")
                       % {"name": act.member.full_name})  # fmt: skip
            return None
        member = act.member
        card, citizen_id = row.text("party_card_no"), row.text("citizen_id")
        if (card and card != member.party_card_no) or (
            citizen_id and citizen_id != member.citizen_id
        ):
            message = _("Sự kiện mã %(id)s không phải của đảng viên này.") % {"id": text}
            plan.error(row.number, self._title("party_card_no"), message)
        name = row.text("full_name")
        if name and fold(name) != fold(member.full_name):
            plan.error(row.number, self._title("full_name"),
                       _("Họ tên “%(given)s” không khớp hồ sơ (%(stored)s).")
                       % {"given": name, "stored": member.full_name})  # fmt: skip
        type_text = row.text("type")
        if type_text and (TYPES_BY_TEXT.get(fold(type_text)) or type_text) != act.type:
            plan.error(row.number, self._title("type"),
                       _("Sự kiện mã %(id)s là “%(type)s”.")
                       % {"id": text, "type": act.get_type_display()})  # fmt: skip
        action = fold(row.text("action"))
        if action not in CANCEL_WORDS | CORRECT_WORDS:
            plan.error(row.number, self._title("action"), _("Ghi “Sửa” hoặc “Hủy”."))
        reason = row.text("reason")
        if not reason:
            plan.error(row.number, self._title("reason"), _("Hãy ghi lý do sửa, hủy."))
        try:
            on = xlsx.cell_date(row.values.get("on"))
        except ValueError as error:
            plan.error(row.number, self._title("on"), str(error))
            on = None
        organization = None
        code = row.text("organization")
        if code:
            organization = scope.organizations().filter(code=code, kind__in=CELL_KINDS).first()
            if organization is None:
                plan.error(row.number, self._title("organization"),
                           _("Không có chi bộ mã “%(code)s” trong phạm vi được nhập.")
                           % {"code": code})  # fmt: skip
        if len(plan.errors) > errors_before:
            return None
        decision_no = row.text("decision_no")
        return _Row(
            number=row.number, act=act, cancel=action in CANCEL_WORDS,
            grounds=Grounds(reason, decision_no=row.text("correcting_decision_no")[:60]),
            on=on, decision_no=decision_no[:60] if decision_no else None,
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
