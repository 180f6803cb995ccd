"""Benchmark: `tochuc import members` on a 70,000-row file against the raw load of the rows.

For each database (SQLite under TOCHUC_VAR_DIR=/tmp/imp, PostgreSQL in a scratch database
`tochuc_import_bench` created here and dropped afterwards) a worker process migrates, builds
the demo (cells of the Lạng Sơn province T20), writes a file of realistic members spread
over those cells, then times, side by side in the same run:

- the import command end to end, in a process of its own as an operator runs it (start-up,
  read and check the whole file, write every row with its events, affiliation and
  history, audit), split into read / check / write;
- the raw load of the same rows into scratch copies of the tables (same columns and
  indexes, no foreign keys): COPY on PostgreSQL, one-transaction `executemany` on SQLite;
  once the member rows alone, once every row the import wrote (members, events,
  affiliations, history).

Medians of the runs and the ratio are printed as Markdown tables for docs/performance.md.

    .venv/bin/python bench/import_members.py [--rows 70000] [--runs 3] [--small]
        [--databases sqlite,postgres] [--postgres postgres://postgres@127.0.0.1:5432]
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Names of the scratch database and directory: set TOCHUC_BENCH_NAME when several people run
# the bench on one machine at the same time.
BENCH_NAME = os.environ.get("TOCHUC_BENCH_NAME", "")
BENCH_DB = "tochuc_import_bench" + (f"_{BENCH_NAME}" if BENCH_NAME else "")
SQLITE_DIR = Path("/tmp/imp" + (f"-{BENCH_NAME}" if BENCH_NAME else ""))
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

FAMILY = [  # weighted: the commonest Vietnamese family names, and Lạng Sơn's Tày/Nùng ones
    ("Nguyễn", 30), ("Hoàng", 12), ("Trần", 8), ("Lê", 7), ("Nông", 6), ("Lương", 5),
    ("Vi", 4), ("Phạm", 4), ("Hà", 3), ("Lăng", 2), ("Lộc", 2), ("Chu", 2), ("Mã", 2),
    ("Triệu", 2), ("Đinh", 2), ("Vũ", 2), ("Đỗ", 2), ("Bùi", 2), ("Ngô", 1), ("Dương", 1),
    ("Lành", 1), ("Hứa", 1), ("Phan", 1), ("Đặng", 1), ("Lý", 1),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Kim", "Hồng", "Minh", "Thúy"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh",
    "Nam", "Phong", "Quân", "Quang", "Sơn", "Tâm", "Thắng", "Thành", "Trung", "Tuấn", "Việt",
    "Vinh", "Hưng", "Kiên", "Lâm", "Tài", "Toàn", "Tùng", "Đông",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan",
    "Liên", "Linh", "Loan", "Mai", "Nga", "Ngọc", "Nhung", "Phương", "Thảo", "Thủy", "Trang",
    "Tuyết", "Vân", "Yến", "Hiền", "Hồng", "Lụa", "Nhàn", "Xuân",
]  # fmt: skip
ETHNICITY = [("Tày", 38), ("Nùng", 30), ("Kinh", 18), ("Dao", 8), ("Sán Chay", 3),
             ("Hoa", 1), ("Hmông", 1), ("Sán Dìu", 1)]  # fmt: skip
OCCUPATION = [
    ("Nông dân", "", 35), ("Giáo viên", "Trường Tiểu học", 12), ("Công chức", "UBND xã", 12),
    ("Viên chức", "Trạm Y tế xã", 6), ("Hưu trí", "", 20), ("Công nhân", "Công ty", 5),
    ("Kinh doanh", "", 5), ("Quân nhân", "Ban Chỉ huy Quân sự xã", 5),
]  # fmt: skip
QUALIFICATION = [("", 30), ("Sơ cấp", 10), ("Trung cấp", 25), ("Cao đẳng", 10),
                 ("Đại học", 22), ("Thạc sĩ", 3)]  # fmt: skip
THEORY = [("", 40), ("Sơ cấp", 40), ("Trung cấp", 17), ("Cao cấp", 3)]


# ---------------------------------------------------------------- orchestrator


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=70_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="tochuc demo --small")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import-once", help=argparse.SUPPRESS)
    parser.add_argument(
        "--triggers-ab", action="store_true",
        help="each run imports twice: with the summary's change triggers, then without",
    )  # fmt: skip
    args = parser.parse_args()
    if args.import_once:
        import_once(Path(args.import_once))
        return
    if args.worker:
        worker(args)
        return

    results = []
    for database in args.databases.split(","):
        env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0"}
        env.pop("TOCHUC_TESTING", None)
        env.pop("DATABASE_URL", None)
        if database == "sqlite":
            shutil.rmtree(SQLITE_DIR, ignore_errors=True)
            SQLITE_DIR.mkdir(parents=True)
            env["TOCHUC_VAR_DIR"] = str(SQLITE_DIR)
            cleanup = [lambda: shutil.rmtree(SQLITE_DIR, ignore_errors=True)]
        else:
            host = args.postgres.split("@")[-1].split(":")[0]
            pg = ["-h", host, "-U", "postgres"]
            subprocess.run(["dropdb", *pg, "--if-exists", BENCH_DB], check=True)
            subprocess.run(["createdb", *pg, BENCH_DB], check=True)
            env["DATABASE_URL"] = f"{args.postgres}/{BENCH_DB}"
            var_dir = SQLITE_DIR.with_name(SQLITE_DIR.name + "-pg")  # the file, the secret key
            env["TOCHUC_VAR_DIR"] = str(var_dir)
            cleanup = [
                lambda pg=pg: subprocess.run(["dropdb", *pg, "--if-exists", BENCH_DB]),
                lambda var_dir=var_dir: shutil.rmtree(var_dir, ignore_errors=True),
            ]
        command = [sys.executable, __file__, "--worker", "--rows", str(args.rows),
                   "--runs", str(args.runs), *(["--small"] if args.small else []),
                   *(["--triggers-ab"] if args.triggers_ab else [])]  # fmt: skip
        try:
            done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        finally:
            for step in cleanup:
                step()
        if done.returncode:
            sys.stderr.write(done.stdout + done.stderr)
            sys.exit(f"worker for {database} failed")
        sys.stderr.write(done.stderr[-2000:])
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    report(results, args)


def report(results: list[dict], args) -> None:
    print(f"{os.cpu_count()} cores; {platform.machine()}; {args.rows:,} rows; runs: {args.runs}")
    for result in results:
        print(f"- {result['database']}: {result['cells']} cells of {result['province']}, file "
              f"{result['file_mb']:.1f} MB (written in {result['file_s']:.1f} s)")  # fmt: skip
    print()
    print("| cơ sở dữ liệu | nhập (s, trung vị) | đọc tệp | kiểm tra | ghi | nạp thô hồ sơ (s) "
          "| tỉ lệ | nạp thô mọi bảng (s) | tỉ lệ | làm mới tổng hợp (việc nền, s) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        med = {k: statistics.median(v) for k, v in r["times"].items() if v}
        for suffix, label in (("", ""), ("_no_triggers", " (không trigger)")):
            if f"total{suffix}" not in med:
                continue
            total = med[f"total{suffix}"]
            print(
                f"| {r['database']}{label} | {total:.1f} | {med['read' + suffix]:.1f} | "
                f"{med['plan' + suffix]:.1f} | {med['write' + suffix]:.1f} | {med['raw']:.2f} | "
                f"{total / med['raw']:.1f}× | {med['raw_all']:.2f} | "
                f"{total / med['raw_all']:.1f}× | {med.get('refresh' + suffix, 0):.1f} |"
            )
    print()
    for r in results:  # each import against the raw load timed right after it
        times = r["times"]
        ratios = [total / raw for total, raw in zip(times["total"], times["raw_all"], strict=False)]
        print(f"{r['database']}: each run's import ÷ raw load of every table: "
              + " · ".join(f"{ratio:.2f}×" for ratio in ratios)
              + f" (median {statistics.median(ratios):.2f}×)")  # fmt: skip
    print()
    for r in results:
        print(f"{r['database']} runs: " + json.dumps(r["times"]))


# ---------------------------------------------------------------- worker


def worker(args) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    import django

    django.setup()
    from django.core.management import call_command

    log = sys.stderr
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", *(["--small"] if args.small else []), verbosity=0, stdout=log)
    log.write(f"demo: {time.perf_counter() - started:.0f} s\n")

    cells = province_cells()
    path = Path(os.environ["TOCHUC_VAR_DIR"]) / "dang-vien.xlsx"
    started = time.perf_counter()
    write_file(path, cells, args.rows)
    file_s = time.perf_counter() - started
    log.write(f"file: {path.stat().st_size / 1e6:.1f} MB in {file_s:.1f} s\n")

    times = {"total": [], "read": [], "plan": [], "write": [], "refresh": [], "raw": [],
             "raw_all": []}  # fmt: skip
    if args.triggers_ab:
        times.update(
            {f"{k}_no_triggers": [] for k in ("total", "read", "plan", "write", "refresh")}
        )
    for run in range(args.runs):
        for triggers in (True, False) if args.triggers_ab else (True,):
            change_triggers(on=triggers)
            phases = timed_import(path)
            for key, value in phases.items():
                times[key if triggers else f"{key}_no_triggers"].append(value)
            log.write(f"import run {run + 1} (triggers {triggers}): {phases}\n")
            rows = imported_rows()
            if triggers:
                # The raw load right after each import, not all of them at the end: on a
                # shared machine the load changes from minute to minute, and each ratio is
                # of one moment. Before the rows are forgotten: the copies' foreign keys
                # point at them.
                members_table = next(iter(rows))
                times["raw"].append(raw_load({members_table: rows[members_table]}))
                times["raw_all"].append(raw_load(rows))
                log.write(f"raw run {run + 1}: {times['raw'][-1]:.2f} s, "
                          f"all tables {times['raw_all'][-1]:.2f} s\n")  # fmt: skip
            if run < args.runs - 1 or (args.triggers_ab and triggers):
                forget_imported()
        change_triggers(on=True)

    from django.db import connection

    print(json.dumps({
        "database": connection.vendor, "province": "T20", "cells": len(cells),
        "file_mb": path.stat().st_size / 1e6, "file_s": file_s, "times": times,
    }))  # fmt: skip


def province_cells():
    from tochuc.members.timeline import CELL_KINDS
    from tochuc.organizations.models import Organization

    province = Organization.objects.get(code="T20")
    cells = list(
        Organization.objects.filter(
            path__startswith=province.path, kind__in=CELL_KINDS, ended_on__isnull=True
        ).values_list("code", "founded_on")
    )
    if not cells:
        sys.exit("No cells in T20.")
    return cells


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def write_file(path: Path, cells, count: int) -> None:
    """`count` members spread over `cells`, in the template's columns."""
    from tochuc.imports import registry
    from tochuc.lib.dates import vn_date
    from tochuc.members.models import Member

    importer = registry.get("members")
    keys = [c.key for c in importer.columns]
    taken_ids = set(Member.objects.exclude(citizen_id="").values_list("citizen_id", flat=True))
    taken_cards = set(Member.objects.values_list("party_card_no", flat=True))
    rng = random.Random(2025)
    today = date.today()
    rows = [[str(c.header) for c in importer.columns]]
    serial = 0
    for _ in range(count):
        code, founded = rng.choice(cells)
        female = rng.random() < 0.42
        name = " ".join((
            weighted(rng, FAMILY),
            rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE),
            rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
        ))  # fmt: skip
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 64))
        earliest = date(birth.year + 18, birth.month, min(birth.day, 28)) + timedelta(days=30)
        latest = min(today - timedelta(days=40), date(birth.year + 45, 1, 1))
        if earliest > latest:
            birth, earliest = date(1980, 5, 5), date(2005, 1, 1)
            latest = today - timedelta(days=40)
        admitted = earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))
        ceremony = admitted + timedelta(days=rng.randrange(7, 30))
        confirmed = ceremony + timedelta(days=366 + rng.randrange(0, 40))
        while True:
            serial += 1
            citizen_id = f"020{int(female) + (2 if birth.year >= 2000 else 0)}" \
                         f"{birth.year % 100:02d}{serial:06d}"  # fmt: skip
            card = f"9{serial:07d}"
            if citizen_id not in taken_ids and card not in taken_cards:
                break
        occupation, workplace, _w = rng.choices(OCCUPATION, [o[2] for o in OCCUPATION])[0]
        values = {
            "organization": code,
            "full_name": name,
            "gender": "Nữ" if female else "Nam",
            "birth_date": vn_date(birth),
            "birthplace": "Tỉnh Lạng Sơn",
            "hometown": "Tỉnh Lạng Sơn",
            "residence": f"Thôn {rng.randrange(1, 15)}, tỉnh Lạng Sơn",
            "ethnicity": weighted(rng, ETHNICITY),
            "religion": "",
            "citizen_id": citizen_id,
            "phone": f"09{rng.randrange(10**8):08d}" if rng.random() < 0.8 else "",
            "email": "",
            "general_education": "12/12" if birth.year > 1960 else "10/10",
            "qualification": weighted(rng, QUALIFICATION),
            "political_theory": weighted(rng, THEORY),
            "state_management": "",
            "occupation": occupation,
            "workplace": workplace,
            "party_card_no": card,
            "admission_decision_no": f"{rng.randrange(1, 999)}-QĐ/HU",
            "admitted_on": vn_date(admitted),
            "ceremony_on": vn_date(ceremony),
            "confirmed_on": vn_date(confirmed) if confirmed < today else "",
            "since": "",
        }
        rows.append([values.get(key, "") for key in keys])
        del founded
    save_like_excel(path, str(importer.sheet_title), rows)


