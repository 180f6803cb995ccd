"""The benchmarks on the national data: the application beside the raw SQL, one run.

Order matters: the live reports are measured before the summary table exists; the import
comes last (its writes make the summary stale, as any write does).

- Breakdowns (status × gender × age band): the report engine
  (`registry.build("membership", …)`) for one province and for the nation (the 34
  provinces, the application has no organization above them), live and from the summary
  table (`counts.rebuild`), cold (`counts._summed` cache cleared before each run) and warm;
  the report page over HTTP; beside the raw live SQL on the member table.
- Search in a province (the province's officer): `member_list` + `keyset_page` +
  `count_matches` (capped at 1,000 for names) and the HTTP page, beside the raw page +
  capped count, both served by the partial trigram indexes per province that
  `tochuc search_indexes` makes (made here first when missing, and left in place: they are
  part of a PostgreSQL installation).
- Deep list pages (keyset) against the first page; the OFFSET equivalent.
- Summary rebuild for the nation.
- Movement, movement by child and the summary report for a province and the nation, live
  and from the movement summary (flows.py), and the build of that summary.
- Import of 70,000 members into the national tables (bench/import_members.py: the same file
  writer and command) beside COPY of the same rows into the same tables (rolled back).
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tochuc.accounts.access import Scope
from tochuc.accounts.models import Grant
from tochuc.accounts.permissions import Role
from tochuc.core import audit
from tochuc.lib.dates import add_months
from tochuc.lib.vntext import fold
from tochuc.members import selectors
from tochuc.members.models import Member
from tochuc.organizations.models import Kind, Organization
from tochuc.reports import periods, registry
from tochuc.statistics import counts, database, flows
from tochuc.statistics.bands import AGE_BANDS

PAGE = 50
DEEP_PAGE = 2000
SEARCHES = ("nguyen van", "hoang thi", "tran thi thu ha")
TARGET_PROVINCE = 176_000  # the baseline's province size
ACTIVE = "m.status IN ('probationary', 'full')"


class Results:
    def __init__(self):
        self.rows: list[tuple[str, float, float | None, str]] = []

    def add(self, label: str, app_ms: float, raw_ms: float | None, note: str = "") -> None:
        self.rows.append((label, app_ms, raw_ms, note))
        ratio = f"{app_ms / raw_ms:.2f}×" if raw_ms else ""
        print(f"  {label}: {app_ms:.1f} ms / {raw_ms or 0:.2f} ms {ratio} {note}", flush=True)

    def markdown(self) -> str:
        lines = [
            "| việc | ứng dụng (ms, trung vị) | SQL thuần (ms) | tỉ lệ | ghi chú |",
            "|---|---:|---:|---:|---|",
        ]
        for label, app_ms, raw_ms, note in self.rows:
            raw_text = _number(raw_ms) if raw_ms is not None else "—"
            ratio = f"{_number(app_ms / raw_ms, 2)}×" if raw_ms else "—"
            lines.append(f"| {label} | {_number(app_ms)} | {raw_text} | {ratio} | {note} |")
        return "\n".join(lines)


def _number(value: float, digits: int | None = None) -> str:
    """Vietnamese number format: 1.234,5."""
    if digits is None:
        digits = 0 if value >= 100 else (1 if value >= 10 else 2)
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def median_ms(func: Callable, runs: int, *, warm: bool = True) -> float:
    if warm:
        func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def paired_medians_ms(funcs: list[Callable], runs: int) -> list[float]:
    """The median of each function's time, the functions called in turn at each run (each
    warmed once first): on a shared machine whose load drifts, an application's figure and
    its baseline's are then of the same moments, as their ratio must be."""
    for func in funcs:
        func()
    samples: list[list[float]] = [[] for _ in funcs]
    for _ in range(runs):
        for func, times in zip(funcs, samples, strict=True):
            start = time.perf_counter()
            func()
            times.append((time.perf_counter() - start) * 1000)
    return [statistics.median(times) for times in samples]


