"""Import of committee history (`tochuc import committees FILE`): one row per post held.

Each row names the organization and its committee (the day it was elected or designated,
the decision, the sizes — the same on every row of that committee), the member (by party
card number or citizen ID, in the importer's scope), the post (role, from when, how, the
decision) and, where it ended, when and why. The whole file is checked first; a committee
or a post already stored with the same values is left alone (re-importing the same file
changes nothing), one stored with other values is an error. Committees are written in date
order per organization through `services.committee_form`, posts through
`services.post_record` (history: the holder need not be in the organization today).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import CHANGE_COMMITTEES
from tochuc.imports import columns
from tochuc.imports.registry import Importer, ImportFailed, Plan, Progress, RowError
from tochuc.lib import xlsx
from tochuc.organizations.models import Organization

from . import services
from .models import Began, Committee, Ended, Formed, Post, Role

COLUMNS = [
    columns.CodeInScope("code", gettext_lazy("Mã tổ chức"), required=True, width=22),
    columns.Date("formed_on", gettext_lazy("Ngày bầu, chỉ định cấp ủy"), required=True),
    columns.Date("term_ends_on", gettext_lazy("Kết thúc nhiệm kỳ"), scheduled=True),
    columns.Choice(
        "formed_how", gettext_lazy("Hình thức cấp ủy"), required=True, vocabulary=Formed
    ),  # fmt: skip
    columns.Text(
        "decision_no", gettext_lazy("Số quyết định cấp ủy"), required=True, max_length=60
    ),  # fmt: skip
    columns.Date("decision_date", gettext_lazy("Ngày quyết định cấp ủy"), required=True),
    columns.Number("size", gettext_lazy("Số cấp ủy viên"), required=True, minimum=1),
    columns.Number("standing_size", gettext_lazy("Số ủy viên BTV"), minimum=0),
    columns.Number("deputies", gettext_lazy("Số Phó Bí thư"), minimum=0),
    columns.Number("inspection_size", gettext_lazy("Số ủy viên UBKT"), minimum=0),
    columns.Text(
        "person", gettext_lazy("Số thẻ đảng viên hoặc CCCD"), required=True, max_length=20
    ),  # fmt: skip
    columns.Text(
        "full_name",
        gettext_lazy("Họ và tên"),
        note=gettext_lazy("Không bắt buộc; để người đọc đối chiếu."),
    ),  # fmt: skip
    columns.Choice("role", gettext_lazy("Chức vụ"), required=True, vocabulary=Role),
    columns.Date("began_on", gettext_lazy("Từ ngày"), required=True),
    columns.Choice("began_how", gettext_lazy("Hình thức"), required=True, vocabulary=Began),
    columns.Text(
        "began_decision_no", gettext_lazy("Số quyết định"), required=True, max_length=60
    ),  # fmt: skip
    columns.Date("began_decision_date", gettext_lazy("Ngày quyết định"), required=True),
    columns.Date("ended_on", gettext_lazy("Đến ngày")),
    columns.Choice("ended_how", gettext_lazy("Lý do thôi giữ"), vocabulary=Ended),
    columns.Text("ended_decision_no", gettext_lazy("Số quyết định thôi giữ"), max_length=60),
]
TITLES = {c.key: c.title for c in COLUMNS}
COMMITTEE_FIELDS = ("formed_how", "decision_no", "decision_date", "size", "standing_size",
                    "deputies", "inspection_size")  # fmt: skip
POST_FIELDS = ("began_how", "began_decision_no", "began_decision_date", "ended_on",
               "ended_how", "ended_decision_no")  # fmt: skip


@dataclass
class PlannedCommittee:
    row: int
    organization: Organization
    formed_on: date
    values: dict
    term_ends_on: date | None
    stored: Committee | None = None
    posts: list = field(default_factory=list)


@dataclass
class PlannedPost:
    row: int
    member: object
    role: str
    began_on: date
    values: dict


def _committee_values(values: dict) -> dict:
    found = {name: values.get(name) for name in COMMITTEE_FIELDS}
    for name in ("standing_size", "deputies", "inspection_size"):
        found[name] = int(found[name] or 0)
    found["size"] = int(found["size"])
    return found


def _post_values(values: dict) -> dict:
    found = {name: values.get(name) for name in POST_FIELDS}
    for name in ("ended_how", "ended_decision_no"):
        found[name] = found[name] or ""
    return found


class CommitteeImporter(Importer):
    name = "committees"
    title = gettext_lazy("lịch sử cấp ủy")
    description = gettext_lazy(
        "Cấp ủy các nhiệm kỳ và người giữ chức vụ (mỗi dòng một chức vụ của một đảng viên)."
    )
    sheet_title = gettext_lazy("Cấp ủy")
    columns = COLUMNS
    permission = CHANGE_COMMITTEES
    example = {
        "code": "T01.X01", "formed_on": "01/07/2025", "term_ends_on": "31/07/2030",
        "formed_how": "Chỉ định", "decision_no": "1234-QĐ/TU", "decision_date": "28/06/2025",
        "size": "15", "standing_size": "5", "deputies": "2", "inspection_size": "5",
        "person": "20123456", "full_name": "Hoàng Văn An", "role": "Bí thư",
        "began_on": "01/07/2025", "began_how": "Chỉ định", "began_decision_no": "1235-QĐ/TU",
        "began_decision_date": "28/06/2025",
    }  # fmt: skip
    notes = (
        gettext_lazy(
            "Mỗi cấp ủy ghi giống nhau trên mọi dòng của nó (ngày, số quyết định, số lượng)."
        ),  # noqa: E501
        gettext_lazy("Nhập lại cùng tệp không thay đổi gì; dữ liệu khác số đã có là lỗi."),
    )
    sample_headers = (gettext_lazy("Mã tổ chức"), gettext_lazy("Cấp ủy từ"),
                      gettext_lazy("Đảng viên"), gettext_lazy("Chức vụ"),
                      gettext_lazy("Từ ngày"))  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        committees: dict[tuple[int, date], PlannedCommittee] = {}
        rows = []
        for row in columns.parse_rows(table, self.columns, plan, scope=scope):
            if not row.ok:
                continue
            organization = row.found["code"]
            if CHANGE_COMMITTEES not in scope.permissions_for(organization):
                plan.error(row.number, TITLES["code"],
                           _("Không có quyền ghi cấp ủy của tổ chức này."))  # fmt: skip
                continue
            key = (organization.pk, row.values["formed_on"])
            wanted = _committee_values(row.values)
            known = committees.get(key)
            if known is None:
                committees[key] = PlannedCommittee(
                    row.number, organization, row.values["formed_on"], wanted,
                    row.values.get("term_ends_on"),
                )  # fmt: skip
            elif known.values != wanted:
                plan.error(row.number, TITLES["decision_no"],
                           _("Cấp ủy khác với dòng %(row)s.") % {"row": known.row})  # fmt: skip
                continue
            rows.append((row, key))
        members = self._members(scope, [r.values["person"] for r, _k in rows])
        for row, key in rows:
            person = str(row.values["person"]).replace(" ", "").upper()
            member = members.get(person)
            if member is None:
                missing = _("Không có đảng viên “%(p)s” trong phạm vi.") % {"p": person}
                plan.error(row.number, TITLES["person"], missing)
                continue
            if bool(row.values.get("ended_on")) != bool(row.values.get("ended_how")):
                plan.error(row.number, TITLES["ended_how"],
                           _("Cần cả ngày thôi giữ và lý do, hoặc để trống cả hai."))  # fmt: skip
                continue
            committees[key].posts.append(PlannedPost(
                row.number, member, row.values["role"], row.values["began_on"],
                _post_values(row.values),
            ))  # fmt: skip
        if plan.errors:
            return plan
        self._against_stored(plan, list(committees.values()))
        return plan

    def _members(self, scope: Scope, people: list) -> dict:
        keys = {str(p).replace(" ", "").upper() for p in people}
        found = {}
        for member in scope.members().filter(Q(party_card_no__in=keys) | Q(citizen_id__in=keys)):
            for key in (member.party_card_no, member.citizen_id):
                if key in keys:
                    found[key] = member
        return found

    def _against_stored(self, plan: Plan, planned: list[PlannedCommittee]) -> None:
        stored = {
            (c.organization_id, c.formed_on): c
            for c in Committee.objects.filter(
                organization__in={p.organization.pk for p in planned}
            ).select_related("term")
        }
        posts = {
            (p.committee_id, p.member_id, p.role, p.began_on): p
            for p in Post.objects.filter(committee__in=[c.pk for c in stored.values()])
        }
        for item in sorted(planned, key=lambda p: (p.organization.path, p.formed_on)):
            item.stored = stored.get((item.organization.pk, item.formed_on))
            if item.stored is not None:
                have = {name: getattr(item.stored, name) for name in COMMITTEE_FIELDS}
                if have != item.values:
                    plan.error(item.row, TITLES["decision_no"],
                               _("Cấp ủy ngày này đã có với dữ liệu khác."))  # fmt: skip
                    continue
                plan.unchanged += 1
            else:
                plan.created += 1
            new_posts = []
            for post in item.posts:
                found = None
                if item.stored is not None:
                    found = posts.get((item.stored.pk, post.member.pk, post.role, post.began_on))
                if found is None:
                    new_posts.append(post)
                    plan.created += 1
                elif {name: getattr(found, name) for name in POST_FIELDS} == post.values:
                    plan.unchanged += 1
                else:
                    plan.error(post.row, TITLES["role"],
                               _("Chức vụ này đã có với dữ liệu khác."))  # fmt: skip
            item.posts = new_posts
            if item.stored is None or new_posts:
                plan.items.append(item)
        plan.samples = [
            [i.organization.code, f"{i.formed_on:%d/%m/%Y}", p.member.full_name,
             Role(p.role).label, f"{p.began_on:%d/%m/%Y}"]
            for i in plan.items for p in i.posts
        ][:20]  # fmt: skip

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        total = len(plan.items)
        for done, item in enumerate(plan.items, start=1):
            try:
                committee = item.stored or services.committee_form(
                    organization=item.organization, formed_on=item.formed_on,
                    term_ends_on=item.term_ends_on, by=by, **item.values,
                )  # fmt: skip
            except ValidationError as error:
                raise ImportFailed([RowError(item.row, TITLES["formed_on"],
                                             " ".join(error.messages))]) from error  # fmt: skip
            for post in item.posts:
                try:
                    services.post_record(committee=committee, member=post.member, role=post.role,
                                         began_on=post.began_on, by=by, **post.values)  # fmt: skip
                except ValidationError as error:
                    raise ImportFailed([RowError(post.row, TITLES["role"],
                                                 " ".join(error.messages))]) from error  # fmt: skip
            if progress is not None:
                progress(done, total)
