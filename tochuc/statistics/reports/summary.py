"""Report "summary": a narrative in Vietnamese, in the sector's style, with only the sentences
whose data exist (from the movement of the period and the membership at its end)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.organizations.models import Kind, Organization
from tochuc.reports.dataset import Dataset
from tochuc.reports.heading import dataset_for
from tochuc.reports.numbers import ratio_percent, vn_int, vn_percent
from tochuc.reports.periods import Period
from tochuc.reports.registry import ReportDefinition, require_period

from .membership import membership
from .movement import drilldown, movement


def _subject(organization: Organization | None) -> str:
    if organization is None:
        return _("toàn Đảng")
    return (
        _("toàn Chi bộ") if organization.kind in (Kind.CELL, Kind.BASE_CELL) else _("toàn Đảng bộ")
    )


def _period_phrase(period: Period) -> str:
    if period.kind == "year":
        return _("Năm %(year)s") % {"year": period.end.year}
    return period.label()


def summary(organization: Organization | None, period: Period) -> Dataset:
    """Sentences in the sector's style; a sentence is written only when its data exist."""
    require_period(period)
    data = dataset_for(DEFINITION, organization, period)
    moved = movement(organization, period)
    counts = {row["key"]: row["count"] for row in moved.table("movement").rows}
    admissions = moved.table("admissions").rows[0]
    at_end = membership(organization, Period(None, period.end, "date"))
    members = {row["key"]: row["count"] for row in at_end.table("members").rows}
    orgs = {row["key"]: row["count"] for row in at_end.table("organizations").rows}
    subject = _subject(organization)
    when = _period_phrase(period)
    paragraphs = []

    total = counts["end"]
    if counts["admitted"]:
        target = ""
        if admissions["percent"] is not None:
            target = _(" (đạt %(percent)s chỉ tiêu)") % {
                "percent": vn_percent(admissions["percent"])
            }
        first = _("%(when)s, %(subject)s kết nạp %(admitted)s đảng viên%(target)s") % {
            "when": when, "subject": subject, "admitted": vn_int(counts["admitted"]),
            "target": target,
        }  # fmt: skip
        if total:
            first += _(", nâng tổng số đảng viên lên %(total)s đồng chí") % {"total": vn_int(total)}
    elif total:
        first = _("%(when)s, %(subject)s có %(total)s đảng viên") % {
            "when": when, "subject": subject, "total": vn_int(total),
        }  # fmt: skip
    else:
        first = ""
    parts = []
    if orgs.get("grassroots"):
        parts.append(_("%(n)s tổ chức cơ sở đảng") % {"n": vn_int(orgs["grassroots"])})
    if orgs.get("under_grassroots"):
        parts.append(
            _("%(n)s tổ chức đảng trực thuộc đảng ủy cơ sở")
            % {"n": vn_int(orgs["under_grassroots"])}
        )
    if parts:
        structure = _("%(subject)s có %(parts)s") % {
            "subject": subject, "parts": _(" và ").join(parts),
        }  # fmt: skip
        first = f"{first}; {structure}" if first else structure[:1].upper() + structure[1:]
    if first:
        paragraphs.append(first + ".")

    if total:
        shares = []
        for key, label in (
            ("full", _("%(n)s đảng viên chính thức (%(p)s)")),
            ("probationary", _("%(n)s đảng viên dự bị (%(p)s)")),
            ("women", _("%(n)s đảng viên nữ (%(p)s)")),
            ("minorities", _("%(n)s đảng viên là người dân tộc thiểu số (%(p)s)")),
            ("religious", _("%(n)s đảng viên có đạo (%(p)s)")),
        ):
            if members.get(key):
                shares.append(
                    label % {"n": vn_int(members[key]),
                             "p": vn_percent(ratio_percent(members[key], members["total"]))}
                )  # fmt: skip
        if shares:
            paragraphs.append(
                _("Trong tổng số đảng viên có %(list)s.") % {"list": ", ".join(shares)}
            )

    done = []
    if counts["confirmed"]:
        done.append(_("công nhận đảng viên chính thức cho %(n)s đồng chí") % {
            "n": vn_int(counts["confirmed"])})  # fmt: skip
    if counts["transferred_in"]:
        done.append(_("tiếp nhận %(n)s đảng viên chuyển sinh hoạt đến") % {
            "n": vn_int(counts["transferred_in"])})  # fmt: skip
    if counts["transferred_out"]:
        done.append(_("chuyển sinh hoạt đi cho %(n)s đảng viên") % {
            "n": vn_int(counts["transferred_out"])})  # fmt: skip
    if done:
        sentence = _("Trong kỳ, %(subject)s đã %(list)s.") % {
            "subject": subject, "list": ", ".join(done)}  # fmt: skip
        paragraphs.append(sentence)

    exits = []
    for key, label in (
        ("died", _("%(n)s đồng chí từ trần")),
        ("removed", _("xóa tên %(n)s đảng viên")),
        ("expelled", _("khai trừ %(n)s đảng viên")),
        ("resigned", _("%(n)s đảng viên xin ra khỏi Đảng")),
    ):
        if counts[key]:
            exits.append(label % {"n": vn_int(counts[key])})
    if exits:
        text = ", ".join(exits)
        paragraphs.append(_("Giảm trong kỳ: %(list)s.") % {"list": text})

    balance = moved.checks[0]
    if not balance.ok:
        paragraphs.append(
            _("Lưu ý: số đảng viên cuối kỳ (%(actual)s) chênh lệch %(difference)s so với số "
              "tính từ đầu kỳ và biến động trong kỳ (%(expected)s); cần rà soát hồ sơ.")
            % {"actual": vn_int(balance.actual), "expected": vn_int(balance.expected),
               "difference": vn_int(balance.difference)}
        )  # fmt: skip
    data.paragraphs = paragraphs
    data.tables = [moved.table("movement"), moved.table("admissions"), at_end.table("members")]
    data.checks = moved.checks
    return data


DEFINITION = ReportDefinition(
    "summary",
    gettext_lazy("Báo cáo tóm tắt"),
    summary,
    description=gettext_lazy("Đoạn văn tóm tắt kết quả trong kỳ, số liệu ghi theo cách Việt Nam."),
    national=True,
    order=40,
    drilldown=drilldown,
)
