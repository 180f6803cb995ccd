"""The report definitions. Each takes an organization and a period and returns a Dataset;
a report declared `national` also takes None: the whole country ("Toàn quốc").

1. membership — organizations and members at a date (content of forms 1-TCTW to 4-TCTW).
2. movement — membership movement over a period, with the balance checked.
3. movement_by_child — the same, one row per child organization and a totals row.
4. summary — a narrative in Vietnamese, only the sentences whose data exist.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.core.routers import reading_reports
from tochuc.inspections.reports import inspections_report
from tochuc.lib.reference import ETHNICITIES, RELIGIONS, PoliticalTheory, Qualification
from tochuc.lib.vntext import sort_key
from tochuc.organizations.models import (
    ABOVE_GRASSROOTS_KINDS,
    GrassrootsType,
    Kind,
    Organization,
    OrganizationVersion,
)
from tochuc.organizations.selectors import in_force, version_of
from tochuc.ratings.statistics import RATINGS_DESCRIPTION, RATINGS_TITLE, ratings_report

from . import sources
from .dataset import INT, PERCENT, TEXT, Check, Column, Dataset, Table
from .numbers import ratio_percent, vn_int, vn_percent
from .periods import Period

# Age bands of form 1-TCTW (Hướng dẫn 11-HD/BTCTW, 13/12/2021): up to 30, 31–40 … over 70.
AGE_BANDS = [
    sources.AgeBand("30", None, 30),
    sources.AgeBand("31_40", 31, 40),
    sources.AgeBand("41_50", 41, 50),
    sources.AgeBand("51_60", 51, 60),
    sources.AgeBand("61_70", 61, 70),
    sources.AgeBand("71", 71, None),
]
AGE_LABELS = {
    "30": gettext_lazy("Đến 30 tuổi"),
    "31_40": gettext_lazy("Từ 31 đến 40 tuổi"),
    "41_50": gettext_lazy("Từ 41 đến 50 tuổi"),
    "51_60": gettext_lazy("Từ 51 đến 60 tuổi"),
    "61_70": gettext_lazy("Từ 61 đến 70 tuổi"),
    "71": gettext_lazy("Trên 70 tuổi"),
}
# General education (form 2-TCTW): grade reached out of the system's last grade (12 or 10).
EDUCATION_LEVELS = [
    ("primary", gettext_lazy("Tiểu học")),
    ("lower_secondary", gettext_lazy("Trung học cơ sở")),
    ("upper_secondary", gettext_lazy("Trung học phổ thông")),
    ("unknown", gettext_lazy("Chưa ghi")),
]
EDUCATION = re.compile(r"^(\d{1,2})/(10|12)$")
# Last grade of primary and of lower secondary school in each system.
EDUCATION_STAGES = {12: (5, 9), 10: (4, 7)}


def education_level(value: str) -> str:
    match = EDUCATION.match(value or "")
    if not match:
        return "unknown"
    grade, system = int(match.group(1)), int(match.group(2))
    primary, lower = EDUCATION_STAGES[system]
    if grade <= primary:
        return "primary"
    return "lower_secondary" if grade <= lower else "upper_secondary"


# ---------------------------------------------------------------- the organization


class NotInTree(ValidationError):
    pass


def _version(organization: Organization, period: Period) -> OrganizationVersion:
    version = version_of(organization=organization, on=period.end)
    if version is None and period.start is not None:
        version = (
            organization.versions.filter(valid_from__lte=period.end)
            .filter(valid_to__gt=period.start)
            .order_by("-valid_from")
            .first()
        )
    if version is None:
        raise NotInTree(
            _("%(name)s không tồn tại trong khoảng thời gian báo cáo (%(period)s).")
            % {"name": organization.name, "period": period.label()}
        )
    return version


PLACE_PREFIX = re.compile(
    r"^(Đảng bộ|Đảng ủy|Chi bộ)\s+(tỉnh|thành phố|xã|phường|đặc khu|thị trấn|huyện|quận|"
    r"thị xã)\s+",
    re.IGNORECASE,
)
PLACE_KINDS = (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE)


def committee_name(version: OrganizationVersion) -> str:
    """The issuing body: "Đảng bộ xã Tân An" → "Đảng ủy xã Tân An"; a cell issues itself;
    a province: "Tỉnh ủy A"."""
    name = version.name
    if version.kind == Kind.PROVINCE:
        match = re.match(r"^Đảng bộ (tỉnh|thành phố)\s+(.*)$", name, re.IGNORECASE)
        if match:
            return ("Tỉnh ủy " if match.group(1).lower() == "tỉnh" else "Thành ủy ") + match.group(
                2
            )
    return re.sub(r"^Đảng bộ\b", "Đảng ủy", name)


def heading_fields(version: OrganizationVersion, day) -> dict[str, str]:
    """issuer_parent, issuer and place for the document layout, from the tree on `day`."""
    ids = [int(part) for part in version.path.strip("/").split("/") if part]
    chain = {
        v.organization_id: v
        for v in OrganizationVersion.objects.filter(in_force(day), organization_id__in=ids)
    }
    chain[version.organization_id] = version
    ordered = [chain[pk] for pk in ids if pk in chain]
    parent = ordered[-2] if len(ordered) > 1 else None
    place_version = next((v for v in reversed(ordered) if v.kind in PLACE_KINDS), version)
    return {
        "issuer_parent": (parent.name if parent else version.name).upper(),
        "issuer": committee_name(version).upper(),
        "place": PLACE_PREFIX.sub("", place_version.name),
    }


def _last_day(version: OrganizationVersion, period: Period) -> date:
    if version.valid_to and version.valid_to <= period.end:
        return version.valid_to - timedelta(days=1)
    return period.end


# The whole country: no organization above the provinces, so the heading is written here.
NATIONAL_NAME = gettext_lazy("Toàn quốc")
NATIONAL_HEADING = {
    "issuer_parent": gettext_lazy("BAN CHẤP HÀNH TRUNG ƯƠNG"),
    "issuer": gettext_lazy("BAN TỔ CHỨC TRUNG ƯƠNG"),
    "place": gettext_lazy("Hà Nội"),
}


def _dataset(report: Report, organization: Organization | None, period: Period) -> Dataset:
    if organization is None:
        return Dataset(
            report=report.name,
            title=str(report.title),
            organization_code="",
            organization_name=str(NATIONAL_NAME),
            period=period,
            **{key: str(value) for key, value in NATIONAL_HEADING.items()},
        )
    version = _version(organization, period)
    return Dataset(
        report=report.name,
        title=str(report.title),
        organization_code=organization.code,
        organization_name=version.name,
        period=period,
        **heading_fields(version, _last_day(version, period)),
    )


def _with_share(rows: list[dict], total: int) -> list[dict]:
    for row in rows:
        row["share"] = ratio_percent(row["count"], total)
    return rows


def _count_table(key, title, label_title, items, total, *, chart="bar", note="") -> Table:
    """A table label | count | share with a totals row."""
    rows = _with_share([{"label": str(label), "count": n} for label, n in items], total)
    return Table(
        key=key,
        title=str(title),
        columns=[
            Column("label", str(label_title), TEXT),
            Column("count", _("Số đảng viên")),
            Column("share", _("Tỷ lệ"), PERCENT),
        ],
        rows=rows,
        totals={"label": _("Cộng"), "count": total, "share": ratio_percent(total, total)},
        chart=chart,
        note=note,
    )


# ---------------------------------------------------------------- 1. membership at a date


def membership(organization: Organization | None, period: Period) -> Dataset:
    """At a date, under `organization` (None: the whole country, the provinces counted)."""
    data = _dataset(REPORTS["membership"], organization, period)
    on = period.on
    counts = sources.organization_counts(organization, on)
    grassroots, under = sources.grassroots_totals(counts)
    by_kind = Counter()
    for (kind, _type), n in counts.items():
        by_kind[kind] += n
    org_rows = [{"key": "grassroots", "label": _("Tổ chức cơ sở đảng"), "count": grassroots}]
    org_rows += [
        {"key": k, "label": "— " + str(Kind(k).label), "count": by_kind[k]}
        for k in (Kind.BASE_COMMITTEE, Kind.BASE_CELL)
    ]
    org_rows.append(
        {"key": "under_grassroots", "label": _("Tổ chức đảng trực thuộc đảng ủy cơ sở"),
         "count": under}
    )  # fmt: skip
    org_rows += [
        {"key": k, "label": "— " + str(Kind(k).label), "count": by_kind[k]}
        for k in (Kind.SUB_COMMITTEE, Kind.CELL)
    ]
    org_rows += [
        {"key": k, "label": str(Kind(k).label), "count": by_kind[k]}
        for k in ABOVE_GRASSROOTS_KINDS
        if k != Kind.PROVINCE or organization is None  # a province report is the province
    ]
    data.tables.append(
        Table(
            "organizations",
            _("Tổ chức đảng"),
            [Column("label", _("Loại tổ chức"), TEXT), Column("count", _("Số lượng"))],
            org_rows,
        )
    )
    type_rows = []
    for gtype, label in [*GrassrootsType.choices, ("", _("Chưa phân loại"))]:
        committees = counts[(Kind.BASE_COMMITTEE, gtype)]
        cells = counts[(Kind.BASE_CELL, gtype)]
        if gtype == "" and not (committees or cells):
            continue
        type_rows.append(
            {"key": gtype, "label": str(label), "base_committee": committees,
             "base_cell": cells, "total": committees + cells}
        )  # fmt: skip
    data.tables.append(
        Table(
            "grassroots_by_type",
            _("Tổ chức cơ sở đảng theo loại hình"),
            [
                Column("label", _("Loại hình"), TEXT),
                Column("base_committee", str(Kind.BASE_COMMITTEE.label)),
                Column("base_cell", str(Kind.BASE_CELL.label)),
                Column("total", _("Cộng")),
            ],
            type_rows,
            totals={
                "label": _("Cộng"),
                "base_committee": by_kind[Kind.BASE_COMMITTEE],
                "base_cell": by_kind[Kind.BASE_CELL],
                "total": grassroots,
            },
        )
    )

    profile = sources.member_profile(organization, on, AGE_BANDS)
    summary = sources.summary_of(profile, AGE_BANDS)
    total = summary["total"]
    member_rows = [
        ("total", _("Tổng số đảng viên")),
        ("full", _("Đảng viên chính thức")),
        ("probationary", _("Đảng viên dự bị")),
        ("women", _("Đảng viên nữ")),
        ("minorities", _("Đảng viên người dân tộc thiểu số")),
        ("religious", _("Đảng viên có đạo")),
    ]
    table = _count_table(
        "members", _("Đảng viên"), _("Chỉ tiêu"),
        [(label, summary[key]) for key, label in member_rows], total, chart="",
    )  # fmt: skip
    for row, (key, _label) in zip(table.rows, member_rows, strict=True):
        row["key"] = key
    table.totals = None
    data.tables.append(table)
    data.tables.append(
        _count_table(
            "age",
            _("Đảng viên theo độ tuổi"),
            _("Độ tuổi"),
            [(AGE_LABELS[b.key], summary[f"age_{b.key}"]) for b in AGE_BANDS],
            total,
        )  # fmt: skip
    )
    education = Counter()
    for value, n in profile.get("general_education", Counter()).items():
        education[education_level(value)] += n
    data.tables.append(
        _count_table(
            "education",
            _("Đảng viên theo trình độ giáo dục phổ thông"),
            _("Trình độ"),
            [(label, education[key]) for key, label in EDUCATION_LEVELS],
            total,
        )  # fmt: skip
    )
    for key, field, title, label_title, choices in (
        ("qualification", "qualification", _("Đảng viên theo trình độ chuyên môn, nghiệp vụ"),
         _("Trình độ"), Qualification.choices),
        ("political_theory", "political_theory", _("Đảng viên theo trình độ lý luận chính trị"),
         _("Trình độ"), PoliticalTheory.choices),
        ("ethnicity", "ethnicity", _("Đảng viên theo dân tộc"), _("Dân tộc"), ETHNICITIES),
        ("religion", "religion", _("Đảng viên theo tôn giáo"), _("Tôn giáo"), RELIGIONS),
    ):  # fmt: skip
        found = profile.get(field, Counter())
        data.tables.append(
            _count_table(
                key,
                title,
                label_title,
                [(label, found[value]) for value, label in choices],
                total,
                chart="" if key == "ethnicity" else "bar",
            )  # fmt: skip
        )
    return data


# ---------------------------------------------------------------- 2. and 3. movement

MOVEMENT_ROWS = [
    ("start", gettext_lazy("Đảng viên đầu kỳ")),
    ("admitted", gettext_lazy("Kết nạp")),
    ("readmitted", gettext_lazy("Kết nạp lại")),
    ("confirmed", gettext_lazy("Công nhận đảng viên chính thức")),
    ("transferred_in", gettext_lazy("Chuyển sinh hoạt đảng chính thức đến")),
    ("transferred_out", gettext_lazy("Chuyển sinh hoạt đảng chính thức đi")),
    ("restructured_in", gettext_lazy("Chuyển đến theo sắp xếp tổ chức")),
    ("restructured_out", gettext_lazy("Chuyển đi theo sắp xếp tổ chức")),
    ("died", gettext_lazy("Từ trần")),
    ("removed", gettext_lazy("Xóa tên")),
    ("expelled", gettext_lazy("Khai trừ")),
    ("resigned", gettext_lazy("Xin ra khỏi Đảng")),
    ("end", gettext_lazy("Đảng viên cuối kỳ")),
]
INCREASES = sources.INCREASE_KEYS
DECREASES = sources.DECREASE_KEYS
NO_TARGET = gettext_lazy("chưa giao chỉ tiêu")


def expected_end(counts: Counter) -> int:
    return counts["start"] + sum(counts[k] for k in INCREASES) - sum(counts[k] for k in DECREASES)


def _check_period(period: Period) -> None:
    if not period.is_period:
        raise ValidationError(_("Báo cáo này cần một khoảng thời gian (năm, quý hoặc từ… đến…)."))


def _target_year(period: Period) -> int | None:
    return period.start.year if period.start.year == period.end.year else None


BALANCE_EXPLANATION = gettext_lazy(
    "Đầu kỳ + kết nạp + kết nạp lại + chuyển đến + chuyển đến theo sắp xếp tổ chức − chuyển đi "
    "− chuyển đi theo sắp xếp tổ chức − từ trần − xóa tên − khai trừ − xin ra = cuối kỳ. Đảng "
    "viên được tính từ ngày quyết định kết nạp (như tuổi đảng); chuyển sinh hoạt trong hệ thống "
    "tính vào ngày đến nơi mới. Trên hồ sơ đầy đủ hai vế luôn bằng nhau; chênh lệch là do hồ sơ "
    "còn thiếu sự kiện (ví dụ đảng viên được nhập vào chi bộ từ một ngày mà không ghi chuyển "
    "đến) — trang báo cáo liệt kê những đảng viên gây chênh lệch để bổ sung."
)


def movement(organization: Organization, period: Period) -> Dataset:
    _check_period(period)
    data = _dataset(REPORTS["movement"], organization, period)
    span = sources.Span(organization, period.before, period.end)
    counts = sources.movement(span, period.start, period.end, by_child=False).get(
        organization.pk, Counter()
    )
    data.tables.append(
        Table(
            "movement",
            _("Biến động đảng viên"),
            [Column("label", _("Chỉ tiêu"), TEXT), Column("count", _("Số đảng viên"))],
            [
                {"key": key, "label": str(label), "count": counts[key]}
                for key, label in MOVEMENT_ROWS
            ],
            chart="bar",
        )
    )
    year = _target_year(period)
    targets = sources.admission_targets([organization.pk], year) if year else None
    target = (targets or {}).get(organization.pk)
    data.tables.append(
        Table(
            "admissions",
            _("Kết nạp đảng viên so với chỉ tiêu"),
            [
                Column("label", _("Tổ chức"), TEXT),
                Column("admitted", _("Kết nạp")),
                Column("target", _("Chỉ tiêu năm"), INT, str(NO_TARGET)),
                Column("percent", _("Đạt (%)"), PERCENT),
            ],
            [
                {
                    "label": data.organization_name,
                    "admitted": counts["admitted"],
                    "target": target,
                    "percent": ratio_percent(counts["admitted"], target, digits=0),
                }
            ],
        )
    )
    data.checks.append(
        Check(
            "balance",
            _("Cân đối đầu kỳ − cuối kỳ"),
            expected_end(counts),
            counts["end"],
            str(BALANCE_EXPLANATION),
        )  # fmt: skip
    )
    return data


def movement_by_child(organization: Organization, period: Period) -> Dataset:
    _check_period(period)
    data = _dataset(REPORTS["movement_by_child"], organization, period)
    span = sources.Span(organization, period.before, period.end)
    per_bucket = sources.movement(span, period.start, period.end, by_child=True)
    year = _target_year(period)
    targets = sources.admission_targets([*per_bucket, organization.pk], year) if year else None
    keys = [k for k in per_bucket if k != organization.pk]
    # Every child that existed during the period, even with no member in it.
    root_paths = [p for _s, _e, p in span.root_versions]
    for org_id, periods in span.versions.items():
        for _start, _end, path, _name in periods:
            for root_path in root_paths:
                rest = path[len(root_path) :] if path.startswith(root_path) else ""
                if rest.count("/") == 1 and org_id not in keys:
                    keys.append(org_id)
    codes = dict(Organization.objects.filter(pk__in=keys).values_list("pk", "code"))
    names = {k: span.name(k, period.end) for k in keys}
    keys.sort(key=lambda k: sort_key(names[k]))
    if organization.pk in per_bucket:  # members directly in the organization (a cell)
        keys.insert(0, organization.pk)
        names[organization.pk] = data.organization_name
        codes[organization.pk] = organization.code

    columns = [
        Column("label", _("Tổ chức"), TEXT),
        Column("code", _("Mã"), TEXT),
        *[Column(key, str(label)) for key, label in MOVEMENT_ROWS if key != "end"],
        Column("target", _("Chỉ tiêu kết nạp"), INT, str(NO_TARGET)),
        Column("percent", _("Đạt (%)"), PERCENT),
        Column("end", str(dict(MOVEMENT_ROWS)["end"])),
        Column("difference", _("Chênh lệch")),
    ]
    # A target and its percentage only where one was given to that organization (its own
    # target for the year); the totals row is the organization's own ("chưa giao chỉ tiêu"
    # when it has none), never a sum of the children's that nobody set.
    targets = targets or {}
    rows, totals = [], Counter()
    for key in keys:
        counts = per_bucket.get(key, Counter())
        target = targets.get(key) if key != organization.pk else None
        row = {"label": names[key], "code": codes.get(key, "")}
        row.update({k: counts[k] for k, _label in MOVEMENT_ROWS})
        row["target"] = target
        row["percent"] = ratio_percent(counts["admitted"], target, digits=0)
        row["difference"] = counts["end"] - expected_end(counts)
        rows.append(row)
        totals.update({k: counts[k] for k, _label in MOVEMENT_ROWS})
        totals["difference"] += row["difference"]
    total_row = {"label": _("Cộng"), "code": "", **{k: totals[k] for k, _l in MOVEMENT_ROWS}}
    own = targets.get(organization.pk)
    total_row["target"] = own
    total_row["percent"] = ratio_percent(totals["admitted"], own, digits=0)
    total_row["difference"] = totals["difference"]
    data.tables.append(
        Table(
            "by_child",
            _("Biến động đảng viên theo tổ chức trực thuộc"),
            columns,
            rows,
            totals=total_row,
        )  # fmt: skip
    )
    data.checks.append(
        Check(
            "balance",
            _("Cân đối đầu kỳ − cuối kỳ (cộng các tổ chức trực thuộc)"),
            expected_end(totals),
            totals["end"],
            str(BALANCE_EXPLANATION),
        )  # fmt: skip
    )
    return data


# ---------------------------------------------------------------- 4. narrative summary


def _subject(organization: Organization) -> str:
    return (
        _("toàn Chi bộ") if organization.kind in (Kind.CELL, Kind.BASE_CELL) else _("toàn Đảng bộ")
    )


def _period_phrase(period: Period) -> str:
    if period.kind == "year":
        return _("Năm %(year)s") % {"year": period.end.year}
    return period.label()


def summary(organization: Organization, period: Period) -> Dataset:
    """Sentences in the sector's style; a sentence is written only when its data exist."""
    _check_period(period)
    data = _dataset(REPORTS["summary"], organization, period)
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


