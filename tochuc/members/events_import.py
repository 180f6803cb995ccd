"""Import of member timelines from a spreadsheet (`tochuc import events FILE`).

One row per event of a member's timeline (confirmation, transfers, temporary activity,
exemption, discipline, exits, re-admission), for members already in the registry (the
`members` import enters them with their admission). The member is found by party card
number or citizen ID, in the importer's scope, with the right to change members there.

The cells are typed columns of `tochuc.imports.columns` (the type a choice whatever the
accents and case, the dates within the acts' bounds), read by `parse_rows`. The whole file
is checked before anything is written, each member's events in date order
after what is already stored, by the rules the member services apply
(`bulk_events.replay_events`): no event after death or exit except a re-admission under
its rules, no transfer while a temporary activity is open, destinations that are cells
active on the date and inside the scope. A row already stored (same member, type, date
and decision number) is left alone, so re-importing a file changes nothing. All rows are
written in the import's one transaction by `events_write.write_replayed`. The preview
lists the events to be written by type and organization.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from types import SimpleNamespace

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import CHANGE_MEMBERS
from tochuc.imports import columns
from tochuc.imports.registry import Importer, ImportFailed, Plan, Progress, RowError
from tochuc.lib import xlsx
from tochuc.lib.vntext import fold, sort_key

from .bulk_events import (
    CHUNK,
    IMPORTABLE_TYPES,
    Replayed,
    Step,
    load_organizations,
    replay_events,
)
from .events_write import MembersChanged, write_replayed
from .models import Member, MemberEvent, Status

T = MemberEvent.Type
SAMPLE_ROWS = 200

# The labels of the template, in the order of a timeline; the codes and the labels of
# the member page (MemberEvent.Type) are accepted too.
TYPE_LABELS = {
    T.CONFIRMED: "Công nhận chính thức",
    T.TRANSFERRED_OUT: "Chuyển đi chính thức",
    T.TRANSFERRED_IN: "Chuyển đến chính thức",
    T.TEMPORARY_OUT: "Chuyển sinh hoạt tạm thời",
    T.TEMPORARY_RETURNED: "Trở về sau sinh hoạt tạm thời",
    T.EXEMPTED: "Miễn công tác và sinh hoạt đảng",
    T.EXEMPTION_ENDED: "Thôi miễn công tác và sinh hoạt đảng",
    T.DISCIPLINED: "Kỷ luật",
    T.REMOVED: "Xóa tên",
    T.EXPELLED: "Khai trừ",
    T.RESIGNED: "Xin ra khỏi Đảng",
    T.DIED: "Từ trần",
    T.READMITTED: "Kết nạp lại",
}
TYPES_BY_TEXT = {
    **{fold(label): code for code, label in TYPE_LABELS.items()},
    **{fold(T(code).label): code for code in IMPORTABLE_TYPES},
    **{code: code for code in IMPORTABLE_TYPES},
}
PURPOSE_WORDS = {"hoc": "study", "di hoc": "study", "study": "study", "cu tru": "residence",
                 "residence": "residence", "cong tac": "work", "lam viec": "work",
                 "work": "work"}  # fmt: skip

COLUMNS = [
    columns.Text(
        "party_card_no",
        gettext_lazy("Số thẻ đảng viên"),
        width=16,
        note=gettext_lazy("Số thẻ hoặc số CCCD: ít nhất một trong hai."),
    ),
    columns.Text("citizen_id", gettext_lazy("Số CCCD"), width=16, format=gettext_lazy("12 chữ số")),
    columns.Text(
        "full_name",
        gettext_lazy("Họ và tên"),
        width=24,
        note=gettext_lazy("Không bắt buộc; nếu ghi thì phải khớp hồ sơ."),
    ),
    columns.Choice(
        "type",
        gettext_lazy("Loại sự kiện"),
        required=True,
        width=34,
        choices=tuple(TYPE_LABELS.values()),
        note=gettext_lazy("Theo danh mục; cũng nhận mã (confirmed, died …)."),
        vocabulary=[(code, T(code).label) for code in IMPORTABLE_TYPES],
        synonyms={label: code for code, label in TYPE_LABELS.items()},
    ),
    columns.Date(
        "on",
        gettext_lazy("Ngày"),
        required=True,
        width=12,
        note=gettext_lazy("Ngày có hiệu lực: ngày chính thức, ngày chuyển đi, ngày ra khỏi Đảng …"),
    ),
    columns.Text(
        "decision_no",
        gettext_lazy("Số quyết định"),
        width=18,
        max_length=60,
        note=gettext_lazy("Số quyết định hoặc số giấy giới thiệu."),
    ),
    columns.Date("decision_date", gettext_lazy("Ngày quyết định"), width=12),
    columns.Text(
        "organization",
        gettext_lazy("Mã tổ chức liên quan"),
        width=20,
        note=gettext_lazy(
            "Chi bộ nơi đến (chuyển đi, tạm thời), chi bộ tiếp nhận (chuyển đến từ "
            "ngoài hệ thống), chi bộ kết nạp lại."
        ),
    ),
    columns.Text(
        "other_party",
        gettext_lazy("Nơi ngoài hệ thống"),
        width=28,
        max_length=255,
        note=gettext_lazy("Đảng bộ nơi đi/đến ngoài hệ thống."),
    ),
    columns.Date(
        "arrived_on",
        gettext_lazy("Ngày đến"),
        width=12,
        note=gettext_lazy(
            "Chuyển đi chính thức trong hệ thống: ngày đến sinh hoạt "
            "(mặc định bằng ngày chuyển đi)."
        ),
    ),
    columns.Date(
        "ends_on",
        gettext_lazy("Đến ngày"),
        width=12,
        scheduled=True,
        note=gettext_lazy("Sinh hoạt tạm thời: hết hạn ngày."),
    ),
    columns.Text(
        "detail",
        gettext_lazy("Chi tiết"),
        width=28,
        note=gettext_lazy(
            "Kỷ luật: hình thức; xóa tên, miễn sinh hoạt: lý do; kết nạp lại: văn bản "
            "đồng ý; tạm thời: mục đích (công tác, cư trú, đi học)."
        ),
    ),
]
TITLES = {c.key: c.title for c in COLUMNS}


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


def _lookup_members(cards: set[str], ids: set[str]) -> tuple[dict, dict]:
    """Card → member values; citizen ID → [member values] (the living first)."""
    fields = ("pk", "full_name", "party_card_no", "citizen_id", "org_path", "status")
    by_card: dict[str, dict] = {}
    by_id: dict[str, list[dict]] = defaultdict(list)
    for field_name, values in (("party_card_no", cards), ("citizen_id", ids)):
        values = sorted(values)
        members = Member.objects.exclude(**{field_name: ""}).order_by()
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            for found in members.filter(**{f"{field_name}__in": chunk}).values(*fields):
                if found["party_card_no"]:
                    by_card[found["party_card_no"]] = found
                if found["citizen_id"] and found not in by_id[found["citizen_id"]]:
                    by_id[found["citizen_id"]].append(found)
    for found in by_id.values():
        found.sort(key=lambda m: m["status"] == Status.DECEASED)
    return by_card, by_id


class EventImporter(Importer):
    name = "events"
    title = gettext_lazy("sự kiện của đảng viên")
    description = gettext_lazy(
        "Lịch sử sinh hoạt của đảng viên đã có trong hệ thống: công nhận chính thức, chuyển "
        "sinh hoạt, miễn sinh hoạt, kỷ luật, ra khỏi Đảng, kết nạp lại — mỗi dòng một sự kiện."
    )
    sheet_title = gettext_lazy("Sự kiện")
    columns = COLUMNS
    example = {
        "party_card_no": "01020304",
        "citizen_id": "001085012345",
        "full_name": "Nguyễn Văn An",
        "type": "Chuyển đi chính thức",
        "on": "15/03/2021",
        "decision_no": "12-GGT/ĐU",
        "decision_date": "15/03/2021",
        "organization": "T01.X02.KHONLENG",
        "arrived_on": "01/04/2021",
    }
    notes = (
        gettext_lazy(
            "Mỗi dòng một sự kiện; các sự kiện của một đảng viên theo thứ tự ngày, sau "
            "sự kiện đã có trong hệ thống."
        ),  # fmt: skip
        gettext_lazy("Đảng viên phải đã có trong hệ thống (nhập bằng mẫu đảng viên trước)."),
        gettext_lazy(
            "Dòng trùng sự kiện đã có (cùng loại, ngày, số quyết định) được bỏ qua: "
            "nhập lại cùng tệp không thay đổi gì."
        ),  # fmt: skip
        gettext_lazy("Có dòng sai thì không ghi dòng nào. Xem docs/nhap-lich-su.md."),
    )
    sample_headers = (gettext_lazy("Loại sự kiện"), gettext_lazy("Tổ chức"),
                      gettext_lazy("Số sự kiện"))  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        today = timezone.localdate()
        parsed: list[tuple[int, dict]] = []
        for row in columns.parse_rows(table, self.columns, plan, today=today):
            if not row.values["party_card_no"] and not row.values["citizen_id"]:
                plan.error(
                    row.number, TITLES["party_card_no"],
                    _("Hãy ghi số thẻ đảng viên hoặc số CCCD để xác định đảng viên."),
                )  # fmt: skip
            elif row.ok:
                parsed.append((row.number, row.values))
        steps, orgs = self._resolve(plan, parsed, scope)
        if plan.errors:
            return plan
        replayed = replay_events(steps, orgs, today=today)
        for step, message in replayed.refused:
            plan.error(step.row, "", message)
        if plan.errors:
            return plan
        plan.unchanged = len(replayed.unchanged)
        plan.created = len(replayed.played)
        plan.items = [replayed] if replayed.played else []
        plan.samples = self._breakdown(replayed, orgs)
        return plan

    def _resolve(
        self, plan: Plan, parsed: list[tuple[int, dict]], scope: Scope
    ) -> tuple[list[Step], dict]:
        """Members and organizations by their numbers and codes, in the caller's scope."""
        by_card, by_id = _lookup_members(
            {v["party_card_no"] for _n, v in parsed if v["party_card_no"]},
            {v["citizen_id"] for _n, v in parsed if v["citizen_id"]},
        )
        codes = {v["organization"] for _n, v in parsed if v["organization"]}
        found = load_organizations(codes=codes)
        orgs_by_code = {o.code: o for o in found if scope.contains(o)}
        allowed: dict[str, bool] = {}

        def may_change(path: str) -> bool:
            if path not in allowed:
                place = SimpleNamespace(path=path)
                perms = scope.permissions_for(place)
                allowed[path] = (
                    scope.contains(place) and self.permission in perms and CHANGE_MEMBERS in perms
                )
            return allowed[path]

        steps = []
        for number, values in parsed:
            card, citizen_id = values["party_card_no"], values["citizen_id"]
            # The card decides when given (the citizen ID must then be the member's).
            member = by_card.get(card) if card else (by_id.get(citizen_id) or [None])[0]
            if member is None or not may_change(member["org_path"]):
                which = (
                    _("số thẻ %(card)s") % {"card": card}
                    if card
                    else _("số CCCD %(id)s") % {"id": citizen_id}
                )
                plan.error(
                    number, TITLES["party_card_no" if card else "citizen_id"],
                    _("Không có đảng viên %(which)s trong phạm vi được nhập.") % {"which": which},
                )  # fmt: skip
                continue
            if card and citizen_id and member["citizen_id"] != citizen_id:
                plan.error(
                    number, TITLES["citizen_id"],
                    _("Số thẻ %(card)s và số CCCD %(id)s không cùng một đảng viên.")
                    % {"card": card, "id": citizen_id},
                )  # fmt: skip
                continue
            if values["full_name"] and fold(values["full_name"]) != fold(member["full_name"]):
                plan.error(
                    number, TITLES["full_name"],
                    _("Họ tên “%(given)s” không khớp hồ sơ (%(stored)s).")
                    % {"given": values["full_name"], "stored": member["full_name"]},
                )  # fmt: skip
                continue
            organization_id = None
            if values["organization"]:
                org = orgs_by_code.get(values["organization"])
                if org is None:
                    plan.error(
                        number, TITLES["organization"],
                        _("Không có tổ chức mã “%(code)s” trong phạm vi được nhập.")
                        % {"code": values["organization"]},
                    )  # fmt: skip
                    continue
                organization_id = org.pk
            steps.append(
                Step(
                    row=number,
                    member_id=member["pk"],
                    type=values["type"],
                    on=values["on"],
                    decision_no=values["decision_no"],
                    decision_date=values["decision_date"],
                    organization_id=organization_id,
                    other_party=values["other_party"],
                    arrived_on=values["arrived_on"],
                    ends_on=values["ends_on"],
                    detail=self._detail(values),
                )  # fmt: skip
            )
        return steps, {o.pk: o for o in found}

    @staticmethod
    def _detail(values: dict) -> str:
        text = values["detail"]
        if values["type"] == T.TEMPORARY_OUT:
            return PURPOSE_WORDS.get(_folded(text), "work")
        if values["type"] == T.DISCIPLINED:
            return _folded(text)
        return text

    @staticmethod
    def _breakdown(replayed: Replayed, orgs: dict) -> list[list[str]]:
        """Events to be written: per type in all, then per type and organization."""
        per_type: Counter = Counter()
        per_org: Counter = Counter()
        for member in replayed.members.values():
            for event in member.events:
                if event.new:
                    per_type[event.type] += 1
                    per_org[(event.type, event.organization_id)] += 1
        order = {code: index for index, code in enumerate(T.values)}
        rows = [
            [str(T(code).label), _("Tất cả"), n]
            for code, n in sorted(per_type.items(), key=lambda i: order[i[0]])
        ]
        names = {pk: sort_key(orgs[pk].name) for _t, pk in per_org if pk in orgs}
        ranked = sorted(per_org.items(), key=lambda i: (order[i[0][0]], names.get(i[0][1], "")))
        for (code, org_id), n in ranked[: max(0, SAMPLE_ROWS - len(rows))]:
            name = orgs[org_id].name if org_id in orgs else "—"
            rows.append([str(T(code).label), name, n])
        return rows

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        for replayed in plan.items:
            try:
                write_replayed(replayed, by=by, reason=_("Nhập lịch sử sự kiện"), progress=progress)
            except MembersChanged as error:
                raise ImportFailed([RowError(None, "", error.messages[0])]) from error
