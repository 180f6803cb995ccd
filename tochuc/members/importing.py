"""Import of party members from a spreadsheet (`tochuc import members FILE`).

Each row enters one member (record, admission, ceremony, confirmation) into a cell, as
`services.member_register` would; all rows are written by `bulk.members_bulk_register` in
the import's one transaction, in batches (70,000 rows in about a minute, not hours).

The whole file is checked first, with the rules of `services` (`personal_field_errors`,
`check_dates`, `check_holds_members`) plus what only a file can get wrong: required
fields, dates, values from the lists by their Vietnamese names (case and accents do not
matter), the same citizen ID or party card number on two rows (both rows are reported),
the cell (in the importer's scope, with the right to change members there, a cell, alive
from the day activity there starts — out of scope reads exactly like missing) and the
minimum admission age of the policy in force on the decision date.

A member already in the database is recognised by party card number or citizen ID: with
the same name and birth date, and in the importer's scope, the row is left alone ("không
đổi"), so re-importing a file changes nothing; anything else is a clash and an error.
The importer never changes an existing record (that is the edit page's job).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import CHANGE_MEMBERS
from tochuc.core import audit
from tochuc.imports import columns
from tochuc.imports.columns import choice_key, clean_text
from tochuc.imports.registry import (
    Importer,
    ImportFailed,
    Plan,
    Progress,
    RowError,
    error_messages,
)
from tochuc.lib import xlsx
from tochuc.lib.dates import vn_date
from tochuc.lib.lookups import value_chunks
from tochuc.organizations.models import Organization
from tochuc.policy.rules import PolicyLookup

from . import hooks, identity
from .bulk import BulkRowError, MemberRow, members_bulk_register
from .import_format import (
    CARD_PATTERN,
    COLUMNS,
    DATE_FIELDS,
    DATES,
    DEFAULTS,
    LISTS,
    MAX_LENGTHS,
    MOBILE_WITHOUT_ZERO,
    SAMPLE_ROWS,
    TEXT_FIELDS,
    TITLES,
)
from .models import PERSONAL_FIELDS, Member, Status
from .services import (
    check_dates,
    check_holds_members,
    citizen_id_taken,
    party_card_taken,
    record_errors,
)

# ---------------------------------------------------------------- the rows


@dataclass
class PlannedMember:
    row: int
    code: str
    record: dict
    admitted_on: date | None
    admission_decision_no: str
    ceremony_on: date | None
    confirmed_on: date | None
    since: date | None
    dated: bool = True  # the dates parsed: their order and the age can be checked
    broken: bool = False
    organization: Organization | None = None
    flagged: bool = False  # a likely duplicate: written only with the importer's reason

    def member_row(self, flag_reason: str = "") -> MemberRow:
        reason = ""
        if self.flagged and flag_reason:
            reason = _("Nhập từ tệp Excel, vẫn nhập khi nghi trùng: %(reason)s") % {
                "reason": flag_reason
            }
        return MemberRow(
            organization_id=self.organization.pk,
            record=self.record,
            admitted_on=self.admitted_on,
            admission_decision_no=self.admission_decision_no,
            ceremony_on=self.ceremony_on,
            confirmed_on=self.confirmed_on,
            since=self.since,
            reason=reason,
            checked=True,  # `plan` checked the record and the dates of every row it keeps
        )


class _Cells:
    """Cell values as the importer wants them, each distinct value worked out once: a file
    of 70,000 members holds a few thousand distinct dates and a few dozen list values."""

    def __init__(self):
        self.missing = _("Chưa ghi (cột bắt buộc).")
        self.today = timezone.localdate()
        self.lists = {name: choice.table() for name, choice in LISTS.items()}
        self.dates = {key: columns.cell_reader(column, self.today) for key, column in DATES.items()}
        self.choices: dict[tuple[str, str], str | None] = {}
        self.read_dates: dict[tuple, date | None] = {}  # (key, type, value) → date

    def date(self, key: str, value: Any) -> date | None:
        """The cell of date column `key` read by its shared type (`columns.Date`);
        `columns.CellError` (its message) when the cell is no date or out of bounds."""
        if value is None:
            return None
        known = (key, type(value), value)  # a good date's answer, remembered in one look-up
        found = self.read_dates.get(known, self)
        if found is not self:
            return found
        if isinstance(value, str) and not value.strip():
            return None
        found = self.dates[key](value)  # raises for a bad cell (remembered by the reader)
        if isinstance(value, (str, int, float, date)):
            self.read_dates[known] = found
        return found

    def choice(self, name: str, text: str) -> str | None:
        """The stored value for `text` in list `name`, None when it is not in the list."""
        key = (name, text)
        if key not in self.choices:
            self.choices[key] = self.lists[name].get(choice_key(text))
        return self.choices[key]


def _same_person(a: str, b: str) -> bool:
    return unicodedata.normalize("NFC", a).casefold() == unicodedata.normalize("NFC", b).casefold()


class MemberImporter(Importer):
    name = "members"
    title = gettext_lazy("đảng viên")
    description = gettext_lazy(
        "Nhập hàng loạt hồ sơ đảng viên (lý lịch, kết nạp, chính thức, chi bộ sinh hoạt) từ "
        "tệp Excel."
    )
    sheet_title = gettext_lazy("Đảng viên")
    columns = COLUMNS
    example = {
        "organization": "T01.X01.NAPHAI",
        "full_name": "Nguyễn Thị Hoa",
        "other_names": "",
        "gender": "Nữ",
        "birth_date": "15/03/1990",
        "birthplace": "Xã Tân An, tỉnh Lạng Sơn",
        "hometown": "Xã Tân An, tỉnh Lạng Sơn",
        "residence": "Thôn Nà Phái, xã Tân An, tỉnh Lạng Sơn",
        "ethnicity": "Tày",
        "religion": "",
        "citizen_id": "020190012345",
        "phone": "0912345678",
        "email": "",
        "general_education": "12/12",
        "qualification": "Đại học",
        "political_theory": "Trung cấp",
        "state_management": "",
        "occupation": "Giáo viên",
        "workplace": "Trường Tiểu học Tân An",
        "party_card_no": "20123456",
        "admission_decision_no": "125-QĐ/HU",
        "admitted_on": "05/05/2015",
        "ceremony_on": "19/05/2015",
        "confirmed_on": "19/05/2016",
        "since": "",
    }
    notes = (
        gettext_lazy(
            "Mỗi dòng của trang “Đảng viên” là một đảng viên được đưa vào một chi bộ. Dòng 1 là "
            "tiêu đề (giữ nguyên); dòng 2 là ví dụ: hãy ghi đè hoặc xóa dòng này trước khi nhập."
        ),
        gettext_lazy(
            "Cột có dấu * là bắt buộc. Ngày ghi theo dạng dd/mm/yyyy, ví dụ 19/05/2015. Giá trị "
            "trong danh mục ghi bằng tên (không phân biệt hoa thường, có dấu hay không)."
        ),
        gettext_lazy(
            "Chi bộ phải thuộc phạm vi bạn được phân quyền. Có ngày chính thức: đảng viên chính "
            "thức; để trống: đảng viên dự bị."
        ),
        gettext_lazy(
            "Hệ thống kiểm tra toàn bộ tệp trước: chỉ cần một dòng sai thì không ghi dòng nào, "
            "và báo từng dòng sai (số dòng, cột, lý do)."
        ),
        gettext_lazy(
            "Nhập lại cùng một tệp không thay đổi gì: đảng viên đã có (cùng số thẻ hoặc số CCCD, "
            "cùng họ tên và ngày sinh) được bỏ qua. Chức năng này không sửa hồ sơ đã có."
        ),
    )
    sample_headers = (
        gettext_lazy("Dòng"),
        gettext_lazy("Họ và tên"),
        gettext_lazy("Ngày sinh"),
        gettext_lazy("Chi bộ"),
        gettext_lazy("Ngày quyết định kết nạp"),
        gettext_lazy("Trạng thái"),
    )

    # ------------------------------------------------------------ plan

    def plan(self, table: xlsx.Table, *, scope: Scope, by=None) -> Plan:
        plan = Plan()
        cells = _Cells()
        parsed = [self._parse(row, plan, cells) for row in table.rows]
        self._check_duplicates(plan, parsed)
        to_create = self._check_existing(plan, parsed, scope)
        self._check_cells(plan, to_create, scope)
        policies = PolicyLookup()
        for item in to_create:
            self._check_dates(plan, item, policies)
        plan.items = [item for item in to_create if not item.broken]
        plan.created = len(plan.items)
        self._flag_likely_duplicates(plan, scope)
        plan.samples = [
            [
                str(i.row), i.record["full_name"], vn_date(i.record["birth_date"]),
                i.organization.name, vn_date(i.admitted_on),
                str(Status.FULL.label if i.confirmed_on else Status.PROBATIONARY.label),
            ]
            for i in plan.items[:SAMPLE_ROWS]
        ]  # fmt: skip
        return plan

    def _flag_likely_duplicates(self, plan: Plan, scope: Scope) -> None:
        """Rows to be created that likely duplicate a member or candidate of the scope, or
        another row of the file (the matcher of `hooks.entry_checks`, as on the member form):
        flagged with the evidence for the preview; written only with a reason."""
        items: list[PlannedMember] = plan.items
        if not items or not hooks.entry_checks:
            return
        records = [
            {**item.record, "admitted_on": item.admitted_on, "organization_id": org.pk}
            for item in items
            for org in [item.organization]
        ]
        row_name = _("dòng %(row)s của tệp")  # translated once for the file's rows
        names = [row_name % {"row": item.row} for item in items]
        for item, found in zip(
            items, hooks.entry_warnings_many(records, scope=scope, names=names), strict=True
        ):
            item.flagged = bool(found)
            for warning in found:
                plan.flag(item.row, TITLES["full_name"], warning["text"])

    def _refuse(self, plan: Plan, item: PlannedMember, key: str, message: str) -> None:
        plan.error(item.row, TITLES[key], message)
        item.broken = True

    def _parse(self, row: xlsx.Row, plan: Plan, cells: _Cells) -> PlannedMember:
        errors: list[tuple[str, str]] = []
        missing = cells.missing
        values = row.values
        record: dict[str, Any] = {}

        for key in TEXT_FIELDS:
            record[key] = clean_text(values.get(key))
        code = clean_text(values.get("organization"))
        for key in ("organization", "full_name"):
            if not (code if key == "organization" else record[key]):
                errors.append((key, missing))
        if not values.get("gender"):
            errors.append(("gender", missing))

        for key in LISTS:
            raw = clean_text(values.get(key))
            if not raw:
                record[key] = DEFAULTS.get(key, "")
                continue
            record[key] = cells.choice(key, raw)
            if record[key] is None:
                record[key] = ""
                message = _("“%(value)s” không có trong danh mục %(column)s.")
                errors.append((key, message % {"value": raw, "column": TITLES[key]}))

        dates: dict[str, date | None] = {}
        for key in DATE_FIELDS:
            try:
                dates[key] = cells.date(key, values.get(key))
            except columns.CellError as error:
                dates[key] = None
                errors.append((key, str(error)))
                continue
            if dates[key] is None and key in ("birth_date", "admitted_on"):
                errors.append((key, missing))
        record["birth_date"] = dates["birth_date"]

        raw_id = values.get("citizen_id")
        record["citizen_id"] = clean_text(raw_id).replace(" ", "").replace(".", "")
        raw_card = values.get("party_card_no")
        record["party_card_no"] = clean_text(raw_card).replace(" ", "").upper()
        if record["party_card_no"] and not CARD_PATTERN.match(record["party_card_no"]):
            errors.append(
                ("party_card_no", _("Số thẻ đảng viên chỉ gồm chữ số, chữ cái và các dấu . / -"))
            )
        if isinstance(values.get("phone"), (int, float)) and MOBILE_WITHOUT_ZERO.match(
            record["phone"]
        ):
            record["phone"] = "0" + record["phone"]  # a number cell lost the leading zero
        education = values.get("general_education")
        if isinstance(education, date):  # Excel took "12/12" for 12 December
            record["general_education"] = f"{education.day}/{education.month}"
        else:
            record["general_education"] = clean_text(education).replace(" ", "")
        if record["email"]:
            try:
                validate_email(record["email"])
            except ValidationError as error:
                errors.append(("email", error_messages(error)))

        for key, size in MAX_LENGTHS.items():
            if len(record[key]) > size:
                errors.append((key, _("Dài quá %(size)s ký tự.") % {"size": size}))

        # The record's own rules, as `check_personal` has them (`personal_field_errors`).
        personal = record_errors(record, today=cells.today)
        for key, message in personal.items():
            if not any(k == key for k, _m in errors):
                if key == "citizen_id" and isinstance(raw_id, (int, float)):
                    message = _(
                        "%(message)s Ô đang là kiểu số nên có thể đã mất số 0 ở đầu: hãy định "
                        "dạng cột là Văn bản và ghi lại."
                    ) % {"message": message}
                errors.append((key, message))

        item = PlannedMember(
            row=row.number,
            code=code,
            record={key: record[key] for key in PERSONAL_FIELDS if key in record},
            admitted_on=dates["admitted_on"],
            admission_decision_no=record["admission_decision_no"],
            ceremony_on=dates["ceremony_on"],
            confirmed_on=dates["confirmed_on"],
            since=dates["since"],
            dated=not any(key in DATE_FIELDS for key, _m in errors),
            broken=bool(errors),
        )
        for key, message in errors:
            plan.error(row.number, TITLES[key], message)
        return item

    def _check_duplicates(self, plan: Plan, parsed: list[PlannedMember]) -> None:
        """The same citizen ID or card number on several rows: every one of them is wrong."""
        for key, label in (
            ("citizen_id", _("Số CCCD %(value)s")),
            ("party_card_no", _("Số thẻ đảng viên %(value)s")),
        ):
            rows: dict[str, list[PlannedMember]] = defaultdict(list)
            for item in parsed:
                if item.record.get(key):
                    rows[item.record[key]].append(item)
            for value, items in rows.items():
                if len(items) < 2:
                    continue
                for item in items:
                    others = ", ".join(str(i.row) for i in items if i is not item)
                    message = _("%(what)s trùng với dòng %(rows)s.") % {
                        "what": label % {"value": value},
                        "rows": others,
                    }
                    self._refuse(plan, item, key, message)

    def _check_existing(
        self, plan: Plan, parsed: list[PlannedMember], scope: Scope
    ) -> list[PlannedMember]:
        """Rows already in the database are left alone when they are the same person. A
        number taken by a record outside the scope is refused without saying whose; the
        look-ups and those answers are counted (members.identity): over a budget, the file
        is refused as a whole and no row says which of its numbers are taken."""
        ids = {i.record["citizen_id"] for i in parsed if i.record.get("citizen_id")}
        cards = {i.record["party_card_no"] for i in parsed if i.record.get("party_card_no")}
        checker = identity.Checker(scope)
        try:
            checker.spend_checks(len(ids) + len(cards))
        except identity.IdentityRefusal as refusal:
            refusal.record()
            plan.error(None, TITLES["citizen_id"], identity.limit_reached())
            for item in parsed:
                if item.record.get("citizen_id") or item.record.get("party_card_no"):
                    item.broken = True
            return [i for i in parsed if not i.broken]
        fields = ("pk", "full_name", "birth_date", "citizen_id", "party_card_no", "status")
        by_id: dict[str, list[dict]] = defaultdict(list)
        by_card: dict[str, dict] = {}
        # Each look-up uses its index: the card's is partial (non-empty cards), so the
        # query repeats that condition; no ORDER BY, or SQLite walks the sort index.
        for field, values in (("citizen_id", ids), ("party_card_no", cards)):
            members = Member.objects.exclude(**{field: ""}).order_by()
            for chunk in value_chunks(values):
                for found in members.filter(**{f"{field}__any": chunk}).values(*fields):
                    if found["citizen_id"] and found not in by_id[found["citizen_id"]]:
                        by_id[found["citizen_id"]].append(found)
                    if found["party_card_no"]:
                        by_card[found["party_card_no"]] = found
        matched = {m["pk"] for ms in by_id.values() for m in ms} | {
            m["pk"] for m in by_card.values()
        }
        visible: set[int] = set()
        for chunk in value_chunks(matched):
            visible.update(
                scope.members().filter(pk__any=chunk).order_by().values_list("pk", flat=True)
            )

        to_create, refusals = [], []
        for item in parsed:
            citizen_id, card = item.record.get("citizen_id"), item.record.get("party_card_no")
            with_id = by_id.get(citizen_id, []) if citizen_id else []
            with_card = by_card.get(card) if card else None
            candidates = {m["pk"]: m for m in [*with_id, *([with_card] if with_card else [])]}
            same = [
                m
                for m in candidates.values()
                if m["pk"] in visible
                and _same_person(m["full_name"], item.record["full_name"])
                and m["birth_date"] == item.record["birth_date"]
                and (not card or m["party_card_no"] in ("", card))
                and (not citizen_id or m["citizen_id"] in ("", citizen_id))
            ]
            if len(same) == 1 and len(candidates) == 1:
                if not item.broken:
                    plan.unchanged += 1
                continue
            if with_card is not None:
                seen = with_card["pk"] in visible
                message = party_card_taken(card) if seen else identity.not_usable("party_card_no")
                refusals.append((item, "party_card_no", message, not seen))
            living = [m for m in with_id if m["status"] != Status.DECEASED]
            if living:
                seen = any(m["pk"] in visible for m in living)
                message = (
                    citizen_id_taken(citizen_id) if seen else identity.not_usable("citizen_id")
                )
                refusals.append((item, "citizen_id", message, not seen))
            to_create.append(item)
        self._refuse_taken(plan, refusals, checker)
        return to_create

    def _refuse_taken(self, plan: Plan, refusals: list, checker: identity.Checker) -> None:
        hidden = sum(1 for *_rest, is_hidden in refusals if is_hidden)
        try:
            checker.spend_hidden(hidden)
        except identity.IdentityRefusal as refusal:
            refusal.record()
            plan.error(None, TITLES["citizen_id"], identity.limit_reached())
            for item, key, message, is_hidden in refusals:
                if is_hidden:
                    item.broken = True
                else:
                    self._refuse(plan, item, key, message)
            return
        if hidden and checker.counted:
            audit.record(
                "tochuc.access.identity_hidden_clash", by=checker.user, count=hidden,
                importer=self.name,
            )  # fmt: skip
        for item, key, message, _is_hidden in refusals:
            self._refuse(plan, item, key, message)

    def _check_cells(self, plan: Plan, to_create: list[PlannedMember], scope: Scope) -> None:
        """The cell: found in scope, writable, a cell, alive from the start of activity."""
        codes = sorted({i.code for i in to_create if i.code})
        known: dict[str, Organization] = {}
        for chunk in value_chunks(codes):
            for org in Organization.objects.filter(code__any=chunk).order_by():
                known[org.code] = org
        allowed: dict[str, bool] = {}
        today = timezone.localdate()
        for item in to_create:
            if not item.code:
                continue  # reported as missing
            org = known.get(item.code)
            if org is None or not scope.contains(org):
                self._refuse(
                    plan, item, "organization",
                    _("Không tìm thấy chi bộ mã “%(code)s”.") % {"code": item.code},
                )  # fmt: skip
                continue
            if item.code not in allowed:
                perms = scope.permissions_for(org)
                allowed[item.code] = CHANGE_MEMBERS in perms and self.permission in perms
            if not allowed[item.code]:
                self._refuse(
                    plan, item, "organization",
                    _("Bạn không có quyền nhập dữ liệu cho %(name)s (mã “%(code)s”).")
                    % {"name": org.name, "code": item.code},
                )  # fmt: skip
                continue
            item.organization = org
            start_on = item.admitted_on  # membership starts with the decision
            key = "since"
            if item.since is None and start_on is not None:
                item.since = max(start_on, org.founded_on)
                key = "organization"
            if item.since is None:
                continue  # no admission date: reported already
            if item.since > today:
                self._refuse(plan, item, key, _("Ngày này không được sau hôm nay."))
                continue
            try:
                check_holds_members(org, item.since)
            except ValidationError as error:
                self._refuse(plan, item, key, error_messages(error))

    def _check_dates(self, plan: Plan, item: PlannedMember, policies: PolicyLookup) -> None:
        """birth < decision ≤ ceremony ≤ confirmation; old enough; activity after admission."""
        if not item.dated:
            return
        birth, admitted = item.record["birth_date"], item.admitted_on
        try:
            check_dates(
                birth_date=birth, admitted_on=admitted,
                ceremony_on=item.ceremony_on, confirmed_on=item.confirmed_on, policies=policies,
            )  # fmt: skip
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self._refuse(plan, item, key, " ".join(messages))
            return
        if item.since is not None and item.since < admitted:
            self._refuse(
                plan, item, "since",
                _("Ngày bắt đầu sinh hoạt %(day)s trước ngày quyết định kết nạp %(admitted)s.")
                % {"day": vn_date(item.since), "admitted": vn_date(admitted)},
            )  # fmt: skip

    # ------------------------------------------------------------ apply

    def apply(self, plan: Plan, *, by=None, progress: Progress | None = None) -> None:
        items: list[PlannedMember] = plan.items
        total, done = len(items), 0

        def advanced(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, total)

        try:
            members_bulk_register(
                (item.member_row(plan.flag_reason) for item in items),
                by=by,
                reason=_("Nhập từ tệp Excel"),
                progress=advanced,
            )
        except BulkRowError as error:
            row = items[error.row].row if 0 <= error.row < total else None
            raise ImportFailed([RowError(row, "", error_messages(error.error))]) from error
        except ValidationError as error:
            raise ImportFailed([RowError(None, "", error_messages(error))]) from error
        except IntegrityError as error:
            message = _("Số thẻ hoặc số CCCD trùng với hồ sơ khác (vừa được ghi bởi người khác?).")
            raise ImportFailed([RowError(None, "", message)]) from error
