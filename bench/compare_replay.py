"""Benchmark: the checking of the events import (the in-memory replay) in two trees.

`bench/compare_trees.py` imports the whole history in both trees run after run (about
eight minutes a run on 70,000 members); this one prepares, once per tree, a SQLite
database with the organizations, their events and the members imported, then in each run
copies it and times only what differs between the trees: the `events` import's check
(`Importer.plan` on each events file, nothing written) and, inside it,
`bulk_events.replay_events` (loading the stored timelines and replaying the new events).
Wall time and the process's CPU time are both kept: on a shared machine the CPU time
moves less with the load. The trees run alternately, the first one changing each run.

    git worktree add --detach /tmp/old-tree OLD_COMMIT
    .venv/bin/python bench/compare_replay.py /tmp/old-tree . FILES_DIR [--members 70000]
        [--runs 3]

FILES_DIR: the files `bench/import_history.py` generates (written there first, for
`--members` members, when it holds none).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

WORK = Path(os.environ.get("BENCH_WORK") or "/tmp/bench-replay")
PREPARED = ("organizations", "org-events", "members")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("files", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--members", type=int, default=70_000)
    parser.add_argument("--worker", choices=("prepare", "check"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.files.resolve())
        return
    trees = {"old": Path(args.old).resolve(), "new": Path(args.new).resolve()}
    if not (args.files / "members.xlsx").exists():
        args.files.mkdir(parents=True, exist_ok=True)
        bench = trees["new"] / "bench" / "import_history.py"
        code = (f"import runpy, pathlib; runpy.run_path({str(bench)!r})['generate_files']"
                f"(pathlib.Path({str(args.files.resolve())!r}), {args.members})")  # fmt: skip
        subprocess.run([sys.executable, "-c", code], cwd=trees["new"], check=True,
                       env={**os.environ, "BENCH_ROOT": str(trees["new"])})  # fmt: skip
    for name, root in trees.items():
        if not (WORK / f"{name}.sqlite3").exists():
            run(name, root, "prepare", args.files)
            shutil.copy(WORK / f"var-{name}" / "tochuc.sqlite3", WORK / f"{name}.sqlite3")
    results: dict[str, list[dict]] = {name: [] for name in trees}
    for number in range(args.runs):
        order = list(trees) if number % 2 else list(trees)[::-1]
        for name in order:
            shutil.copy(WORK / f"{name}.sqlite3", WORK / f"var-{name}" / "tochuc.sqlite3")
            results[name].append(run(name, trees[name], "check", args.files))
            print(name, number + 1, json.dumps(results[name][-1]), flush=True)
    medians = {
        name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        for name, runs in results.items()
    }
    for name, values in medians.items():
        print(f"{name}: " + ", ".join(f"{key} {value:.2f} s" for key, value in values.items()))
    old, new = medians["old"], medians["new"]
    print("new / old: " + ", ".join(f"{key} {new[key] / old[key]:.2f}" for key in new))


def run(name: str, root: Path, what: str, files: Path) -> dict:
    var = WORK / f"var-{name}"
    var.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TOCHUC_VAR_DIR": str(var), "DEBUG": "0",
           "ALLOWED_HOSTS": "127.0.0.1", "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
    env.pop("TOCHUC_TESTING", None)
    env.pop("DATABASE_URL", None)
    command = [sys.executable, __file__, str(root), str(root), str(files.resolve()),
               "--worker", what]  # fmt: skip
    done = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{name} {what}: " + done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker(what: str, files: Path) -> None:
    sys.path.insert(0, os.getcwd())  # the tree to time (the worker runs in it)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    import django

    django.setup()
    from tochuc.imports import registry

    if what == "prepare":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        for name in PREPARED:
            outcome = registry.run_import(registry.get(name), str(files / f"{name}.xlsx"),
                                          scope=registry.SystemScope(), channel="cli")  # fmt: skip
            if not outcome.ok:
                sys.exit(f"{name}: {outcome.errors[:5]}")
        print(json.dumps({}))
        return
    import importlib

    from tochuc.lib import xlsx

    importer = registry.get("events")
    module = importlib.import_module(type(importer).__module__)
    replay = module.replay_events
    spent = {"replay": 0.0, "replay_cpu": 0.0}

    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return replay(*args, **kwargs)
        finally:
            spent["replay"] += time.perf_counter() - wall
            spent["replay_cpu"] += time.process_time() - cpu

    module.replay_events = timed
    tables = [
        xlsx.read_table(str(path), importer.columns, sheet_title=importer.sheet_title)
        for path in sorted(files.glob("events-*.xlsx"))
    ]
    wall, cpu = time.perf_counter(), time.process_time()
    for table in tables:
        plan = importer.plan(table, scope=registry.SystemScope())
        if plan.errors:
            sys.exit(f"refused: {plan.errors[:5]}")
    checking = {"checking": time.perf_counter() - wall, "checking_cpu": time.process_time() - cpu}
    print(json.dumps({**checking, **spent}))


if __name__ == "__main__":
    main()