def raw(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _band_sql(today) -> tuple[str, list]:
    """The report's age bands as a CASE on birth_date (the engine's own boundaries)."""
    sql, params = "CASE", []
    for band in AGE_BANDS:
        conditions = []
        if band.low is not None:
            conditions.append("m.birth_date <= %s")
            params.append(add_months(today, -12 * band.low))
        if band.high is not None:
            conditions.append("m.birth_date > %s")
            params.append(add_months(today, -12 * (band.high + 1)))
        sql += f" WHEN {' AND '.join(conditions) or 'TRUE'} THEN %s"
        params.append(band.key)
    return sql + " ELSE '' END", params


def _user(username: str, role: str, organization: Organization | None):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.grants.all().delete()
    Grant.objects.create(
        user=user,
        role=role,
        organization=organization,
        valid_from=timezone.localdate() - timedelta(days=1),
    )
    return user


def _province(today) -> tuple[Organization, int]:
    sizes = raw(f"SELECT province_id, count(*) FROM members_member m WHERE {ACTIVE} GROUP BY 1")
    pk, size = min(sizes, key=lambda row: abs(row[1] - TARGET_PROVINCE))
    return Organization.objects.get(pk=pk), size


def run(*, runs: int, skip: set[str]) -> None:
    today = timezone.localdate()
    with connection.cursor() as cursor:  # the same session settings for both sides
        cursor.execute("SET work_mem = '64MB'")
        cursor.execute("SET jit = off")
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    provinces = list(Organization.objects.filter(kind=Kind.PROVINCE).order_by("id"))
    province, size = _province(today)
    members = raw("SELECT count(*) FROM members_member")[0][0]
    print(
        f"PostgreSQL {connection.pg_version}, shared_buffers {shared_buffers}, session "
        f"work_mem 64MB, jit off; {os.cpu_count()} cores, {platform.machine()}; "
        f"{members:,} member records; {len(provinces)} provinces; province measured: "
        f"{province.name} ({size:,} members); runs {runs}; date {today}; connections kept "
        f"{connection.settings_dict['CONN_MAX_AGE']} s",
        flush=True,
    )
    officer = _user("bench_national_officer", Role.OFFICER, province)
    admin = _user("bench_national_admin", Role.ADMIN, None)
    results = Results()
    if "reports" not in skip:  # the live reports first: no summary of today
        counts.CountSnapshot.objects.filter(on=today).delete()
    if "reports" not in skip:
        reports_live(results, runs, today, provinces, province)
    if "search" not in skip:
        search(results, runs, province, officer)
    if "pages" not in skip:
        pages(results, runs, province, officer, min(DEEP_PAGE, size // PAGE))
    if "orgpage" not in skip:
        organization_page(results, runs, today, province, officer)
    if "dashboard" not in skip:
        dashboard(results, runs, today, province, officer, admin)
    if "rebuild" not in skip:
        rebuild(results, runs, today, province, skip)
    if "reports" not in skip:
        reports_summary(results, runs, today, provinces, province, admin)
        movement_reports(results, runs, today, province)
    if "import" not in skip:
        import_members(results, min(runs, 3))
    print()
    print(results.markdown())


# ---------------------------------------------------------------- breakdowns


def _breakdown_sql(today, where: str = "") -> tuple[str, list]:
    band, params = _band_sql(today)
    sql = (
        f"SELECT m.status, m.gender, {band} AS band, count(*) FROM members_member m "
        f"WHERE {ACTIVE} {where} GROUP BY 1, 2, 3"
    )
    return sql, params


def _raw_breakdowns(results_raw: dict, runs: int, today, province) -> None:
    nation_sql, nation_params = _breakdown_sql(today)
    province_sql, province_params = _breakdown_sql(today, "AND m.province_id = %s")
    results_raw["nation"] = median_ms(lambda: raw(nation_sql, nation_params), runs)
    results_raw["province"] = median_ms(
        lambda: raw(province_sql, [*province_params, province.pk]), runs
    )


RAW: dict[str, float] = {}


def _build(organization, today):
    return registry.build("membership", organization, periods.at(today))


def _total(dataset) -> int:
    table = next(t for t in dataset.tables if t.key == "members")
    return next(r["count"] for r in table.rows if r["key"] == "total")


def reports_live(results: Results, runs: int, today, provinces, province) -> None:
    print("breakdowns, live", flush=True)
    _raw_breakdowns(RAW, runs, today, province)
    raw_total = raw(
        f"SELECT count(*) FROM members_member m WHERE {ACTIVE} AND province_id = %s", [province.pk]
    )[0][0]
    app_total = _total(_build(province, today))
    note = "" if app_total == raw_total else f"tổng {app_total} ≠ {raw_total}"
    results.add(
        f"báo cáo “membership”, tỉnh {province.name}, đếm trực tiếp",
        median_ms(lambda: _build(province, today), runs),
        RAW["province"],
        note,
    )
    nation_runs = min(runs, 3)
    results.add(
        "báo cáo “membership”, toàn quốc (gốc “Toàn quốc”), đếm trực tiếp",
        median_ms(lambda: _build(None, today), nation_runs, warm=False),
        RAW["nation"],
        f"{nation_runs} lần",
    )


def _raw_one_pass(today) -> dict[str, tuple[str, list]]:
    """The raw one-pass SQL of the whole-nation summary, written by hand as a DBA would: the
    official affiliations in force on the date joined with their members, grouped by
    organization and every counted value at once (status from the stored confirmation, the
    engine's own age bands, the six profile fields); no anchors, no re-admitted timelines,
    no roll-up. Two forms: into a temporary table (CREATE TABLE AS), and read to the end
    without storing (count of the groups); the faster one is the baseline."""
    band, params = _band_sql(today)
    grouped = (
        f"SELECT a.organization_id, m.confirmed_on <= %s AS full, m.gender, {band} AS band, "
        "m.ethnicity, m.religion, m.general_education, m.qualification, m.political_theory, "
        "count(*) AS n FROM members_affiliation a JOIN members_member m ON m.id = a.member_id "
        "WHERE a.kind = 'official' AND a.valid_from <= %s AND (a.valid_to IS NULL OR "
        "a.valid_to > %s) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
    )
    params = [today, *params, today, today]
    return {
        "into a table": (f"CREATE TEMP TABLE bench_summary AS {grouped}", params),
        "groups counted": (f"SELECT count(*) FROM ({grouped}) g", params),
    }


def _in_build_session(func: Callable, **overrides: str) -> Callable:
    """`func` in a transaction with the build's session settings (`database.BUILD_SESSION`,
    as the builds set them) and `overrides`, then rolled back."""

    def run():
        settings = database.BUILD_SESSION
        database.BUILD_SESSION = {**settings, **overrides}  # as the builds set them too
        try:
            with transaction.atomic():
                database.set_build_session()
                func()
                transaction.set_rollback(True)
        finally:
            database.BUILD_SESSION = settings

    return run


def rebuild(results: Results, runs: int, today, province, skip: set[str] = frozenset()) -> None:
    """The whole-nation rebuild through the command users run (`tochuc report_counts --date`,
    which sets its own session settings), interleaved with the raw one-pass SQL under the
    same settings, run by run (the same load on both sides); each run of the command split
    into its two parts by its own lines (the counts of the date, the movement summary).
    Three cases of the command: with `--flows` (the whole movement summary rebuilt: as
    every night before 07/12/2026), a night without changes (its movement summary fresh),
    and a night after a change in the measured province (its part rebuilt). `--skip
    rebuild-flows,rebuild-changed` leaves out the first and the third (the movement summary
    must then have been built once: the command builds it whole when it has no part)."""
    print("summary rebuild", flush=True)
    from io import StringIO

    from django.core.management import call_command

    rebuild_runs = min(runs, 3)  # a minute each at national scale
    raws = _raw_one_pass(today)
    samples: dict[str, list[float]] = {form: [] for form in raws}
    parts: dict[str, list[float]] = {}

    def timed(key: str, func: Callable) -> None:
        started = time.perf_counter()
        func()
        samples.setdefault(key, []).append((time.perf_counter() - started) * 1000)
        print(f"  {key}: {samples[key][-1]:,.0f} ms", flush=True)

    def command(key: str, *args: str) -> Callable:
        def run():
            out = StringIO()
            call_command("report_counts", "--date", f"{today:%d/%m/%Y}", *args, stdout=out)
            # Its own timed lines: "dd/mm/yyyy: … đảng viên… X s" and "biến động theo tháng:
            # … Y s" (not the line saying the home panels' computing is queued).
            for line in out.getvalue().splitlines():
                timing = re.search(r"(\d+\.\d) s$", line)
                if timing is None:
                    continue
                seconds = float(timing.group(1)) * 1000
                part = "flows" if line.startswith("biến động") else "counts"
                parts.setdefault(f"{key} {part}", []).append(seconds)
                if part == "flows":
                    print(f"    {line}", flush=True)
            print(f"    of which counts {parts[f'{key} counts'][-1]:,.0f} ms, flows "
                  f"{parts[f'{key} flows'][-1]:,.0f} ms", flush=True)  # fmt: skip

        return run

    def change_province() -> None:
        """One movement event of the province moved a day and back (raw SQL: the data is
        the same, the database's triggers mark the province changed twice)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id FROM members_memberevent e JOIN organizations_organizationversion v "
                "ON v.organization_id = e.organization_id AND v.valid_to IS NULL "
                "WHERE v.province_id = %s AND e.type = 'admitted' LIMIT 1",
                [province.pk],
            )
            (event,) = cursor.fetchone()
            for step in ("+ 1", "- 1"):
                cursor.execute(
                    f'UPDATE members_memberevent SET "on" = "on" {step} WHERE id = %s', [event]
                )

    cases = [("command --flows", ("--flows",), None), ("command", (), None),
             ("command, one province changed", (), change_province)]  # fmt: skip
    left_out = {
        "command --flows": "rebuild-flows",
        "command, one province changed": "rebuild-changed",
    }
    cases = [case for case in cases if left_out.get(case[0]) not in skip]
    for _ in range(rebuild_runs):
        for key, args, before in cases:
            for form, (sql, params) in raws.items():
                timed(form, _in_build_session(lambda sql=sql, params=params: execute(sql, params)))
            if before is not None:
                before()
            timed(key, command(key, *args))
    medians = {key: statistics.median(values) for key, values in samples.items()}
    best = min(raws, key=medians.get)
    RAW["refresh"] = medians[best]
    snapshot = counts.CountSnapshot.objects.get(on=today)
    flow_rows = flows.FlowCount.objects.count()
    members = _number(snapshot.members, 0)
    notes = {
        "command --flows": f"bảng biến động dựng lại toàn bộ ({_number(flow_rows, 0)} dòng), "
        "như mỗi đêm trước 07/12/2026",
        "command": "đêm không có thay đổi: bảng biến động còn mới, không tỉnh nào dựng lại",
        "command, one province changed": f"một sự kiện của tỉnh {province.name} sửa bằng SQL "
        "thuần: dựng lại phần bảng biến động của tỉnh ấy",
    }
    for key, args, _before in cases:
        results.add(
            f"dựng lại toàn quốc, `tochuc report_counts {' '.join(['--date D', *args])}`, "
            f"cả lệnh ({members} đảng viên)",
            medians[key],
            medians[best],
            f"{rebuild_runs} lần xen kẽ với SQL thuần một lượt ({best}: "
            + ", ".join(f"{form} {_number(medians[form])} ms" for form in raws)
            + f"); {notes[key]}; mục tiêu ≤ 1,2×",
        )
        results.add(
            "… trong đó bảng tổng hợp số liệu (`counts.rebuild`, dòng ngày của lệnh)",
            statistics.median(parts[f"{key} counts"]),
            medians[best],
        )
        results.add(
            "… trong đó bảng biến động (dòng “biến động theo tháng” của lệnh)",
            statistics.median(parts[f"{key} flows"]),
            medians[best],
        )
    # What the parallel workers bought: the same build and raw SQL on one core.
    serial = {"max_parallel_workers_per_gather": "0"}
    for key, func in (
        ("command, 1 core", _in_build_session(lambda: counts.rebuild(today), **serial)),
        (f"{best}, 1 core", _in_build_session(lambda: execute(*raws[best]), **serial)),
    ):
        samples[key] = []
        timed(key, func)
    counted = statistics.median(parts["command counts"])
    results.add(
        "… bảng tổng hợp số liệu trên một nhân (`max_parallel_workers_per_gather = 0`, 1 lần)",
        samples["command, 1 core"][0],
        samples[f"{best}, 1 core"][0],
        "song song mua được: bảng tổng hợp "
        f"{_number(samples['command, 1 core'][0] / counted, 2)}×, "
        "SQL thuần "
        f"{_number(samples[f'{best}, 1 core'][0] / medians[best], 2)}×",
    )
    results.add(
        f"dựng lại phần của một tỉnh ({province.name}: `counts.rebuild(ngày, [tỉnh])`, "
        "như `report_counts --stale` và việc nền sau mỗi lần nhập)",
        median_ms(lambda: counts.rebuild(today, [province.pk]), rebuild_runs, warm=False),
        medians[best],
        "mục tiêu < 10 s",
    )


def reports_summary(results: Results, runs: int, today, provinces, province, admin) -> None:
    print("breakdowns, summary table", flush=True)
    if not counts.CountSnapshot.objects.filter(on=today).exists():
        counts.rebuild(today)

    def cold(organizations):
        def build():
            for organization in organizations:
                counts._summed.cache_clear()
                _build(organization, today)

        return build

    raw_total = raw(
        f"SELECT count(*) FROM members_member m WHERE {ACTIVE} AND province_id = %s", [province.pk]
    )[0][0]
    app_total = _total(_build(province, today))
    note = "" if app_total == raw_total else f"tổng {app_total} ≠ {raw_total}"
    results.add(
        f"báo cáo “membership”, tỉnh {province.name}, bảng tổng hợp",
        median_ms(cold([province]), runs),
        RAW["province"],
        note,
    )
    results.add(
        f"báo cáo “membership”, tỉnh {province.name}, bảng tổng hợp, đã nhớ đệm",
        median_ms(lambda: _build(province, today), runs),
        RAW["province"],
    )
    results.add(
        "báo cáo “membership”, toàn quốc (gốc “Toàn quốc”), bảng tổng hợp",
        median_ms(cold([None]), runs),
        RAW["nation"],
        "mục tiêu ≤ 1/20 SQL",
    )
    results.add(
        "báo cáo “membership”, toàn quốc (gốc “Toàn quốc”), bảng tổng hợp, đã nhớ đệm",
        median_ms(lambda: _build(None, today), runs),
        RAW["nation"],
    )
    results.add(
        "báo cáo “membership”, 34 báo cáo tỉnh, bảng tổng hợp",
        median_ms(cold(provinces), runs),
        RAW["nation"],
    )
    client = Client()
    client.force_login(admin)
    query = {"bao_cao": "membership", "to_chuc": province.code, **periods.at(today).as_query()}

    def page():
        counts._summed.cache_clear()
        response = client.get("/bao-cao/", query, secure=True)
        assert response.status_code == 200, response.status_code

    results.add(
        f"trang báo cáo HTTP, tỉnh {province.name}, bảng tổng hợp",
        median_ms(page, runs),
        RAW["province"],
    )
    query["to_chuc"] = "toan-quoc"
    results.add(
        "trang báo cáo HTTP, toàn quốc, bảng tổng hợp", median_ms(page, runs), RAW["nation"]
    )


# ---------------------------------------------------------------- movement reports

MOVEMENT_REPORTS = ("movement", "movement_by_child", "summary")


def movement_reports(results: Results, runs: int, today, province) -> None:
    """Movement, movement by child and the summary report over last year, for the province
    and the nation: counted live (`flows.counting_live`) and from the movement summary
    (flows.py), side by side in the same run, and the same figures both ways. The summary
    report's membership at the year's end reads the membership summary of 31/12 (built
    here, as `tochuc report_counts` builds every year-end)."""
    print("movement reports, live and summary", flush=True)
    period = periods.year(today.year - 1)
    if not counts.CountSnapshot.objects.filter(on=period.end).exists():
        counts.rebuild(period.end)
    start = time.perf_counter()
    cpu = time.process_time()
    rows = flows.rebuild()
    built, built_cpu = time.perf_counter() - start, time.process_time() - cpu
    results.add(
        f"dựng bảng biến động theo tháng (`flows.rebuild`, {_number(rows, 0)} dòng)",
        built * 1000,
        None,
        f"1 lần; CPU tiến trình {_number(built_cpu, 1)} s",
    )
    for name in MOVEMENT_REPORTS:
        for organization, label in ((province, f"tỉnh {province.name}"), (None, "toàn quốc")):
            live_runs = min(runs, 3) if organization else 1  # the nation live: a minute

            def build(name=name, organization=organization):
                return registry.build(name, organization, period).as_dict()

            with flows.counting_live():
                counted = build()
                live_ms = median_ms(build, live_runs, warm=False)
            served = build()
            summary_ms = median_ms(build, runs)
            note = "" if served == counted else "KHÁC số liệu đếm trực tiếp"
            results.add(
                f"báo cáo “{name}”, {label}, năm {period.end.year}: bảng biến động "
                "(cột SQL thuần: cùng báo cáo đếm trực tiếp)",
                summary_ms,
                live_ms,
                f"{note} đếm trực tiếp {live_runs} lần; mục tiêu ≤ 1/20".strip(),
            )


# ---------------------------------------------------------------- search and pages

RAW_FROM = f" FROM members_member m WHERE m.province_id = %s AND {ACTIVE}"


def _like(text: str) -> tuple[str, list]:
    """Raw trigram form: the folded name contains each typed word as a word start."""
    sql, params = "", []
    for word in fold(text).split():
        sql += " AND (m.name_folded LIKE %s OR m.name_folded LIKE %s)"
        params += [f"{word}%", f"% {word}%"]
    return sql, params


def _search_indexes(province) -> None:
    """The province's trigram index of `tochuc search_indexes`, made (for every province)
    when missing; says which."""
    from django.core.management import call_command

    from tochuc.members.management.commands import search_indexes

    name = search_indexes.index_name(province.pk)
    if search_indexes.existing_indexes().get(name):
        print(f"  trigram indexes per province present ({name} …)", flush=True)
        return
    print("  trigram indexes per province missing: `tochuc search_indexes`", flush=True)
    began = time.perf_counter()
    call_command("search_indexes")
    print(f"  made in {time.perf_counter() - began:.1f} s", flush=True)


def search(results: Results, runs: int, province, officer) -> None:
    print("search", flush=True)
    _search_indexes(province)
    scope = Scope.for_user(officer)
    client = Client()
    client.force_login(officer)

    def app(text):
        qs = selectors.member_list(scope=scope, filters=selectors.MemberFilters(text=text))
        page = selectors.keyset_page(qs, after=None, size=PAGE)
        return page, selectors.count_matches(qs, capped=True)

    def http(text):
        response = client.get("/dang-vien/", {"q": text}, secure=True)
        assert response.status_code == 200, response.status_code

    for text in SEARCHES:
        condition, params = _like(text)
        page_sql = (
            "SELECT m.id, m.full_name, m.birth_date, m.status, m.name_sort"
            + RAW_FROM
            + condition
            + " ORDER BY m.name_sort, m.id LIMIT %s"
        )
        count_sql = "SELECT count(*) FROM (SELECT 1" + RAW_FROM + condition + " LIMIT %s) AS capped"
        limit = selectors.SEARCH_COUNT_LIMIT + 1

        def raw_search(page_sql=page_sql, count_sql=count_sql, params=params, limit=limit):
            rows = raw(page_sql, [province.pk, *params, PAGE + 1])
            return rows, raw(count_sql, [province.pk, *params, limit])[0][0]

        (page, total), (rows, raw_count) = app(text), raw_search()
        same = [m.pk for m in page.rows] == [r[0] for r in rows[:PAGE]]
        note = f"{total.value}{'+' if total.capped else ''} người"
        note += "" if same and min(raw_count, 1000) == total.value else "; KHÁC KẾT QUẢ"
        app_ms, raw_ms, http_ms = paired_medians_ms(
            [lambda t=text: app(t), raw_search, lambda t=text: http(t)], runs
        )
        results.add(f"tìm “{text}” trong tỉnh: trang 1 + đếm", app_ms, raw_ms, note)
        results.add(f"tìm “{text}”: trang HTTP /dang-vien/?q=…", http_ms, raw_ms)


def pages(results: Results, runs: int, province, officer, deep: int) -> None:
    print("pages", flush=True)
    scope = Scope.for_user(officer)
    client = Client()
    client.force_login(officer)
    offset = (deep - 1) * PAGE
    sort, last_id = raw(
        "SELECT m.name_sort, m.id" + RAW_FROM + " ORDER BY m.name_sort, m.id LIMIT 1 OFFSET %s",
        [province.pk, offset - 1],
    )[0]
    cursor = f"{sort}.{last_id}"
    columns = "SELECT m.id, m.full_name, m.birth_date, m.status, m.name_sort"
    order = " ORDER BY m.name_sort, m.id LIMIT %s"

    def app_page(after=None):
        qs = selectors.member_list(scope=scope, filters=selectors.MemberFilters())
        return selectors.keyset_page(qs, after=after, size=PAGE)

    def http(params):
        response = client.get("/dang-vien/", params, secure=True)
        assert response.status_code == 200, response.status_code

    def raw_first():
        return raw(columns + RAW_FROM + order, [province.pk, PAGE + 1])

    def raw_deep():
        sql = columns + RAW_FROM + " AND (m.name_sort, m.id) > (%s, %s)" + order
        return raw(sql, [province.pk, sort, last_id, PAGE + 1])

    def raw_offset():
        return raw(columns + RAW_FROM + order + " OFFSET %s", [province.pk, PAGE + 1, offset])

    same = [m.pk for m in app_page(cursor).rows] == [r[0] for r in raw_offset()[:PAGE]]
    first_ms = median_ms(app_page, runs)
    deep_ms = median_ms(lambda: app_page(cursor), runs)
    raw_first_ms = median_ms(raw_first, runs)
    results.add("danh sách tỉnh: trang 1 (keyset)", first_ms, raw_first_ms)
    results.add(
        f"danh sách tỉnh: trang {deep} (keyset)",
        deep_ms,
        median_ms(raw_deep, runs),
        "" if same else "KHÁC KẾT QUẢ",
    )
    results.add(f"trang {deep} / trang 1 (ứng dụng, keyset)", deep_ms, first_ms, "mục tiêu ≤ 2×")
    results.add(
        f"trang {deep} bằng OFFSET (SQL) / trang 1 (SQL)",
        median_ms(raw_offset, runs),
        raw_first_ms,
    )
    results.add("danh sách: trang HTTP 1 (kèm đếm)", median_ms(lambda: http({}), runs), None)
    results.add(
        f"danh sách: trang HTTP {deep} (kèm đếm)",
        median_ms(lambda: http({"sau": cursor}), runs),
        None,
    )


RAW_TREE_COUNTS = (
    "SELECT kind, count(*) FROM organizations_organizationversion WHERE path LIKE %s AND "
    "valid_from <= %s AND (valid_to IS NULL OR valid_to > %s) AND organization_id <> %s "
    "GROUP BY kind"
)
RAW_CHILDREN = (
    "SELECT id, name FROM organizations_organizationversion WHERE parent_id = %s AND "
    "valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)"
)


def organization_page(results: Results, runs: int, today, province, officer) -> None:
    """The province's page (`/to-chuc/<code>/`: its tree today with the counts per child,
    its history) over HTTP as its officer, beside the raw SQL of its figures: the subtree's
    count by kind and the children (bench/tree.py's pair)."""
    print("organization page", flush=True)
    client = Client()
    client.force_login(officer)

    def http():
        response = client.get(f"/to-chuc/{province.code}/", secure=True)
        assert response.status_code == 200, response.status_code

    def raw_page():
        raw(RAW_TREE_COUNTS, [f"{province.path}%", today, today, province.pk])
        raw(RAW_CHILDREN, [province.pk, today, today])

    results.add(
        f"trang tổ chức tỉnh {province.name} (HTTP) / SQL đếm + cấp trực thuộc",
        *paired_medians_ms([http, raw_page], runs),
        "mục tiêu ≤ 5×",
    )


def dashboard(results: Results, runs: int, today, province, officer, admin) -> None:
    """The home page of the province's officer and of an administrator (whose home is the
    first root): each panel's context (core.dashboard, its cache bypassed) and the page over
    HTTP, cold (the panels' cache cleared) and warm. The panels' numbers have no single raw
    SQL beside them: the table says where the time goes."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from tochuc.core.dashboard import PANELS

    print("dashboard", flush=True)
    for user, label in ((officer, "cán bộ tỉnh"), (admin, "quản trị")):
        scope = Scope.for_user(user)
        home = scope.home_organizations()[0]
        request = RequestFactory().get("/")
        request.user, request.scope = user, scope
        for panel in sorted(PANELS.values(), key=lambda p: (p.order, p.key)):
            if panel.permission not in scope.permissions_for(home):
                continue
            ms = median_ms(lambda p=panel, r=request, h=home: p.context(r, h, today), runs)
            results.add(f"trang chính ({label}, {home.name}): ô `{panel.key}`", ms, None)
        client = Client()
        client.force_login(user)

        def http(cold: bool, client=client):
            if cold:
                cache.clear()
            response = client.get("/", secure=True)
            assert response.status_code == 200, response.status_code

        queries = {}
        for cold in (True, False):
            with CaptureQueriesContext(connection) as captured:
                http(cold)
            queries[cold] = len(captured)
        results.add(
            f"trang chính HTTP ({label}), nguội", median_ms(lambda: http(True), runs), None,
            f"{queries[True]} truy vấn",
        )  # fmt: skip
        results.add(
            f"trang chính HTTP ({label}), đã đệm", median_ms(lambda: http(False), runs), None,
            f"{queries[False]} truy vấn",
        )  # fmt: skip
        elsewhere = Member.objects.exclude(province_id=home.province_id).order_by("pk").first()

        def after_change_elsewhere(client=client, member=elsewhere):
            audit.record("tochuc.member.updated", obj=member, reason="bench: một tỉnh khác")
            http(False, client)

        with CaptureQueriesContext(connection) as captured:
            after_change_elsewhere()
        count = len(captured)  # now: the connection keeps only the latest queries
        results.add(
            f"trang chính HTTP ({label}), sau một lần ghi có nhật ký ở tỉnh khác",
            median_ms(after_change_elsewhere, runs), None,
            f"{count} truy vấn (kể cả lần ghi)",
        )  # fmt: skip


# ---------------------------------------------------------------- import


def import_members(results: Results, runs: int) -> None:
    """bench/import_members.py's file and command, on the national tables; then COPY of the
    rows it wrote into the same tables, in a transaction rolled back."""
    print("import", flush=True)
    from bench import import_members as bench_import

    today = timezone.localdate()
    if not counts.CountSnapshot.objects.filter(on=today).exists():
        counts.rebuild(today)  # a summary for the queued refresh to bring up to date

    cells = bench_import.province_cells()
    path = Path(tempfile.mkdtemp()) / "dang-vien.xlsx"
    bench_import.write_file(path, cells, 70_000)
    totals, refreshes = [], []
    copy_members, copy_all, copy_checked = [], [], []
    member_table = Member._meta.db_table
    for run in range(runs):
        phases = bench_import.timed_import(path)
        totals.append(phases["total"])
        refreshes.append(phases["refresh"])
        print(f"  import run {run + 1}: {phases}", flush=True)
        rows = bench_import.imported_rows()
        bench_import.forget_imported()
        # Each baseline right after its import: on a shared machine the load changes from
        # minute to minute, and each ratio is of one moment.
        copy_members.append(_copy_rolled_back({member_table: rows[member_table]}))
        copy_all.append(_copy_rolled_back(rows))
        copy_checked.append(_copy_rolled_back(rows, check_keys=True))
        print(f"  COPY run {run + 1}: members {copy_members[-1]:.1f} s, every row "
              f"{copy_all[-1]:.1f} s, with the key checks {copy_checked[-1]:.1f} s; "
              f"ratio {totals[-1] / copy_checked[-1]:.2f}×", flush=True)  # fmt: skip
    each = " · ".join(f"{t / c:.2f}×" for t, c in zip(totals, copy_checked, strict=True))
    total_ms = statistics.median(totals) * 1000
    results.add(
        "nhập 70.000 đảng viên (tochuc import members, cả khởi động) / COPY hồ sơ",
        total_ms,
        statistics.median(copy_members) * 1000,
        f"{runs} lần; vào bảng toàn quốc",
    )
    results.add(
        "nhập 70.000 đảng viên / COPY mọi dòng lần nhập ghi (hồ sơ, sự kiện, nơi "
        "sinh hoạt, lịch sử)",
        total_ms,
        statistics.median(copy_all) * 1000,
        "mục tiêu ≤ 3×; COPY hoàn tác: không kiểm tra khóa ngoại",
    )
    results.add(
        "nhập 70.000 đảng viên / COPY mọi dòng lần nhập ghi, cùng kiểm tra khóa ngoại "
        "(`SET CONSTRAINTS ALL IMMEDIATE`: việc mà commit của lần nhập nào cũng trả)",
        total_ms,
        statistics.median(copy_checked) * 1000,
        f"mục tiêu ≤ 3×; mốc công bằng; từng lần: {each}",
    )
    results.add(
        "… rồi việc nền lần nhập xếp hàng (`refresh_summary`: dựng lại phần các tỉnh và ngày "
        "lần nhập ghi) / COPY mọi dòng",
        statistics.median(refreshes) * 1000,
        statistics.median(copy_all) * 1000,
        f"{runs} lần; người nhập không chờ việc này",
    )


class _Rollback(Exception):
    pass


def _copy_rolled_back(
    tables: dict[str, tuple[list[str], list[tuple]]], *, check_keys: bool = False
) -> float:
    """Seconds to COPY the rows into the national tables themselves (all their indexes and
    constraints), in a transaction that is then rolled back. Django's foreign keys are
    checked at commit (DEFERRABLE INITIALLY DEFERRED), which a rolled-back COPY never
    reaches: with `check_keys` they are checked before the clock stops (SET CONSTRAINTS ALL
    IMMEDIATE), as the import's own commit checks them."""
    started = 0.0
    elapsed = 0.0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            started = time.perf_counter()
            for table, (columns, rows) in tables.items():
                quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            if check_keys:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed
