"""Benchmark: the tree as of a date and subtree counts on the demo province.

Runs against the configured database (SQLite under var/ by default, PostgreSQL with
DATABASE_URL) after `tochuc demo`. Each application path is measured side by side with
the raw SQL that computes the same thing, in the same run; medians and ratios are printed
as a Markdown table for docs/performance.md.

    .venv/bin/python bench/tree.py [--runs 15]
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from tochuc.accounts.access import Scope  # noqa: E402
from tochuc.accounts.models import Grant  # noqa: E402
from tochuc.accounts.permissions import Role  # noqa: E402
from tochuc.organizations import selectors  # noqa: E402
from tochuc.organizations.models import Kind, Organization  # noqa: E402

RAW_COUNTS = """
SELECT kind, count(*) FROM organizations_organizationversion
WHERE path LIKE %s AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)
  AND organization_id <> %s
GROUP BY kind
"""
RAW_CHILDREN = """
SELECT id, name FROM organizations_organizationversion
WHERE parent_id = %s AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)
"""


def median_ms(func, runs: int) -> float:
    func()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def raw(sql: str, params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--province", default="T20", help="mã tỉnh (mặc định: Lạng Sơn)")
    args = parser.parse_args()

    province = Organization.objects.filter(code=args.province).first()
    if province is None:
        sys.exit("No organizations: run `tochuc demo` first.")
    commune = (
        Organization.objects.filter(parent=province, kind=Kind.COMMUNE, ended_on__isnull=True)
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )
    grant = Grant.objects.filter(role=Role.OFFICER, organization=province).first()
    officer_scope = Scope.for_user(grant.user) if grant else None
    admin_grant = Grant.objects.filter(role=Role.ADMIN).select_related("user").first()
    admin_scope = Scope.for_user(admin_grant.user)
    client = Client()
    client.force_login(admin_grant.user)

    rows = []
    for label, on in (("31/12/2020", date(2020, 12, 31)), ("hôm nay", date.today())):
        version = selectors.version_of(organization=province, on=on)
        params = (version.path + "%", on, on, province.pk)
        scopes = [("quản trị", admin_scope)]
        if officer_scope:
            scopes.append(("cán bộ tỉnh", officer_scope))
        raw_ms = raw_counts_ms = median_ms(lambda p=params: raw(RAW_COUNTS, p), args.runs)
        for scope_label, scope in scopes:
            app_ms = median_ms(
                lambda s=scope, o=on: selectors.subtree_counts_on(
                    scope=s, organization=province, on=o
                ),
                args.runs,
            )
            rows.append((f"đếm cây tỉnh tại {label} ({scope_label})", app_ms, raw_ms))
        raw_ms = median_ms(lambda o=on: raw(RAW_CHILDREN, (province.pk, o, o)), args.runs)
        app_ms = median_ms(
            lambda o=on: selectors.children_on(scope=admin_scope, organization=province, on=o),
            args.runs,
        )
        rows.append((f"cấp trực thuộc tỉnh tại {label}", app_ms, raw_ms))

        def page(o=on):
            response = client.get(
                f"/to-chuc/{province.code}/", {"ngay": o.strftime("%d/%m/%Y")}, secure=True
            )
            assert response.status_code == 200, response.status_code

        page_ms = median_ms(page, args.runs)
        rows.append(
            (f"trang tổ chức tỉnh tại {label} (HTTP) / SQL đếm + cấp trực thuộc", page_ms,
             raw_counts_ms + raw_ms)
        )  # fmt: skip
    if commune:
        version = selectors.version_of(organization=commune, on=date.today())
        params = (version.path + "%", date.today(), date.today(), commune.pk)
        raw_ms = median_ms(lambda: raw(RAW_COUNTS, params), args.runs)
        app_ms = median_ms(
            lambda: selectors.subtree_counts_on(
                scope=admin_scope, organization=commune, on=date.today()
            ),
            args.runs,
        )
        rows.append(("đếm cây một xã hôm nay", app_ms, raw_ms))

    total, _ = selectors.subtree_counts_on(
        scope=admin_scope, organization=province, on=date(2020, 12, 31)
    )
    now, _ = selectors.subtree_counts_on(scope=admin_scope, organization=province, on=date.today())
    print(f"Database: {connection.vendor}; {os.cpu_count()} cores; {platform.machine()}; "
          f"runs: {args.runs}; {Organization.objects.count()} organizations")  # fmt: skip
    print(f"{province.name}: 31/12/2020 {total.grassroots} TCCS / {total.under_grassroots} "
          f"trực thuộc; hôm nay {now.grassroots} / {now.under_grassroots}")  # fmt: skip
    print()
    print("| việc | ứng dụng (ms, trung vị) | SQL thuần (ms) | tỉ lệ |")
    print("|---|---:|---:|---:|")
    for label, app_ms, raw_ms in rows:
        print(f"| {label} | {app_ms:.1f} | {raw_ms:.2f} | {app_ms / raw_ms:.1f}× |")


if __name__ == "__main__":
    main()
