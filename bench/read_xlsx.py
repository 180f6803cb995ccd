"""Benchmark: reading a 70,000-row member file (`xlsx.read_table`), median of --runs.

Writes the file as Excel saves one (shared strings, a <dimension>; the same generator as
bench/import_members.py, without a database), then reads it --runs times in this process
and prints the median, the minimum and the peak memory (ru_maxrss) of the process.

    TOCHUC_TESTING=1 .venv/bin/python bench/read_xlsx.py [--rows 70000] [--runs 3]
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=70_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    import django

    django.setup()
    from bench.import_members import write_file
    from tochuc.imports import registry
    from tochuc.lib import xlsx
    from tochuc.members.models import Member

    cells = [(f"T20.X{n // 40:02d}.CB{n % 40}", None) for n in range(3_115)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dang-vien.xlsx"
        with mock.patch.object(Member, "objects") as objects:
            objects.exclude.return_value.values_list.return_value = []
            objects.values_list.return_value = []
            write_file(path, cells, args.rows)
        importer = registry.get("members")
        seconds = []
        for _ in range(args.runs):
            started = time.perf_counter()
            table = xlsx.read_table(path, importer.columns, sheet_title=importer.sheet_title)
            seconds.append(time.perf_counter() - started)
            assert len(table.rows) == args.rows, len(table.rows)
        size = path.stat().st_size / 1024 / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.rows} rows, {size:.1f} MB: median {statistics.median(seconds):.2f} s, "
        f"min {min(seconds):.2f} s over {args.runs} runs; peak RSS {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
