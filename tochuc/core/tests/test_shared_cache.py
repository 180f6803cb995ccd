"""Outside tests the cache is one for every process: a throttle counted in one web worker
is seen by the next, so running more workers does not multiply anyone's allowance."""

import json
import os
import subprocess
import sys

SETTINGS_OF = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps(settings.CACHES["default"]))
"""

SPEND = """
import django
django.setup()
from tochuc.core import throttle
print(throttle.spend("probe", user_id=7, amount=3, limit=5, window_seconds=3600))
"""


def run(code: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "TOCHUC_TESTING"}
    environment.update(DJANGO_SETTINGS_MODULE="tochuc.settings", DEBUG="0", **env)
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def test_a_postgresql_deployment_keeps_its_cache_in_the_shared_database():
    cache = json.loads(run(SETTINGS_OF, DATABASE_URL="postgres://u@db.example/tochuc"))
    assert cache["BACKEND"].endswith("DatabaseCache")


def test_two_processes_on_sqlite_spend_from_one_throttle(tmp_path):
    env = {"TOCHUC_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    cache = json.loads(run(SETTINGS_OF, **env))
    assert cache["BACKEND"].endswith("FileBasedCache")
    assert run(SPEND, **env) == "True"  # 3 of 5 in the first process
    assert run(SPEND, **env) == "False"  # 6 of 5: the second process sees the first's 3
