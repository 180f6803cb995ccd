import contextlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from tochuc.core import liveness
from tochuc.core.models import AuditEntry
from tochuc.imports import jobs
from tochuc.imports.models import ImportJob
from tochuc.imports.tests.files import organization_row, xlsx_bytes
from tochuc.lib import xlsx
from tochuc.organizations.models import Kind, Organization
from tochuc.testing import found

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:upload", args=["organizations"])
CONFIRM = reverse("imports:confirm", args=["organizations"])
CANCEL = reverse("imports:cancel", args=["organizations"])
RERUN = reverse("imports:rerun", args=["organizations"])
ROWS = [
    organization_row("T01.X01.CB1", "Chi bộ Khu 1", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
    organization_row("T01.X01.CB2", "Chi bộ Khu 2", "Chi bộ cơ sở", "T01.X01", "01/08/2025"),
]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "uploads"


def upload(client, content, name="to-chuc.xlsx"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


def status_url(token, name="organizations"):
    return reverse("imports:status", args=[name, token])


def token_of(response) -> str:
    """The job token in the redirect to its status page."""
    assert response.status_code == 302, response.status_code
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert response["Location"] == status_url(token)
    return token


def job_state(token) -> dict:
    return jobs.load(token)


def kept(token) -> bool:
    """Whether the job still keeps its uploaded file."""
    return ImportJob.objects.filter(token=token, content__isnull=False).exists()


@contextlib.contextmanager
def worker_holding(job):
    """As if a worker process were running `job`: its lock is held by another session."""
    if connection.vendor != "postgresql":
        with liveness.held(jobs.LOCK_NAME, job.pk):
            yield
        return
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [liveness.LOCK_CLASS, job.pk])
        yield
    finally:
        other.close()


def running(token, phase=jobs.QUEUED, mode=jobs.CHECK) -> ImportJob:
    ImportJob.objects.filter(token=token).update(mode=mode, phase=phase, outcome=None)
    return ImportJob.objects.get(token=token)


def test_a_commune_officer_sees_the_preview_then_imports(client, cast, users, uploads):
    client.force_login(users.commune_officer)
    index = client.get(reverse("imports:index"))
    assert index.status_code == 200
    assert "Nhập tổ chức đảng" in index.content.decode()

    token = token_of(upload(client, xlsx_bytes(ROWS)))
    preview = client.get(status_url(token))

    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Tệp hợp lệ" in body and "Xác nhận nhập" in body
    assert "Chi bộ Khu 1" in body and "Chi bộ Khu 2" in body
    assert 'hx-trigger="every 1s"' not in body  # finished: nothing left to poll
    assert preview.context["outcome"].summary == "2 tạo mới, 0 thay đổi, 0 không đổi"
    assert preview.context["token"] == token
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()
    assert kept(token)
    checked = job_state(token)
    assert (checked["mode"], checked["phase"], checked["done"], checked["total"]) == (
        "check", "done", 2, 2,
    )  # fmt: skip
    assert (checked["outcome"]["created"], checked["outcome"]["written"]) == (2, False)
    # The check reads the file like an export: who, which file, how many rows.
    read = AuditEntry.objects.get(action="tochuc.import.checked")
    assert (read.username, read.data["filename"], read.data["rows"], read.data["created"],
            read.data["errors"], read.data["importer"]) == (
        "commune_officer", "to-chuc.xlsx", 2, 2, 0, "organizations",
    )  # fmt: skip

    confirmed = client.post(CONFIRM, {"token": token})

    assert confirmed["Location"] == status_url(token)
    done = client.get(status_url(token))
    body = done.content.decode()
    assert "Đã nhập tổ chức đảng từ tệp to-chuc.xlsx: 2 tạo mới, 0 thay đổi, 0 không đổi." in body
    assert set(
        Organization.objects.filter(code__startswith="T01.X01.CB").values_list("parent", flat=True)
    ) == {cast.commune.pk}
    entry = AuditEntry.objects.get(action="tochuc.import.organizations")
    assert (entry.username, entry.data["created"], entry.data["channel"]) == (
        "commune_officer",
        2,
        "web",
    )
    written = job_state(token)
    assert (written["mode"], written["phase"], written["done"], written["total"]) == (
        "write", "done", 2, 2,
    )  # fmt: skip
    assert written["outcome"]["written"] is True
    assert (written["outcome"]["created"], written["outcome"]["errors"]) == (2, [])
    assert not kept(token)  # the spreadsheet is gone
    # Confirming again writes nothing more: the job is over.
    assert client.post(CONFIRM, {"token": token})["Location"] == status_url(token)
    assert AuditEntry.objects.filter(action="tochuc.import.organizations").count() == 1
    # The index lists the import among the user's recent ones.
    recent = client.get(reverse("imports:index")).content.decode()
    assert "Đã nhập: 2 tạo mới, 0 thay đổi, 0 không đổi" in recent
    assert status_url(token) in recent


def test_a_bad_file_shows_every_error_on_the_status_page_and_writes_nothing(
    client, cast, users, uploads
):
    client.force_login(users.sibling_officer)

    token = token_of(upload(client, xlsx_bytes(ROWS)))
    response = client.get(status_url(token))

    body = response.content.decode()
    assert "Tệp có 2 lỗi." in body and "Chưa ghi dòng nào" in body
    assert "Không tìm thấy tổ chức cấp trên mã “T01.X01”." in body
    assert [(e.row, e.column) for e in response.context["outcome"].errors] == [
        (2, "Mã tổ chức cấp trên"),
        (3, "Mã tổ chức cấp trên"),
    ]
    assert "Xác nhận nhập" not in body
    assert response.context["token"] == ""
    assert [e["row"] for e in job_state(token)["outcome"]["errors"]] == [2, 3]
    assert not kept(token)  # the spreadsheet is not kept
    assert AuditEntry.objects.get(action="tochuc.import.checked").data["errors"] == 2
    assert client.post(CONFIRM, {"token": token})["Location"] == status_url(token)
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()
    assert not AuditEntry.objects.filter(action="tochuc.import.organizations").exists()


@pytest.mark.parametrize("other", ["admin", "province_officer", "sibling_officer"])
def test_a_job_is_its_uploaders_alone(client, cast, users, uploads, other):
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(ROWS)))

    client.force_login(getattr(users, other))

    assert client.get(status_url(token)).status_code == 404
    assert client.get(status_url(token), headers={"HX-Request": "true"}).status_code == 404
    assert client.post(CONFIRM, {"token": token}).status_code == 404
    client.post(CANCEL, {"token": token})
    assert client.post(RERUN, {"token": token}).status_code == 404
    assert kept(token)
    assert "to-chuc.xlsx" not in client.get(reverse("imports:index")).content.decode()
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()
    # Nor does a token name another importer's job, or a file outside the folder.
    client.force_login(users.commune_officer)
    assert client.get(status_url(token, "members")).status_code == 404
    assert client.post(CONFIRM, {"token": "../../secret-key"}).status_code == 404
    assert client.get(status_url(token)).status_code == 200


