"""One matcher at every entry point: adding a candidate, adding a member, and each row of a
members file. A likely duplicate (of a member or candidate the officer can see, or of
another row of the same file) is shown with its evidence before anything is saved; saving
it anyway needs a reason, kept in the record's history."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tochuc.accounts.access import Scope
from tochuc.admissions.models import Candidate
from tochuc.admissions.services import candidate_identify
from tochuc.core.models import AuditEntry
from tochuc.imports import registry
from tochuc.imports.tests.files import xlsx_bytes
from tochuc.members.models import Member
from tochuc.quality.duplicates import likely

from .conftest import BORN, FULL

pytestmark = pytest.mark.django_db

IMPORTER = registry.get("members")
HEADERS = [str(column.header) for column in IMPORTER.columns]
KEYS = [column.key for column in IMPORTER.columns]
BORN_TEXT = BORN.strftime("%d/%m/%Y")
CANDIDATE = {"cell": None, "full_name": "Lam Thi Hoa", "gender": "female",
             "birth_date": BORN_TEXT, "ethnicity": "01", "on": "04/08/2025"}  # fmt: skip


def file_row(full_name, *, born=BORN_TEXT, gender="Nữ", **values):
    values = {
        "organization": "T01.X01.NAPHAI", "full_name": full_name, "gender": gender,
        "birth_date": born, "admitted_on": "19/05/2010", "ceremony_on": "02/06/2010",
        "confirmed_on": "02/06/2011", "birthplace": FULL["birthplace"],
        "hometown": FULL["hometown"], **values,
    }  # fmt: skip
    return [values.get(key, "") for key in KEYS]


def members_file() -> bytes:
    """Row 2 is Lâm Thị Hoa again, row 3 and row 4 are one man typed twice, row 5 another
    man of the same birth date and cell (a different given name: no warning)."""
    rows = [
        file_row("Lâm Thị Hoa"),
        file_row("Triệu Văn Sinh", born="01/01/1980", gender="Nam", citizen_id="020180000201"),
        file_row("Trieu Van Sinh", born="01/01/1980", gender="Nam"),
        file_row("Triệu Văn Minh", born="01/01/1980", gender="Nam", citizen_id="020180000203"),
    ]
    return xlsx_bytes(rows, headers=HEADERS, title="Đảng viên")


def run(user, *, dry_run=False, reason=""):
    return registry.run_import(
        IMPORTER, members_file(), scope=Scope.for_user(user), by=user, dry_run=dry_run,
        reason=reason,
    )  # fmt: skip


# ---------------------------------------------------------------- the candidate form


def test_a_candidate_like_a_kept_member_warns_and_saving_needs_a_reason(
    client, cast, users, village
):
    client.force_login(users.commune_officer)
    url = reverse("admissions:add", args=[cast.village_cell.code])
    data = {**CANDIDATE, "cell": cast.village_cell.pk}
    warned = client.post(url, data)
    assert warned.status_code == 200
    warnings = warned.context["form"].likely_duplicates
    assert sorted(w["url"] for w in warnings) == sorted(
        reverse("members:detail", args=[village[name].pk]) for name in ("hoa", "twice")
    )  # the village holds her twice already
    assert any("Lâm Thị Hoa, sinh 12/04/1988 (đảng viên đã có" in w["text"] for w in warnings)
    assert "duplicate_reason" in warned.context["form"].errors
    assert not Candidate.objects.exists()

    saved = client.post(url, {**data, "duplicate_reason": "Em họ, trùng tên và ngày sinh"})
    assert saved.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.steps.get().note == "Vẫn lưu khi nghi trùng: Em họ, trùng tên và ngày sinh"
    entry = AuditEntry.objects.get(action="tochuc.admission.identified")
    assert entry.reason == "Vẫn lưu khi nghi trùng: Em họ, trùng tên và ngày sinh"


def test_a_candidate_entered_twice_is_caught_on_the_candidate_form(client, cast, users):
    first = candidate_identify(
        cell=cast.village_cell, on=date(2025, 8, 4),
        record={"full_name": "Đinh Thị Ngọc", "gender": "female", "birth_date": date(2000, 4, 12),
                "ethnicity": "02"},
    )  # fmt: skip
    client.force_login(users.commune_officer)
    warned = client.post(
        reverse("admissions:add", args=[cast.village_cell.code]),
        {**CANDIDATE, "cell": cast.village_cell.pk, "full_name": "Dinh Thi Ngoc",
         "birth_date": "12/04/2000", "ethnicity": "02"},
    )  # fmt: skip
    warnings = warned.context["form"].likely_duplicates
    assert [w["url"] for w in warnings] == [reverse("admissions:detail", args=[first.pk])]
    assert "(quần chúng đã có" in warnings[0]["text"]
    assert Candidate.objects.count() == 1


def test_a_member_like_a_candidate_warns_on_the_member_form(client, cast, users):
    candidate = candidate_identify(
        cell=cast.village_cell, on=date(2025, 8, 4),
        record={"full_name": "Đinh Thị Ngọc", "gender": "female", "birth_date": date(2000, 4, 12),
                "ethnicity": "02"},
    )  # fmt: skip
    client.force_login(users.commune_officer)
    warned = client.post(
        reverse("members:add", args=[cast.village_cell.code]),
        {"cell": cast.village_cell.pk, "full_name": "Đinh Thị Ngọc", "gender": "female",
         "birth_date": "12/04/2000", "ethnicity": "02", "admitted_on": "19/05/2025"},
    )  # fmt: skip
    assert [w["url"] for w in warned.context["form"].likely_duplicates] == [
        reverse("admissions:detail", args=[candidate.pk])
    ]
    assert not Member.objects.filter(full_name="Đinh Thị Ngọc").exists()


def test_the_check_names_no_record_outside_the_officers_subtree(client, cast, users, village):
    client.force_login(users.sibling_officer)
    saved = client.post(
        reverse("admissions:add", args=[cast.sibling_cell.code]),
        {**CANDIDATE, "cell": cast.sibling_cell.pk, "full_name": "Lâm Thị Hoa"},
    )
    assert saved.status_code == 302  # Tân An's Lâm Thị Hoa is not Tân Bình's to see
    assert Candidate.objects.get().full_name == "Lâm Thị Hoa"


def test_the_given_name_tells_two_people_apart(cast, users):
    def entered(name):
        return {
            "full_name": name, "gender": "male", "birth_date": date(1980, 1, 1),
            "admitted_on": date(2010, 5, 19), "organization_id": cast.village_cell.pk,
        }  # fmt: skip

    found = likely(
        [entered("Nguyễn Văn An"), entered("Nguyễn Văn Bình"), entered("Nguyen Van Anh")],
        scope=Scope.for_user(users.commune_officer),
        names=["dòng 2", "dòng 3", "dòng 4"],
    )
    assert [[w["index"] for w in row] for row in found] == [[2], [], [0]]
    assert "(dòng 2; độ giống" in found[2][0]["text"]


def test_the_nation_is_searched_by_numbers_and_the_cells_province_by_birth_date(cast, users):
    """An administrator's entry (the whole nation in scope, as a command-line import) looks
    for the same birth date in the province of the cell entered into, and for the same
    citizen ID, card or phone everywhere: province B's Lâm Thị Hoa, born the same day, is
    another woman to province A; province B's Lâm Thị Hòa with the same phone is not."""
    from tochuc.organizations.models import Kind
    from tochuc.testing import found, register

    far_cell = found("T02.P01.K1", "Chi bộ khu phố 1", Kind.BASE_CELL, cast.other_commune)
    register(far_cell, "Lâm Thị Hoa", birth_date=BORN, gender="female", **FULL)
    register(far_cell, "Lâm Thị Hòa", birth_date=date(1990, 3, 8), gender="female",
             phone="0912345678", **FULL)  # fmt: skip
    near = register(cast.village_cell, "Lâm Thị Hoa", birth_date=BORN, gender="female", **FULL)

    def entered(**record):
        return {"full_name": "Lâm Thị Hoa", "gender": "female", "admitted_on": date(2010, 5, 19),
                "organization_id": cast.village_cell.pk, **record}  # fmt: skip

    found_rows = likely(
        [entered(birth_date=BORN), entered(birth_date=date(1991, 3, 8), phone="0912345678")],
        scope=Scope.for_user(users.admin),
    )
    urls = [sorted(w["url"] for w in row) for row in found_rows]
    far_hoa = Member.objects.get(phone="0912345678")
    assert urls == [
        [reverse("members:detail", args=[near.pk])],
        [reverse("members:detail", args=[far_hoa.pk])],
    ]


