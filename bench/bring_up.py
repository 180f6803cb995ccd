"""Benchmark: `make demo` on a fresh clone, to the first page served, phase by phase.

Does what a user does: `git clone` this repository (its HEAD) into a scratch directory,
runs `make demo PORT=<a free port>` there, and times each phase until the login page
answers HTTP 200; then stops the web server and the worker as Ctrl+C does (SIGINT to the
process group) and checks that nothing is left running. Runs with the system Python (only
the standard library: the clone has no .venv yet).

    python3 bench/bring_up.py [--source .] [--ref COMMIT] [--dir /tmp/bring-up] [--no-uv-cache]
        [--keep] [--timeout 1800]

Phases are found by watching the processes of `make` (/proc, every 50 ms): installation
(venv, uv, `uv sync`, bytecode) until the first `tochuc` command, `migrate`, `tochuc demo`
(its own Django start included), `collectstatic` (beside them, on the other core), then
from the web server's start to the first 200. CPU is each process's user + system time
(last sample before it ended; short helpers such as `pip` are counted in the total only),
and the total is `make`'s children time (`wait4`) — the figure to compare on a shared,
loaded machine, where wall time depends on the other sessions.

`--no-uv-cache` gives `uv` an empty cache (UV_CACHE_DIR in the scratch directory; pip, which
installs uv itself, none), as on a machine that has never installed the project: every wheel
is downloaded.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOGIN_PATH = "/dang-nhap/"
TICKS = os.sysconf("SC_CLK_TCK")

# The process of each phase, by its command line: a program (its last path part) and the
# argument that follows it (`tochuc migrate`, `uv sync`, `python -m pip`…). Shells, whose
# command line names every command of a recipe, are not matched.
KINDS = {
    ("-m", "pip"): "pip (uv)",
    ("uv", "sync"): "uv sync",
    ("-m", "compileall"): "bytecode (compileall)",
    ("tochuc", "collectstatic"): "collectstatic",
    ("tochuc", "migrate"): "migrate",
    ("tochuc", "demo"): "tochuc demo",
    ("tochuc", "db_worker"): "worker",
    ("tochuc", "runserver"): "web server",
}


@dataclass
class Seen:
    kind: str
    first: float
    last: float
    cpu: float = 0.0


@dataclass
class Watch:
    started: float
    procs: dict[int, Seen] = field(default_factory=dict)

    def kind_of(self, argv: list[str]) -> str | None:
        if not argv or Path(argv[0]).name in ("sh", "bash", "make"):
            return None
        names = [Path(arg).name if "/" in arg else arg for arg in argv]
        return next(
            (KINDS[pair] for pair in zip(names, names[1:], strict=False) if pair in KINDS),
            None,
        )

    def sample(self, root: int) -> None:
        """Record every descendant of `root` now running, with its CPU so far."""
        now = time.perf_counter() - self.started
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.name))
        stack, family = [root], []
        while stack:
            pid = stack.pop()
            family.append(pid)
            stack.extend(children.get(pid, ()))
        for pid in family:
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            kind = self.kind_of(argv)
            if kind is None:
                continue
            cpu = (int(fields[11]) + int(fields[12])) / TICKS
            seen = self.procs.setdefault(pid, Seen(kind, now, now))
            seen.last, seen.cpu = now, max(seen.cpu, cpu)

    def span(self, kind: str) -> tuple[float, float, float] | None:
        """First start, last end and summed CPU of the processes of a kind."""
        seen = [s for s in self.procs.values() if s.kind == kind]
        if not seen:
            return None
        return min(s.first for s in seen), max(s.last for s in seen), sum(s.cpu for s in seen)


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def served(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(ROOT), help="the repository to clone (HEAD)")
    parser.add_argument("--ref", help="check out this commit after cloning (default: HEAD)")
    parser.add_argument("--dir", help="scratch directory (emptied first; default: a temp dir)")
    parser.add_argument("--no-uv-cache", action="store_true", help="uv with an empty cache")
    parser.add_argument("--keep", action="store_true", help="keep the clone afterwards")
    parser.add_argument("--timeout", type=float, default=1800, help="give up after (s)")
    parser.add_argument("--json", help="write the phases to this JSON file")
    args = parser.parse_args()

    scratch = Path(args.dir or tempfile.mkdtemp(prefix="bring-up-"))
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    clone = scratch / "tochuc"
    env = dict(os.environ)
    for name in ("DATABASE_URL", "TOCHUC_VAR_DIR", "TOCHUC_TESTING", "VIRTUAL_ENV"):
        env.pop(name, None)
    if args.no_uv_cache:  # and no pip cache for the `uv` wheel itself
        env["UV_CACHE_DIR"] = str(scratch / "uv-cache")
        env["PIP_NO_CACHE_DIR"] = "1"
    port = free_port()
    load_before = os.getloadavg()

    began = time.perf_counter()
    subprocess.run(
        ["git", "clone", "--quiet", "--no-hardlinks", args.source, str(clone)], check=True
    )
    if args.ref:
        subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", args.ref], check=True)
    cloned = time.perf_counter() - began
    log = (scratch / "make-demo.log").open("w")
    started = time.perf_counter()
    make = subprocess.Popen(
        ["make", "demo", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: SIGINT to it is the user's Ctrl+C
        # as from a terminal, even when this script runs in the background (SIGINT ignored)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    watch = Watch(started)
    url = f"http://127.0.0.1:{port}{LOGIN_PATH}"
    first_page = None
    while make.poll() is None and time.perf_counter() - started < args.timeout:
        watch.sample(make.pid)
        if watch.span("web server") and served(url):
            first_page = time.perf_counter() - started
            watch.sample(make.pid)
            break
        time.sleep(0.05)
    load_after = os.getloadavg()

    # Ctrl+C: the terminal sends SIGINT to the whole foreground group.
    stopped_at = time.perf_counter()
    if make.poll() is None:
        os.killpg(make.pid, signal.SIGINT)
    try:
        _pid, status, usage = os.wait4(make.pid, 0)
    except ChildProcessError:
        status, usage = make.returncode, None
    stop_wall = time.perf_counter() - stopped_at
    left = []
    for _ in range(50):  # up to 5 s for the last ones to exit (zombies are gone)
        left = [pid for pid in watch.procs if running(pid)]
        if not left:
            break
        time.sleep(0.1)
    for pid in left:  # never leave a server behind, but say so
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    log.close()

    rows = []

    def row(label, start, end, cpu):
        rows.append({"phase": label, "start": start, "wall": end - start, "cpu": cpu})

    tochuc_first = min(
        (s[0] for k in ("collectstatic", "migrate") if (s := watch.span(k))), default=None
    )
    if tochuc_first is not None:
        row("cài đặt (venv, uv, uv sync, bytecode)", 0.0, tochuc_first, None)
    for kind in ("pip (uv)", "uv sync", "bytecode (compileall)"):
        if span := watch.span(kind):
            row(f"  {kind}", *span)
    for kind in ("migrate", "tochuc demo", "collectstatic"):
        if span := watch.span(kind):
            row(kind, *span)
    web = watch.span("web server")
    if web and first_page:
        row("máy chủ web lên (đến HTTP 200 /dang-nhap/)", web[0], first_page, web[2])
    if worker := watch.span("worker"):
        rows.append({"phase": "worker (CPU đến trang đầu)", "cpu": worker[2]})

    total_cpu = usage.ru_utime + usage.ru_stime if usage else None
    print(f"nguồn: {args.source} {args.ref or 'HEAD'} → {clone}; cổng {port}; uv cache: "
          f"{'trống' if args.no_uv_cache else 'của máy'}")  # fmt: skip
    print(f"git clone: {cloned:.1f} s")
    print(f"{'giai đoạn':<44} {'bắt đầu':>8} {'thực (s)':>9} {'CPU (s)':>8}")
    for r in rows:
        start = f"{r['start']:8.1f}" if "start" in r else " " * 8
        wall = f"{r['wall']:9.1f}" if "wall" in r else " " * 9
        cpu = f"{r['cpu']:8.1f}" if r.get("cpu") is not None else " " * 8
        print(f"{r['phase']:<44} {start} {wall} {cpu}")
    if first_page is None:
        print(f"KHÔNG có trang đầu tiên (make thoát mã {make.returncode}); xem {log.name}")
    else:
        print(f"**make demo → trang đầu tiên: {first_page:.1f} s ({first_page / 60:.2f} phút)**")
    if total_cpu is not None:
        print(f"CPU của make và mọi tiến trình con (wait4): {total_cpu:.1f} s")
        # What runs one after the other (all but collectstatic and the worker, which run
        # beside it): on an idle 2-core machine, about the wall time to the first page.
        beside = sum(r["cpu"] for r in rows if r["phase"] in ("collectstatic",) or
                     r["phase"].startswith("worker"))  # fmt: skip
        path_cpu = total_cpu - beside
        print(f"CPU trên đường găng (tổng trừ collectstatic, worker): {path_cpu:.1f} s")
    print(f"dừng (SIGINT cho nhóm tiến trình): {stop_wall:.1f} s, mã thoát {status}; "
          f"còn sót: {len(left)} tiến trình")  # fmt: skip
    print(f"load average: trước {' '.join(f'{x:.1f}' for x in load_before)}, "
          f"lúc trang đầu {' '.join(f'{x:.1f}' for x in load_after)}")  # fmt: skip
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "first_page": first_page,
                    "total_cpu": total_cpu,
                    "path_cpu": path_cpu if total_cpu is not None else None,
                    "phases": rows,
                    "load": [load_before, load_after],
                    "left": len(left),
                    "uv_cache": not args.no_uv_cache,
                },
                indent=1,
            )
            + "\n"
        )
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if first_page is not None and not left else 1


if __name__ == "__main__":
    sys.exit(main())
