"""Party document numbers (số, ký hiệu văn bản): "35-CT/TW", "04-CTr/TU", "16-HD/BTCTW".

A number is `<số>-<loại>/<cơ quan ban hành>`: the sequence, the kind's abbreviation
(Quy định về thể loại, thẩm quyền ban hành và thể thức văn bản của Đảng: NQ, CT, QĐ,
QĐi, KL, HD, CTr, KH, TB, BC, TTr, CV …) and the issuing body's (TW, BCT, BBT, BTCTW, TU,
ĐU, CB …; an issuer may be compound, "BTC/TU"). `parse` reads one, refusing a malformed
number with the reason in Vietnamese; the kind and issuer are checked against the lists
below, matched without regard to case ("ctr" → "CTr") and with "D" for "Đ" where a keyboard
lost it ("DU" → "ĐU"). A plenum's resolution cited in prose, "Nghị quyết Trung ương 4 khóa
XII", is a number too: kind NQ, issuer TW, the plenum's number and the term.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The kinds of Party documents, by abbreviation.
KINDS = {
    "NQ": gettext_lazy("Nghị quyết"),
    "CT": gettext_lazy("Chỉ thị"),
    "QĐ": gettext_lazy("Quyết định"),
    "QĐi": gettext_lazy("Quy định"),
    "KL": gettext_lazy("Kết luận"),
    "HD": gettext_lazy("Hướng dẫn"),
    "CTr": gettext_lazy("Chương trình"),
    "KH": gettext_lazy("Kế hoạch"),
    "TB": gettext_lazy("Thông báo"),
    "BC": gettext_lazy("Báo cáo"),
    "TTr": gettext_lazy("Tờ trình"),
    "CV": gettext_lazy("Công văn"),
    "ĐA": gettext_lazy("Đề án"),
    "PA": gettext_lazy("Phương án"),
    "QC": gettext_lazy("Quy chế"),
    "GGT": gettext_lazy("Giấy giới thiệu"),
    "BB": gettext_lazy("Biên bản"),
}
# Issuing bodies, by abbreviation.
ISSUERS = {
    "TW": gettext_lazy("Ban Chấp hành Trung ương"),
    "BCT": gettext_lazy("Bộ Chính trị"),
    "BBT": gettext_lazy("Ban Bí thư"),
    "BTCTW": gettext_lazy("Ban Tổ chức Trung ương"),
    "UBKTTW": gettext_lazy("Ủy ban Kiểm tra Trung ương"),
    "BTGTW": gettext_lazy("Ban Tuyên giáo Trung ương"),
    "VPTW": gettext_lazy("Văn phòng Trung ương Đảng"),
    "TU": gettext_lazy("Tỉnh ủy, Thành ủy"),
    "BTCTU": gettext_lazy("Ban Tổ chức Tỉnh ủy"),
    "UBKTTU": gettext_lazy("Ủy ban Kiểm tra Tỉnh ủy"),
    "HU": gettext_lazy("Huyện ủy"),
    "ĐU": gettext_lazy("Đảng ủy"),
    "UBKT": gettext_lazy("Ủy ban Kiểm tra"),
    "CB": gettext_lazy("Chi bộ"),
}
# In the documents of the sector a Quyết định is "QĐ" and a Quy định "QĐ" as well before
# 2018; the registry keeps what the number says.
NUMBER = re.compile(
    r"^(?:số\s*)?(?P<seq>\d{1,5})\s*-\s*(?P<kind>[^\s/]+)\s*/\s*(?P<issuer>\S+)$", re.IGNORECASE
)
_BY_KEY = {}


def _key(abbreviation: str) -> str:
    return unicodedata.normalize("NFC", abbreviation).upper().replace("Đ", "D")


for _abbr in (*KINDS, *ISSUERS):
    _BY_KEY.setdefault(("kind" if _abbr in KINDS else "issuer", _key(_abbr)), _abbr)


# A resolution of a plenum (hội nghị Trung ương), cited in prose: "Nghị quyết Trung ương 4
# khóa XII" (also "NQ TW4 khóa XII", "Nghị quyết Hội nghị Trung ương 4 khóa XII").
CONFERENCE = re.compile(
    r"^(?:nghị quyết|nq)\s*(?:hội nghị\s*)?(?:trung ương|tw)\s*(?:lần thứ\s*)?(?P<n>\d{1,2})"
    r"\s*,?\s*khóa\s*(?P<term>[IVXLC]+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DocumentNumber:
    seq: int
    kind: str
    issuer: str
    term: str = ""  # a plenum's resolution: the Central Committee's term (khóa XII)

    def __str__(self) -> str:
        if self.term:
            return f"Nghị quyết Trung ương {self.seq} khóa {self.term}"
        return f"{self.seq:02d}-{self.kind}/{self.issuer}"

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


def kind_of(text: str) -> str | None:
    return _BY_KEY.get(("kind", _key(text)))


def issuer_of(text: str) -> str | None:
    """A known issuing body, or a compound one ("BTC/TU", "ĐU-UBKT") of known parts."""
    found = _BY_KEY.get(("issuer", _key(text)))
    if found:
        return found
    parts = re.split(r"[/-]", text)
    known = [_BY_KEY.get(("issuer", _key(p))) or _BY_KEY.get(("kind", _key(p))) for p in parts]
    if len(parts) > 1 and all(known) and known[-1] in ISSUERS:
        return "/".join(known)
    if len(parts) > 1 and _key(parts[0]) in {"BTC", "BDV", "BTG", "VP", "BNC"} and known[-1]:
        return "/".join([parts[0].upper(), *known[1:]])
    return None


def parse(text: str, *, field: str = "number") -> DocumentNumber:
    """The number read from `text`, or a ValidationError keyed by `field` saying why not."""
    raw = unicodedata.normalize("NFC", (text or "").strip())
    if not raw:
        raise ValidationError({field: _("Hãy ghi số, ký hiệu văn bản (ví dụ 35-CT/TW).")})
    conference = CONFERENCE.match(raw.replace("Khoá", "Khóa").replace("khoá", "khóa"))
    if conference:
        return DocumentNumber(int(conference["n"]), "NQ", "TW", conference["term"].upper())
    match = NUMBER.match(raw)
    if not match:
        if "/" not in raw:
            reason = _("thiếu dấu “/” trước cơ quan ban hành")
        elif "-" not in raw.split("/")[0]:
            reason = _("thiếu dấu “-” giữa số và loại văn bản")
        elif not re.match(r"^(?:số\s*)?\d", raw, re.IGNORECASE):
            reason = _("phải bắt đầu bằng số thứ tự của văn bản")
        else:
            reason = _("không đúng dạng số-loại/cơ quan")
        raise ValidationError(
            {
                field: _("Số “%(raw)s” không hợp lệ: %(reason)s (ví dụ 35-CT/TW, 04-CTr/TU).")
                % {"raw": raw, "reason": reason}
            }
        )
    seq = int(match["seq"])
    if seq == 0:
        raise ValidationError(
            {field: _("Số “%(raw)s” không hợp lệ: số thứ tự phải từ 1.") % {"raw": raw}}
        )
    kind = kind_of(match["kind"])
    if kind is None:
        raise ValidationError(
            {
                field: _(
                    "Số “%(raw)s” không hợp lệ: “%(kind)s” không phải loại văn bản của Đảng "
                    "(NQ, CT, QĐ, QĐi, KL, HD, CTr, KH, TB, BC, TTr, CV…)."
                )
                % {"raw": raw, "kind": match["kind"]}
            }
        )
    issuer = issuer_of(match["issuer"])
    if issuer is None:
        raise ValidationError(
            {
                field: _(
                    "Số “%(raw)s” không hợp lệ: không rõ cơ quan ban hành “%(issuer)s” "
                    "(TW, BCT, BBT, BTCTW, TU, ĐU, CB…)."
                )
                % {"raw": raw, "issuer": match["issuer"]}
            }
        )
    return DocumentNumber(seq, kind, issuer)
