"""Measure: the demo step of the monthly briefings (programmes/demo.py `seed_briefings`),
on the demo database, median of N runs, each in a transaction rolled back.

    TOCHUC_VAR_DIR=/tmp/demo .venv/bin/tochuc migrate
    TOCHUC_VAR_DIR=/tmp/demo .venv/bin/tochuc demo
    TOCHUC_VAR_DIR=/tmp/demo .venv/bin/python bench/briefings.py [runs]

Prints each run's seconds, the median, and a digest of the briefings' figures and texts so
that two versions of the code can be compared: same digest, same briefings.
"""

import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from tochuc.organizations.models import Organization  # noqa: E402
from tochuc.programmes.demo import seed_briefings  # noqa: E402
from tochuc.programmes.models import Briefing  # noqa: E402

COMMUNE = "T20.X06421"  # the demo commune (xã Thiện Tân)


class Rollback(Exception):
    pass


def once() -> tuple[float, str]:
    commune = Organization.objects.get(code=COMMUNE)
    digest = ""
    try:
        with transaction.atomic():
            Briefing.objects.filter(organization=commune).delete()
            started = time.perf_counter()
            made = seed_briefings(commune, today=timezone.localdate())
            elapsed = time.perf_counter() - started
            rows = Briefing.objects.filter(organization=commune).order_by("month")
            data = [(str(b.month), b.figures, b.text) for b in rows]
            digest = hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()
            print(f"  {made} briefings in {elapsed:.2f} s (digest {digest[:16]})")
            raise Rollback
    except Rollback:
        pass
    return elapsed, digest


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    results = [once() for _n in range(runs)]
    print(f"median {statistics.median(r[0] for r in results):.2f} s over {runs} runs")
    return 0 if len({r[1] for r in results}) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
