"""Progress of an import: what `run_import` reports, and a job run by a real thread."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.core.models import AuditEntry
from tochuc.imports import jobs, registry
from tochuc.imports.tests.files import organization_row, xlsx_bytes
from tochuc.lib import xlsx
from tochuc.organizations.models import Organization

ROWS = [
    organization_row("T01.X01.CB1", "Chi bộ Khu 1", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
    organization_row("T01.X01.CB2", "Chi bộ Khu 2", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "uploads"


class Watched(list):
    def __call__(self, phase, done, total):
        self.append((phase, done, total))


@pytest.mark.django_db
def test_run_import_reports_each_phase_and_the_rows_done(cast, users):
    watch, written = Watched(), Watched()

    outcome = registry.run_import(
        registry.get("organizations"), xlsx_bytes(ROWS),
        scope=Scope.for_user(users.commune_officer), by=users.commune_officer,
        watch=watch, progress=lambda done, total: written.append(("progress", done, total)),
    )  # fmt: skip

    assert outcome.written and outcome.created == 2
    assert watch == [
        ("reading", 0, 0),
        ("checking", 0, 2), ("checking", 1, 2), ("checking", 2, 2),
        ("writing", 0, 2), ("writing", 1, 2), ("writing", 2, 2),
    ]  # fmt: skip
    assert written == [("progress", 1, 2), ("progress", 2, 2)]


@pytest.mark.django_db
def test_a_bad_file_stops_after_checking(cast, users):
    watch = Watched()
    outcome = registry.run_import(
        registry.get("organizations"), xlsx_bytes(ROWS),
        scope=Scope.for_user(users.sibling_officer), by=users.sibling_officer, watch=watch,
    )  # fmt: skip
    assert [e.row for e in outcome.errors] == [2, 3]
    assert watch[-1] == ("checking", 2, 2)


@pytest.mark.django_db
def test_a_reader_that_counts_rows_read_reports_them_too(cast, users, monkeypatch):
    read_table = xlsx.read_table

    def counting(source, columns, *, sheet_title="", limits=None, progress=None):
        table = read_table(source, columns, sheet_title=sheet_title, limits=limits)
        for done in range(1, len(table.rows) + 1):
            progress(done)
        return table

    monkeypatch.setattr(xlsx, "read_table", counting)
    registry._reports_rows_read.cache_clear()
    watch = Watched()
    try:
        registry.run_import(
            registry.get("organizations"), xlsx_bytes(ROWS), dry_run=True,
            scope=Scope.for_user(users.commune_officer), by=users.commune_officer, watch=watch,
        )  # fmt: skip
    finally:
        registry._reports_rows_read.cache_clear()
    assert watch[:4] == [
        ("reading", 0, 0),
        ("reading", 1, 0),
        ("reading", 2, 0),
        ("checking", 0, 2),
    ]


def test_counted_rows_report_every_step_and_at_the_end():
    reports = []
    rows = registry.CountedRows(range(10), reports.append, step=4)
    assert list(rows) == list(range(10))
    assert reports == [4, 8, 10]
    assert len(rows) == 10 and rows[3] == 3


class FakeImporter(registry.Importer):
    """Checks and writes one row at a time, keeping what the status file said meanwhile."""

    name = "fake"
    title = "thử"
    columns = (xlsx.Column("code", "Mã", required=True),)
    seen: list = []

    def plan(self, table, *, scope, by=None):
        plan = registry.Plan()
        for row in table.rows:
            self.seen.append(("plan", row.text("code"), self._status()))
            plan.items.append(row.text("code"))
        plan.created = len(plan.items)
        return plan

    def apply(self, plan, *, by=None, progress=None):
        for done, code in enumerate(plan.items, start=1):
            progress(done, len(plan.items))
            self.seen.append(("apply", code, self._status()))

    def _status(self):
        state = jobs.load(self.token)
        return (state["phase"], state["done"], state["total"])


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setitem(registry.IMPORTERS, "fake", f"{__name__}.FakeImporter")
    monkeypatch.setattr(jobs, "SAVE_EVERY", 0)
    registry.get.cache_clear()
    FakeImporter.seen = []
    yield FakeImporter
    registry.get.cache_clear()


@pytest.mark.django_db
def test_the_status_file_follows_the_job_row_by_row(client, cast, users, fake, monkeypatch):
    created = jobs.create
    monkeypatch.setattr(
        jobs, "create", lambda **kw: setattr(fake, "token", created(**kw)) or fake.token
    )
    client.force_login(users.commune_officer)
    data = xlsx_bytes([["A"], ["B"], ["C"]], headers=["Mã"], title="Dữ liệu")

    response = client.post(
        reverse("imports:upload", args=["fake"]), {"file": SimpleUploadedFile("a.xlsx", data)}
    )

    assert response["Location"] == reverse("imports:status", args=["fake", fake.token])
    assert fake.seen == [
        ("plan", "A", ("checking", 0, 3)),
        ("plan", "B", ("checking", 1, 3)),
        ("plan", "C", ("checking", 2, 3)),
        ("apply", "A", ("writing", 1, 3)),
        ("apply", "B", ("writing", 2, 3)),
        ("apply", "C", ("writing", 3, 3)),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Xem trước kết quả nhập thử" in page and "3 tạo mới, 0 thay đổi, 0 không đổi" in page


def wait_for(token, mode, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = jobs.load(token)
        if state and state["mode"] == mode and state["phase"] in (jobs.DONE, jobs.FAILED):
            return state
        time.sleep(0.05)
    raise AssertionError(f"the {mode} job did not end within {seconds} s: {jobs.load(token)}")


@pytest.mark.django_db(transaction=True)
def test_a_real_thread_checks_then_writes_the_file(client, settings, uploads):
    from tochuc.testing import ROLES_BY_NAME, build_cast

    settings.TOCHUC_IMPORT_BACKGROUND = True
    cast = build_cast()
    role, where = ROLES_BY_NAME["commune_officer"]
    officer = cast.user("commune_officer", role, getattr(cast, where))
    client.force_login(officer)

    response = client.post(
        reverse("imports:upload", args=["organizations"]),
        {"file": SimpleUploadedFile("to-chuc.xlsx", xlsx_bytes(ROWS))},
    )
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    checked = wait_for(token, jobs.CHECK)

    assert checked["phase"] == jobs.DONE, checked
    assert checked["outcome"]["created"] == 2 and checked["outcome"]["errors"] == []
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()
    assert "Xác nhận nhập" in client.get(response["Location"]).content.decode()

    client.post(reverse("imports:confirm", args=["organizations"]), {"token": token})
    written = wait_for(token, jobs.WRITE)

    assert (written["phase"], written["done"], written["total"]) == (jobs.DONE, 2, 2)
    assert written["outcome"]["written"] is True
    assert sorted(
        Organization.objects.filter(code__startswith="T01.X01.CB").values_list("code", flat=True)
    ) == ["T01.X01.CB1", "T01.X01.CB2"]
    assert AuditEntry.objects.get(action="tochuc.import.organizations").username == (
        "commune_officer"
    )
    assert sorted(p.name for p in uploads.iterdir()) == [f"{token}.json"]
    on_disk = json.loads((uploads / f"{token}.json").read_text(encoding="utf-8"))
    assert on_disk["outcome"]["created"] == 2
    assert token not in jobs._running
