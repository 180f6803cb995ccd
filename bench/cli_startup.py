"""Benchmark: how long a `tochuc` command takes to start (`tochuc help`), wall and CPU time.

    .venv/bin/python bench/cli_startup.py [--runs 5] [--no-bytecode] [-- ARGS…]

--no-bytecode reads no compiled bytecode (an empty PYTHONPYCACHEPREFIX, nothing written), as
on a checkout installed without `make install`'s compile step under PYTHONDONTWRITEBYTECODE.
The median of the runs is printed; the machine is shared, so compare runs made together.
"""

import argparse
import os
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

TOCHUC = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "tochuc"


def one_run(args: list[str], environment: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([str(TOCHUC), *args], env=environment, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-bytecode", action="store_true")
    parser.add_argument("args", nargs="*", default=["help"])
    options = parser.parse_args()
    environment = dict(os.environ)
    with tempfile.TemporaryDirectory() as empty:
        if options.no_bytecode:
            environment |= {"PYTHONPYCACHEPREFIX": empty, "PYTHONDONTWRITEBYTECODE": "1"}
        runs = [one_run(options.args, environment) for _ in range(options.runs)]
    walls = [wall for wall, _cpu in runs]
    cpus = [cpu for _wall, cpu in runs]
    print(
        f"tochuc {' '.join(options.args)}: median wall {statistics.median(walls):.2f} s, "
        f"CPU {statistics.median(cpus):.2f} s (runs: {', '.join(f'{w:.2f}' for w in walls)})"
    )


if __name__ == "__main__":
    main()