def test_the_status_page_shows_the_progress_while_the_job_runs(
    client, cast, users, uploads, monkeypatch
):
    monkeypatch.setattr(jobs, "SAVE_EVERY", 0)
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(ROWS)))
    job = running(token)
    report = jobs.Tracker(job)
    with worker_holding(job):
        report("checking", 35_000, 70_000)
        page = client.get(status_url(token))
        fragment = client.get(status_url(token), headers={"HX-Request": "true"})
        report("reading", 0, 0)
        reading = client.get(status_url(token), headers={"HX-Request": "true"})
        report("reading", 12_000, 0)  # when the reader counts the rows it has read
        counting = client.get(status_url(token), headers={"HX-Request": "true"})
        report("writing", 7_000, 70_000)  # before the import's transaction
        trial = client.get(status_url(token), headers={"HX-Request": "true"})
        recorded = job_state(token)

    body = page.content.decode()
    assert "Đang kiểm tra: 35.000/70.000 dòng (50%)" in body
    assert f'hx-get="{status_url(token)}" hx-trigger="every 1s"' in body
    assert 'aria-valuenow="50"' in body and "width: 50%" in body
    assert "<html" in body and "<html" not in fragment.content.decode()
    assert "Đang kiểm tra: 35.000/70.000 dòng (50%)" in fragment.content.decode()
    assert "Đang đọc tệp…" in reading.content.decode()
    assert "progress-bar-animated" in reading.content.decode()
    assert "Đang đọc tệp: 12.000 dòng…" in counting.content.decode()
    assert "Đang ghi thử: 7.000/70.000 dòng (10%)" in trial.content.decode()
    assert (recorded["phase"], recorded["done"], recorded["total"]) == ("writing", 7_000, 70_000)


