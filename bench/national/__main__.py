"""Command line: generate, bench, remove (see the package's doc)."""

import argparse
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    # Connections as the application keeps them (settings: CONN_MAX_AGE 60 s, with health
    # checks): the pages over HTTP reuse the connection of the raw SQL beside them, session
    # settings included. With 0, each request opened a new PostgreSQL backend (~8–12 ms,
    # and its first plans read the catalogue cold), which a running server does not do.
    sys.path.insert(0, str(ROOT))
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()


def _maintenance(database_url: str) -> tuple[str, str]:
    """The server's `postgres` database URL, and the database's name."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name or not parts.scheme.startswith("postgres"):
        sys.exit("--database-url must name a PostgreSQL database.")
    return urlunsplit(parts._replace(path="/postgres")), name


def _psql(url: str, sql: str) -> str:
    done = subprocess.run(["psql", url, "-Atc", sql], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__)
    parser.add_argument("command", choices=["generate", "bench", "remove"])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip", default="", help="bench: comma-separated parts to skip "
                        "(reports,search,pages,orgpage,dashboard,import,rebuild; "
                        "rebuild-flows,rebuild-changed: those cases of rebuild)")  # fmt: skip
    args = parser.parse_args()
    server, name = _maintenance(args.database_url)
    if args.command == "remove":
        _psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"dropped database {name}")
        return
    if args.command == "generate":
        if not _psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
            _psql(server, f'CREATE DATABASE "{name}"')
        _setup(args.database_url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from .generate import generate

        result = generate(scale=args.scale, seed=args.seed)
        print(
            f"generated: {result['organizations']:,} organizations, {result['members']:,} "
            f"members, {result['events']:,} events, {result['affiliations']:,} affiliations "
            f"in {result['seconds']:.0f} s"
        )
        return
    _setup(args.database_url)
    from .measure import run

    run(runs=args.runs, skip=set(filter(None, args.skip.split(","))))


if __name__ == "__main__":
    main()
