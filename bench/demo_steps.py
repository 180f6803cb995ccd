"""Benchmark: where `tochuc demo` spends its time, step by step, and what it writes.

In a scratch SQLite database (a fresh TOCHUC_VAR_DIR; or the PostgreSQL database of
DATABASE_URL, which must be empty), times `tochuc migrate`, then each step of
`demo.builders.STEPS` as `tochuc demo` runs them (one transaction, the same SQLite pragma),
then the summary tables (`report_counts`), and counts the rows of every table afterwards,
so that two trees can be compared: the same rows, in less time.

    .venv/bin/python bench/demo_steps.py [--var /tmp/demo-steps] [--rows rows.json]
        [--profile "Đảng viên" | --profile "*"]

`--rows FILE` writes the table counts as JSON (compare two trees with `diff`); `--profile
TITLE` runs that step (`*`: every step) under pyinstrument and prints its call tree.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", help="scratch TOCHUC_VAR_DIR (emptied first)")
    parser.add_argument("--rows", help="write the row counts of every table to this JSON file")
    parser.add_argument("--profile", default="", help="the title of a step to profile, or *")
    parser.add_argument("--steps", type=int, default=0, help="run only the first N steps")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        var = Path(args.var or tempfile.mkdtemp(prefix="demo-steps-"))
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        os.environ["TOCHUC_VAR_DIR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from tochuc.demo.builders import STEPS, DemoContext
    from tochuc.demo.management.commands.demo import indexed_prefix_search

    # Wall time, and this process's CPU time: on a shared machine the second is the figure
    # to compare (SQLite runs in this process; on PostgreSQL the server's time is left out).
    timings = [("khởi động Django", time.perf_counter() - started, time.process_time())]

    def timed(label, func):
        began, cpu = time.perf_counter(), time.process_time()
        func()
        timings.append((label, time.perf_counter() - began, time.process_time() - cpu))
        print(f"  {label}: {timings[-1][1]:.1f} s, CPU {timings[-1][2]:.1f} s", file=sys.stderr,
              flush=True)  # fmt: skip

    timed("migrate", lambda: call_command("migrate", verbosity=0))
    ctx = DemoContext(write=lambda text: None, progress=False)
    with transaction.atomic(), indexed_prefix_search():
        for title, step in STEPS[: args.steps or None]:
            if args.profile in (title, "*"):
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.002)
                profiler.start()
                timed(title, lambda step=step: step(ctx))
                profiler.stop()
                print(profiler.output_text(unicode=True, show_all=False), file=sys.stderr)
            else:
                timed(title, lambda step=step: step(ctx))
    if not args.steps:
        timed(
            "Bảng tổng hợp (report_counts)",
            lambda: call_command("report_counts", stdout=StringIO()),
        )
    data = sum(wall for _label, wall, _cpu in timings[2:])
    data_cpu = sum(cpu for _label, _wall, cpu in timings[2:])
    print(f"{'bước':<40} {'thực (s)':>9} {'CPU (s)':>9}")
    for label, wall, cpu in timings:
        print(f"{label:<40} {wall:9.1f} {cpu:9.1f}")
    print(f"{'dữ liệu mẫu (các bước + tổng hợp)':<40} {data:9.1f} {data_cpu:9.1f}")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.rows:
        counts = {}
        with connection.cursor() as cursor:
            for table in sorted(connection.introspection.table_names()):
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
        Path(args.rows).write_text(json.dumps(counts, indent=1, sort_keys=True) + "\n")
        print(f"{sum(counts.values()):,} rows in {len(counts)} tables → {args.rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
