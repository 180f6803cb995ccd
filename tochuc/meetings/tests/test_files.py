"""Files of a meeting: the signed minutes uploaded by the secretary, stored under the media
directory with a random name, served only through the scoped page (a download is audited);
a hostile file (too big, wrong type, a lying extension, a path in its name) is refused in
Vietnamese beside the field and nothing is written."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tochuc.core.models import AuditEntry
from tochuc.meetings.models import MeetingFile

from .conftest import hold

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def meeting(cast, village):
    return hold(cast.village_cell, date(2026, 3, 5))


def _attach(client, cast, meeting, upload):
    url = reverse("meetings:attach", args=[cast.village_cell.code]) + f"?buoi={meeting.pk}"
    return client.post(url, {"file": upload})


def test_the_secretary_uploads_the_minutes_and_the_commune_downloads_them(
    client, cast, users, meeting, _media
):
    client.force_login(users.commune_officer)
    response = _attach(client, cast, meeting, SimpleUploadedFile("bien-ban.pdf", PDF))
    assert response.status_code == 302
    row = MeetingFile.objects.get()
    assert (row.filename, row.size, row.content_type) == (
        "bien-ban.pdf",
        len(PDF),
        "application/pdf",
    )
    assert row.path.startswith("attachments/meetings/2026/") and "bien-ban" not in row.path
    assert (_media / row.path).read_bytes() == PDF
    url = reverse("meetings:file", args=[cast.commune.code, row.pk])
    download = client.get(url)
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="bien-ban.pdf"' in download["Content-Disposition"]
    assert AuditEntry.objects.filter(action="tochuc.meeting.file_downloaded").count() == 1
    assert AuditEntry.objects.filter(action="tochuc.meeting.file_attached").count() == 1


def test_a_file_is_not_found_outside_the_scope(client, cast, users, meeting):
    client.force_login(users.commune_officer)
    _attach(client, cast, meeting, SimpleUploadedFile("bien-ban.pdf", PDF))
    row = MeetingFile.objects.get()
    client.force_login(users.sibling_officer)
    for code in (cast.sibling_commune.code, cast.commune.code):
        assert client.get(reverse("meetings:file", args=[code, row.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="tochuc.meeting.file_downloaded").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Không nhận loại tệp này"),
        ("bien-ban.pdf", b"MZ\x90\x00 not a pdf", "không phải tệp .pdf"),
        ("ghi-chu.txt", b"\xff\xfe\x00\x00", "không phải tệp .txt"),
        ("rong.pdf", b"", "Tệp rỗng."),
    ],
)
def test_a_hostile_file_is_refused_beside_the_field(
    client, cast, users, meeting, _media, name, content, message
):
    client.force_login(users.commune_officer)
    response = _attach(client, cast, meeting, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not MeetingFile.objects.exists()
    assert not (_media / "attachments").exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    client, cast, users, meeting, settings, _media
):
    settings.TOCHUC_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client.force_login(users.commune_officer)
    big = SimpleUploadedFile("bien-ban.pdf", PDF + b"0" * (1024 * 1024))
    response = _attach(client, cast, meeting, big)
    assert response.context["form"].errors["file"] == ["Tệp quá lớn: 1,0 MB, tối đa 1 MB."]
    assert not MeetingFile.objects.exists()


def test_a_path_in_the_name_is_dropped(client, cast, users, meeting, _media):
    client.force_login(users.commune_officer)
    _attach(client, cast, meeting, SimpleUploadedFile("../../etc/bien-ban.pdf", PDF))
    row = MeetingFile.objects.get()
    assert row.filename == "bien-ban.pdf"
    assert (_media / row.path).resolve().is_relative_to(_media.resolve())


def test_cancelling_the_meeting_removes_its_files_once_committed(
    client, cast, users, meeting, _media, django_capture_on_commit_callbacks
):
    from tochuc.core.corrections import Grounds, history
    from tochuc.meetings import services

    client.force_login(users.commune_officer)
    _attach(client, cast, meeting, SimpleUploadedFile("bien-ban.pdf", PDF))
    stored = _media / MeetingFile.objects.get().path
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, grounds=Grounds("Ghi nhầm ngày"))
    assert not MeetingFile.objects.exists()
    assert not stored.exists()
    assert history(meeting).get().effects == ["Xóa 1 tệp đính kèm."]


def test_a_wrong_file_is_removed_with_the_reason_kept(
    client, cast, users, meeting, _media, django_capture_on_commit_callbacks
):
    from tochuc.core.models import Correction

    client.force_login(users.commune_officer)
    _attach(client, cast, meeting, SimpleUploadedFile("nham.pdf", PDF))
    row = MeetingFile.objects.get()
    url = reverse("meetings:file_remove", args=[cast.commune.code, row.pk])
    data = {"mode": "cancelled", "reason": "Tải nhầm tệp", "action": "save"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert not MeetingFile.objects.exists() and not (_media / row.path).exists()
    correction = Correction.objects.get(entity="attachment")
    assert (correction.reason, correction.before["filename"]) == ("Tải nhầm tệp", "nham.pdf")
    entry = AuditEntry.objects.get(action="tochuc.attachment.cancelled")
    assert entry.object_id == str(meeting.pk)
