"""Load test: 50 users browse lists, members, organizations and reports for 2 minutes,
with locust against gunicorn on loopback. Goal (issue 8): p95 ≤ 300 ms, 0 errors.

Runs against the configured database after `tochuc demo` (the demo's officers and viewers
sign in with its password; system administrators are left out, they need a second factor):

    DEBUG=1 .venv/bin/tochuc collectstatic --no-input
    .venv/bin/python bench/load.py [--users 50] [--seconds 120] [--workers 5] [--port 8765]

Starts gunicorn with the production settings (DEBUG=0; HTTPS redirects and secure cookies
off, since loopback has no TLS), then runs locust in this process and prints one result
line, for docs/performance.md:

    load: 50 users, 120 s, 14,210 requests, 118 req/s, p50 41 ms, p95 187 ms, 0 errors (0.00 %)
"""

# locust patches the standard library with gevent: it comes first.
from locust import HttpUser, between, events, task  # noqa: I001
from locust.env import Environment

import argparse
import os
import random
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import gevent

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")

SERVER_ENV = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}
ACCOUNTS: list[dict] = []
TODAY = ""  # the application's today (Vietnam's date, set in main): not the machine's, whose
# date is the day before until 07:00 there, a date the summary table has no snapshot of
SIGNED_IN: list[str] = []  # one entry per user whose login finished


def national_accounts(count: int) -> None:
    """On the national data set (bench/national: no users): an officer at each of `count`
    provinces, then at one commune of each, with the demo password (hashed once)."""
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from tochuc.accounts.models import Grant
    from tochuc.accounts.permissions import Role
    from tochuc.demo.builders import PASSWORD
    from tochuc.organizations.models import Kind, Organization

    provinces = list(Organization.objects.filter(kind=Kind.PROVINCE).order_by("id"))
    places = provinces + [
        Organization.objects.filter(parent=p, kind=Kind.COMMUNE).order_by("id").first()
        for p in provinces
    ]
    password = make_password(PASSWORD)
    since = timezone.localdate() - timedelta(days=1)
    for place in [p for p in places if p is not None][:count]:
        user, made = get_user_model().objects.get_or_create(
            username=f"load_{place.code}".lower()[:150], defaults={"password": password}
        )
        if made:
            Grant.objects.create(user=user, role=Role.OFFICER, organization=place, valid_from=since)


def accounts(limit: int = 60, prefix: str = "") -> list[dict]:
    """Demo users with an officer or viewer grant, each with pages of their scope (only the
    usernames starting with `prefix`: on the national data, the accounts `national_accounts`
    made with the demo password, not another bench's)."""
    import django

    django.setup()
    from django.utils import timezone

    from tochuc.accounts.access import Scope
    from tochuc.accounts.models import Grant
    from tochuc.accounts.permissions import Role
    from tochuc.demo.builders import PASSWORD

    grants = (
        Grant.objects.active_on(timezone.localdate())
        .filter(role__in=[Role.OFFICER, Role.VIEWER], user__is_active=True)
        .filter(user__username__startswith=prefix)
        .select_related("user", "organization")
        .order_by("pk")[:limit]
    )
    found = []
    for grant in grants:
        scope = Scope.for_user(grant.user)
        found.append(
            {
                "username": grant.user.username,
                "password": PASSWORD,
                "root": grant.organization.code,
                "organizations": list(scope.organizations().values_list("code", flat=True)[:200]),
                "members": list(scope.members().values_list("pk", flat=True)[:500]),
            }
        )
    return [a for a in found if a["organizations"]]


