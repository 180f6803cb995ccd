"""Files attached to records (a meeting's minutes, a progress report's evidence): checked,
stored under MEDIA_ROOT (var/media), served only through a page behind the gate.

- `check(upload)`: the size (`settings.TOCHUC_ATTACHMENT_MAX_BYTES`, checked before anything
  is read), the type (`settings.TOCHUC_ATTACHMENT_TYPES`: the extension, and the first bytes
  of the content must agree with it), the name (no path: "../../etc/passwd" keeps only
  "passwd"; no control characters). A refusal is a `ValidationError` on the field `file`,
  in Vietnamese: a hostile file is an error beside the field, never a 500.
- `store(upload, folder=)`: writes the content under `attachments/<folder>/<year>/` with a
  random name (the user's name is kept in the row, never in the path) and returns the
  `Stored` facts that `StoredFile` keeps.
- `StoredFile`: the abstract row an app's attachment model extends (meetings.MeetingFile,
  programmes.ProgressFile); `response(row)` answers a download of it; `discard(paths)`
  removes files once the transaction that dropped their rows has committed.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The first bytes each accepted type starts with (None: text, checked as UTF-8).
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "txt": None,
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NAME_MAX = 200


def clean_name(name: str) -> str:
    """The file's own name, without any folder, drive or control character."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _CONTROL.sub("", base).strip().lstrip(".")
    if len(base) > NAME_MAX:
        stem, dot, ext = base.rpartition(".")
        base = f"{stem[: NAME_MAX - len(ext) - 1]}.{ext}" if dot else base[:NAME_MAX]
    return base


def extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def allowed_types() -> list[str]:
    return [t for t in settings.TOCHUC_ATTACHMENT_TYPES if t in SIGNATURES]


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _head(upload, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _is_text(upload) -> bool:
    upload.seek(0)
    try:
        for chunk in upload.chunks():
            chunk.decode("utf-8")
            if b"\x00" in chunk:
                return False
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True


def check(upload) -> str:
    """The cleaned name of `upload` (a Django UploadedFile), or the reason it is refused."""
    if upload is None:
        raise _refuse(_("Hãy chọn tệp."))
    limit = settings.TOCHUC_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise _refuse(
            _("Tệp quá lớn: %(size)s MB, tối đa %(limit)s MB.")
            % {"size": f"{upload.size / 1048576:.1f}".replace(".", ","), "limit": limit // 1048576}
        )
    if upload.size == 0:
        raise _refuse(_("Tệp rỗng."))
    name = clean_name(upload.name)
    kind = extension(name)
    types = allowed_types()
    if not name or kind not in types:
        raise _refuse(
            _("Không nhận loại tệp này; chỉ nhận: %(types)s.")
            % {"types": ", ".join(f".{t}" for t in types)}
        )
    signatures = SIGNATURES[kind]
    matches = _is_text(upload) if signatures is None else _head(upload).startswith(signatures)
    if not matches:
        raise _refuse(_("Nội dung tệp không phải tệp .%(kind)s như tên tệp ghi.") % {"kind": kind})
    return name


@dataclass(frozen=True)
class Stored:
    filename: str
    path: str
    size: int
    content_type: str
    sha256: str


def store(upload, *, folder: str, on: date) -> Stored:
    """Check `upload` and write it under attachments/<folder>/<year>/ (a random name). The
    service writes it last, just before its row, so that a refusal leaves no file behind."""
    name = check(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    content = b"".join(upload.chunks())
    digest.update(content)
    path = default_storage.save(
        f"attachments/{folder}/{on:%Y}/{uuid.uuid4().hex}", ContentFile(content)
    )
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Stored(name, path, len(content), content_type, digest.hexdigest())


def discard(paths: list[str]) -> None:
    """Remove stored files once the rows that named them are gone for good."""

    def remove():
        for path in paths:
            if path and default_storage.exists(path):
                default_storage.delete(path)

    transaction.on_commit(remove)


class StoredFile(models.Model):
    """A file stored by `store`; an app's attachment model adds its foreign key."""

    filename = models.CharField(gettext_lazy("tên tệp"), max_length=NAME_MAX)
    path = models.CharField(max_length=255, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(gettext_lazy("dung lượng"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename

    def fill(self, stored: Stored, by) -> None:
        self.filename, self.path, self.size = stored.filename, stored.path, stored.size
        self.content_type, self.sha256 = stored.content_type, stored.sha256
        self.uploaded_by = by if getattr(by, "is_authenticated", False) else None


def remove(row: StoredFile, *, grounds, by=None, audit_on=None) -> None:
    """Hủy a file attached by mistake: the correction keeps its name, size and why (audited
    `tochuc.attachment.cancelled` on `audit_on`, the record it was attached to); the row
    goes, and the file once the transaction commits."""
    from . import corrections

    grounds.check()
    corrections.record(
        obj=row, entity="attachment", action=corrections.CANCELLED, grounds=grounds,
        before={"filename": row.filename, "size": row.size, "sha256": row.sha256}, by=by,
        audit_on=audit_on, labels={"filename": _("Tên tệp"), "size": _("Dung lượng (byte)")},
    )  # fmt: skip
    path = row.path
    row.delete()
    discard([path])


def response(row: StoredFile) -> FileResponse:
    """The download of `row` (its page has checked the scope); 404 if the file is gone."""
    if not row.path or not default_storage.exists(row.path):
        raise Http404
    return FileResponse(
        default_storage.open(row.path, "rb"),
        as_attachment=True,
        filename=row.filename,
        content_type=row.content_type,
    )
