"""Benchmark: the same generated history imported by two trees in turn (SQLite).

Used to compare the timeline engine with the bulk path it replaced: a worktree of the
old commit and this one import the files `bench/import_history.py` generates, run after
run, alternating which goes first (the machine is shared: load moves between runs). The
"checking" phase of the `events` import is the in-memory replay of 321,741 event rows;
its "writing" phase is the same code in both trees, so checking / writing also gives a
ratio that the machine's load cancels out of. Medians printed at the end.

    git worktree add --detach /tmp/old-tree OLD_COMMIT
    .venv/bin/python bench/compare_trees.py /tmp/old-tree . [--members 70000] [--runs 3]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "import_history.py"
WORK = Path("/tmp/bench-compare")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--members", type=int, default=70_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    trees = {"old": str(Path(args.old).resolve()), "new": str(Path(args.new).resolve())}
    env = {**os.environ, "BENCH_WORK": str(WORK), "PYTHONDONTWRITEBYTECODE": "1"}
    files = WORK / "files"
    if not (files / "members.xlsx").exists():
        files.mkdir(parents=True, exist_ok=True)
        call = f"m['generate_files'](__import__('pathlib').Path({str(files)!r}), {args.members})"
        run_bench(call, {**env, "BENCH_ROOT": trees["new"]})
    results = {name: [] for name in trees}
    for run in range(args.runs):
        order = list(trees.items())
        for name, root in order if run % 2 else order[::-1]:
            call = f"print(json.dumps(m['run_worker']('sqlite', Path({str(files)!r}), '', 0)))"
            out = run_bench(call, {**env, "BENCH_ROOT": root})
            result = json.loads(out.strip().splitlines()[-1])
            results[name].append(result)
            events = {k: round(v, 1) for k, v in result["times"]["events"].items()}
            print(name, run, json.dumps(events), flush=True)
    for name, runs in results.items():

        def median(phase, runs=runs):
            return statistics.median(r["times"]["events"].get(phase, 0) for r in runs)

        share = statistics.median(
            r["times"]["events"]["checking"] / r["times"]["events"]["writing"] for r in runs
        )
        print(f"{name}: events total {median('total'):.1f} s, checking {median('checking'):.1f}"
              f" s, writing {median('writing'):.1f} s, checking/writing {share:.3f}")  # fmt: skip


def run_bench(call: str, env: dict) -> str:
    code = f"import json, runpy; from pathlib import Path; m = runpy.run_path({str(BENCH)!r}); "
    done = subprocess.run([sys.executable, "-c", code + call], env=env, capture_output=True,
                          text=True)  # fmt: skip
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return done.stdout


if __name__ == "__main__":
    main()
