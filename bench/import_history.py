"""Benchmark: importing a ten-year history of a 70,000-member province.

The generator (`tochuc/imports/history_fixture.py`) writes the five files once: the
organizations, the organization events (founding, renaming, move, merger, dissolution),
the members with their admission, about 300,000 timeline events (2016–2025) and the
communes' admission targets. For each database and run, a worker process starts from an
empty, migrated database (SQLite under /tmp/bench-history; PostgreSQL in the scratch
database `bench_history`, created here and dropped afterwards) and imports the five files
in order through `registry.run_import`, exactly as `tochuc import NAME FILE` does, timing
each import (read, check, write). Medians of the runs are printed as Markdown for
docs/performance.md.

`--services N` also times the member services on the first N event rows (one service
call per row, as a per-event import would do), to compare with the bulk path.

    .venv/bin/python bench/import_history.py [--members 70000] [--runs 3]
        [--databases sqlite,postgres] [--postgres postgres://postgres@127.0.0.1:5432]
        [--services 2000]
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# BENCH_ROOT: the tree to import with (bench/compare_trees.py times two trees in turn).
ROOT = Path(os.environ.get("BENCH_ROOT") or Path(__file__).resolve().parent.parent)
BENCH_DB = "bench_history"
WORK = Path(os.environ.get("BENCH_WORK") or "/tmp/bench-history")
ORDER = ("organizations", "org-events", "members", "events", "targets")


def django_setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    import django

    django.setup()


# ---------------------------------------------------------------- orchestrator


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=70_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--services", type=int, default=0)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.services)
        return

    files = WORK / "files"
    shutil.rmtree(WORK, ignore_errors=True)
    files.mkdir(parents=True)
    generated = generate_files(files, args.members)
    results = []
    for database in args.databases.split(","):
        runs = []
        for run in range(args.runs):
            services = args.services if run == 0 else 0
            runs.append(run_worker(database, files, args.postgres, services))
            sys.stderr.write(f"{database} run {run + 1}: {json.dumps(runs[-1])}\n")
        results.append((database, runs))
    report(generated, results, args)


def generate_files(files: Path, members: int) -> dict:
    django_setup()
    from tochuc.imports.history_fixture import generate, split_events, workbook

    started = time.perf_counter()
    history = generate(members)
    generated = time.perf_counter() - started
    rows = {
        "organizations": history.organizations, "org-events": history.org_events,
        "members": history.members, "events": history.events, "targets": history.targets,
    }  # fmt: skip
    started = time.perf_counter()
    for name, data in rows.items():
        if name == "events":  # at most 100,000 rows a file: each member's rows in one
            for number, part in enumerate(split_events(data), start=1):
                (files / f"events-{number}.xlsx").write_bytes(workbook(name, part))
            continue
        (files / f"{name}.xlsx").write_bytes(workbook(name, data))
    written = time.perf_counter() - started
    sizes = {name: len(data) for name, data in rows.items()}
    sys.stderr.write(f"generated in {generated:.1f} s, files in {written:.1f} s: {sizes}\n")
    return {"rows": sizes, "generate_s": generated, "files_s": written}


def run_worker(database: str, files: Path, postgres: str, services: int) -> dict:
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0"}
    env.pop("TOCHUC_TESTING", None)
    env.pop("DATABASE_URL", None)
    var_dir = WORK / f"var-{database}"
    shutil.rmtree(var_dir, ignore_errors=True)
    var_dir.mkdir(parents=True)
    env["TOCHUC_VAR_DIR"] = str(var_dir)
    cleanup = []
    if database == "postgres":
        host = postgres.split("@")[-1].split(":")[0]
        pg = ["-h", host, "-U", "postgres"]
        subprocess.run(["dropdb", *pg, "--if-exists", BENCH_DB], check=True)
        subprocess.run(["createdb", *pg, BENCH_DB], check=True)
        env["DATABASE_URL"] = f"{postgres}/{BENCH_DB}"
        cleanup.append(lambda: subprocess.run(["dropdb", *pg, "--if-exists", BENCH_DB]))
    command = [sys.executable, __file__, "--worker", str(files), "--services", str(services)]
    try:
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    finally:
        for step in cleanup:
            step()
        shutil.rmtree(var_dir, ignore_errors=True)
    if done.returncode:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        sys.exit(f"worker for {database} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(generated: dict, results: list, args) -> None:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    rows = generated["rows"]
    print(f"{os.cpu_count()} cores, {mem:.0f} GiB; {platform.machine()}; runs: {args.runs}; "
          f"rows: " + ", ".join(f"{n} {rows[n]:,}" for n in ORDER))  # fmt: skip
    print(f"(generated in {generated['generate_s']:.0f} s, files written in "
          f"{generated['files_s']:.0f} s)")  # fmt: skip
    print()
    print(
        "| cơ sở dữ liệu | " + " | ".join(ORDER) + " | tổng (s) | sự kiện: đọc / kiểm tra / ghi |"
    )
    print("|---|" + "---:|" * (len(ORDER) + 2))
    for database, runs in results:
        med = {n: statistics.median(r["times"][n]["total"] for r in runs) for n in ORDER}
        total = statistics.median(sum(r["times"][n]["total"] for n in ORDER) for r in runs)
        phases = " / ".join(
            f"{statistics.median(r['times']['events'][p] for r in runs):.1f}"
            for p in ("reading", "checking", "writing")
        )
        print(f"| {database} | " + " | ".join(f"{med[n]:.1f}" for n in ORDER)
              + f" | {total:.1f} | {phases} |")  # fmt: skip
    for database, runs in results:
        first = runs[0]
        if first.get("services"):
            s = first["services"]
            per = s["seconds"] / s["events"]
            whole = per * rows["events"] / 60
            print(f"\n{database}: member services, {s['events']} event rows one by one: "
                  f"{s['seconds']:.1f} s ({per * 1000:.1f} ms/row, ≈ {whole:.0f} min for "
                  f"{rows['events']:,} rows); {s['queries_per_row']:.0f} queries/row")  # fmt: skip
        print(f"\n{database}: members {first['members']:,}, events stored {first['events']:,}")


# ---------------------------------------------------------------- worker


def worker(files: str, services: int) -> None:
    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from tochuc.imports import registry
    from tochuc.members.models import Member, MemberEvent

    call_command("migrate", verbosity=0)
    times = {}
    for name in ORDER:
        phases: dict[str, float] = {"total": 0.0}
        marks = {"at": time.perf_counter(), "phase": None}

        def watch(phase, done, total, phases=phases, marks=marks):
            now = time.perf_counter()
            if marks["phase"] is not None:
                phases[marks["phase"]] = phases.get(marks["phase"], 0) + now - marks["at"]
            marks["phase"], marks["at"] = phase, now

        paths = sorted(Path(files).glob("events-*.xlsx")) if name == "events" else [
            Path(files) / f"{name}.xlsx"
        ]  # fmt: skip
        for path in paths:
            started = time.perf_counter()
            marks["phase"] = None
            outcome = registry.run_import(
                registry.get(name), str(path), scope=registry.SystemScope(), watch=watch,
                channel="cli",
            )  # fmt: skip
            phases["total"] += time.perf_counter() - started
            watch("end", 0, 0)
            if not outcome.ok:
                sys.stderr.write("\n".join(str(e) for e in outcome.errors[:20]) + "\n")
                sys.exit(f"{path.name}: import refused")
            sys.stderr.write(f"{path.name}: {time.perf_counter() - started:.1f} s "
                             f"{outcome.summary}\n")  # fmt: skip
        times[name] = phases
    result = {
        "database": connection.vendor, "times": times, "members": Member.objects.count(),
        "events": MemberEvent.objects.count(),
    }  # fmt: skip
    if services:
        result["services"] = time_services(Path(files) / "events-1.xlsx", services)
    print(json.dumps(result))


def time_services(path: Path, limit: int) -> dict:
    """The member services, one call per event row, on the first `limit` rows of members
    whose history the bulk import has not written yet (a fresh copy of each member is
    registered first, then its rows are played)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tochuc.imports import registry
    from tochuc.lib import xlsx
    from tochuc.lib.vntext import fold
    from tochuc.members import services
    from tochuc.members.events_import import TYPES_BY_TEXT
    from tochuc.members.models import Member
    from tochuc.organizations.models import Organization
    from tochuc.transfers import services as transfers
    from tochuc.transfers.models import Transfer

    importer = registry.get("events")
    table = xlsx.read_table(str(path), importer.columns, sheet_title=importer.sheet_title)
    rows = table.rows[:limit]
    cells = {}
    copies = {}

    def cell(code):
        if code not in cells:
            cells[code] = Organization.objects.get(code=code) if code else None
        return cells[code]

    def copy_of(row):
        """A new member like the one of `row` at its admission (the imported one is done)."""
        key = row.text("party_card_no") or row.text("citizen_id")
        if key not in copies:
            source = (
                Member.objects.filter(party_card_no=key).first()
                or Member.objects.filter(citizen_id=key).first()
            )
            first = source.events.order_by("on", "id").first()
            confirmed = (
                source.events.filter(type="confirmed", decision_no="")
                .values_list("on", flat=True)
                .first()
            )
            copies[key] = services.member_register(
                organization=first.organization, admitted_on=source.admitted_on,
                ceremony_on=source.ceremony_on, confirmed_on=confirmed,
                record={"full_name": source.full_name, "gender": source.gender,
                        "birth_date": source.birth_date},
            )  # fmt: skip
        return copies[key]

    played = 0
    seconds = 0.0
    queries = 0
    with transaction.atomic():
        for row in rows:
            member = copy_of(row)
            type_ = TYPES_BY_TEXT.get(fold(row.text("type"))) or row.text("type")
            on = xlsx.cell_date(row.values.get("on"))
            other = cell(row.text("organization"))
            decision = row.text("decision_no")
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                try:
                    transfers.temporary_transfers_expire(today=on)
                    member.refresh_from_db()
                    if type_ == "confirmed":
                        services.member_confirm(member=member, on=on, decision_no=decision)
                    elif type_ == "transferred_out":
                        arrived = xlsx.cell_date(row.values.get("arrived_on"))
                        services.member_transfer(member=member, on=on, to=other,
                                                 arrived_on=arrived, decision_no=decision,
                                                 other_party=row.text("other_party"))  # fmt: skip
                    elif type_ == "transferred_in":
                        letter = transfers.OutsideLetter(decision, on, row.text("other_party"))
                        transfers.transfer_receive_from_outside(
                            organization=other, letter=letter, arrived_on=on, member=member
                        )
                    elif type_ == "temporary_out":
                        transfers.temporary_transfer_issue(
                            member=member,
                            on=on,
                            ends_on=xlsx.cell_date(row.values["ends_on"]),
                            host=other,
                            other_party=row.text("other_party"),
                            purpose="work",
                        )
                    elif type_ == "temporary_returned":
                        transfers.temporary_transfer_return(
                            transfer=member.transfers.get(state=Transfer.State.ISSUED), on=on
                        )
                    elif type_ in ("exempted", "exemption_ended"):
                        services.member_exempt(member=member, on=on, end=type_ == "exemption_ended")
                    elif type_ in ("died", "removed", "expelled", "resigned"):
                        services.member_exit(member=member, type=type_, on=on, decision_no=decision)
                    elif type_ == "readmitted":
                        services.member_readmit(
                            member=member,
                            organization=other,
                            decided_on=on,
                            consent=row.text("detail"),
                        )
                    else:
                        continue  # discipline: no member service to compare with
                except Exception as error:  # noqa: BLE001 - a sample: report and go on
                    sys.stderr.write(f"services: row {row.number}: {error}\n")
                    continue
                finally:
                    seconds += time.perf_counter() - started
            queries += len(captured.captured_queries)
            played += 1
        transaction.set_rollback(True)
    return {"events": played, "seconds": seconds, "queries_per_row": queries / max(played, 1)}


if __name__ == "__main__":
    main()
