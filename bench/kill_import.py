"""Fault test: `kill -9` of an import in the middle of its run leaves nothing partial.

In a scratch SQLite database (TOCHUC_VAR_DIR=/tmp/tochuc-kill, or --var), builds two
provinces' worth of parents, writes an organizations file of --rows new cells, times one
complete import (on a copy), then --runs times: restores the baseline, starts `tochuc import
organizations FILE` as an operator would, kills it with SIGKILL at a random moment between
10 % and 95 % of the complete run's duration, and checks that the database holds either
none of the file's rows or all of them (never some), that the import left no audit entry
unless it completed, and that `PRAGMA integrity_check` says ok.

    .venv/bin/python bench/kill_import.py [--rows 5000] [--runs 10] [--seed 1]

Prints one line per run and a result line:
    kill -9: 10/10 runs left nothing partial (9 killed before the commit, 1 after)
"""

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOCHUC = str(ROOT / ".venv" / "bin" / "tochuc")
PREFIX = "KILL."


def env_for(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"TOCHUC_VAR_DIR": str(var), "DEBUG": "1", "PYTHONUNBUFFERED": "1"}
    return env


def prepare(var: Path, rows: int) -> Path:
    """A migrated database with a province and a commune; the file of `rows` new cells."""
    if var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True)
    subprocess.run([TOCHUC, "migrate", "--no-input", "-v", "0"], env=env_for(var), check=True)
    script = f"""
from datetime import date
from tochuc.testing import found
from tochuc.organizations.models import Kind
from tochuc.imports.tests.files import xlsx_bytes, organization_row
province = found("{PREFIX}T", "Đảng bộ tỉnh Thử", Kind.PROVINCE, on=date(1950, 1, 1))
commune = found("{PREFIX}T.X", "Đảng bộ xã Thử", Kind.COMMUNE, province)
rows = [organization_row(f"{PREFIX}T.X.{{n:06d}}", f"Chi bộ thôn số {{n}}", "base_cell",
                         commune.code, "01/09/2025") for n in range({rows})]
open("{var}/file.xlsx", "wb").write(xlsx_bytes(rows))
"""
    subprocess.run([TOCHUC, "shell", "-c", script], env=env_for(var), check=True)
    return var / "file.xlsx"


def count(db: Path) -> tuple[int, int, str]:
    with sqlite3.connect(db) as connection:
        cells = connection.execute(
            "SELECT count(*) FROM organizations_organization WHERE code LIKE ?",
            (f"{PREFIX}T.X.%",),
        ).fetchone()[0]
        audits = connection.execute(
            "SELECT count(*) FROM core_auditentry WHERE action = 'tochuc.import.organizations'"
        ).fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    return cells, audits, integrity


def run_import(var: Path, file: Path, kill_after: float | None) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [TOCHUC, "import", "organizations", str(file)],
        env=env_for(var),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if kill_after is None:
        process.wait()
    else:
        try:
            process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--var", type=Path, default=Path("/tmp/tochuc-kill"))
    args = parser.parse_args()
    random.seed(args.seed)
    baseline_var = args.var / "baseline"
    file = prepare(baseline_var, args.rows)
    db = baseline_var / "tochuc.sqlite3"
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    work = args.var / "work"
    shutil.copytree(baseline_var, work, dirs_exist_ok=True)
    full = run_import(work, file, None)
    cells, audits, _ok = count(work / "tochuc.sqlite3")
    assert (cells, audits) == (args.rows, 1), f"the complete import wrote {cells} rows"
    print(f"complete import of {args.rows} rows: {full:.1f} s")

    clean = before = after = 0
    for run in range(1, args.runs + 1):
        shutil.rmtree(work)
        shutil.copytree(baseline_var, work)
        at = random.uniform(0.10, 0.95) * full
        run_import(work, file, at)
        cells, audits, integrity = count(work / "tochuc.sqlite3")
        whole = (cells, audits) in ((0, 0), (args.rows, 1)) and integrity == "ok"
        clean += whole
        before += cells == 0
        after += cells == args.rows
        verdict = "ok" if whole else "PARTIAL"
        print(f"run {run}: killed at {at:.1f} s: {cells} rows, {audits} audit, "
              f"integrity {integrity}: {verdict}")  # fmt: skip
    print(
        f"kill -9: {clean}/{args.runs} runs left nothing partial "
        f"({before} killed before the commit, {after} after)"
    )
    return 0 if clean == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
