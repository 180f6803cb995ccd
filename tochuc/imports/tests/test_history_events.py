"""The `events` import: every refusal writes nothing, re-imports change nothing, the dry
run counts by type and organization, the template reads back, CLI and web page work."""

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.accounts.permissions import Role
from tochuc.accounts.services import grant_create, user_create
from tochuc.core.models import AuditEntry
from tochuc.imports import registry
from tochuc.imports.history_fixture import workbook
from tochuc.imports.tests.history_helpers import Tree, event_row, person, run
from tochuc.lib import xlsx
from tochuc.members.models import Affiliation, Member, MemberEvent, Status

pytestmark = pytest.mark.django_db
T = MemberEvent.Type


@pytest.fixture
def tree():
    return Tree()


@pytest.fixture
def an(tree):
    return person(tree.a1, 1)


@pytest.fixture
def binh(tree):
    return person(tree.a1, 2, name="Trần Thị Bình")


def stored():
    """Everything the import could write, to assert that nothing was."""
    return (
        list(MemberEvent.objects.order_by("id").values_list("id", "type", "on")),
        list(Affiliation.objects.order_by("id").values_list("id", "valid_from", "valid_to")),
        list(Member.objects.order_by("id").values_list("id", "status", "row_version")),
    )


def refused(rows, **kwargs):
    before = stored()
    outcome = run("events", rows, **kwargs)
    assert not outcome.ok
    assert stored() == before  # nothing written
    return [(e.row, e.message) for e in outcome.errors]


GOOD = ("Chuyển đi chính thức", "01/06/2021", {"organization": "P.C2.B1"})


def test_an_event_before_the_members_last_stored_event_is_refused(an):
    rows = [
        event_row(an.party_card_no, *GOOD[:2], **GOOD[2]),
        event_row(an.party_card_no, "Từ trần", "01/03/2011"),  # before the confirmation
    ]
    errors = refused(rows)
    assert errors == [(3, "Ngày 01/03/2011 trước sự kiện đã ghi gần nhất (Công nhận đảng viên "
                          "chính thức ngày 15/03/2011). Hãy ghi các sự kiện theo đúng trình tự "
                          "thời gian.")]  # fmt: skip


def test_an_event_after_death_is_refused(an, binh):
    rows = [
        event_row(binh.party_card_no, *GOOD[:2], **GOOD[2]),  # a good row of another member
        event_row(an.party_card_no, "died", "01/02/2020"),
        event_row(an.party_card_no, *GOOD[:2], **GOOD[2]),
    ]
    assert refused(rows) == [(4, "Nguyễn Văn An không còn sinh hoạt đảng (Đã từ trần).")]


def test_a_transfer_while_a_temporary_activity_is_open_is_refused(an):
    rows = [
        event_row(
            an.party_card_no,
            "Chuyển sinh hoạt tạm thời",
            "10/01/2021",
            organization="P.C1.A2",
            ends_on="10/07/2021",
            decision_no="5-GGT",
        ),  # fmt: skip
        event_row(an.party_card_no, *GOOD[:2], **GOOD[2]),
    ]
    [(row, message)] = refused(rows)
    assert row == 3
    assert message.startswith("Nguyễn Văn An đang sinh hoạt đảng tạm thời (giấy giới thiệu 5-GGT")


def test_a_destination_that_did_not_exist_on_the_date_is_refused(an, binh):
    rows = [
        event_row(an.party_card_no, "Chuyển đi chính thức", "01/06/2021", organization="P.C2.NEW"),
        event_row(
            binh.party_card_no, "Chuyển đi chính thức", "01/06/2021", organization="P.C1.OLD"
        ),  # fmt: skip
    ]
    assert refused(rows) == [
        (2, "Chi bộ Mới không hoạt động vào ngày 01/06/2021."),
        (3, "Chi bộ Cũ không hoạt động vào ngày 01/06/2021."),
    ]


def test_a_code_outside_the_importers_scope_is_refused_like_a_missing_one(tree, an):
    officer = user_create(username="xa_mot", password="x", full_name="Cán bộ xã Một")
    grant_create(user=officer, role=Role.OFFICER, organization=tree.c1, valid_from=date(2000, 1, 1))
    rows = [
        event_row(an.party_card_no, "Chuyển đi chính thức", "01/06/2021", organization="P.C2.B1"),
        event_row(an.party_card_no, "Chuyển đi chính thức", "01/06/2021", organization="P.C9.X"),
    ]
    message = "Không có tổ chức mã “%s” trong phạm vi được nhập."
    assert refused(rows, scope=Scope.for_user(officer), by=officer) == [
        (2, message % "P.C2.B1"), (3, message % "P.C9.X"),
    ]  # fmt: skip