def test_a_job_waiting_long_for_a_worker_says_so(client, cast, users, uploads):
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(ROWS)))
    running(token)
    assert "Chưa có tiến trình nền" not in client.get(status_url(token)).content.decode()
    ImportJob.objects.filter(token=token).update(started_at=timezone.now() - timedelta(minutes=1))

    body = client.get(status_url(token)).content.decode()

    assert "Chưa có tiến trình nền nào nhận việc này" in body
    assert 'hx-trigger="every 1s"' in body


def test_a_job_whose_worker_is_gone_is_marked_failed_and_runs_again(client, cast, users, uploads):
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(ROWS)))
    job = running(token, "writing", jobs.WRITE)
    with worker_holding(job):  # alive: still running
        assert 'hx-trigger="every 1s"' in client.get(status_url(token)).content.decode()

    body = client.get(status_url(token)).content.decode()  # its lock is free: gone

    assert "Tiến trình xử lý nền đã dừng đột ngột" in body and "Chưa ghi dòng nào" in body
    assert 'hx-trigger="every 1s"' not in body and "Chạy lại (ghi)" in body
    assert job_state(token)["phase"] == jobs.FAILED and kept(token)
    lost = AuditEntry.objects.get(action="tochuc.job.failed")
    assert (lost.username, lost.reason, lost.data["filename"]) == (
        "commune_officer", "worker lost", "to-chuc.xlsx",
    )  # fmt: skip
    assert not Organization.objects.filter(code__startswith="T01.X01.CB").exists()

    assert client.post(RERUN, {"token": token})["Location"] == status_url(token)

    assert job_state(token)["phase"] == jobs.DONE and job_state(token)["run"] == 2
    assert Organization.objects.filter(code__startswith="T01.X01.CB").count() == 2
    assert not kept(token)


def test_the_user_can_stop_a_queued_or_running_job(client, cast, users, uploads):
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(ROWS)))
    running(token)

    stopped = client.post(CANCEL, {"token": token}, follow=True)

    assert "Đã dừng; chưa ghi dòng nào." in stopped.content.decode()
    assert job_state(token)["phase"] == jobs.FAILED and kept(token)
    job = running(token, "checking")
    with worker_holding(job):
        stopping = client.post(CANCEL, {"token": token})
        assert stopping["Location"] == status_url(token)
        with pytest.raises(jobs.Stopped):
            jobs.Tracker(job)("checking", 1, 2)


def test_a_crash_is_reported_and_nothing_is_written(client, cast, users, uploads, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs.registry, "run_import", explode)
    client.force_login(users.commune_officer)

    token = token_of(upload(client, xlsx_bytes(ROWS)))

    body = client.get(status_url(token)).content.decode()
    assert "Lỗi hệ thống khi nhập tệp (RuntimeError); chưa ghi dòng nào." in body
    assert "Chạy lại (kiểm tra)" in body
    assert job_state(token)["phase"] == "failed" and kept(token)
    assert AuditEntry.objects.get(action="tochuc.job.failed").reason == "RuntimeError"


