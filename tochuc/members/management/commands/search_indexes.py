"""`tochuc search_indexes [--drop]`: one trigram index on the folded names of each province's
members (PostgreSQL only).

Vietnamese names are made of a few very common fragments ("nguyen", "van", "thi"), so one
trigram index over the whole nation finds a name inside a province slowly (~30× slower than
an index of that province's rows alone). The list of provinces is data, not schema, so these
partial indexes (`… USING gin (name_folded gin_trgm_ops) WHERE province_id = N`, named
`member_name_trgm_p<N>`) are made by this command rather than by a migration. Run it after
creating or importing provinces (`tochuc demo`, `tochuc import organizations`) and after a
merger of provinces; it is idempotent: it makes the missing indexes, rebuilds invalid ones
(an interrupted concurrent build), drops those of provinces no longer in the tree, and leaves
the rest alone. `--drop` drops them all. Indexes are built CONCURRENTLY, so the member table
stays writable meanwhile. On SQLite there is nothing to do: a province fits one scan.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from tochuc.members.models import Member
from tochuc.organizations.models import Kind, Organization

PREFIX = "member_name_trgm_p"


def index_name(province_id: int) -> str:
    return f"{PREFIX}{int(province_id)}"


def existing_indexes() -> dict[str, bool]:
    """This command's indexes on the member table → whether each is valid (usable)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = %s AND t.relnamespace = c.relnamespace AND c.relname LIKE %s "
            "AND pg_catalog.pg_table_is_visible(t.oid)",
            [Member._meta.db_table, PREFIX + "%"],
        )
        return dict(cursor.fetchall())


class Command(BaseCommand):
    help = "Tạo (hoặc xóa) chỉ mục tìm tên đảng viên riêng cho từng tỉnh (chỉ PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--drop", action="store_true", help="Xóa mọi chỉ mục tìm tên theo tỉnh."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write(
                "Cơ sở dữ liệu SQLite không cần chỉ mục tìm tên theo tỉnh: không làm gì."
            )
            return
        # CONCURRENTLY cannot run inside a transaction (e.g. a test); there, build plainly.
        concurrently = "" if connection.in_atomic_block else " CONCURRENTLY"
        table = connection.ops.quote_name(Member._meta.db_table)
        existing = existing_indexes()
        provinces = (
            []
            if options["drop"]
            else list(
                Organization.objects.filter(kind=Kind.PROVINCE, ended_on__isnull=True).order_by(
                    "name_sort", "id"
                )
            )
        )
        wanted = {index_name(p.pk) for p in provinces}
        with connection.cursor() as cursor:
            for name in sorted(set(existing) - wanted):
                cursor.execute(
                    f"DROP INDEX{concurrently} IF EXISTS {connection.ops.quote_name(name)}"
                )
                self.stdout.write(f"Đã xóa chỉ mục {name}.")
            if not provinces:
                if options["drop"]:
                    self.stdout.write(self.style.SUCCESS("Đã xóa các chỉ mục tìm tên theo tỉnh."))
                else:
                    self.stdout.write("Chưa có đảng bộ tỉnh nào: không có chỉ mục để tạo.")
                return
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            made = 0
            for province in provinces:
                name = index_name(province.pk)
                quoted = connection.ops.quote_name(name)
                if existing.get(name) is True:
                    self.stdout.write(f"{province.name}: đã có chỉ mục {name}.")
                    continue
                if name in existing:  # left invalid by an interrupted concurrent build
                    cursor.execute(f"DROP INDEX{concurrently} IF EXISTS {quoted}")
                began = time.perf_counter()
                cursor.execute(
                    f"CREATE INDEX{concurrently} IF NOT EXISTS {quoted} ON {table} "
                    f"USING gin (name_folded gin_trgm_ops) WHERE province_id = {int(province.pk)}"
                )
                made += 1
                self.stdout.write(
                    f"{province.name}: đã tạo chỉ mục {name} "
                    f"({time.perf_counter() - began:.1f} giây)."
                )
        self.stdout.write(
            self.style.SUCCESS(f"Chỉ mục tìm tên theo tỉnh: {len(provinces)} tỉnh, tạo mới {made}.")
        )
