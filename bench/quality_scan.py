"""Bench: a full data-quality scan of the demo province (issue 24: under 60 s).

After `tochuc migrate` and `tochuc demo` in a throw-away TOCHUC_VAR_DIR:

    TOCHUC_VAR_DIR=/tmp/qdemo .venv/bin/python bench/quality_scan.py [--runs 3]

Each run scans the whole province (`quality.scan.scan_run`, as the background job does):
every record against the rules, every record compared for duplicates, problems and scores
stored. Prints each run and the median.

On a PostgreSQL database of `bench.national` (`DATABASE_URL=…`), `--national` scans each
province in turn (34 scans, as the background jobs would run them one after another) and
prints the total, the records per second and the largest province's time:

    DATABASE_URL=postgres://…/national .venv/bin/python bench/quality_scan.py --national --runs 1

`--only T79,T01` scans just these provinces (a measured part of the nation).

`--jobs N` (with `--national`): the provinces are queued as background jobs (`run_scan`,
largest first) and N workers (`db_worker --batch`, the code of this tree) run them, as N
`tochuc db_worker` processes would; 0 (the default) scans in this process, one after
another. Either way the bench prints the wall time, the CPU time of the Python side (this
process or its workers) and of the database backends serving this database (sampled from
/proc every second: on a shared machine, CPU time says more than wall time).

`--dump FILE` writes what the scans found — problems, pairs, the latest scores — sorted and
without ids of the scan, to compare two versions of the scan on the same data (`diff`);
`--runs 0 --dump FILE` only writes it; `--expect OLD` then fails (exit 1) unless the dump
holds exactly the lines of the dump OLD (the check that a faster scan finds the same
problems, pairs and scores as before). `--no-candidates`: members among themselves only
(what the scan compared before candidates were added).
"""

import argparse
import inspect
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from tochuc.demo.builders import langson  # noqa: E402
from tochuc.members.models import Member  # noqa: E402
from tochuc.organizations.models import Organization  # noqa: E402
from tochuc.quality.models import DuplicatePair, OrgScore, Problem, Scan  # noqa: E402
from tochuc.quality.scan import scan_run  # noqa: E402

TREE = Path(__file__).resolve().parent.parent
CANDIDATES = "with_candidates" in inspect.signature(scan_run).parameters


def _scan(organization, with_candidates: bool = True) -> tuple[float, Scan]:
    scan = Scan.objects.create(
        organization=organization, org_path=organization.path, state=Scan.State.QUEUED,
        on=timezone.localdate(),
    )  # fmt: skip
    started = time.perf_counter()
    if CANDIDATES:
        scan_run(scan, with_candidates=with_candidates)
    else:
        scan_run(scan)
    return time.perf_counter() - started, scan


class BackendCPU:
    """CPU seconds of the PostgreSQL backends connected to this database (this process's
    and the workers'), read from /proc every second while running; the machine's other
    databases are not counted."""

    def __init__(self):
        self.seen: dict[int, float] = {}
        self.tick = os.sysconf("SC_CLK_TCK")
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _read(self, pids) -> None:
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seen[pid] = max(self.seen.get(pid, 0.0),
                                 (int(fields[11]) + int(fields[12])) / self.tick)  # fmt: skip

    def _pids(self) -> list[int]:
        import psycopg

        settings = connection.settings_dict
        with psycopg.connect(
            host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
            password=settings["PASSWORD"], dbname=settings["NAME"], autocommit=True,
        ) as conn:  # fmt: skip
            while not self.stop.is_set():
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                ).fetchall()
                self._read([pid for (pid,) in rows])
                self.stop.wait(1.0)

    def _run(self) -> None:
        try:
            self._pids()
        except Exception as error:  # the bench goes on without it
            print(f"(backend CPU not sampled: {error})", flush=True)

    def __enter__(self):
        if connection.vendor == "postgresql":
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