# ---------------------------------------------------------------- the members file


def test_the_preview_flags_the_rows_with_their_evidence(cast, users, village):
    outcome = run(users.commune_officer, dry_run=True)
    assert outcome.ok and outcome.created == 4
    flags = [(f.row, f.message.split(" (")[0]) for f in outcome.flags]
    assert flags == [
        (2, "Lâm Thi Hoa, sinh 12/04/1988"),
        (2, "Lâm Thị Hoa, sinh 12/04/1988"),
        (3, "Trieu Van Sinh, sinh 01/01/1980"),
        (4, "Triệu Văn Sinh, sinh 01/01/1980"),
    ]
    assert "cùng ngày sinh 01/01/1980" in outcome.flags[2].message
    assert "(dòng 4 của tệp; độ giống" in outcome.flags[2].message
    assert outcome.flagged_rows == 3


def test_a_file_with_flagged_rows_is_not_written_without_a_reason(cast, users, village):
    before = Member.objects.count()
    outcome = run(users.commune_officer)
    assert [e.message for e in outcome.errors] == [registry.flags_need_reason(3)]
    assert not outcome.written
    assert Member.objects.count() == before


def test_with_a_reason_every_row_is_written_and_the_flagged_ones_keep_it(cast, users, village):
    outcome = run(users.commune_officer, reason="Đã đối chiếu lý lịch: người khác")
    assert outcome.written and outcome.created == 4
    reasons = {
        m.full_name: m.history.first().history_change_reason
        for m in Member.objects.filter(full_name__in=["Trieu Van Sinh", "Triệu Văn Minh"])
    }
    assert reasons == {
        "Trieu Van Sinh": "Nhập từ tệp Excel, vẫn nhập khi nghi trùng: Đã đối chiếu lý lịch: "
        "người khác",
        "Triệu Văn Minh": "Nhập từ tệp Excel",
    }
    entry = AuditEntry.objects.get(action="tochuc.import.members")
    assert (entry.data["flagged"], entry.data["flag_reason"]) == (
        3, "Đã đối chiếu lý lịch: người khác"
    )  # fmt: skip


