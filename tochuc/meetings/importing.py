"""Import of meeting histories (`tochuc import meetings FILE`).

One row per meeting of a cell: the cell's code, the date, the kind, the topic, the place,
the figures (present, excused, absent: the expected is their sum) and the cell's own
assessment. The whole file is checked first (typed columns of `tochuc.imports.columns`; a
cell in scope; one meeting of a kind a day; no more regular meetings in a month than the
dated rule allows, counting those already recorded); a row equal to a meeting already
recorded is left alone, so re-importing a file changes nothing; a row for a recorded
meeting with other figures is refused (correct it on its page, with the reason).
Written through `services.meeting_record(figures=…)`, all or nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.imports import columns
from tochuc.imports.registry import Importer, ImportFailed, Plan, Progress, RowError
from tochuc.lib import xlsx
from tochuc.lib.dates import vn_date
from tochuc.organizations.models import Organization
from tochuc.policy.rules import policy_for

from . import services
from .models import CELL_KINDS, Kind, Meeting, Quality

CHUNK = 900

COLUMNS = [
    columns.CodeInScope("code", gettext_lazy("Mã chi bộ"), required=True, width=22),
    columns.Date("held_on", gettext_lazy("Ngày sinh hoạt"), required=True, width=14),
    columns.Choice("kind", gettext_lazy("Loại"), required=True, vocabulary=Kind, width=22,
                   synonyms={"thuong ky": Kind.REGULAR, "chuyen de": Kind.THEMATIC,
                             "bat thuong": Kind.EXTRAORDINARY}),
    columns.Text("topic", gettext_lazy("Chủ đề"), max_length=255, width=36),
    columns.Text("place", gettext_lazy("Địa điểm"), max_length=255, width=24),
    columns.Number("present", gettext_lazy("Có mặt"), required=True, minimum=0, width=9),
    columns.Number("excused", gettext_lazy("Vắng có lý do"), minimum=0, width=10),
    columns.Number("absent", gettext_lazy("Vắng không lý do"), minimum=0, width=10),
    columns.Choice("quality", gettext_lazy("Tự đánh giá"), vocabulary=Quality, width=12),
]  # fmt: skip
TITLES = {c.key: c.title for c in COLUMNS}


@dataclass
class PlannedMeeting:
    row: int
    organization: Organization
    held_on: date
    kind: str
    topic: str
    place: str
    quality: str
    figures: services.Counts


class MeetingImporter(Importer):
    name = "meetings"
    title = gettext_lazy("lịch sử sinh hoạt chi bộ")
    description = gettext_lazy(
        "Các buổi sinh hoạt chi bộ đã qua (mỗi dòng một buổi): ngày, loại, chủ đề, số đảng "
        "viên có mặt, vắng có lý do, vắng không lý do."
    )
    sheet_title = gettext_lazy("Sinh hoạt chi bộ")
    columns = COLUMNS
    example = {
        "code": "T01.X01.NAPHAI", "held_on": "05/03/2026", "kind": "Sinh hoạt thường kỳ",
        "topic": "Sinh hoạt thường kỳ tháng 3", "place": "Nhà văn hóa thôn", "present": "18",
        "excused": "2", "absent": "0", "quality": "Tốt",
    }  # fmt: skip
    notes = (
        gettext_lazy("Số phải dự là tổng có mặt, vắng có lý do và vắng không lý do."),
        gettext_lazy("Nhập lại cùng tệp không thay đổi gì; buổi đã ghi với số liệu khác thì "
                     "sửa trên trang của buổi đó."),
    )  # fmt: skip
    sample_headers = (gettext_lazy("Mã chi bộ"), gettext_lazy("Ngày"), gettext_lazy("Loại"),
                      gettext_lazy("Có mặt"), gettext_lazy("Phải dự"))  # fmt: skip

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        planned: list[PlannedMeeting] = []
        seen: dict[tuple[int, date, str], int] = {}
        for row in columns.parse_rows(table, self.columns, plan, scope=scope):
            if not row.ok:
                continue
            values, organization = row.values, row.found["code"]
            if organization.kind not in CELL_KINDS:
                plan.error(
                    row.number,
                    TITLES["code"],
                    _("“%(code)s” không phải một chi bộ.") % {"code": values["code"]},
                )
                continue  # fmt: skip
            key = (organization.pk, values["held_on"], values["kind"])
            if key in seen:
                plan.error(
                    row.number,
                    TITLES["held_on"],
                    _("Trùng với buổi sinh hoạt ở dòng %(row)s.") % {"row": seen[key]},
                )
                continue  # fmt: skip
            seen[key] = row.number
            figures = services.Counts(
                int(values["present"]), int(values.get("excused") or 0),
                int(values.get("absent") or 0),
            )  # fmt: skip
            planned.append(PlannedMeeting(
                row.number, organization, values["held_on"], values["kind"],
                values.get("topic") or "", values.get("place") or "",
                values.get("quality") or "", figures,
            ))  # fmt: skip
        # Rows good so far are checked against the database too: every bad row is listed.
        stored = self._stored(planned)
        regular = Counter()
        for m in stored.values():
            if m.kind == Kind.REGULAR:
                regular[(m.organization_id, m.held_on.year, m.held_on.month)] += 1
        for item in planned:
            known = stored.get((item.organization.pk, item.held_on, item.kind))
            if known is not None:
                if self._same(known, item):
                    plan.unchanged += 1
                else:
                    plan.error(item.row, TITLES["present"], _(
                        "Buổi sinh hoạt ngày %(day)s đã được ghi với số liệu khác; hãy sửa "
                        "trên trang của buổi đó."
                    ) % {"day": vn_date(item.held_on)})  # fmt: skip
                continue
            if item.kind == Kind.REGULAR:
                month = (item.organization.pk, item.held_on.year, item.held_on.month)
                regular[month] += 1
                allowed = policy_for(item.held_on).meeting_regular_per_month
                if regular[month] > allowed:
                    plan.error(item.row, TITLES["kind"], _(
                        "Chi bộ %(code)s đã có %(n)s buổi sinh hoạt thường kỳ trong tháng "
                        "%(month)s; buổi khác là chuyên đề hoặc bất thường."
                    ) % {"code": item.organization.code, "n": allowed,
                         "month": f"{item.held_on:%m/%Y}"})  # fmt: skip
                    continue
            plan.created += 1
            plan.items.append(item)
        plan.samples = [
            [i.organization.code, vn_date(i.held_on), Kind(i.kind).label, i.figures.present,
             i.figures.expected]
            for i in plan.items[:20]
        ]  # fmt: skip
        return plan

    def _stored(self, planned: list[PlannedMeeting]) -> dict[tuple[int, date, str], Meeting]:
        """The meetings already recorded by the file's cells in the file's months."""
        found: dict[tuple[int, date, str], Meeting] = {}
        ids = sorted({p.organization.pk for p in planned})
        if not planned:
            return found
        first = min(p.held_on for p in planned).replace(day=1)
        last = max(p.held_on for p in planned)
        for start in range(0, len(ids), CHUNK):
            qs = Meeting.objects.filter(
                organization_id__in=ids[start : start + CHUNK], held_on__gte=first,
                held_on__year__lte=last.year,
            )  # fmt: skip
            for m in qs:
                found[(m.organization_id, m.held_on, m.kind)] = m
        return found

    @staticmethod
    def _same(known: Meeting, item: PlannedMeeting) -> bool:
        return (
            (known.present, known.excused, known.absent)
            == (item.figures.present, item.figures.excused, item.figures.absent)
            and known.topic == item.topic
            and known.place == item.place
            and known.quality == item.quality
        )

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        total = len(plan.items)
        for done, item in enumerate(plan.items, start=1):
            try:
                services.meeting_record(
                    organization=item.organization, held_on=item.held_on, kind=item.kind,
                    topic=item.topic, place=item.place, quality=item.quality,
                    figures=item.figures, by=by,
                )  # fmt: skip
            except ValidationError as error:
                raise ImportFailed([RowError(item.row, "", " ".join(error.messages))]) from None
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