def _cpu_self() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _in_workers(roots: list, jobs: int, sizes: dict) -> list[Scan]:
    """Queue a scan of each root as a background job, largest first, and run `jobs`
    workers of this tree until the queue is empty."""
    from django_tasks_db.models import DBTaskResult

    from tochuc.quality.tasks import run_scan

    waiting = DBTaskResult.objects.ready().count()
    if waiting:
        print(f"({waiting} other jobs waiting in the queue: the workers run them too)")
    scans = []
    for root in sorted(roots, key=lambda r: -sizes.get(r.pk, 0)):
        scan = Scan.objects.create(
            organization=root, org_path=root.path, state=Scan.State.QUEUED,
            on=timezone.localdate(),
        )  # fmt: skip
        run_scan.enqueue(scan_id=scan.pk)
        scans.append(scan)
    env = {**os.environ, "PYTHONPATH": str(TREE), "DJANGO_SETTINGS_MODULE": "tochuc.settings"}
    command = [sys.executable, "-m", "django", "db_worker", "--batch", "--no-startup-delay",
               "--interval", "0.2"]  # fmt: skip
    workers = [
        subprocess.Popen(
            [*command, "--worker-id", f"bench-{i}"], env=env, cwd=TREE, stdout=subprocess.DEVNULL
        )  # fmt: skip
        for i in range(jobs)
    ]
    for worker in workers:
        worker.wait()
    return [Scan.objects.get(pk=scan.pk) for scan in scans]


def national(runs: int, only: str = "", jobs: int = 0, with_candidates: bool = True) -> int:
    roots = Organization.objects.filter(parent__isnull=True).order_by("code")
    if only:
        roots = roots.filter(code__in=only.split(","))
    roots = list(roots)
    total = Member.objects.count()
    how = f"{jobs} background workers" if jobs else "one after another in this process"
    print(f"{total:,} records in the database; scanning {len(roots)} provinces, {how}")
    print(f"load average at start: {os.getloadavg()}", flush=True)
    sizes = {}
    if jobs:  # the largest provinces are queued first (counted before the clock starts)
        sizes = dict(
            Member.objects.filter(province__in=roots)
            .values_list("province_id")
            .annotate(n=Count("id"))
            .values_list("province_id", "n")
        )
    totals = []
    for run in range(runs):
        if jobs:
            cpu_before = _cpu_self()
            started = time.perf_counter()
            with BackendCPU() as backends:
                scans = _in_workers(roots, jobs, sizes)
            elapsed = time.perf_counter() - started
            failed = [s for s in scans if s.state != Scan.State.DONE]
            records = sum(s.records for s in scans)
            largest = max((s.seconds or 0, s.records, s.organization.code) for s in scans)
            print(
                f"run {run + 1}: {elapsed:.1f} s wall for {len(roots)} provinces — {records:,} "
                f"active records ({records / elapsed:,.0f}/s), "
                f"{sum(s.problems for s in scans):,} with problems, "
                f"{sum(s.pairs for s in scans):,} open pairs; largest {largest[2]}: "
                f"{largest[1]:,} records in {largest[0]:.1f} s; {len(failed)} failed; "
                f"CPU: workers {_cpu_self() - cpu_before:.1f} s, database backends "
                f"{backends.seconds:.1f} s; load average at end: {os.getloadavg()}",
                flush=True,
            )
            totals.append(elapsed)
            continue
        elapsed, records, problems, pairs, largest = 0.0, 0, 0, 0, (0.0, 0, "")
        cpu_before = _cpu_self()
        backends = BackendCPU().__enter__()
        for root in roots:
            seconds, scan = _scan(root, with_candidates)
            elapsed += seconds
            records += scan.records
            problems += scan.problems
            pairs += scan.pairs
            largest = max(largest, (seconds, scan.records, root.code))
            print(f"  {root.code}: {scan.records:,} active records in {seconds:.1f} s "
                  f"(so far {records:,} in {elapsed:.1f} s)", flush=True)  # fmt: skip
        totals.append(elapsed)
        backends.__exit__()
        print(
            f"run {run + 1}: {elapsed:.1f} s for {len(roots)} provinces — {records:,} active "
            f"records ({records / elapsed:,.0f}/s), {problems:,} with problems, {pairs:,} open "
            f"pairs; largest {largest[2]}: {largest[1]:,} records in {largest[0]:.1f} s; "
            f"CPU: this process {_cpu_self() - cpu_before:.1f} s, database backends "
            f"{backends.seconds:.1f} s; load average at end: {os.getloadavg()}",
            flush=True,
        )
    if totals:
        print(f"median of {len(totals)}: {statistics.median(totals):.1f} s")
    return 0