def test_the_web_confirmation_asks_for_the_reason_beside_the_button(
    client, cast, users, village, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client.force_login(users.commune_officer)
    upload = client.post(
        reverse("imports:upload", args=["members"]),
        {"file": SimpleUploadedFile("dang-vien.xlsx", members_file())},
    )
    preview = client.get(upload["Location"])
    body = preview.content.decode()
    assert 'id="import-flag-rows"' in body and "Trieu Van Sinh, sinh 01/01/1980" in body
    token = preview.context["token"]
    confirm = reverse("imports:confirm", args=["members"])
    refused = client.post(confirm, {"token": token})
    assert refused.status_code == 400
    assert registry.flags_need_reason(3) in refused.content.decode()
    assert not Member.objects.filter(full_name="Triệu Văn Minh").exists()
    written = client.post(confirm, {"token": token, "reason": "Người khác, đã đối chiếu"})
    assert written.status_code == 302
    assert Member.objects.filter(full_name__startswith="Tri").count() == 3


def test_the_command_line_needs_the_reason_too(cast, users, village, tmp_path):
    path = tmp_path / "dang-vien.xlsx"
    path.write_bytes(members_file())
    with pytest.raises(CommandError):
        call_command("import", "members", str(path), "--user", users.commune_officer.username)
    assert not Member.objects.filter(full_name="Triệu Văn Minh").exists()
    call_command(
        "import", "members", str(path), "--user", users.commune_officer.username,
        "--duplicate-reason", "Người khác, đã đối chiếu",
    )  # fmt: skip
    assert Member.objects.filter(full_name__startswith="Tri").count() == 3
