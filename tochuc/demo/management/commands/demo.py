"""`tochuc demo [--seed N] [--small]`: a realistic demo database, built once.

Builds today's 34 provincial and 3,321 commune organizations, the Lạng Sơn province in
depth with its history since 2002 (the 1/7/2025 reorganization replayed from the real
conversion of its communes) and one account per role, then prints the accounts. On a
database that already holds the demo it changes nothing and prints the accounts again.
"""

import time
from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import Role
from tochuc.demo.builders import DEFAULT_SEED, DemoContext, accounts, build, langson
from tochuc.lib.dates import vn_date
from tochuc.organizations.models import Organization
from tochuc.organizations.selectors import subtree_counts_on


@contextmanager
def indexed_prefix_search():
    """On SQLite, let `path LIKE 'prefix%'` use the path indexes while the demo is built.

    SQLite's LIKE is case-insensitive by default and then cannot use an ordinary index, so
    every subtree lookup of the services scans the table (thousands of times here). Paths
    are digits and slashes, so case does not matter to them; nothing in the build relies
    on a case-insensitive LIKE (iexact, icontains). Restored afterwards.
    """
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA case_sensitive_like = ON")
    try:
        yield
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA case_sensitive_like = OFF")


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (cây tổ chức đảng tỉnh Lạng Sơn và các tài khoản mẫu)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"hạt giống ngẫu nhiên (mặc định {DEFAULT_SEED}); cùng hạt giống, cùng dữ liệu",
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="bản thu nhỏ để kiểm thử: Lạng Sơn và hai tỉnh, ít chi bộ",
        )

    def handle(self, *args, seed: int, small: bool, **options):
        verbosity = options.get("verbosity", 1)
        province = Organization.objects.filter(code=langson.PROVINCE_CODE).first()
        if province is not None:
            self.stdout.write(
                f"Dữ liệu mẫu đã có ({province.name}); không tạo lại, không thay đổi gì."
            )
        else:
            started = time.monotonic()
            ctx = DemoContext(
                seed=seed, small=small, write=self.stdout.write, progress=verbosity > 0
            )
            self.stdout.write(
                f"Tạo dữ liệu mẫu (hạt giống {seed}{', bản thu nhỏ' if small else ''})…"
            )
            with transaction.atomic(), indexed_prefix_search():
                build(ctx)
            self.stdout.write("Bảng tổng hợp số liệu (hôm nay và các ngày 31/12)…")
            call_command("report_counts", stdout=self.stdout if verbosity > 1 else StringIO())
            self.stdout.write(
                self.style.SUCCESS(f"Xong sau {time.monotonic() - started:.0f} giây.")
            )
            province = Organization.objects.get(code=langson.PROVINCE_CODE)
        self.stdout.write("")
        self.stdout.write(self.summary(province))
        self.stdout.write("")
        self.stdout.write("Tài khoản mẫu (mật khẩu chung: tochuc2025):")
        self.stdout.write(accounts.table())

    def summary(self, province: Organization) -> str:
        admin = accounts.User.objects.filter(grants__role=Role.ADMIN, username="admin").first()
        scope = Scope.for_user(admin) if admin else None
        if scope is None or not scope.is_admin:
            return ""
        lines = [f"{province.name}:"]
        for label, on in (
            (vn_date(langson.REPORT_DATE), langson.REPORT_DATE),
            (f"hôm nay {vn_date(timezone.localdate())}", timezone.localdate()),
        ):
            total, _ = subtree_counts_on(scope=scope, organization=province, on=on)
            lines.append(
                f"  {label}: {number(total.grassroots)} tổ chức cơ sở đảng, "
                f"{number(total.under_grassroots)} tổ chức trực thuộc đảng ủy cơ sở "
                f"({number(total.organizations)} tổ chức)"
            )
        return "\n".join(lines)