def dump(path: str) -> None:
    """What the scans found, sorted, without the scans' own ids (see the module)."""
    latest = Scan.objects.filter(state=Scan.State.DONE).order_by("-id").first()
    lines = []
    problems = Problem.objects.values_list("member_id", "organization_id", "org_path", "kind",
                                           "detail")  # fmt: skip
    for row in problems.iterator(chunk_size=10000):
        lines.append("problem\t" + "\t".join(map(str, row[:4])) + "\t"
                     + json.dumps(row[4], sort_keys=True))  # fmt: skip
    names = ["first_id", "second_pk", "org_path", "other_path", "score", "evidence", "state"]
    for *row, candidate in DuplicatePair.objects.values_list(
        *names, "candidate_id" if CANDIDATES else "first_id"
    ):
        with_candidate = [f"QC {candidate}"] if CANDIDATES and candidate else []
        lines.append("pair\t" + "\t".join(map(str, [*row, *with_candidate])))
    if latest is not None:
        scores = OrgScore.objects.filter(scan=latest).values_list(
            "organization_id", "parent_id", "records", "clean", "by_kind"
        )
        for *row, by_kind in scores.iterator(chunk_size=10000):
            lines.append("score\t" + "\t".join(map(str, row)) + "\t"
                         + json.dumps(by_kind, sort_keys=True))  # fmt: skip
    lines.sort()
    Path(path).write_text("\n".join(lines) + "\n")
    print(f"{len(lines):,} lines written to {path}")


def same_as(path: str, expected: str) -> bool:
    """The dump at `path` holds the same lines as the one at `expected` (printed)."""
    mine = set(Path(path).read_text().splitlines())
    theirs = set(Path(expected).read_text().splitlines())
    if mine == theirs:
        print(f"the same {len(mine):,} problems, pairs and scores as {expected}")
        return True
    print(f"DIFFERENT from {expected}: {len(mine - theirs):,} lines only here, "
          f"{len(theirs - mine):,} only there; e.g. {sorted(mine ^ theirs)[:3]}")  # fmt: skip
    return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--only", default="", help="--national: these provinces (T01,T79)")
    parser.add_argument("--jobs", type=int, default=0, help="--national: background workers")
    parser.add_argument("--dump", default="", help="write what was found to this file")
    parser.add_argument("--no-candidates", action="store_true")
    parser.add_argument("--expect", default="", help="--dump: fail unless it equals this dump")
    args = parser.parse_args()
    if args.national:
        national(args.runs, args.only, args.jobs, not args.no_candidates)
        if args.dump:
            dump(args.dump)
        return 0 if not args.expect or same_as(args.dump, args.expect) else 1
    province = Organization.objects.get(code=langson.PROVINCE_CODE)
    records = Member.objects.filter(province=province).count()
    times = []
    for run in range(args.runs):
        cpu = time.process_time()
        elapsed, scan = _scan(province, with_candidates=not args.no_candidates)
        times.append(elapsed)
        print(
            f"run {run + 1}: {elapsed:.1f} s (CPU {time.process_time() - cpu:.1f} s) — "
            f"{records:,} records, {scan.records:,} active, {scan.problems:,} with problems, "
            f"{scan.pairs:,} open pairs; load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    if times:
        print(f"median of {len(times)}: {statistics.median(times):.1f} s")
    if args.dump:
        dump(args.dump)
    return 0 if not args.expect or same_as(args.dump, args.expect) else 1


if __name__ == "__main__":
    sys.exit(main())