def test_an_unknown_member_and_a_bad_type_are_refused(an):
    rows = [
        event_row("P99999", *GOOD[:2], **GOOD[2]),
        event_row(an.party_card_no, "Thăng chức", "01/06/2021"),
        {"citizen_id": "000000000777", "type": "died", "on": "01/06/2021"},
        event_row(an.party_card_no, "died", "31/02/2021"),
    ]
    errors = refused(rows)
    assert (2, "Không có đảng viên số thẻ P99999 trong phạm vi được nhập.") in errors
    assert (3, "“Thăng chức” không có trong danh mục Loại sự kiện.") in errors
    assert (4, "Không có đảng viên số CCCD 000000000777 trong phạm vi được nhập.") in errors
    assert len(errors) == 4 and errors[3][0] == 5


def test_the_type_is_read_whatever_the_accents_and_case(an):
    outcome = run("events", [event_row(an.party_card_no, "CHUYEN DI chinh thuc", "01/06/2021",
                                       organization="P.C2.B1")])  # fmt: skip
    assert outcome.ok, [str(e) for e in outcome.errors]
    moved = MemberEvent.objects.get(member=an, type=T.TRANSFERRED_OUT)
    assert moved.on == date(2021, 6, 1) and moved.other_organization.code == "P.C2.B1"


def test_a_date_out_of_range_is_refused_in_its_cell_and_nothing_is_written(an):
    rows = [
        event_row(an.party_card_no, *GOOD[:2], **GOOD[2]),
        event_row(an.party_card_no, "Từ trần", "01/01/1920"),
        event_row(an.party_card_no, "Từ trần", "01/01/2999"),
    ]
    assert refused(rows) == [
        (3, "Ngày 01/01/1920 trước ngày thành lập Đảng (03/02/1930)."),
        (4, "Ngày này không được sau hôm nay."),
    ]
    assert str(run("events", rows).errors[0]).startswith("Dòng 3, cột “Ngày”: ")


def test_readmission_too_soon_and_a_second_exemption_are_refused(an, binh):
    rows = [
        event_row(an.party_card_no, "Xóa tên", "01/02/2020"),
        event_row(
            an.party_card_no,
            "Kết nạp lại",
            "01/02/2022",
            organization="P.C1.A1",
            detail="Công văn 1-CV/TU",
        ),  # fmt: skip
        event_row(binh.party_card_no, "Miễn công tác và sinh hoạt đảng", "01/02/2020"),
        event_row(binh.party_card_no, "Miễn công tác và sinh hoạt đảng", "01/02/2021"),
    ]
    errors = refused(rows)
    assert errors[0][0] == 3 and errors[0][1].startswith("Chỉ xem xét kết nạp lại sau ít nhất 36")
    assert errors[1] == (5, "Trần Thị Bình đã được miễn công tác và sinh hoạt đảng.")


def test_re_importing_the_same_file_changes_nothing(an, binh):
    rows = [
        event_row(
            an.party_card_no,
            "Chuyển đi chính thức",
            "01/06/2021",
            decision_no="1-QĐ",
            organization="P.C2.B1",
            arrived_on="15/06/2021",
        ),  # fmt: skip
        event_row(an.party_card_no, "Kỷ luật", "01/06/2022", detail="Cảnh cáo", decision_no="2"),
        event_row(
            binh.party_card_no,
            "Chuyển sinh hoạt tạm thời",
            "10/01/2021",
            other_party="Đảng bộ tỉnh Q",
            ends_on="10/07/2021",
            decision_no="3-GGT",
        ),  # fmt: skip
        event_row(binh.party_card_no, "Từ trần", "10/01/2023", decision_no="4"),
    ]
    first = run("events", rows)
    assert (first.created, first.unchanged) == (4, 0)
    before = stored()
    second = run("events", rows)
    assert second.ok and (second.created, second.changed, second.unchanged) == (0, 0, 4)
    assert stored() == before
    an.refresh_from_db()
    assert (an.organization.code, an.row_version) == ("P.C2.B1", 3)
    assert AuditEntry.objects.filter(action="tochuc.import.events").count() == 2


def test_the_dry_run_counts_events_by_type_and_organization_and_writes_nothing(an, binh):
    rows = [
        event_row(an.party_card_no, "Chuyển đi chính thức", "01/06/2021", organization="P.C2.B1"),
        event_row(
            binh.party_card_no, "Chuyển đi chính thức", "01/06/2021", organization="P.C2.B1"
        ),  # fmt: skip
        event_row(binh.party_card_no, "Từ trần", "01/06/2024"),
    ]
    before = stored()
    outcome = run("events", rows, dry_run=True)
    assert outcome.ok and not outcome.written
    assert stored() == before
    assert outcome.created == 3
    assert outcome.samples == [
        ["Chuyển sinh hoạt đảng chính thức đi", "Tất cả", 2],
        ["Chuyển sinh hoạt đảng chính thức đến", "Tất cả", 2],
        ["Từ trần", "Tất cả", 1],
        ["Chuyển sinh hoạt đảng chính thức đi", "Chi bộ A1", 2],
        ["Chuyển sinh hoạt đảng chính thức đến", "Chi bộ B1", 2],
        ["Từ trần", "Chi bộ B1", 1],
    ]