def test_cancelling_deletes_the_waiting_file(client, cast, users, uploads):
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(ROWS)))
    response = client.post(CANCEL, {"token": token})
    assert response["Location"] == reverse("imports:upload", args=["organizations"])
    assert not ImportJob.objects.filter(token=token).exists()
    assert client.post(CONFIRM, {"token": token}).status_code == 404


def test_a_file_that_is_already_imported_needs_no_confirmation(client, cast, users, uploads):
    rows = [organization_row("T01.X01", "Đảng bộ xã Tân An", "commune", "T01", "01/07/2025")]
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(rows)))
    preview = client.get(status_url(token))
    assert "không có dữ liệu mới" in preview.content.decode()
    assert preview.context["token"] == ""
    assert not kept(token)


def test_the_confirmation_checks_the_file_again(client, cast, users):
    client.force_login(users.commune_officer)
    token = token_of(upload(client, xlsx_bytes(ROWS)))
    # Meanwhile someone else took one of the codes for another cell.
    found("T01.X01.CB1", "Chi bộ Khu Một", Kind.BASE_CELL, cast.commune)
    client.post(CONFIRM, {"token": token})
    response = client.get(status_url(token))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Không nhập được" in body and "đã có với tên, ngày thành lập khác" in body
    assert not Organization.objects.filter(code="T01.X01.CB2").exists()


def test_an_oversized_upload_is_refused_from_its_declared_length(client, cast, users, settings):
    settings.TOCHUC_IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(users.commune_officer)
    response = upload(client, b"PK" + b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "Tệp quá lớn (2 MB), tối đa 1 MB." in response.content.decode()


def test_a_bomb_or_a_non_workbook_is_refused_by_the_form(client, cast, users, uploads):
    client.force_login(users.commune_officer)
    response = upload(client, b"Ma;Ten\n", name="to-chuc.csv")
    assert response.status_code == 200
    assert xlsx.NOT_XLSX in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_template_downloads_as_xlsx(client, cast, users):
    client.force_login(users.commune_officer)
    response = client.get(reverse("imports:template", args=["organizations"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-organizations.xlsx"'
    assert response.content.startswith(b"PK")


@pytest.mark.parametrize("role", ["commune_viewer", "cell_secretary", "stranger"])
def test_users_who_may_not_import_find_nothing(client, cast, users, role):
    client.force_login(getattr(users, role))
    for url in (
        reverse("imports:index"),
        UPLOAD,
        reverse("imports:template", args=["organizations"]),
        status_url("x" * 43),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(CONFIRM, {"token": "x" * 43}).status_code == 404


def test_an_unknown_importer_is_not_found(client, cast, users):
    client.force_login(users.commune_officer)
    assert client.get(reverse("imports:upload", args=["khong-co"])).status_code == 404


def test_a_user_keeps_their_last_five_finished_imports_and_files_go_after_a_day(
    client, cast, users, uploads
):
    client.force_login(users.commune_officer)
    tokens = [token_of(upload(client, xlsx_bytes(ROWS), name=f"t{n}.xlsx")) for n in range(7)]
    # Each check has ended (its file waits for confirmation): only the newest five stay.
    kept = [s["filename"] for s in jobs.of_user(users.commune_officer)]
    assert kept == ["t6.xlsx", "t5.xlsx", "t4.xlsx", "t3.xlsx", "t2.xlsx"]
    assert client.get(status_url(tokens[1])).status_code == 404
    assert not ImportJob.objects.filter(token=tokens[1]).exists()
    day_ago = timezone.now() - jobs.KEEP - timedelta(seconds=1)
    ImportJob.objects.filter(token=tokens[6]).update(uploaded_at=day_ago)

    jobs.sweep()

    assert client.get(status_url(tokens[6])).status_code == 404
    assert client.get(status_url(tokens[5])).status_code == 200
