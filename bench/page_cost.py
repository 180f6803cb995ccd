"""What a signed-in page costs the web process, in figures that do not depend on the load.

    .venv/bin/python bench/page_cost.py --database-url postgres://…/national_x \
        [--user bench_national_officer] [--requests 40] [--profile] URL…

For each URL (as the user, over django.test.Client, connection kept as the application
keeps it): the queries of a request with their time each (`connection.execute_wrapper`,
median of 20 requests), the Python function calls of 10 requests (cProfile), and the CPU
of the process per request (`time.process_time`, median of `--requests`). `--profile`
prints cProfile's top functions by cumulative and own time, `--sample` a sampling profile
(pyinstrument). With no URL: the two pages of bench.national (the member search "nguyen
van" and the page of the user's first organization).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(database_url: str) -> None:
    """Django on that database as bench.national sets it up (connections kept as the
    application keeps them)."""
    sys.path.insert(0, str(ROOT))
    from bench.national.__main__ import _setup

    _setup(database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--user", default="bench_national_officer")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sample", action="store_true", help="pyinstrument, 200 requests")
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args()
    setup(args.database_url)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from tochuc.accounts.access import Scope

    user = get_user_model().objects.get(username=args.user)
    urls = args.urls or [
        "/dang-vien/?q=nguyen+van",
        f"/to-chuc/{Scope.for_user(user).home_organizations()[0].code}/",
    ]
    client = Client()
    client.force_login(user)

    def get(url: str) -> None:
        response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)

    for url in urls:
        for _ in range(3):
            get(url)
        queries: list[tuple[float, str]] = []

        def timed(execute, sql, params, many, context, queries=queries):
            began = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append(((time.perf_counter() - began) * 1000, sql))

        with connection.execute_wrapper(timed):
            for _ in range(20):
                get(url)
        per_request = len(queries) // 20
        queries = [
            (statistics.median(queries[i + r * per_request][0] for r in range(20)), sql)
            for i, (_ms, sql) in enumerate(queries[:per_request])
        ]
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(10):
            get(url)
        profile.disable()
        calls = pstats.Stats(profile).total_calls // 10
        cpu = []
        for _ in range(args.requests):
            began = time.process_time()
            get(url)
            cpu.append((time.process_time() - began) * 1000)
        print(f"{url}: {len(queries)} queries, {calls:,} function calls, "
              f"CPU {statistics.median(cpu):.2f} ms (median of {args.requests})")  # fmt: skip
        for ms, sql in queries:
            print(f"  {ms:6.2f} ms  {sql[:150]}")
        if args.sample:
            from pyinstrument import Profiler

            sampler = Profiler(interval=0.0001)
            sampler.start()
            for _ in range(200):
                get(url)
            sampler.stop()
            print(sampler.output_text(unicode=True, show_all=False))
            if os.environ.get("PAGE_COST_FLAT"):
                print(sampler.output_text(unicode=True, flat=True, show_all=True)[:6000])
        if args.profile:
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