def save_like_excel(path: Path, title: str, rows: list[list[str]]) -> None:
    """An XLSX as Excel saves one: shared strings and a <dimension> (openpyxl 3.1 writes
    inline strings and its reader then builds an object per cell, which Excel files never
    make it do). Every cell is text, as in the template's text-formatted columns."""
    import zipfile
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    strings: dict[str, int] = {}
    sheet = [
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{get_column_letter(len(rows[0]))}{len(rows)}"/><sheetData>'
    ]
    letters = [get_column_letter(i + 1) for i in range(len(rows[0]))]
    for number, row in enumerate(rows, start=1):
        cells = []
        for letter, value in zip(letters, row, strict=True):
            if value != "":
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{letter}{number}" t="s"><v>{index}</v></c>')
        sheet.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet.append("</sheetData></worksheet>")
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{office}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{office}.sharedStrings+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="{escape(title)}" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{main}"><fonts count="1"><font><sz val="11"/>'
            '<name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill '
            'patternType="none"/></fill></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="1"><xf/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
            + "</sst>"
        ),
        "xl/worksheets/sheet1.xml": "".join(sheet),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, XML_DECLARATION + text)


class Phases:
    """Times the steps of `registry.run_import` while the command runs them."""

    def __init__(self):
        from tochuc.imports import registry
        from tochuc.lib import xlsx

        self.importer = registry.get("members")
        self.xlsx = xlsx
        self.times: dict[str, float] = {}

    def wrap(self, owner, name: str, label: str):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.times[label] = time.perf_counter() - started

        setattr(owner, name, timed)
        return lambda: setattr(owner, name, original)

    def __enter__(self):
        self.restore = [
            self.wrap(self.xlsx, "read_table", "read"),
            self.wrap(self.importer, "plan", "plan"),
            self.wrap(self.importer, "apply", "write"),
        ]
        return self

    def __exit__(self, *exc):
        for restore in self.restore:
            restore()
        # The instance attributes shadowed the class's methods: drop them.
        self.importer.__dict__.pop("plan", None)
        self.importer.__dict__.pop("apply", None)


