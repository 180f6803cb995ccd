"""Benchmark: member search and deep list pages on the demo province.

Runs against the configured database (SQLite under var/ by default, PostgreSQL with
DATABASE_URL) after `tochuc demo`. Each application path — `selectors.member_list` with
`keyset_page` and the count, and the HTTP list page as the province's officer — is
measured side by side with the raw SQL that returns the same rows, in the same run;
medians and ratios are printed as a Markdown table for docs/performance.md.

    .venv/bin/python bench/members.py [--runs 15] [--page 2000]

Goals: a search page with its count within 3× the raw query; a deep list page (keyset
cursor) within 2× the first page. Rows marked "(thử)" measure the application's query
with one more condition (`province_id`), to show what the raw query's index gives. The
list has 50 rows a page; when the province has fewer pages than asked, the last page is
measured.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tochuc.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import warnings  # noqa: E402

import django  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tochuc.accounts.access import Scope  # noqa: E402
from tochuc.accounts.models import Grant  # noqa: E402
from tochuc.accounts.permissions import Role  # noqa: E402
from tochuc.lib.vntext import fold  # noqa: E402
from tochuc.members import selectors  # noqa: E402
from tochuc.members.models import ACTIVE_STATUSES, Member  # noqa: E402
from tochuc.organizations.models import Organization  # noqa: E402

PAGE = 50
SEARCHES = ("nguyen van", "hoang thi")
# The rows a list page shows (with the cell's name), and the same rows counted.
RAW_FROM = """
FROM members_member m JOIN organizations_organization o ON o.id = m.organization_id
WHERE m.province_id = %s AND m.status IN ('probationary', 'full')
"""
RAW_COLUMNS = "SELECT m.id, m.full_name, m.birth_date, m.status, m.name_sort, o.name "
RAW_ORDER = " ORDER BY m.name_sort, m.id LIMIT %s"


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


def name_condition(text: str) -> tuple[str, list]:
    """The selector's name search as SQL: every typed word starts a word of the name."""
    sql, params = "", []
    for word in fold(text).split():
        sql += " AND (m.name_folded LIKE %s OR m.name_folded LIKE %s)"
        params += [f"{word}%", f"% {word}%"]
    return sql, params


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--page", type=int, default=2000, help="trang sâu cần đo")
    parser.add_argument("--province", default="T20", help="mã tỉnh (mặc định: Lạng Sơn)")
    args = parser.parse_args()

    province = Organization.objects.filter(code=args.province).first()
    if province is None or not Member.objects.filter(province=province).exists():
        sys.exit("No members: run `tochuc demo` first.")
    grant = (
        Grant.objects.filter(role=Role.OFFICER, organization=province)
        .select_related("user")
        .first()
    )
    if grant is None:
        sys.exit("No officer of the province: run `tochuc demo` first.")
    scope = Scope.for_user(grant.user)
    client = Client()
    client.force_login(grant.user)
    everyone = selectors.MemberFilters()
    active = Member.objects.filter(province=province, status__in=ACTIVE_STATUSES).count()
    last_page = (active + PAGE - 1) // PAGE
    deep = min(args.page, last_page)

    def http(params: dict) -> None:
        response = client.get("/dang-vien/", params, secure=True)
        assert response.status_code == 200, response.status_code

    rows = []
    # (1) Search: the first page and the count.
    for text in SEARCHES:
        condition, words = name_condition(text)
        page_sql = RAW_COLUMNS + RAW_FROM + condition + RAW_ORDER
        count_sql = "SELECT count(*) " + RAW_FROM + condition
        page_params, count_params = [province.pk, *words, PAGE + 1], [province.pk, *words]

        def raw_search(sql=page_sql, count=count_sql, p=page_params, c=count_params):
            return raw(sql, p), raw(count, c)

        def app_search(text=text):
            qs = selectors.member_list(scope=scope, filters=selectors.MemberFilters(text=text))
            page = selectors.keyset_page(qs, after=None, size=PAGE)
            return page, qs.count()

        (page, total), (raw_rows, raw_count) = app_search(), raw_search()
        assert [m.pk for m in page.rows] == [r[0] for r in raw_rows[:PAGE]]
        assert total == raw_count[0][0]
        raw_ms = median_ms(raw_search, args.runs)
        rows.append((f"tìm “{text}”: trang 1 + đếm ({total} người)",
                     median_ms(app_search, args.runs), raw_ms))  # fmt: skip
        rows.append((f"tìm “{text}”: trang HTTP /dang-vien/?q=…",
                     median_ms(lambda t=text: http({"q": t}), args.runs), raw_ms))  # fmt: skip

        def app_search_by_province(text=text):
            qs = selectors.member_list(scope=scope, filters=selectors.MemberFilters(text=text))
            qs = qs.filter(province=province)
            return selectors.keyset_page(qs, after=None, size=PAGE), qs.count()

        rows.append((f"tìm “{text}”: trang 1 + đếm, nếu lọc thêm province_id (thử)",
                     median_ms(app_search_by_province, args.runs), raw_ms))  # fmt: skip

    # (2) The whole list: page 1 and a deep page, by keyset (and the OFFSET equivalent).
    offset = (deep - 1) * PAGE
    sort, last_id = raw(
        "SELECT m.name_sort, m.id " + RAW_FROM + " ORDER BY m.name_sort, m.id LIMIT 1 OFFSET %s",
        [province.pk, offset - 1],
    )[0]
    cursor = f"{sort}.{last_id}"
    first_sql = RAW_COLUMNS + RAW_FROM + RAW_ORDER
    keyset_sql = (
        RAW_COLUMNS + RAW_FROM + " AND (m.name_sort, m.id) > (%s, %s)" + RAW_ORDER
    )  # fmt: skip
    offset_sql = RAW_COLUMNS + RAW_FROM + RAW_ORDER + " OFFSET %s"
    count_sql = "SELECT count(*) " + RAW_FROM

    def raw_first():
        return raw(first_sql, [province.pk, PAGE + 1])

    def raw_deep():
        return raw(keyset_sql, [province.pk, sort, last_id, PAGE + 1])

    def raw_offset():
        return raw(offset_sql, [province.pk, PAGE + 1, offset])

    def raw_count():
        return raw(count_sql, [province.pk])

    def app_page(after=None, by_province=False):
        qs = selectors.member_list(scope=scope, filters=everyone)
        if by_province:
            qs = qs.filter(province=province)
        return selectors.keyset_page(qs, after=after, size=PAGE)

    assert [m.pk for m in app_page(cursor).rows] == [r[0] for r in raw_offset()[:PAGE]]
    assert [r[0] for r in raw_deep()] == [r[0] for r in raw_offset()]
    app_first_ms = median_ms(app_page, args.runs)
    app_deep_ms = median_ms(lambda: app_page(cursor), args.runs)
    raw_first_ms = median_ms(raw_first, args.runs)
    raw_deep_ms = median_ms(raw_deep, args.runs)
    raw_offset_ms = median_ms(raw_offset, args.runs)
    raw_count_ms = median_ms(raw_count, args.runs)
    rows += [
        ("danh sách: trang 1 (keyset)", app_first_ms, raw_first_ms),
        (f"danh sách: trang {deep} (keyset, con trỏ sâu)", app_deep_ms, raw_deep_ms),
        ("danh sách: trang 1, nếu lọc thêm province_id (thử)",
         median_ms(lambda: app_page(by_province=True), args.runs), raw_first_ms),
        (f"danh sách: trang {deep}, nếu lọc thêm province_id (thử)",
         median_ms(lambda: app_page(cursor, by_province=True), args.runs), raw_deep_ms),
        (f"danh sách: trang {deep} bằng OFFSET (SQL) / trang 1 (SQL)", raw_offset_ms,
         raw_first_ms),
        ("danh sách: trang HTTP 1 (kèm đếm)", median_ms(lambda: http({}), args.runs),
         raw_first_ms + raw_count_ms),
        (f"danh sách: trang HTTP {deep} (kèm đếm)",
         median_ms(lambda: http({"sau": cursor}), args.runs), raw_deep_ms + raw_count_ms),
    ]  # fmt: skip

    print(f"Database: {connection.vendor}; {os.cpu_count()} cores; {platform.machine()}; "
          f"runs: {args.runs}; {Member.objects.count()} member records")  # fmt: skip
    print(f"{province.name}: {active} đảng viên đang sinh hoạt, {last_page} trang × {PAGE}; "
          f"trang sâu đo: {deep}")  # fmt: skip
    print()
    print("| việc | ứng dụng (ms, trung vị) | SQL thuần (ms) | tỉ lệ |")
    print("|---|---:|---:|---:|")
    for label, app_ms, raw_ms in rows:
        print(f"| {label} | {app_ms:.1f} | {raw_ms:.2f} | {app_ms / raw_ms:.1f}× |")
    print()
    print(f"Trang {deep} / trang 1 (ứng dụng, keyset): {app_deep_ms / app_first_ms:.2f}× "
          f"(mục tiêu ≤ 2×); bằng OFFSET (SQL): {raw_offset_ms / raw_first_ms:.1f}×.")  # fmt: skip


if __name__ == "__main__":
    main()
