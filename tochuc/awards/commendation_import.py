"""Import of commendations (`tochuc import commendations FILE`): the commission's existing
spreadsheet of commendations, one row per recipient and decision.

The awarding organization and an organization commended are found by their codes in the
importer's scope; a member by the citizen id (CCCD) or the party card number (outside the
scope reads as missing). The whole file is checked first, each row under the checks of
recording one (`services.check_commendation`, `services.check_recipient`: the years not in
the future and in order, the decision after them, the recipient inside the awarding
organization), one row per recipient and decision. A commendation already recorded with the
same decision, form, recipient and years is left alone (re-importing a file changes
nothing). Each new one is written by `services.commendation_record` (audited). All or
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.imports import columns
from tochuc.imports.registry import Importer, Plan, Progress
from tochuc.lib import xlsx
from tochuc.lib.dates import vn_date

from . import services
from .importing import members_by
from .models import Commendation, CommendationForm, ReasonKind, RecipientKind

COLUMNS = [
    columns.CodeInScope(
        "authority_code",
        gettext_lazy("Mã tổ chức khen thưởng"),
        required=True,
        width=20,
        max_length=40,
        note=gettext_lazy("Mã của cấp ủy ra quyết định khen thưởng."),
    ),
    columns.Text(
        "issuer", gettext_lazy("Cơ quan quyết định"), required=True, width=28, max_length=255
    ),
    columns.Choice(
        "form", gettext_lazy("Hình thức"), required=True, width=30, vocabulary=CommendationForm
    ),
    columns.Choice(
        "recipient_kind",
        gettext_lazy("Đối tượng"),
        required=True,
        width=16,
        vocabulary=RecipientKind,
        synonyms={"tổ chức": RecipientKind.ORGANIZATION, "cá nhân": RecipientKind.PERSON},
    ),
    columns.CodeInScope(
        "recipient_code",
        gettext_lazy("Mã tổ chức được khen"),
        width=20,
        max_length=40,
        note=gettext_lazy("Khi khen tổ chức đảng."),
    ),
    columns.Text(
        "citizen_id",
        gettext_lazy("Số CCCD"),
        width=16,
        max_length=12,
        note=gettext_lazy("Khi khen đảng viên: số CCCD hoặc số thẻ đảng viên."),
    ),
    columns.Text("party_card_no", gettext_lazy("Số thẻ đảng viên"), width=16, max_length=20),
    columns.Text(
        "recipient_name",
        gettext_lazy("Họ tên"),
        width=26,
        max_length=255,
        note=gettext_lazy("Bắt buộc khi khen cá nhân khác; với đảng viên để đối chiếu."),
    ),
    columns.Text("recipient_detail", gettext_lazy("Chức vụ, đơn vị"), width=28, max_length=255),
    columns.Choice(
        "reason_kind", gettext_lazy("Thành tích"), required=True, width=30, vocabulary=ReasonKind
    ),
    columns.Number(
        "year_from",
        gettext_lazy("Từ năm"),
        required=True,
        width=10,
        minimum=1930,
        maximum=2200,
    ),  # fmt: skip
    columns.Number("year_to", gettext_lazy("Đến năm"), width=10, minimum=1930, maximum=2200),
    columns.Text("reason", gettext_lazy("Nội dung thành tích"), width=36, max_length=2000),
    columns.Text(
        "decision_no", gettext_lazy("Số quyết định"), required=True, width=16, max_length=60
    ),
    columns.Date("decided_on", gettext_lazy("Ngày quyết định"), required=True, width=14),
]
TITLES = {c.key: c.title for c in COLUMNS}
# A service's refusal names a field; the cell it is shown beside.
FIELD_COLUMN = {"member": "citizen_id", "recipient_organization": "recipient_code"}


@dataclass
class PlannedCommendation:
    row: int
    values: dict


def _key(v: dict) -> tuple:
    return (v["authority"].pk, v["decision_no"], v["form"], v["recipient_kind"],
            v["recipient_name"], v["year_from"], v["year_to"])  # fmt: skip


class CommendationImporter(Importer):
    name = "commendations"
    title = gettext_lazy("khen thưởng")
    description = gettext_lazy(
        "Khen thưởng đã quyết định (mỗi dòng một tổ chức hoặc một người, một quyết định)."
    )
    sheet_title = gettext_lazy("Khen thưởng")
    columns = COLUMNS
    example = {
        "authority_code": "T20",
        "issuer": "Ban Thường vụ Tỉnh ủy",
        "form": "Bằng khen",
        "recipient_kind": "Đảng viên",
        "citizen_id": "020056000123",
        "recipient_name": "Hoàng Văn An",
        "reason_kind": "Hoàn thành xuất sắc nhiệm vụ trong năm",
        "year_from": "2023",
        "decision_no": "512-QĐ/TU",
        "decided_on": "20/01/2024",
    }
    notes = (
        gettext_lazy("Đối tượng: Tổ chức đảng (ghi mã tổ chức được khen), Đảng viên (ghi số "
                     "CCCD hoặc số thẻ), Cá nhân khác (ghi họ tên)."),
        gettext_lazy("Nhập lại cùng tệp không thay đổi gì."),
    )  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        parsed = [r for r in columns.parse_rows(table, self.columns, plan, scope=scope) if r.ok]
        by_id = members_by(
            scope, "citizen_id", sorted({r.values["citizen_id"] for r in parsed} - {""})
        )
        by_card = members_by(
            scope, "party_card_no", sorted({r.values["party_card_no"] for r in parsed} - {""})
        )
        seen: dict[tuple, int] = {}
        planned = []
        for row in parsed:
            values = self._check(plan, row, by_id, by_card)
            if values is None:
                continue
            key = _key(values)
            if key in seen:
                plan.error(row.number, TITLES["decision_no"],
                           _("Trùng với dòng %(row)s.") % {"row": seen[key]})  # fmt: skip
                continue
            seen[key] = row.number
            planned.append(PlannedCommendation(row.number, values))
        if plan.errors:
            return plan
        stored = set()
        for authority_id in {p.values["authority"].pk for p in planned}:
            numbers = sorted({p.values["decision_no"] for p in planned
                              if p.values["authority"].pk == authority_id})  # fmt: skip
            stored |= {
                (authority_id, *rest)
                for rest in Commendation.objects.filter(
                    authority_id=authority_id, decision_no__in=numbers
                ).values_list(
                    "decision_no",
                    "form",
                    "recipient_kind",
                    "recipient_name",
                    "year_from",
                    "year_to",
                )  # fmt: skip
            }
        for item in planned:
            if _key(item.values) in stored:
                plan.unchanged += 1
            else:
                plan.created += 1
                plan.items.append(item)
        plan.samples = [
            [str(CommendationForm(i.values["form"]).label), i.values["recipient_name"],
             i.values["decision_no"], vn_date(i.values["decided_on"])]
            for i in plan.items[:20]
        ]  # fmt: skip
        return plan

    def _check(self, plan, row, by_id, by_card) -> dict | None:
        v = row.values
        kind = v["recipient_kind"]
        values = {
            "authority": row.found["authority_code"], "issuer": v["issuer"], "form": v["form"],
            "recipient_kind": kind, "reason_kind": v["reason_kind"],
            "year_from": v["year_from"], "year_to": v["year_to"] or v["year_from"],
            "decision_no": v["decision_no"], "decided_on": v["decided_on"],
            "recipient_detail": v["recipient_detail"], "reason": v["reason"],
            "recipient_organization": None, "recipient_member": None,
            "recipient_name": v["recipient_name"],
        }  # fmt: skip
        try:
            if kind == RecipientKind.ORGANIZATION:
                values["recipient_organization"] = row.found.get("recipient_code")
                if values["recipient_organization"] is None:
                    raise ValidationError({"recipient_code": _("Hãy ghi mã tổ chức được khen.")})
                values["recipient_name"] = values["recipient_organization"].name
            elif kind == RecipientKind.MEMBER:
                member = by_id.get(v["citizen_id"]) or by_card.get(v["party_card_no"])
                if member is None:
                    raise ValidationError({"citizen_id": _(
                        "Không tìm thấy đảng viên có số CCCD hoặc số thẻ này.")})  # fmt: skip
                values["recipient_member"], values["recipient_name"] = member, member.full_name
            elif not values["recipient_name"]:
                raise ValidationError({"recipient_name": _("Hãy ghi họ tên người được khen.")})
            services.check_commendation(**{k: values[k] for k in (
                "form", "recipient_kind", "reason_kind", "issuer", "decision_no", "decided_on",
                "year_from", "year_to")})  # fmt: skip
            services.check_recipient(
                authority=values["authority"], kind=kind,
                organization=values["recipient_organization"], member=values["recipient_member"],
            )  # fmt: skip
        except ValidationError as refusal:
            for field, messages in refusal.message_dict.items():
                column = TITLES.get(FIELD_COLUMN.get(field, field), TITLES["decision_no"])
                for message in messages:
                    plan.error(row.number, column, message)
            return None
        return values

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        for done, item in enumerate(plan.items, start=1):
            services.commendation_record(by=by, **item.values)
            if progress is not None:
                progress(done, len(plan.items))