COUNTED_TABLES = ("members_affiliation", "members_member", "members_memberevent",
                  "organizations_organizationversion", "organizations_organization")  # fmt: skip


def change_triggers(*, on: bool) -> None:
    """Switch the summary's change triggers (statistics 0003) on or off, to time the import
    with and without them in the same run (same machine load)."""
    import importlib

    from django.db import connection

    if not any("count_change" in t for t in connection.introspection.table_names()):
        return  # a schema without the triggers
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in COUNTED_TABLES:
                cursor.execute(f"ALTER TABLE {table} {'ENABLE' if on else 'DISABLE'} TRIGGER USER")
        return
    triggers = importlib.import_module("tochuc.statistics.migrations.0003_count_change_triggers")
    with connection.cursor() as cursor:
        for statement in triggers.sqlite_drop():
            cursor.execute(statement)
        if on:
            for statement in triggers.sqlite_create():
                cursor.execute(statement)


def timed_import(path: Path) -> dict[str, float]:
    """`tochuc import members FILE` in a process of its own, as an operator runs it; the
    total is the process's wall time (start-up included), the phases are timed inside."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--import-once", str(path)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    total = time.perf_counter() - started
    phases = json.loads(done.stdout.strip().splitlines()[-1])
    # The command's own time: the queued refresh (timed after it, in the same process) apart.
    return {**phases, "total": total - phases.get("refresh", 0.0)}


def import_once(path: Path) -> None:
    """What `tochuc import members FILE` does (cli.main), with its phases timed."""
    import io

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    import django

    django.setup()
    from django.core.management import call_command

    with Phases() as phases:
        # Random people may look like the demo's own (same birth date, a close name): the
        # likely-duplicate check runs on every row; the bench writes them anyway.
        call_command(
            "import", "members", str(path), "--duplicate-reason", "bench", stdout=io.StringIO()
        )
    # The job the import queued (a worker runs it): the summary's parts of the provinces and
    # dates the import wrote, rebuilt. Timed apart: the operator does not wait for it.
    from tochuc.statistics.tasks import refresh_summary

    started = time.perf_counter()
    refresh_summary.call()
    print(json.dumps({**phases.times, "refresh": time.perf_counter() - started}))


def _columns(model, *, with_pk: bool = False) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if with_pk or not f.primary_key]


def imported_rows() -> dict[str, tuple[list[str], list[tuple]]]:
    """What the import wrote, table by table: the members (all derived columns filled in),
    their events, affiliations and history rows — {table: (columns, rows)}. The members and
    events keep their primary keys, as the import writes them (it reserves them): the
    events and affiliations refer to them, so a load that checks the foreign keys finds
    them (once `forget_imported` has removed the originals)."""
    from django.db import connection

    from tochuc.members.models import Affiliation, Member, MemberEvent

    ids = f"SELECT id FROM {Member._meta.db_table} WHERE party_card_no LIKE %s"
    wanted = [
        (Member, "party_card_no LIKE %s", True),
        (MemberEvent, f"member_id IN ({ids})", True),
        (Affiliation, f"member_id IN ({ids})", False),
        (Member.history.model, f"id IN ({ids})", False),
    ]
    found = {}
    with connection.cursor() as cursor:
        for model, where, with_pk in wanted:
            columns = _columns(model, with_pk=with_pk)
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {model._meta.db_table} WHERE {where}", ["9%"])
            found[model._meta.db_table] = (columns, cursor.fetchall())
    return found


def forget_imported() -> None:
    """Remove what the import wrote (members whose card the file gave), for the next run."""
    from django.db import connection, transaction

    from tochuc.members.models import Affiliation, Member, MemberEvent

    # The audit entries stay: the audit table is append-only.
    history = Member.history.model
    table = Member._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        ids = f"SELECT id FROM {table} WHERE party_card_no LIKE %s"
        for model, column in ((Affiliation, "member_id"), (MemberEvent, "member_id"),
                              (history, "id")):  # fmt: skip
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {column} IN ({ids})", ["9%"])
        cursor.execute(f"DELETE FROM {table} WHERE party_card_no LIKE %s", ["9%"])


def raw_load(tables: dict[str, tuple[list[str], list[tuple]]]) -> float:
    """Seconds to load the rows into empty scratch copies of their tables (same columns and
    indexes, no foreign keys), in one transaction: COPY on PostgreSQL, executemany on
    SQLite."""
    from django.db import connection, transaction

    scratch = {table: f"bench_raw_{table}" for table in tables}
    with connection.cursor() as cursor:
        for table, copy_name in scratch.items():
            cursor.execute(f"DROP TABLE IF EXISTS {copy_name}")
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TABLE {copy_name} (LIKE {table} INCLUDING ALL)")
                continue
            cursor.execute(  # not its triggers (the summary's change triggers: named once)
                "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
                "AND type IN ('table', 'index') ORDER BY type DESC",
                [table],
            )
            for kind, sql in cursor.fetchall():  # the table first, then its indexes
                sql = sql.replace(f'"{table}"', f'"{copy_name}"')
                if kind == "index":
                    sql = sql.replace('INDEX "', f'INDEX "{copy_name}_', 1)
                cursor.execute(sql)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in tables.items():
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {scratch[table]} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {scratch[table]} ({quoted}) VALUES ({marks})", rows
                )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        for copy_name in scratch.values():
            cursor.execute(f"DROP TABLE {copy_name}")
    return elapsed


if __name__ == "__main__":
    main()
