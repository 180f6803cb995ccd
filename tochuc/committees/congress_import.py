"""Import of congress results (`tochuc import congresses FILE`): one row per candidate.

Each row names the organization, the committee the congress elected (the day it was
elected: recorded before, by the committee history import or the page), the congress (its
ordinal, kind, dates, delegates and ballots — the same on every row of that congress) and
one candidate with their votes (and, to tell namesakes apart, their party card number or
citizen ID). The whole file is checked first; a congress already stored with the same
results is left alone (re-importing the same file changes nothing), one stored with other
results is an error. Written through `services.congress_record`, which counts the elected
under the majority rule of the congress's date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

from . import selectors, services
from .models import Committee, Congress, CongressKind, Formed

COLUMNS = [
    columns.CodeInScope("code", gettext_lazy("Mã tổ chức"), required=True, width=22),
    columns.Date("formed_on", gettext_lazy("Ngày bầu cấp ủy"), required=True),
    columns.Number(
        "ordinal", gettext_lazy("Đại hội lần thứ"), required=True, minimum=1, maximum=100
    ),  # fmt: skip
    columns.Choice(
        "kind", gettext_lazy("Hình thức đại hội"), required=True, vocabulary=CongressKind
    ),  # fmt: skip
    columns.Date("starts_on", gettext_lazy("Ngày khai mạc"), required=True),
    columns.Date("ends_on", gettext_lazy("Ngày bế mạc"), required=True),
    columns.Text("directive", gettext_lazy("Thực hiện văn bản"), max_length=60),
    columns.Number("delegates", gettext_lazy("Số được triệu tập"), required=True, minimum=0),
    columns.Number("delegates_present", gettext_lazy("Số có mặt"), required=True, minimum=0),
    columns.Number(
        "ballots_issued", gettext_lazy("Số phiếu phát ra"), required=True, minimum=0
    ),  # fmt: skip
    columns.Number("ballots_valid", gettext_lazy("Số phiếu hợp lệ"), required=True, minimum=0),
    columns.Text("full_name", gettext_lazy("Người ứng cử"), required=True, max_length=120),
    columns.Text(
        "person",
        gettext_lazy("Số thẻ đảng viên hoặc CCCD"),
        max_length=20,
        note=gettext_lazy("Không bắt buộc; để phân biệt người trùng tên."),
    ),  # fmt: skip
    columns.Number("votes", gettext_lazy("Số phiếu bầu"), required=True, minimum=0),
]
TITLES = {c.key: c.title for c in COLUMNS}
CONGRESS_FIELDS = ("formed_on", "kind", "starts_on", "ends_on", "directive", "delegates",
                   "delegates_present", "ballots_issued", "ballots_valid")  # fmt: skip
COUNTS = ("delegates", "delegates_present", "ballots_issued", "ballots_valid")


@dataclass
class PlannedCongress:
    row: int
    organization: Organization
    ordinal: int
    values: dict
    candidates: dict[str, tuple[int, object, int]] = field(default_factory=dict)  # name → votes
    committee: Committee | None = None


def _congress_values(values: dict) -> dict:
    found = {name: values.get(name) for name in CONGRESS_FIELDS}
    for name in COUNTS:
        found[name] = int(found[name])
    found["directive"] = found["directive"] or ""
    return found


class CongressImporter(Importer):
    name = "congresses"
    title = gettext_lazy("kết quả đại hội")
    description = gettext_lazy(
        "Đại hội, số đại biểu, số phiếu và số phiếu bầu của từng người ứng cử (mỗi dòng một "
        "người ứng cử)."
    )
    sheet_title = gettext_lazy("Đại hội")
    columns = COLUMNS
    permission = CHANGE_COMMITTEES
    example = {
        "code": "T01.X01", "formed_on": "20/08/2025", "ordinal": "1", "kind": "Đại hội đại biểu",
        "starts_on": "19/08/2025", "ends_on": "20/08/2025", "directive": "45-CT/TW",
        "delegates": "150", "delegates_present": "148", "ballots_issued": "148",
        "ballots_valid": "146", "full_name": "Hoàng Văn An", "person": "20123456",
        "votes": "140",
    }  # fmt: skip
    notes = (
        gettext_lazy("Cấp ủy được bầu phải có trước (nhập lịch sử cấp ủy hoặc ghi trên trang)."),
        gettext_lazy("Mỗi đại hội ghi giống nhau trên mọi dòng của nó (ngày, số đại biểu, phiếu)."),
        gettext_lazy("Nhập lại cùng tệp không thay đổi gì; kết quả khác số đã có là lỗi."),
    )
    sample_headers = (gettext_lazy("Mã tổ chức"), gettext_lazy("Đại hội lần thứ"),
                      gettext_lazy("Người ứng cử"), gettext_lazy("Số phiếu"))  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        congresses: dict[tuple[int, int], PlannedCongress] = {}
        rows = []
        for row in columns.parse_rows(table, self.columns, plan, scope=scope):
            if not row.ok:
                continue
            organization = row.found["code"]
            if CHANGE_COMMITTEES not in scope.permissions_for(organization):
                plan.error(row.number, TITLES["code"],
                           _("Không có quyền ghi đại hội của tổ chức này."))  # fmt: skip
                continue
            values = _congress_values(row.values)
            if values["ballots_valid"] > values["ballots_issued"]:
                plan.error(row.number, TITLES["ballots_valid"],
                           _("Số phiếu hợp lệ vượt số phiếu phát ra."))  # fmt: skip
                continue
            if values["delegates_present"] > values["delegates"]:
                plan.error(row.number, TITLES["delegates_present"],
                           _("Số có mặt vượt số được triệu tập."))  # fmt: skip
                continue
            if int(row.values["votes"]) > values["ballots_valid"]:
                plan.error(row.number, TITLES["votes"], _("Số phiếu vượt số phiếu hợp lệ."))
                continue
            key = (organization.pk, int(row.values["ordinal"]))
            known = congresses.setdefault(
                key, PlannedCongress(row.number, organization, key[1], values)
            )
            if known.values != values:
                plan.error(row.number, TITLES["ballots_valid"],
                           _("Đại hội khác với dòng %(row)s.") % {"row": known.row})  # fmt: skip
                continue
            if row.values["full_name"] in known.candidates:
                plan.error(row.number, TITLES["full_name"],
                           _("Người ứng cử có tên hai lần trong đại hội này."))  # fmt: skip
                continue
            known.candidates[row.values["full_name"]] = (int(row.values["votes"]), None,
                                                         row.number)  # fmt: skip
            rows.append((row, known))
        self._members(plan, scope, rows)
        if not plan.errors:
            self._against_stored(plan, list(congresses.values()))
        return plan

    def _members(self, plan: Plan, scope: Scope, rows: list) -> None:
        """Each candidate's member: by the card or ID given (in scope), else by the name
        (one member of that name in the organization), else none (recorded as a name)."""
        keys = {str(r.values["person"]).replace(" ", "").upper() for r, _c in rows
                if r.values.get("person")}  # fmt: skip
        by_key = {}
        for member in scope.members().filter(Q(party_card_no__in=keys) | Q(citizen_id__in=keys)):
            for key in (member.party_card_no, member.citizen_id):
                if key in keys:
                    by_key[key] = member
        for row, congress in rows:
            name = row.values["full_name"]
            votes, _member, number = congress.candidates[name]
            person = str(row.values.get("person") or "").replace(" ", "").upper()
            if person:
                member = by_key.get(person)
                if member is None:
                    missing = _("Không có đảng viên “%(p)s” trong phạm vi.") % {"p": person}
                    plan.error(row.number, TITLES["person"], missing)
                    continue
            else:
                member = selectors.members_by_name(
                    organization=congress.organization, names=[name]
                ).get(name)
            congress.candidates[name] = (votes, member, number)

    def _against_stored(self, plan: Plan, planned: list[PlannedCongress]) -> None:
        organizations = {p.organization.pk for p in planned}
        committees = {
            (c.organization_id, c.formed_on): c
            for c in Committee.objects.filter(organization__in=organizations).select_related("term")
        }
        stored = {
            (c.organization_id, c.ordinal): c
            for c in Congress.objects.filter(organization__in=organizations)
            .select_related("term__committee")
            .prefetch_related("candidates")
        }
        for item in sorted(planned, key=lambda p: (p.organization.path, p.ordinal)):
            committee = committees.get((item.organization.pk, item.values["formed_on"]))
            if committee is None or committee.formed_how != Formed.ELECTED:
                plan.error(item.row, TITLES["formed_on"],
                           _("Không có cấp ủy do đại hội bầu ngày này."))  # fmt: skip
                continue
            item.committee = committee
            found = stored.get((item.organization.pk, item.ordinal))
            if found is None:
                if hasattr(committee.term, "congress"):
                    plan.error(item.row, TITLES["ordinal"],
                               _("Cấp ủy này đã có đại hội lần thứ %(n)s.")
                               % {"n": committee.term.congress.ordinal})  # fmt: skip
                    continue
                plan.created += 1
                plan.items.append(item)
                continue
            have = {name: getattr(found, name) for name in CONGRESS_FIELDS if name != "formed_on"}
            have["formed_on"] = found.term.committee.formed_on
            votes = {c.full_name: c.votes for c in found.candidates.all()}
            if have != item.values or votes != {n: v[0] for n, v in item.candidates.items()}:
                plan.error(item.row, TITLES["ordinal"],
                           _("Đại hội lần thứ này đã có với kết quả khác."))  # fmt: skip
                continue
            plan.unchanged += 1
        plan.samples = [
            [i.organization.code, str(i.ordinal), name, str(votes)]
            for i in plan.items for name, (votes, _m, _r) in i.candidates.items()
        ][:20]  # fmt: skip

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        total = len(plan.items)
        for done, item in enumerate(plan.items, start=1):
            values = {k: v for k, v in item.values.items() if k != "formed_on"}
            try:
                services.congress_record(
                    organization=item.organization, ordinal=item.ordinal,
                    committee=item.committee, by=by,
                    candidates=[(n, v, m) for n, (v, m, _r) in item.candidates.items()],
                    **values,
                )  # fmt: skip
            except ValidationError as error:
                raise ImportFailed([RowError(item.row, TITLES["starts_on"],
                                             " ".join(error.messages))]) from error  # fmt: skip
            if progress is not None:
                progress(done, total)
