"""Progress of an import: what `run_import` reports, and what a job's row says meanwhile.
(A job run by a real worker process: test_worker.py.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.imports import jobs, registry
from tochuc.imports.tests.files import organization_row, xlsx_bytes
from tochuc.lib import xlsx

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
        ("writing", 0, 2), ("writing", 2, 2),  # written in bulk: all rows at once
    ]  # fmt: skip
    assert written == [("progress", 2, 2)]


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
    """Checks and writes one row at a time, keeping what the job's row said meanwhile."""

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
def test_the_job_row_follows_the_job_row_by_row(client, cast, users, fake, monkeypatch):
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
    # Inside the import's transaction PostgreSQL reports through a connection of its own,
    # which cannot see this test's uncommitted job: the test sees the state before it.
    writing = [1, 2, 3] if connection.vendor == "sqlite" else [0, 0, 0]
    assert fake.seen == [
        ("plan", "A", ("checking", 0, 3)),
        ("plan", "B", ("checking", 1, 3)),
        ("plan", "C", ("checking", 2, 3)),
        ("apply", "A", ("writing", writing[0], 3)),
        ("apply", "B", ("writing", writing[1], 3)),
        ("apply", "C", ("writing", writing[2], 3)),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Xem trước kết quả nhập thử" in page and "3 tạo mới, 0 thay đổi, 0 không đổi" in page
