"""Introduction letters (giấy giới thiệu sinh hoạt đảng) as DOCX and PDF, in the Party's
administrative layout (`tochuc.lib.documents`): the official letter (inside the system or
out of it) and the temporary one. One content, two renderers."""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from tochuc.lib import documents
from tochuc.lib.dates import vn_date
from tochuc.lib.vntext import fold
from tochuc.members.models import Status
from tochuc.organizations import hooks
from tochuc.organizations.models import Kind, Organization

from .models import Transfer


@dataclass
class Letter:
    heading: documents.Heading
    paragraphs: list[str]
    recipients: list[str]
    on_behalf: str
    position: str
    signed_by: str = ""


def _parent_name(issuer: Organization) -> str:
    parent = issuer.parent
    if parent is None:
        return "ĐẢNG CỘNG SẢN VIỆT NAM" if issuer.kind != Kind.PROVINCE else issuer.name
    return parent.name


def _place(issuer: Organization) -> str:
    """The place in the date line: the issuer's name without its kind ('Tân An')."""
    name = issuer.name
    for prefix in ("Đảng bộ xã ", "Đảng bộ phường ", "Đảng bộ tỉnh ", "Đảng bộ ", "Chi bộ thôn ",
                   "Chi bộ ", "Đảng ủy xã ", "Đảng ủy phường ", "Đảng ủy "):  # fmt: skip
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def letter(transfer: Transfer) -> Letter:
    """The letter's text for `transfer` (one issued by an organization of the system)."""
    member, issuer = transfer.member, transfer.issuer
    official = transfer.kind == Transfer.Kind.OFFICIAL
    destination = transfer.destination.name if transfer.destination else transfer.other_party
    source = transfer.source
    heading = documents.Heading(
        issuer_parent=_parent_name(issuer).upper(),
        issuer=issuer.name.upper(),
        number=_("Số %(number)s") % {"number": transfer.letter_no},
        place=_place(issuer),
        on=transfer.letter_on,
        kind=_("GIẤY GIỚI THIỆU"),
        title=(_("sinh hoạt đảng chính thức") if official else _("sinh hoạt đảng tạm thời")),
    )
    status = _("đảng viên chính thức") if member.status == Status.FULL else _("đảng viên dự bị")
    paragraphs = [
        _("%(issuer)s trân trọng giới thiệu đồng chí %(name)s, sinh ngày %(birth)s, %(status)s,")
        % {
            "issuer": issuer.name,
            "name": member.full_name,
            "birth": vn_date(member.birth_date),
            "status": status,
        },  # fmt: skip
        _("Vào Đảng ngày %(ceremony)s%(confirmed)s; số thẻ đảng viên: %(card)s.")
        % {
            "ceremony": vn_date(member.ceremony_on or member.admitted_on),
            "confirmed": (
                _(", chính thức ngày %(day)s") % {"day": vn_date(member.confirmed_on)}
                if member.confirmed_on
                else ""
            ),
            "card": member.party_card_no or "—",
        },
        _("Hiện sinh hoạt tại %(source)s,") % {"source": source.name if source else ""},
    ]
    if official:
        paragraphs.append(
            _("Được chuyển sinh hoạt đảng chính thức đến %(destination)s.")
            % {"destination": destination}
        )
        if transfer.present_due:
            paragraphs.append(
                _(
                    "Đề nghị %(destination)s tiếp nhận và quản lý. Đồng chí %(name)s phải xuất "
                    "trình giấy này với tổ chức đảng nơi đến chậm nhất ngày %(due)s."
                )
                % {
                    "destination": destination,
                    "name": member.full_name,
                    "due": vn_date(transfer.present_due),
                }  # fmt: skip
            )
        else:
            paragraphs.append(
                _("Đề nghị %(destination)s tiếp nhận và quản lý.") % {"destination": destination}
            )
    else:
        paragraphs.append(
            _(
                "Được chuyển sinh hoạt đảng tạm thời đến %(destination)s (%(purpose)s) từ ngày "
                "%(start)s đến ngày %(end)s; hết thời hạn, đồng chí trở về sinh hoạt tại nơi "
                "sinh hoạt chính thức."
            )
            % {
                "destination": destination,
                "purpose": transfer.get_purpose_display().lower(),
                "start": vn_date(transfer.letter_on),
                "end": vn_date(transfer.ends_on),
            }  # fmt: skip
        )
    if transfer.reason:
        paragraphs.append(_("Lý do: %(reason)s.") % {"reason": transfer.reason.rstrip(".")})
    standing = issuer.kind not in (Kind.BASE_CELL, Kind.CELL)
    # The secretary in office on the letter's date, where the committees know them.
    signer = hooks.signer(issuer, transfer.letter_on)
    return Letter(
        heading=heading,
        paragraphs=paragraphs,
        recipients=[destination, _("Đảng viên có tên trên"), _("Lưu hồ sơ đảng viên")],
        on_behalf=signer.on_behalf
        if signer
        else (_("T/M Ban Thường vụ") if standing else _("T/M Chi bộ")),
        position=signer.position if signer else _("Bí thư"),
        signed_by=signer.name if signer else "",
    )


def letter_docx(transfer: Transfer) -> bytes:
    content = letter(transfer)
    document = documents.docx_document(content.heading)
    for text in content.paragraphs:
        documents.docx_paragraph(document, text)
    documents.docx_signature(document, content.on_behalf, content.position, content.signed_by)
    documents.docx_recipients(document, content.recipients)
    return documents.docx_bytes(document)


def letter_pdf(transfer: Transfer) -> bytes:
    content = letter(transfer)
    html = render_to_string(
        "transfers/letter.html",
        {
            "heading": content.heading,
            "paragraphs": content.paragraphs,
            "recipients": content.recipients,
            "signature": {
                "on_behalf": content.on_behalf,
                "position": content.position,
                "name": content.signed_by,
            },  # fmt: skip
        },
    )
    return documents.pdf_bytes(html)


def filename(transfer: Transfer, extension: str) -> str:
    """An ASCII name: giay-gioi-thieu-1-ggt-du-2026.docx."""
    number = "-".join(fold(transfer.letter_no).replace("/", "-").split())
    return f"giay-gioi-thieu-{number}-{transfer.letter_on:%Y}.{extension}"
