"""Import of Party badge histories (`tochuc import badges FILE`): the badges awarded before
the system, one row per member and milestone, from the commissions' existing spreadsheets.

The member is found in the importer's scope by the citizen id (CCCD) or the party card
number (a member outside the scope reads as missing). The whole file is checked first: the
milestone is one of the dated policy's, the occasion one of its four days, the member's
party age (the members' one rule, with its gaps) reaches the milestone by the occasion or
within the longest early window, one row per member and milestone, the ceremony not before
the decision. A badge already recorded with the same decision and number is left alone (so
re-importing a file changes nothing); a different one for that milestone is an error. The
gift is the dated policy's on the decision date. All or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.core import audit
from tochuc.imports import columns
from tochuc.imports.registry import Importer, Plan, Progress
from tochuc.lib import xlsx
from tochuc.lib.dates import add_months, vn_date
from tochuc.lib.rows import Table
from tochuc.members.models import Member, MemberEvent
from tochuc.policy.rules import PolicyLookup, policy_for

from . import rules
from .models import BadgeCase, Stage

CHUNK = 900

COLUMNS = [
    columns.Text(
        "citizen_id",
        gettext_lazy("Số CCCD"),
        width=16,
        max_length=12,
        note=gettext_lazy("Số CCCD hoặc số thẻ đảng viên (một trong hai)."),
    ),
    columns.Text("party_card_no", gettext_lazy("Số thẻ đảng viên"), width=16, max_length=20),
    columns.Text(
        "full_name",
        gettext_lazy("Họ và tên"),
        width=26,
        note=gettext_lazy("Để người đọc đối chiếu."),
    ),
    columns.Number(
        "milestone",
        gettext_lazy("Mốc tuổi Đảng"),
        required=True,
        width=12,
        minimum=1,
        maximum=100,
    ),
    columns.Date("occasion", gettext_lazy("Đợt trao"), required=True, width=12),
    columns.Text(
        "decision_no", gettext_lazy("Số quyết định"), required=True, width=16, max_length=60
    ),
    columns.Date("decided_on", gettext_lazy("Ngày quyết định"), required=True, width=14),
    columns.Text(
        "issuer", gettext_lazy("Cơ quan quyết định"), required=True, width=28, max_length=255
    ),
    columns.Text("badge_no", gettext_lazy("Số huy hiệu"), width=14, max_length=30),
    columns.Date("ceremony_on", gettext_lazy("Ngày trao"), width=12),
]
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass
class PlannedBadge:
    row: int
    member: Member
    milestone: int
    occasion: date
    reached_on: date
    decision_no: str
    decided_on: date
    issuer: str
    badge_no: str
    ceremony_on: date | None


def members_by(scope: Scope, field: str, values: list[str]) -> dict[str, Member]:
    found = {}
    for start in range(0, len(values), CHUNK):
        chunk = values[start : start + CHUNK]
        for member in scope.members().filter(**{f"{field}__in": chunk}):
            found[getattr(member, field)] = member
    return found


class BadgeImporter(Importer):
    name = "badges"
    title = gettext_lazy("lịch sử Huy hiệu Đảng")
    description = gettext_lazy(
        "Huy hiệu Đảng đã trao trước khi dùng hệ thống (mỗi dòng một đảng viên, một mốc)."
    )
    sheet_title = gettext_lazy("Huy hiệu Đảng")
    columns = COLUMNS
    example = {
        "citizen_id": "020056000123",
        "full_name": "Hoàng Văn An",
        "milestone": "30",
        "occasion": "02/09/2024",
        "decision_no": "245-QĐ/TU",
        "decided_on": "12/08/2024",
        "issuer": "Ban Thường vụ Tỉnh ủy",
        "badge_no": "24001234",
        "ceremony_on": "02/09/2024",
    }
    notes = (
        gettext_lazy("Đợt trao là một trong các ngày 03/02, 19/05, 02/09, 07/11."),
        gettext_lazy("Nhập lại cùng tệp không thay đổi gì."),
    )

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        parsed = [r for r in columns.parse_rows(table, self.columns, plan, scope=scope) if r.ok]
        by_id = members_by(
            scope, "citizen_id", sorted({r.values["citizen_id"] for r in parsed} - {""})
        )
        by_card = members_by(
            scope, "party_card_no", sorted({r.values["party_card_no"] for r in parsed} - {""})
        )
        rows = []
        for row in parsed:
            v = row.values
            member = by_id.get(v["citizen_id"]) or by_card.get(v["party_card_no"])
            if member is None:
                plan.error(
                    row.number,
                    TITLES["citizen_id"],
                    _("Không tìm thấy đảng viên có số CCCD hoặc số thẻ này."),
                )
                continue
            rows.append((row, member))
        events = defaultdict(list)
        ids = [m.pk for _r, m in rows]
        for start in range(0, len(ids), CHUNK):
            for event in MemberEvent.objects.filter(member_id__in=ids[start : start + CHUNK]):
                events[event.member_id].append(event)
        policies = PolicyLookup()
        seen: dict[tuple[int, int], int] = {}
        planned = []
        for row, member in rows:
            item = self._check(plan, row, member, events[member.pk], policies, seen)
            if item is not None:
                planned.append(item)
        if plan.errors:
            return plan
        stored = defaultdict(dict)
        for start in range(0, len(planned), CHUNK):
            chunk = planned[start : start + CHUNK]
            for case in BadgeCase.objects.filter(
                member_id__in=[p.member.pk for p in chunk]
            ).exclude(stage=Stage.WITHDRAWN):
                stored[case.member_id][case.milestone] = case
        for item in planned:
            case = stored[item.member.pk].get(item.milestone)
            if case is None:
                plan.created += 1
                plan.items.append(item)
            elif (case.decision_no, case.badge_no) == (item.decision_no, item.badge_no):
                plan.unchanged += 1
            else:
                plan.error(
                    item.row,
                    TITLES["milestone"],
                    _("%(name)s đã có Huy hiệu %(years)s năm tuổi Đảng (quyết định %(no)s).")
                    % {
                        "name": item.member.full_name,
                        "years": item.milestone,
                        "no": case.decision_no,
                    },
                )
        plan.samples = [
            [i.member.full_name, i.milestone, vn_date(i.occasion), i.decision_no, i.badge_no]
            for i in plan.items[:20]
        ]
        return plan

    def _check(self, plan, row, member, events, policies, seen) -> PlannedBadge | None:
        v = row.values
        policy = policies(v["occasion"])
        milestone = int(v["milestone"])
        if milestone not in policy.badge_years:
            years = ", ".join(str(y) for y in policy.badge_years)
            plan.error(
                row.number,
                TITLES["milestone"],
                _("Không có mốc %(years)s năm (các mốc: %(all)s).")
                % {"years": milestone, "all": years},
            )
            return None
        if not rules.is_occasion(v["occasion"]):
            plan.error(
                row.number,
                TITLES["occasion"],
                _("Ngày %(day)s không phải đợt trao Huy hiệu Đảng.")
                % {"day": vn_date(v["occasion"])},
            )
            return None
        anchor = rules.member_anchor(events, v["occasion"], policies)
        reached = rules.reached_on(anchor, milestone) if anchor else None
        early = policy.badge_illness_early_months_senior
        if reached is None or reached > add_months(v["occasion"], early):
            plan.error(
                row.number,
                TITLES["milestone"],
                _(
                    "Tuổi Đảng của %(name)s (tính cả thời gian gián đoạn) chưa đủ %(years)s "
                    "năm vào đợt %(day)s."
                )
                % {"name": member.full_name, "years": milestone, "day": vn_date(v["occasion"])},
            )
            return None
        if v["ceremony_on"] and v["ceremony_on"] < v["decided_on"]:
            plan.error(row.number, TITLES["ceremony_on"], _("Ngày trao trước ngày quyết định."))
            return None
        key = (member.pk, milestone)
        if key in seen:
            plan.error(
                row.number, TITLES["milestone"], _("Trùng với dòng %(row)s.") % {"row": seen[key]}
            )
            return None
        seen[key] = row.number
        return PlannedBadge(
            row.number,
            member,
            milestone,
            v["occasion"],
            reached,
            v["decision_no"],
            v["decided_on"],
            v["issuer"],
            v["badge_no"],
            v["ceremony_on"],
        )

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        user = by if getattr(by, "is_authenticated", False) else None
        table = Table(BadgeCase, with_pk=True, now=timezone.now())
        keys = table.reserve(len(plan.items))
        gifts = {}
        rows = []
        for pk, item in zip(keys, plan.items, strict=True):
            if (item.milestone, item.decided_on) not in gifts:
                gifts[(item.milestone, item.decided_on)] = rules.gift_under(
                    policy_for(item.decided_on), item.milestone, item.decided_on
                )
            gift = gifts[(item.milestone, item.decided_on)]
            awarded = bool(item.badge_no and item.ceremony_on)
            rows.append(
                {
                    "id": pk,
                    "member_id": item.member.pk,
                    "milestone": item.milestone,
                    "occasion": item.occasion,
                    "reached_on": item.reached_on,
                    "early": "",
                    "grounds": "",
                    "proposer_id": item.member.organization_id,
                    "stage": Stage.AWARDED if awarded else Stage.DECIDED,
                    "proposal_no": item.decision_no,
                    "proposed_on": min(item.decided_on, item.occasion),
                    "decision_no": item.decision_no,
                    "decided_on": item.decided_on,
                    "issuer": item.issuer,
                    "gift_multiple": gift.multiple,
                    "base_salary": gift.base_salary or None,
                    "gift_amount": gift.amount if gift.base_salary else None,
                    "badge_no": item.badge_no,
                    "ceremony_on": item.ceremony_on if awarded else None,
                    "returned_on": None,
                    "return_reason": "",
                    "row_version": 1,
                    "recorded_by_id": user.pk if user else None,
                }
            )
        table.insert(rows)
        cases = BadgeCase.objects.in_bulk(keys)
        audit.record_many(
            "tochuc.badge.imported",
            [
                (
                    cases[pk],
                    item.decision_no,
                    {"member": item.member.pk, "milestone": item.milestone},
                )
                for pk, item in zip(keys, plan.items, strict=True)
            ],
            by=by,
        )
        if progress is not None:
            progress(len(rows), len(rows))