# ---------------------------------------------------------------- the registry


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    needs_period: bool
    build: Callable[[Organization | None, Period], Dataset]
    description: str = ""
    national: bool = False  # also for the whole country (organization None)


REPORTS: dict[str, Report] = {
    "membership": Report(
        "membership", gettext_lazy("Tổ chức đảng và đảng viên tại một thời điểm"), False,
        membership,
        gettext_lazy("Nội dung các biểu 1-TCTW đến 4-TCTW, tại 31/12 hoặc ngày bất kỳ."),
        national=True,
    ),
    "movement": Report(
        "movement", gettext_lazy("Biến động đảng viên trong kỳ"), True, movement,
        gettext_lazy("Đầu kỳ, kết nạp (so với chỉ tiêu), chuyển đến, chuyển đi, giảm, cuối kỳ."),
    ),
    "movement_by_child": Report(
        "movement_by_child", gettext_lazy("Biến động đảng viên theo tổ chức trực thuộc"), True,
        movement_by_child, gettext_lazy("Mỗi tổ chức trực thuộc một dòng, có dòng cộng."),
    ),
    "summary": Report(
        "summary", gettext_lazy("Báo cáo tóm tắt"), True, summary,
        gettext_lazy("Đoạn văn tóm tắt kết quả trong kỳ, số liệu ghi theo cách Việt Nam."),
    ),
    # Supervision, inspection and discipline (tochuc/inspections).
    "inspections": Report(
        "inspections", gettext_lazy("Kiểm tra, giám sát và thi hành kỷ luật"), True,
        inspections_report,
        gettext_lazy("Cấp ủy, ủy ban kiểm tra giám sát, kiểm tra bao nhiêu tổ chức đảng, đảng "
                     "viên; kỷ luật theo hình thức."),
    ),
    # Quality rating (tochuc/ratings): members and organizations per level in a year.
    "ratings": Report("ratings", RATINGS_TITLE, True, ratings_report, RATINGS_DESCRIPTION),
}  # fmt: skip


def build(name: str, organization: Organization | None, period: Period) -> Dataset:
    """The report `name` for `organization`, or for the whole country when it is None (only
    a report declared `national`)."""
    if name not in REPORTS:
        raise ValidationError(_("Không có báo cáo “%(name)s”.") % {"name": name})
    report = REPORTS[name]
    if organization is None and not report.national:
        raise ValidationError(not_national_message(report))
    with reading_reports():  # on the reports replica when one is configured (core/routers.py)
        return report.build(organization, period)


def not_national_message(report: Report) -> str:
    return _("Báo cáo “%(title)s” chỉ lập cho từng tổ chức, không lập cho toàn quốc.") % {
        "title": report.title
    }