def test_the_template_reads_back_with_every_column_and_the_example():
    importer = registry.get("events")
    table = xlsx.read_table(importer.template(), importer.columns, sheet_title=importer.sheet_title)
    [row] = table.rows
    assert row.text("type") == "Chuyển đi chính thức"
    assert row.text("organization") == "T01.X02.KHONLENG"
    assert [c.key for c in table.columns] == [c.key for c in importer.columns]
    book = openpyxl.load_workbook(io.BytesIO(importer.template()))
    lists = [row[0] for row in book["Danh mục"].iter_rows(values_only=True)]
    assert "Kết nạp lại" in lists and "Trở về sau sinh hoạt tạm thời" in lists


def test_the_template_and_import_commands_work_for_the_history_imports(an, tmp_path):
    for name, title in (("events", "Sự kiện"), ("org-events", "Sự kiện tổ chức"),
                        ("targets", "Chỉ tiêu")):  # fmt: skip
        target = tmp_path / f"{name}.xlsx"
        call_command("template", name, "-o", target, stdout=io.StringIO())
        assert openpyxl.load_workbook(target).sheetnames[0] == title
    path = tmp_path / "su-kien.xlsx"
    path.write_bytes(workbook("events", [event_row(an.party_card_no, *GOOD[:2], **GOOD[2])]))
    dry = io.StringIO()
    call_command("import", "events", path, "--dry-run", stdout=dry, stderr=io.StringIO())
    # The dry run prints what the web preview shows: the events by type and organization.
    lines = [line.split() for line in dry.getvalue().splitlines()]
    assert "Chạy thử: tệp hợp lệ (1 dòng)" in dry.getvalue()
    assert ["Chuyển", "sinh", "hoạt", "đảng", "chính", "thức", "đi", "Tất", "cả", "1"] in lines
    out = io.StringIO()
    call_command("import", "events", path, stdout=out, stderr=io.StringIO())
    assert "Đã nhập 1 dòng: 1 tạo mới, 0 thay đổi, 0 không đổi." in out.getvalue()
    an.refresh_from_db()
    assert (an.organization.code, an.status) == ("P.C2.B1", Status.FULL)


def test_the_web_page_previews_then_imports_events(client, an, tree, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    officer = user_create(username="tinh_p", password="x", full_name="Cán bộ tỉnh P")
    grant_create(user=officer, role=Role.OFFICER, organization=tree.province,
                 valid_from=date(2000, 1, 1))  # fmt: skip
    client.force_login(officer)
    content = workbook("events", [event_row(an.party_card_no, *GOOD[:2], **GOOD[2])])
    response = client.post(reverse("imports:upload", args=["events"]),
                           {"file": SimpleUploadedFile("su-kien.xlsx", content)})  # fmt: skip
    status = response["Location"]
    preview = client.get(status)
    body = preview.content.decode()
    assert "Tệp hợp lệ" in body and "Chuyển sinh hoạt đảng chính thức đến" in body
    assert not MemberEvent.objects.filter(type=T.TRANSFERRED_OUT).exists()
    token = status.rstrip("/").rsplit("/", 1)[-1]
    client.post(reverse("imports:confirm", args=["events"]), {"token": token})
    assert MemberEvent.objects.filter(type=T.TRANSFERRED_OUT, member=an).count() == 1
    entry = AuditEntry.objects.get(action="tochuc.import.events")
    assert (entry.username, entry.data["created"]) == ("tinh_p", 1)


def test_an_import_rebuilds_the_summary_of_the_provinces_it_wrote_to(tree, an):
    from tochuc.reports import periods, registry
    from tochuc.statistics import counts
    from tochuc.statistics.models import CountSnapshot

    on = date(2021, 12, 31)
    counts.rebuild(on)
    assert counts.snapshot_counts(tree.province, on)["status"]["full"] == 1
    officer = user_create(username="tinh_p", password="x", full_name="Cán bộ tỉnh P")
    grant_create(user=officer, role=Role.OFFICER, organization=tree.province,
                 valid_from=date(2000, 1, 1))  # fmt: skip
    row = event_row(an.party_card_no, "Từ trần", "01/06/2021")
    assert run("events", [row], scope=Scope.for_user(officer), by=officer).ok
    entry = AuditEntry.objects.get(action="tochuc.import.events")
    assert entry.data["provinces"] == [tree.province.pk]
    assert entry.province_id == tree.province.pk  # the home pages of this province only
    assert counts.stale_provinces(CountSnapshot.objects.get(on=on)) == set()
    assert counts.snapshot_counts(tree.province, on) == {}  # rebuilt: nobody left
    report = registry.build("membership", tree.province, periods.at(on))
    assert report.table("members").rows[0]["count"] == 0
