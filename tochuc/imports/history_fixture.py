"""A generated ten-year history of a province, as the four import files would hold it.

`generate(members=70_000)` returns the organizations (for the `organizations` import), a
few organization events (`org-events`), the members with their admission (`members`), the
events of their timelines from 2016 to 2025 (`events`: confirmations, transfers between
cells and communes, temporary activity, exemptions, discipline, deaths, removals,
resignations, expulsions, transfers out of and back into the system, re-admissions) and
the communes' admission targets (`targets`). Every timeline obeys the rules the importers
check, so the whole history imports; `workbook(name, rows)` writes one file.

Used by the history tests (a few hundred members) and `bench/import_history.py`
(a province of 70,000 members, about 300,000 events).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import openpyxl

from tochuc.lib.dates import add_months, vn_date

FIRST = date(2016, 1, 1)
LAST = date(2025, 12, 31)
TREE_FOUNDED = date(1960, 1, 1)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Kim"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Sơn"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Hà", "Hoa", "Lan", "Mai", "Nga", "Thảo", "Yến"]
OUTSIDE = ["Đảng bộ tỉnh Bắc Ninh", "Đảng bộ thành phố Hà Nội", "Đảng bộ tỉnh Nghệ An"]
LABELS = {
    "confirmed": "Công nhận chính thức",
    "transferred_out": "Chuyển đi chính thức",
    "transferred_in": "Chuyển đến chính thức",
    "temporary_out": "Chuyển sinh hoạt tạm thời",
    "temporary_returned": "Trở về sau sinh hoạt tạm thời",
    "exempted": "Miễn công tác và sinh hoạt đảng",
    "exemption_ended": "Thôi miễn công tác và sinh hoạt đảng",
    "disciplined": "Kỷ luật",
    "removed": "Xóa tên",
    "expelled": "Khai trừ",
    "resigned": "Xin ra khỏi Đảng",
    "died": "Từ trần",
    "readmitted": "Kết nạp lại",
}


@dataclass
class Cell:
    code: str
    commune: str
    founded_on: date
    ended_on: date | None = None
    destination: bool = True


@dataclass
class History:
    province: str
    organizations: list[dict] = field(default_factory=list)
    org_events: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)


def _d(value: date | None) -> str:
    return vn_date(value) if value else ""


class _Generator:
    def __init__(self, members: int, seed: int, province: str):
        self.rng = random.Random(seed)
        self.count = members
        self.province = province
        self.history = History(province)
        self.cells: list[Cell] = []
        self.decisions = 0
        self.admitted: dict[tuple[str, int], int] = {}
        self.static: list[Cell] = []
        self.founded_later: list[Cell] = []
        self.by_commune: dict[str, list[Cell]] = {}

    def decision(self, suffix: str = "QĐ/ĐU") -> str:
        self.decisions += 1
        return f"{self.decisions}-{suffix}"

    # -- the tree
    def tree(self) -> None:
        rng, p = self.rng, self.province
        communes = max(3, self.count // 700)
        per_commune = 4 if self.count < 2000 else 12
        orgs = self.history.organizations
        orgs.append({"code": p, "name": f"Đảng bộ tỉnh {p}", "kind": "province", "parent": "",
                     "founded_on": _d(TREE_FOUNDED)})  # fmt: skip
        for c in range(1, communes + 1):
            commune = f"{p}.X{c:03d}"
            orgs.append({"code": commune, "name": f"Đảng bộ xã Số {c}", "kind": "commune",
                         "parent": p, "founded_on": _d(TREE_FOUNDED)})  # fmt: skip
            for k in range(1, per_commune + 1):
                code = f"{commune}.CB{k:02d}"
                orgs.append({"code": code, "name": f"Chi bộ thôn {k} xã Số {c}",
                             "kind": "base_cell", "parent": commune, "grassroots_type": "khac",
                             "founded_on": _d(TREE_FOUNDED)})  # fmt: skip
                self.cells.append(Cell(code, commune, TREE_FOUNDED))
        del rng
        # Organization events: two cells founded (one renamed, one moved to another
        # commune), two founded then merged into a third that is later dissolved.
        x1, x2, x3 = (f"{p}.X{c:03d}" for c in (1, 2, 3))
        events = self.history.org_events

        def add(type_, on, code, **extra):
            number = self.decision()
            events.append({"type": type_, "on": _d(on), "code": code, "decision_no": number,
                           "decision_date": _d(on), **extra})  # fmt: skip

        founded = date(2018, 3, 1)
        for suffix in ("M1", "M2"):
            add("Thành lập", founded, f"{x1}.{suffix}", name=f"Chi bộ khu mới {suffix}",
                kind="Chi bộ cơ sở", parent=x1, grassroots_type="Khác")  # fmt: skip
        self.cells.append(Cell(f"{x1}.M1", x1, founded))
        moved = Cell(f"{x1}.M2", x1, founded)
        self.cells.append(moved)
        add("Đổi tên", date(2019, 5, 1), f"{x1}.M1", name="Chi bộ khu đô thị mới")
        add("Chuyển trực thuộc", date(2020, 7, 1), f"{x1}.M2", parent=x2)
        moved.commune = x2  # (the commune of a member's events is not needed after this)
        for suffix in ("N1", "N2"):
            add("Thành lập", date(2021, 1, 15), f"{x3}.{suffix}", name=f"Chi bộ {suffix}",
                kind="Chi bộ cơ sở", parent=x3, grassroots_type="Khác")  # fmt: skip
        add("Hợp nhất, sáp nhập", date(2022, 6, 1), f"{x3}.N1; {x3}.N2", result=f"{x3}.N12",
            name="Chi bộ N1-N2", kind="Chi bộ cơ sở", parent=x3,
            grassroots_type="Khác")  # fmt: skip
        add("Giải thể", date(2023, 9, 1), f"{x3}.N12")

    def destination(self, on: date, but: str, commune: str = "") -> Cell:
        """A random cell active on `on`, other than `but` (in `commune` when given)."""
        if not self.static:
            self.static = [c for c in self.cells if c.founded_on == TREE_FOUNDED]
            for c in self.static:
                self.by_commune.setdefault(c.commune, []).append(c)
            self.founded_later = [c for c in self.cells if c.founded_on != TREE_FOUNDED]
        pool = self.by_commune[commune] if commune else self.static
        late = [c for c in self.founded_later if c.founded_on <= on
                and (not commune or c.commune == commune)]  # fmt: skip
        while True:
            index = self.rng.randrange(len(pool) + len(late))
            cell = pool[index] if index < len(pool) else late[index - len(pool)]
            if cell.code != but:
                return cell

    # -- members and their timelines
    def person(self, index: int) -> dict:
        rng = self.rng
        female = rng.random() < 0.4
        name = " ".join([
            rng.choice(FAMILY),
            rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE),
            rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
        ])  # fmt: skip
        new = rng.random() < 0.2
        if new:
            admitted = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days - 30))
        else:
            admitted = date(1975, 1, 1) + timedelta(days=rng.randrange(365 * 40))
        born = admitted - timedelta(days=365 * rng.randint(19, 45) + rng.randrange(300))
        ceremony = admitted + timedelta(days=rng.randint(5, 25))
        cell = self.destination(TREE_FOUNDED, "")
        confirmed = None if new else add_months(ceremony, 12)
        return {
            "organization": cell.code, "full_name": name, "gender": "Nữ" if female else "Nam",
            "birth_date": _d(born), "citizen_id": f"0019{index:08d}",
            "party_card_no": f"{10_000_000 + index}", "admission_decision_no": self.decision(),
            "admitted_on": _d(admitted), "ceremony_on": _d(ceremony),
            "confirmed_on": _d(confirmed), "_new": new, "_cell": cell,
            "_ceremony": ceremony, "_admitted": admitted,
        }  # fmt: skip

    def timeline(self, person: dict) -> None:
        rng = self.rng
        cell: Cell = person["_cell"]
        card = person["party_card_no"]
        key = (
            {"party_card_no": card} if rng.random() < 0.8 else {"citizen_id": person["citizen_id"]}
        )
        if person["_new"]:
            year = person["_admitted"].year
            self.admitted[(cell.commune, year)] = self.admitted.get((cell.commune, year), 0) + 1
        status = "probationary" if person["_new"] else "full"
        confirm_due = add_months(person["_ceremony"], 12) if person["_new"] else None
        last = max(FIRST, person["_ceremony"])
        exempted = False
        readmitted = False
        confirmed = not person["_new"]

        def emit(type_, on, **extra):
            row = {**key, "type": LABELS[type_] if rng.random() < 0.9 else type_,
                   "on": _d(on), "decision_no": self.decision(), **extra}  # fmt: skip
            self.history.events.append(row)

        while True:
            on = last + timedelta(days=1 + int(rng.expovariate(1 / 560)))
            if confirm_due and status == "probationary" and confirm_due <= min(on, LAST):
                if confirm_due > last:
                    emit("confirmed", confirm_due, decision_date=_d(confirm_due))
                    status, last, confirmed = "full", confirm_due, True
                    continue
                confirm_due = None
            if on > LAST:
                return
            if status in ("probationary", "full"):
                choice = rng.choices(
                    ["move", "temporary", "exempt", "discipline", "died", "removed",
                     "resigned", "expelled", "away"],
                    weights=[40, 20, 8, 5, 5, 3, 1, 1, 6],
                )[0]  # fmt: skip
                if choice == "move":
                    near = cell.commune in self.by_commune and rng.random() < 0.5
                    to = self.destination(on, cell.code, cell.commune if near else "")
                    arrived = on + timedelta(days=rng.randint(0, 20))
                    emit("transferred_out", on, organization=to.code, arrived_on=_d(arrived))
                    cell, last = to, arrived
                elif choice == "temporary":
                    ends = add_months(on, 6)
                    host = self.destination(on, cell.code)
                    place = ({"other_party": rng.choice(OUTSIDE)} if rng.random() < 0.3
                             else {"organization": host.code})  # fmt: skip
                    emit("temporary_out", on, ends_on=_d(ends), detail="công tác", **place)
                    if rng.random() < 0.7:
                        back = on + timedelta(days=rng.randint(60, 170))
                        emit("temporary_returned", back)
                        last = back
                    else:
                        last = ends  # returned automatically on the end date
                elif choice == "exempt":
                    emit("exemption_ended" if exempted else "exempted", on, detail="Tuổi cao")
                    exempted, last = not exempted, on
                elif choice == "discipline":
                    forms = ["Khiển trách", "Cảnh cáo"] + (
                        ["Cách chức"] if status == "full" else []
                    )
                    emit("disciplined", on, detail=rng.choice(forms), decision_date=_d(on))
                    last = on
                elif choice == "away":
                    emit("transferred_out", on, other_party=rng.choice(OUTSIDE))
                    status, last = "away", on
                else:
                    emit(choice, on, decision_date=_d(on),
                         detail="Bỏ sinh hoạt 3 tháng" if choice == "removed" else "")  # fmt: skip
                    if choice in ("died", "expelled", "resigned"):
                        return
                    status, last, exempted = "left", on, False
            elif status == "away":
                if rng.random() < 0.5:
                    return
                to = self.destination(on, "")
                emit("transferred_in", on, organization=to.code, other_party=rng.choice(OUTSIDE),
                     decision_date=_d(on))  # fmt: skip
                cell, status, last = to, "full" if confirmed else "probationary", on
            elif status == "left":
                again = add_months(last, 40)
                if readmitted or again > LAST or rng.random() < 0.6:
                    return
                to = self.destination(again, "")
                emit("readmitted", again, organization=to.code, detail="Công văn 15-CV/TU")
                cell, status, last, readmitted = to, "probationary", again, True
                exempted, confirmed = False, False
                confirm_due = add_months(again, 12)

    def run(self) -> History:
        self.tree()
        for index in range(1, self.count + 1):
            person = self.person(index)
            self.timeline(person)
            self.history.members.append({k: v for k, v in person.items() if k[0] != "_"})
        for (commune, year), n in sorted(self.admitted.items()):
            target = max(1, round(n * self.rng.uniform(0.8, 1.2)))
            self.history.targets.append({"code": commune, "year": str(year), "target": str(target)})
        return self.history


def generate(members: int = 300, *, seed: int = 2016, province: str = "H01") -> History:
    return _Generator(members, seed, province).run()


def workbook(name: str, rows: list[dict]) -> bytes:
    """The rows as the import `name` reads them (its columns, its sheet)."""
    from tochuc.imports import registry

    importer = registry.get(name)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(str(importer.sheet_title))
    sheet.append([str(column.header) for column in importer.columns])
    keys = [column.key for column in importer.columns]
    for row in rows:
        sheet.append([row.get(key, "") for key in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def split_events(rows: list[dict], limit: int = 100_000) -> list[list[dict]]:
    """The events in files of at most `limit` rows (an import reads at most 100,000 rows),
    each member's rows in one file, in order."""
    parts: list[list[dict]] = [[]]
    previous = None
    for row in rows:
        who = row.get("party_card_no") or row.get("citizen_id")
        if who != previous and len(parts[-1]) >= limit - 200:
            parts.append([])
        parts[-1].append(row)
        previous = who
    return parts
