"""A real browser against the live server: log in, walk the tree, travel in time, meet the
gate, and record a merge through its preview.

Screenshots go to /tmp/e2e-*.png for a human to look at.
"""

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
    page.screenshot(path=f"/tmp/e2e-{name}.png", full_page=True)


def test_a_commune_officer_walks_their_tree_and_its_past(context, live_server, cast):
    page = context.new_page()
    log_in(page, live_server, "commune_officer")

    # Home takes a user with one organization straight to it.
    expect(page).to_have_url(f"{live_server.url}/to-chuc/{cast.commune.code}/")
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
    expect(page).to_have_url(f"{live_server.url}/to-chuc/{cast.province.code}/")

    page.goto(f"{live_server.url}/to-chuc/{cast.commune.code}/")
    page.get_by_role("button", name="Thay đổi tổ chức").click()
    page.get_by_role("link", name="Sáp nhập, hợp nhất").click()
    expect(page).to_have_url(f"{live_server.url}/to-chuc/{cast.commune.code}/sap-nhap/")

    page.get_by_label("Sáp nhập các tổ chức được chọn vào tổ chức này").check()
    page.get_by_label("Đảng bộ xã Tân Bình (T01.X02)").check()
    page.get_by_label("Ngày hiệu lực").fill("01/01/2026")
    page.get_by_label("Số quyết định").fill("125-QĐ/TU")
    page.get_by_label("Ngày quyết định").fill("20/12/2025")
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
