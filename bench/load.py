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
SIGNED_IN: list[str] = []  # one entry per user whose login finished


def accounts(limit: int = 60) -> list[dict]:
    """Demo users with an officer or viewer grant, each with pages of their scope."""
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
    args = parser.parse_args()

    ACCOUNTS.extend(accounts())
    if not ACCOUNTS:
        raise SystemExit("No demo accounts: run `tochuc demo` first.")
    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "tochuc.wsgi",
         "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
         "--access-logfile", "/dev/null", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **SERVER_ENV},
    )  # fmt: skip
    try:
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
        gevent.sleep(args.seconds)
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
        for name, entry in sorted(env.stats.entries.items()):
            print(f"  {name[1]} {name[0]}: {entry.num_requests} requests, "
                  f"p95 {entry.get_response_time_percentile(0.95):.0f} ms, "
                  f"{entry.num_failures} errors")  # fmt: skip
        return 0 if errors == 0 and login_errors == 0 else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
