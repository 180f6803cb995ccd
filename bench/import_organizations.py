"""Benchmark: the organizations import of a whole province (about 7,600 rows).

For each database (SQLite under a scratch TOCHUC_VAR_DIR, PostgreSQL in a scratch database
`tochuc_orgimport_bench_<pid>` created here and dropped afterwards) a worker process migrates an
empty database, then for each run writes a realistic province file — one provincial
organization, 100 communes each with 22 village/residential cells and 5 grassroots
committees of 9 cells, 5 blocs with their grassroots organizations: 7,616 rows — under a
new province code, and times the import end to end through the service the CLI and the
web job call (`imports.registry.run_import`: read, check every row, write in one
transaction, audit), split into read+check and write. Each run imports a new province into
the same database, so later runs see the earlier provinces' rows as a real database would.

Medians of the runs are printed as a Markdown table for docs/performance.md.

    .venv/bin/python bench/import_organizations.py [--runs 3] [--communes 100]
        [--databases sqlite,postgres] [--postgres postgres://postgres@127.0.0.1:5432]
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = f"tochuc_orgimport_bench_{os.getpid()}"

VILLAGES = ["Nà", "Khuổi", "Bản", "Pác", "Nà Lầm", "Còn", "Phai", "Co", "Lũng", "Hợp"]
WORDS = ["Thành", "Tân", "Hòa", "Bình", "Phú", "Lộc", "Yên", "Minh", "Hưng", "Đông", "Tây",
         "Quang", "Trung", "Hồng", "Vân", "Thiện", "Tràng", "Bắc", "Nam", "Xuân"]  # fmt: skip
AGENCIES = ["Trường Tiểu học", "Trường THCS", "Trạm Y tế", "Công an xã", "Ban Chỉ huy Quân sự",
            "UBND xã", "Hợp tác xã", "Trường Mầm non"]  # fmt: skip
FOUNDED = "01/07/2025"
DECIDED = "25/06/2025"


def province_rows(prefix: str, communes: int) -> list[list[str]]:
    """A province's organizations as the template's rows (code, name, kind, parent, type,
    admin unit, founded, decision no, decision date)."""
    rows = []

    def add(code, name, kind, parent, kind_of_base=""):
        rows.append([code, name, kind, parent, kind_of_base, "", FOUNDED, "125-QĐ/TU", DECIDED])

    add(prefix, f"Đảng bộ tỉnh {prefix}", "province", "")
    for c in range(1, communes + 1):
        commune = f"{prefix}.X{c:03d}"
        place = f"{WORDS[c % len(WORDS)]} {WORDS[(c * 7) % len(WORDS)]}"
        add(commune, f"Đảng bộ xã {place} {c}", "commune", prefix)
        for v in range(1, 23):
            kind_of_base = "thon_ban" if v % 3 else "to_dan_pho"
            add(f"{commune}.T{v:02d}", f"Chi bộ thôn {VILLAGES[v % len(VILLAGES)]} {v}",
                "base_cell", commune, kind_of_base)  # fmt: skip
        for b in range(1, 6):
            base = f"{commune}.B{b}"
            add(base, f"Đảng bộ {AGENCIES[b % len(AGENCIES)]} {place}", "base_committee",
                commune, "hanh_chinh")  # fmt: skip
            for k in range(1, 10):
                add(f"{base}.C{k}", f"Chi bộ {k}", "cell", base)
    for b in range(1, 6):
        bloc = f"{prefix}.K{b}"
        add(bloc, f"Đảng bộ Khối {b}", "bloc", prefix)
        for g in range(1, 41):
            add(f"{bloc}.G{g:02d}", f"Chi bộ cơ quan {g}", "base_cell", bloc, "hanh_chinh")
        for g in range(1, 3):
            base = f"{bloc}.D{g}"
            add(base, f"Đảng bộ cơ quan {g}", "base_committee", bloc, "hanh_chinh")
            sub = f"{base}.P1"
            add(sub, "Đảng bộ bộ phận 1", "sub_committee", base)
            for k in range(1, 10):
                add(f"{sub}.C{k}", f"Chi bộ {k}", "cell", sub)
    return rows


def write_file(path: Path, importer, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(importer.sheet_title))
    sheet.append([str(c.header) for c in importer.columns])
    for row in rows:
        sheet.append(row)
    book.save(path)


# ---------------------------------------------------------------- worker


def worker(runs: int, communes: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tochuc.imports import registry
    from tochuc.organizations.models import Organization

    call_command("migrate", verbosity=0)
    importer = registry.get("organizations")
    scratch = Path(tempfile.mkdtemp(prefix="imports-plugins-orgbench-"))
    results = []
    for run in range(runs):
        prefix = f"P{run + 50}"
        rows = province_rows(prefix, communes)
        path = scratch / f"{prefix}.xlsx"
        write_file(path, importer, rows)
        phases: dict[str, float] = {}

        def watch(phase, done, total, phases=phases):
            phases.setdefault(phase, time.perf_counter())

        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            outcome = registry.run_import(
                importer, path, scope=registry.SystemScope(), filename=path.name,
                watch=watch, channel="cli",
            )  # fmt: skip
        end = time.perf_counter()
        if not outcome.ok or outcome.created != len(rows):
            raise SystemExit(f"import failed: {outcome.errors[:5]} created={outcome.created}")
        if Organization.objects.filter(province__code=prefix).count() != len(rows):
            raise SystemExit("not every organization was written")
        writing = phases.get(registry.WRITING, end)
        results.append(
            {
                "rows": len(rows),
                "total": end - start,
                "check": writing - start,
                "write": end - writing,
                "queries": len(queries),
            }
        )
        print(json.dumps(results[-1]), file=sys.stderr)
    shutil.rmtree(scratch, ignore_errors=True)
    print(json.dumps(results))


# ---------------------------------------------------------------- orchestrator


def run_worker(env: dict, args) -> list[dict]:
    command = [sys.executable, __file__, "--worker", "--runs", str(args.runs),
               "--communes", str(args.communes)]  # fmt: skip
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(done.returncode)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.runs, args.communes)
        return

    table = []
    maintenance = f"--maintenance-db={args.postgres}/postgres"
    for database in args.databases.split(","):
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TOCHUC_TESTING")}
        scratch = None
        if database == "sqlite":
            scratch = tempfile.mkdtemp(prefix="imports-plugins-orgbench-var-")
            env["TOCHUC_VAR_DIR"] = scratch
        else:
            url = f"{args.postgres}/{BENCH_DB}"
            subprocess.run(["dropdb", "--if-exists", maintenance, BENCH_DB], check=False)
            subprocess.run(["createdb", maintenance, BENCH_DB], check=True)
            env["DATABASE_URL"] = url
        try:
            results = run_worker(env, args)
        finally:
            if scratch:
                shutil.rmtree(scratch, ignore_errors=True)
            else:
                subprocess.run(["dropdb", maintenance, BENCH_DB], check=False)
        rows = results[0]["rows"]
        median = {k: statistics.median(r[k] for r in results) for k in ("total", "check", "write")}
        table.append((database, rows, median, results[0]["queries"], len(results)))

    print(f"\nMáy: {os.cpu_count()} nhân, {platform.python_version()}, {platform.platform()}")
    print("| CSDL | Số dòng | Tổng (trung vị) | Đọc + kiểm tra | Ghi | Truy vấn | Số lần |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for database, rows, median, queries, runs in table:
        print(
            f"| {database} | {rows:,} | {median['total']:.1f} s | {median['check']:.1f} s | "
            f"{median['write']:.1f} s | {queries:,} | {runs} |"
        )


if __name__ == "__main__":
    main()