class Officer(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.account = random.choice(ACCOUNTS)
        page = self.client.get("/dang-nhap/", name="/dang-nhap/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        self.client.post(
            "/dang-nhap/",
            {"username": self.account["username"], "password": self.account["password"],
             "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/dang-nhap/"},
            name="/dang-nhap/ (POST)",
        )  # fmt: skip
        SIGNED_IN.append(self.account["username"])

    def get(self, url: str, name: str) -> None:
        """A page, failed if it is an error or the login page (a lost session)."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/dang-nhap/" in response.url:
                response.failure("sent to the login page")

    @task(3)
    def member_list(self):
        query = random.choice(["", "nguyen", "tran thi", "van", "le"])
        self.get(f"/dang-vien/?q={query}", "/dang-vien/?q=…")

    @task(4)
    def member(self):
        if self.account["members"]:
            pk = random.choice(self.account["members"])
            self.get(f"/dang-vien/{pk}/", "/dang-vien/[pk]/")

    @task(3)
    def organization(self):
        code = random.choice(self.account["organizations"])
        self.get(f"/to-chuc/{code}/", "/to-chuc/[code]/")

    @task(1)
    def organization_search(self):
        self.get("/to-chuc/?q=chi+bo", "/to-chuc/?q=…")

    @task(1)
    def home(self):
        self.get("/", "/")

    @task(1)
    def reports(self):
        self.get("/bao-cao/", "/bao-cao/")

    @task(1)
    def report(self):
        """The membership report (biểu 1) of the user's organization, today."""
        self.get(f"/bao-cao/?bao_cao=membership&to_chuc={self.account['root']}&ngay={TODAY}",
                 "/bao-cao/?bao_cao=membership…")  # fmt: skip


def queue_import(rows: int, province: int = 0) -> tuple[str, object]:
    """A member file of `rows` rows for the cells of a province (the first, or the
    `province`-th: a second run writes new rows elsewhere instead of finding them all
    imported), uploaded as that province's officer (`start_import` queues it for writing:
    a worker checks and writes it)."""
    import tempfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from bench import import_members
    from tochuc.accounts.models import Grant
    from tochuc.imports import jobs, registry
    from tochuc.members.timeline import CELL_KINDS
    from tochuc.organizations.models import Organization

    grant = (
        Grant.objects.filter(user__username__startswith="load_", organization__kind="province")
        .select_related("user", "organization")
        .order_by("organization_id")[province]
    )
    cells = list(
        Organization.objects.filter(
            province_id=grant.organization_id, kind__in=CELL_KINDS, ended_on__isnull=True
        ).values_list("code", "founded_on")
    )
    path = Path(tempfile.mkdtemp()) / "dang-vien.xlsx"
    import_members.write_file(path, cells, rows)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    token = jobs.create(importer=registry.get("members"), upload=upload, user=grant.user)
    return token, grant.user


def start_import(job: tuple[str, object]) -> None:
    """Queue the prepared file for checking and writing (the worker takes it at once)."""
    from tochuc.imports import jobs

    token, user = job
    jobs.start(jobs.load(token), mode=jobs.WRITE, user=user, language="vi")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and of its children still running (gunicorn's
    workers): the work done per request, which the machine's other load doesn't inflate."""
    pids = [pid]
    try:
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def statements(*, reset: bool = False, report: bool = False) -> None:
    """PostgreSQL's statement statistics of this database (the extension pg_stat_statements
    preloaded): reset when the measured window starts; at its end, the database time spent
    and the five statements that took most of it."""
    from django.db import connection

    if connection.vendor != "postgresql" or not (reset or report):
        return
    with connection.cursor() as cursor:
        if reset:
            cursor.execute("SELECT pg_stat_statements_reset()")
            return
        mine = ("FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                "WHERE d.datname = current_database()")  # fmt: skip
        cursor.execute(f"SELECT SUM(calls), SUM(total_exec_time) {mine}")
        calls, spent = cursor.fetchone()
        print(f"database: {calls:,} statements, {spent / 1000:.1f} s")
        cursor.execute(
            f"SELECT calls, total_exec_time, LEFT(REGEXP_REPLACE(query, '\\s+', ' ', 'g'), 90) "
            f"{mine} ORDER BY total_exec_time DESC LIMIT 5"
        )
        for calls, spent, query in cursor.fetchall():
            print(f"  {spent / 1000:6.1f} s, {calls:,} calls: {query}")


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--national",
        type=int,
        default=0,
        metavar="N",
        help="make N officer accounts first (the national data set has none)",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=0,
        metavar="ROWS",
        help="start a worker and queue an import of ROWS members meanwhile",
    )
    parser.add_argument(
        "--import-province",
        type=int,
        default=0,
        metavar="K",
        help="import into the K-th province (0: the first) of the load accounts",
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        metavar="N",
        help="the worker's CPU priority as in production (docs/van-hanh.md: Nice=10); 0: none",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="PostgreSQL: the database time of the measured window (pg_stat_statements)",
    )
    args = parser.parse_args()

    if args.national:
        national_accounts(args.national)
    ACCOUNTS.extend(accounts(prefix="load_" if args.national else ""))
    global TODAY
    from django.utils import timezone

    TODAY = timezone.localdate().strftime("%d/%m/%Y")
    # The home pages' panels as the worker leaves them after the nightly summary (`tochuc
    # report_counts` queues it): the measured run starts from the production's morning.
    from tochuc.core.tasks import warm_home_panels

    started = time.perf_counter()
    warmed = warm_home_panels.call()
    print(f"panels computed ahead: {warmed} in {time.perf_counter() - started:.0f} s")
    if not ACCOUNTS:
        raise SystemExit("No demo accounts: run `tochuc demo` first.")
    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "tochuc.wsgi",
         "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
         "--access-logfile", "/dev/null", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **SERVER_ENV},
    )  # fmt: skip
    worker = job = None
    if args.import_rows:
        worker = subprocess.Popen(
            [*(["nice", "-n", str(args.worker_nice)] if args.worker_nice else []),
             str(ROOT / ".venv" / "bin" / "tochuc"), "db_worker", "--queue-name", "*",
             "--no-reload", "-v", "0"],
            cwd=ROOT, env={**os.environ, **SERVER_ENV},
        )  # fmt: skip
    try:
        if args.import_rows:
            job = queue_import(args.import_rows, args.import_province)
        wait_for(f"{host}/dang-nhap/")
        env = Environment(user_classes=[Officer], host=host, events=events)
        runner = env.create_local_runner()
        runner.start(args.users, spawn_rate=max(1, args.users // 10))
        # Logins hash a password (PBKDF2, about 0.4 s of CPU each, on purpose): they are
        # measured apart, then the browsing is measured from the moment every user is in.
        while len(SIGNED_IN) < args.users:
            gevent.sleep(0.2)
        login = env.stats.get("/dang-nhap/ (POST)", "POST")
        login_line = (f"login: {login.num_requests} logins, p50 "
                      f"{login.get_response_time_percentile(0.5):.0f} ms, p95 "
                      f"{login.get_response_time_percentile(0.95):.0f} ms, "
                      f"{login.num_failures} errors")  # fmt: skip
        login_errors = login.num_failures + env.stats.get("/dang-nhap/", "GET").num_failures
        env.stats.reset_all()
        statements(reset=args.statements)
        window = time.time()
        if job is not None:  # the import runs while the users browse, not while they log in
            start_import(job)
        web_cpu = cpu_seconds(server.pid)
        gevent.sleep(args.seconds)
        web_cpu = cpu_seconds(server.pid) - web_cpu
        runner.quit()
        print(login_line)
        total = env.stats.total
        errors = total.num_failures
        requests = total.num_requests
        print(
            f"load: {args.users} users, {args.seconds} s, {requests:,} requests, "
            f"{total.total_rps:.0f} req/s, p50 {total.get_response_time_percentile(0.5):.0f} ms, "
            f"p95 {total.get_response_time_percentile(0.95):.0f} ms, {errors} errors "
            f"({100 * errors / max(requests, 1):.2f} %)"
        )
        print(f"web CPU: {web_cpu:.1f} s in the {args.seconds} s, "
              f"{1000 * web_cpu / max(requests, 1):.0f} ms per request")  # fmt: skip
        if args.statements:
            statements(report=True)
        for name, entry in sorted(env.stats.entries.items()):
            print(f"  {name[1]} {name[0]}: {entry.num_requests} requests, "
                  f"p95 {entry.get_response_time_percentile(0.95):.0f} ms, "
                  f"{entry.num_failures} errors")  # fmt: skip
        for failure in sorted(env.stats.errors.values(), key=lambda f: -f.occurrences):
            print(f"  error: {failure.method} {failure.name}: {failure.error} "
                  f"× {failure.occurrences}")  # fmt: skip
        if job is not None:
            from tochuc.imports import jobs

            state = jobs.load(job[0])
            ended = (state["finished"] or time.time()) - window
            print(f"import: {args.import_rows:,} rows, phase {state['phase']}, "
                  f"{state['done']:,}/{state['total']:,}, queued when the measuring began, "
                  f"done {ended:.0f} s into it, "
                  f"{(state['outcome'] or {}).get('created', '—')} created")  # fmt: skip
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        return 0 if errors == 0 and login_errors == 0 else 1
    finally:
        for process in (server, worker):  # both asked first, then waited for (or killed)
            if process is not None:
                process.terminate()
        for process in (server, worker):
            if process is not None:
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    sys.exit(main())
