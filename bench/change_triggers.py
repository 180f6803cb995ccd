"""Benchmark: what the summary's change triggers (statistics 0003) cost a bulk write.

On the database of DATABASE_URL (PostgreSQL, e.g. the national data set), COPY of N member
events (half admissions, half confirmations, of existing members, so the trigger finds their
affiliations and organizations) and N official affiliations (closed in 1900, so they
meet no constraint of open affiliations), with the triggers on and then off (ALTER TABLE …
DISABLE TRIGGER USER), alternately, each in a transaction rolled back. Medians.

    DATABASE_URL=postgres://…/national_fresh .venv/bin/python bench/change_triggers.py
        [--rows 70000] [--runs 3]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("members_memberevent", "members_affiliation")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=70_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.member_id, a.organization_id FROM members_affiliation a "
            "WHERE a.kind = 'official' AND a.valid_to IS NULL ORDER BY a.id LIMIT %s",
            [args.rows],
        )
        sample = cursor.fetchall()
    day = date(1990, 1, 1)
    events = [(m, "admitted" if i % 2 else "confirmed", day + timedelta(days=i % 3000))
              for i, (m, _o) in enumerate(sample)]  # fmt: skip
    # Closed in 1900: no overlap with any real affiliation (they start later).
    affiliations = [(m, o, "official", date(1900, 1, 1), date(1901, 1, 1)) for m, o in sample]

    def copy(triggers: bool) -> float:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in TABLES:
                state = "ENABLE" if triggers else "DISABLE"
                cursor.execute(f"ALTER TABLE {table} {state} TRIGGER USER")
            started = time.perf_counter()
            with cursor.copy(
                'COPY members_memberevent (member_id, type, "on", decision_no, detail, note, '
                "other_party, recorded_at) FROM STDIN"
            ) as stream:
                for member, kind, on in events:
                    stream.write_row((member, kind, on, "", "{}", "", "", "2026-12-06 00:00Z"))
            with cursor.copy(
                "COPY members_affiliation (member_id, organization_id, kind, valid_from, "
                "valid_to) FROM STDIN"
            ) as stream:
                for row in affiliations:
                    stream.write_row(row)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    times = {True: [], False: []}
    for _ in range(args.runs):
        for triggers in (True, False):
            times[triggers].append(copy(triggers))
            print(f"triggers {triggers}: {times[triggers][-1]:.2f} s", file=sys.stderr)
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"{len(events):,} sự kiện + {len(affiliations):,} nơi sinh hoạt, COPY, trung vị "
          f"{args.runs} lần; tải {os.getloadavg()[0]:.1f}")  # fmt: skip
    print("| COPY | có trigger (s) | không trigger (s) | tỉ lệ |")
    print("|---|---:|---:|---:|")
    print(f"| sự kiện + nơi sinh hoạt | {on:.2f} | {off:.2f} | {on / off:.2f}× |")


if __name__ == "__main__":
    main()
