"""A real browser against the live server: log in, walk the tree, travel in time, meet the
gate, and record a merge through its preview.

Screenshots go to /tmp/e2e-VENDOR-*.png for a human to look at (one set per database: the
SQLite and PostgreSQL runs of `make test` run at once).
"""

import re

import pytest
from playwright.sync_api import expect

from tochuc.testing import PASSWORD, ROLES_BY_NAME, build_cast

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(transactional_db):
    cast = build_cast()
    for name, (role, where) in ROLES_BY_NAME.items():
        cast.user(name, role, getattr(cast, where) if where else None)
    return cast


def log_in(page, live_server, username):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(f"{live_server.url}/dang-nhap/?next=/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def shot(page, name):
    from django.db import connection

    page.screenshot(path=f"/tmp/e2e-{connection.vendor}-{name}.png", full_page=True)


def test_a_commune_officer_walks_their_tree_and_its_past(context, live_server, cast):
    page = context.new_page()
    log_in(page, live_server, "commune_officer")

    # Home is the dashboard of the user's organization; its tree is one click away.
    expect(page.locator(".context-bar .org-name")).to_have_text("Đảng bộ xã Tân An")
    expect(page.locator('[data-figure="grassroots"]')).to_have_text("2")
    page.get_by_role("link", name="Cây tổ chức").click()
    expect(page).to_have_url(re.compile(rf"/to-chuc/{re.escape(cast.commune.code)}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đảng bộ xã Tân An")
    tree = page.locator("#tree")
    expect(page.get_by_text("Cơ cấu tổ chức", exact=False)).to_be_visible()
    expect(tree).to_contain_text("Đảng bộ Trường THPT Tân An")
    expect(tree).to_contain_text("Chi bộ thôn Nà Phái")
    expect(tree).not_to_contain_text("Chi bộ Tổ Toán")
    page.wait_for_load_state("load")
    assert not context.broken_assets, f"static files not served: {context.broken_assets}"

    # Expanding a node fetches its children with htmx, in place.
    page.get_by_role("button", name="Mở rộng Đảng bộ Trường THPT Tân An").click()
    expect(tree.get_by_role("link", name="Chi bộ Tổ Toán")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/to-chuc/{cast.commune.code}/")
    shot(page, "commune-tree")

    # The date picker shows the tree as of another date: in 2020 the commune did not exist.
    page.locator("#ngay").fill("31/12/2020")
    page.locator("#ngay").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/to-chuc/{cast.commune.code}/?ngay=31%2F12%2F2020")
    expect(page.locator(".alert-info")).to_contain_text(
        "Vào ngày 31/12/2020, tổ chức này chưa được thành lập (thành lập 01/07/2025)"
    )
    expect(page.get_by_text("Cơ cấu tổ chức tại ngày 31/12/2020")).to_be_visible()
    expect(tree).to_contain_text("Không có tổ chức trực thuộc vào ngày 31/12/2020")
    shot(page, "commune-2020")

    # Another commune is simply not found, in Vietnamese.
    response = page.goto(f"{live_server.url}/to-chuc/{cast.sibling_commune.code}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang hoặc dữ liệu")
    expect(page.locator("body")).not_to_contain_text("Tân Bình")
    shot(page, "not-found")


def test_a_province_officer_records_a_merge_after_a_preview(context, live_server, cast):
    page = context.new_page()
    log_in(page, live_server, "province_officer")
    expect(page.locator(".context-bar .org-name")).to_have_text("Đảng bộ tỉnh A")

    page.goto(f"{live_server.url}/to-chuc/{cast.commune.code}/")
    page.get_by_role("button", name="Thay đổi tổ chức").click()
    page.get_by_role("link", name="Sáp nhập, hợp nhất").click()
    expect(page).to_have_url(f"{live_server.url}/to-chuc/{cast.commune.code}/sap-nhap/")

    page.get_by_label("Sáp nhập các tổ chức được chọn vào tổ chức này").check()
    page.get_by_label("Đảng bộ xã Tân Bình (T01.X02)").check()
    page.get_by_label("Ngày hiệu lực").fill("01/01/2026")
    page.get_by_label("Số quyết định", exact=True).fill("125-QĐ/TU")
    page.get_by_label("Ngày quyết định", exact=True).fill("20/12/2025")
    page.get_by_role("button", name="Xem trước").click()

    preview = page.locator("#preview")
    expect(preview).to_contain_text("Xem trước kết quả (chưa ghi)")
    expect(preview).to_contain_text("Đảng bộ xã Tân Bình chấm dứt hoạt động từ 01/01/2026")
    shot(page, "merge-preview")
    cast.sibling_commune.refresh_from_db()
    assert cast.sibling_commune.ended_on is None  # a preview writes nothing

    page.get_by_role("button", name="Xác nhận ghi").click()
    expect(page).to_have_url(f"{live_server.url}/to-chuc/{cast.commune.code}/")
    expect(page.get_by_role("alert").first).to_contain_text("Đã ghi")
    history = page.locator("#history")
    expect(history).to_contain_text("01/01/2026 · Hợp nhất, sáp nhập")
    expect(history).to_contain_text("Quyết định 125-QĐ/TU ngày 20/12/2025")
    expect(history).to_contain_text("Đảng bộ xã Tân Bình")
    expect(page.locator("#tree")).to_contain_text("Chi bộ thôn Khòn Lèng")  # came along
    shot(page, "merge-history")

    # The ended commune points to its successor.
    page.goto(f"{live_server.url}/to-chuc/{cast.sibling_commune.code}/")
    expect(page.get_by_text("Chấm dứt hoạt động từ 01/01/2026")).to_be_visible()
    expect(page.get_by_role("link", name="Đảng bộ xã Tân An").first).to_be_visible()
    shot(page, "merged-commune")


def test_an_import_page_follows_the_job_then_shows_the_preview(
    context, live_server, cast, settings, tmp_path
):
    """The status page polls with htmx while a job runs, and turns into the preview by itself."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tochuc.core import liveness
    from tochuc.imports import jobs, registry
    from tochuc.imports.models import ImportJob
    from tochuc.imports.tests.files import organization_row, xlsx_bytes

    settings.VAR_DIR = tmp_path
    officer = get_user_model().objects.get(username="commune_officer")
    rows = [
        organization_row(
            f"T01.X01.CB{n}", f"Chi bộ Khu {n}", "Chi bộ cơ sở", "T01.X01", "01/08/2025"
        )
        for n in (1, 2)
    ]
    token = jobs.create(
        importer=registry.get("organizations"),
        upload=SimpleUploadedFile("to-chuc.xlsx", xlsx_bytes(rows)),
        user=officer,
    )
    ImportJob.objects.filter(token=token).update(run=1)
    job = ImportJob.objects.get(token=token)
    with liveness.held(jobs.LOCK_NAME, job.pk):  # as if a worker process ran it
        report = jobs.Tracker(job)
        report("checking", 1, 2)

        page = context.new_page()
        log_in(page, live_server, "commune_officer")
        page.goto(f"{live_server.url}/nhap-lieu/organizations/tien-do/{token}/")
        expect(page.locator("#import-progress-text")).to_have_text("Đang kiểm tra: 1/2 dòng (50%)")
        expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")
        shot(page, "import-progress")

        report("writing", 1, 2)
        expect(page.locator("#import-progress-text")).to_have_text("Đang ghi thử: 1/2 dòng (50%)")
    ImportJob.objects.filter(pk=job.pk).update(phase=jobs.QUEUED)
    jobs.work(job_id=job.pk, run=1)  # the job ends

    expect(page.get_by_role("heading", level=1)).to_have_text("Xem trước kết quả nhập tổ chức đảng")
    expect(page.locator("#import-status")).to_contain_text("Chi bộ Khu 2")
    shot(page, "import-preview")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Đã nhập tổ chức đảng từ tệp to-chuc.xlsx: 2 tạo mới, 0 thay đổi, 0 không đổi."
    )
    shot(page, "import-done")


def test_one_commune_sends_a_member_and_the_other_receives_them(context, live_server, cast):
    from tochuc.testing import register
    from tochuc.transfers.models import Transfer

    member = register(cast.village_cell, "Trần Thị Bình")
    page = context.new_page()
    log_in(page, live_server, "commune_officer")
    page.goto(f"{live_server.url}/dang-vien/{member.pk}/")
    page.get_by_role("button", name="Thủ tục").click()
    page.get_by_role("link", name="Chuyển sinh hoạt đảng chính thức").click()
    page.get_by_label("Mã chi bộ nơi đến").fill(cast.sibling_cell.code)
    page.get_by_label("Ngày cấp giấy giới thiệu").fill("02/03/2026")
    page.get_by_role("button", name="Ghi").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã cấp giấy giới thiệu số 1-GGT/ĐU")
    expect(page.locator("#present-due")).to_have_text("13/04/2026")
    shot(page, "transfer-issued")
    page.context.clear_cookies()

    log_in(page, live_server, "sibling_officer")
    incoming = f"/dang-vien/chuyen-sinh-hoat/to-chuc/{cast.sibling_commune.code}/?xem=den"
    page.goto(live_server.url + incoming)
    page.get_by_role("link", name="1-GGT/ĐU").click()
    page.locator("#receive-link").click()
    page.get_by_label("Ngày đến sinh hoạt").fill("10/03/2026")
    page.get_by_role("button", name="Ghi").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Đã tiếp nhận đảng viên Trần Thị Bình từ ngày 10/03/2026."
    )
    expect(page.locator("#timeline")).to_contain_text("Chuyển sinh hoạt đảng chính thức đến")
    shot(page, "transfer-received")
    assert Transfer.objects.get().state == Transfer.State.RECEIVED
