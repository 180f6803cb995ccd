"""The rules as dated policy: the numbers in force on a date, with their source.

Built-in versions follow the Party's documents (DESIGN §4, §7); an administrator can add
a `PolicyVersion` that changes some parameters from a date. `policy_for(on)` layers them:
the latest built-in version in force, then every administrator change in force, in date
order. The past is computed with the rules then in force. No service writes a rule number.
"""

from bisect import bisect_right
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import get_args, get_origin

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Policy:
    effective_from: date
    source: str
    # Admission (Điều lệ Đảng art. 4; 294-QĐ/TW and predecessors)
    admission_min_age_months: int = 18 * 12
    admission_max_age_months: int = 60 * 12
    introducers_required: int = 2
    introducer_worked_with_months: int = 12
    cell_vote_fraction: Fraction = Fraction(2, 3)
    decision_within_working_days: int = 60
    decision_extension_working_days: int = 30
    ceremony_within_working_days: int = 30
    # One of the introducers may be the grassroots Youth Union (for a candidate still of
    # youth age, 16–30 by Luật Thanh niên 2020) or Trade Union committee (Điều lệ Đảng art. 4).
    union_introducers_allowed: int = 1
    youth_union_max_age_months: int = 30 * 12
    # The due lists warn this many days ahead (issue 4: "probation ending within 30 days").
    due_notice_days: int = 30
    # Probation and confirmation
    probation_months: int = 12
    confirmation_proposal_working_days: int = 30
    confirmation_decision_working_days: int = 30
    confirmation_votes_before_escalation: int = 3
    # Transfers
    transfer_start_working_days: int = 60
    transfer_present_working_days: int = 30
    temporary_min_months: int = 3
    temporary_work_max_months: int = 12
    temporary_study_max_months: int = 24
    # Members working away (đảng viên đi làm ăn xa): how often the cell checks on them. A
    # default of the sector's practice, not a number of the Charter; an administrator may
    # change it.
    working_away_check_months: int = 3
    # How far ahead a scheduled date (a planned ceremony, a term's or a temporary transfer's
    # end, an expected return) may lie: a term of five years and the next (policy/acts.py).
    # A bound of sense, not a number of the Charter; an administrator may change it.
    scheduled_within_years: int = 10
    # Exits and re-admission
    readmission_min_months_out: int = 36
    readmission_times_allowed: int = 1
    # Party age: periods without party activity are not counted
    party_age_deducts_transfer_gaps: bool = True
    # Badges
    badge_years: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
    # Discipline (Quy định 69-QĐ/TW 2022, amended by 264-QĐ/TW 2025; inspections app): the
    # forms allowed for each subject, as codes of `inspections.models.DisciplineForm`.
    discipline_forms_organization: tuple[str, ...] = ("reprimand", "warning", "dissolution")
    discipline_forms_full_member: tuple[str, ...] = (
        "reprimand", "warning", "dismissal", "expulsion",
    )  # fmt: skip
    discipline_forms_probationary_member: tuple[str, ...] = ("reprimand", "warning")
    # ---- Quality rating (tochuc/ratings). The same four bands and cap in Quy định
    # 132-QĐ/TW (2018), 124-QĐ/TW (2023) and 366-QĐ/TW (30/8/2025): minimum points of
    # "xuất sắc", "tốt" and "hoàn thành" on the 100-point sheet (below: không hoàn thành).
    rating_source: str = (
        "Quy định 366-QĐ/TW (30/8/2025); trước đó 124-QĐ/TW (2023), 132-QĐ/TW (2018)"
    )
    rating_excellent_from: Decimal = Decimal("90")
    rating_good_from: Decimal = Decimal("70")
    rating_done_from: Decimal = Decimal("50")
    # "Xuất sắc" at most this share of those rated "tốt" in a grassroots organization
    # (docs/danh-gia.md: the "tốt" counted are those decided "tốt", xuất sắc not included).
    rating_excellent_cap: Fraction = Fraction(1, 5)
    # The criteria sheets: (criterion, maximum points), summing to 100.
    rating_member_criteria: tuple[tuple[str, int], ...] = (
        ("Tư tưởng chính trị; phẩm chất đạo đức, lối sống; ý thức tổ chức kỷ luật", 30),
        ("Kết quả thực hiện chức trách, nhiệm vụ được giao", 50),
        ("Thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm", 10),
        ("Khắc phục hạn chế, khuyết điểm đã được chỉ ra", 10),
    )
    rating_organization_criteria: tuple[tuple[str, int], ...] = (
        ("Xây dựng Đảng về chính trị, tư tưởng, đạo đức", 20),
        ("Xây dựng Đảng về tổ chức, cán bộ, đảng viên", 20),
        ("Lãnh đạo thực hiện nhiệm vụ chính trị của địa phương, cơ quan, đơn vị", 40),
        ("Công tác kiểm tra, giám sát, kỷ luật đảng; khắc phục hạn chế đã chỉ ra", 20),
    )
    # ---- Votes of confidence (Quy định 96-QĐ/TW, 2/2/2023): flagged when the low share of
    # valid ballots is above this, or the high share below this.
    confidence_source: str = "Quy định 96-QĐ/TW (2/2/2023)"
    confidence_low_flag_above: Fraction = Fraction(1, 2)
    confidence_high_flag_below: Fraction = Fraction(1, 2)
    # ---- The document registry (tochuc/documents): the largest file attached to a document
    # (a scanned signed copy runs to a few megabytes). A bound of sense, not a number of a
    # Party document; an administrator may change it.
    document_attachment_max_mb: int = 20
    # ---- Action programmes (tochuc/programmes): a task appears in the due lists this many
    # days before its deadline (the sector's practice: the monthly briefing reviews the
    # month ahead).
    programme_task_notice_days: int = 30
    # ---- Committees, terms and congresses (tochuc/committees). Term lengths: a đảng bộ
    # (and a chi bộ cơ sở) five years; a chi bộ trực thuộc twice in five years, once in
    # five years from the 294-QĐ/TW version (Điều lệ Đảng 2011 art. 23–24; 294-QĐ/TW).
    committees_source: str = "Điều lệ Đảng (2011) điều 10, 23, 24; Quy định 24-QĐ/TW (2021)"
    term_months_committee: int = 60
    term_months_cell: int = 30
    # A cell with fewer full members than this elects a secretary (and may elect a deputy)
    # rather than a chi ủy (Điều lệ Đảng art. 24).
    cell_committee_from_full_members: int = 9
    # The most a committee may elect, per organization kind: (kind, size). Defaults of the
    # sector's guidance for the congresses (Chỉ thị 35-CT/TW 2019, Chỉ thị 45-CT/TW 2025);
    # an administrator confirms them or changes them from a date (PolicyVersion).
    committee_max_size: tuple[tuple[str, int], ...] = (
        ("province", 55), ("district", 37), ("commune", 33), ("bloc", 33),
        ("base_committee", 15), ("base_cell", 5), ("sub_committee", 7), ("cell", 5),
    )  # fmt: skip
    standing_max_size: tuple[tuple[str, int], ...] = (
        ("province", 15), ("district", 11), ("commune", 11), ("bloc", 9),
        ("base_committee", 5),
    )  # fmt: skip
    deputies_max: tuple[tuple[str, int], ...] = (
        ("province", 3), ("district", 2), ("commune", 2), ("bloc", 2),
        ("base_committee", 2), ("base_cell", 1), ("sub_committee", 1), ("cell", 1),
    )  # fmt: skip
    inspection_max_size: tuple[tuple[str, int], ...] = (
        ("province", 11), ("district", 9), ("commune", 7), ("bloc", 7), ("base_committee", 5),
    )  # fmt: skip
    # Elected: more than this share of the valid ballots (Quy chế bầu cử trong Đảng).
    election_majority: Fraction = Fraction(1, 2)
    # Reminders before a term ends, in months (the congress due list: 6, then 3).
    congress_notice_months: tuple[int, ...] = (6, 3)
    # Composition targets of the committees of a term: women, young cadres (under the age).
    committee_targets_source: str = "Chỉ thị 35-CT/TW (30/5/2019); Chỉ thị 45-CT/TW (14/4/2025)"
    committee_women_share_target: Fraction = Fraction(15, 100)
    committee_young_share_target: Fraction = Fraction(10, 100)
    committee_young_below_age: int = 40
    # ---- Cell meetings (tochuc/meetings). Điều lệ Đảng (2011) art. 24: the cell meets
    # regularly once a month; Hướng dẫn 12-HD/BTCTW (18/1/2018) on the quality of cell
    # meetings: at least one thematic meeting a quarter. Điều lệ Đảng art. 8 (Quy định
    # 294-QĐ/TW, 2025): a member who misses cell meetings for three months in a year without
    # a valid reason is considered for removal (xóa tên).
    meetings_source: str = (
        "Điều lệ Đảng (2011) điều 24, điều 8; Hướng dẫn 12-HD/BTCTW (18/1/2018) về nâng cao "
        "chất lượng sinh hoạt chi bộ"
    )
    meeting_regular_per_month: int = 1
    meeting_thematic_per_quarter: int = 1
    meeting_absent_months_flag: int = 3
    # ---- Data quality (tochuc/quality): what a record must have, and when a timeline is
    # suspicious. Defaults of the 2025 clean-up campaigns ("đúng – đủ – sạch – sống", every
    # citizen ID entered before the data fed the national e-handbook), not numbers of the
    # Charter; an administrator may change them.
    quality_source: str = (
        "Chiến dịch làm sạch dữ liệu đảng viên 2025 (đúng – đủ – sạch – sống); "
        "Hướng dẫn 12-HD/BTCTW (2022) về hồ sơ đảng viên"
    )
    # Fields of form 2-HSĐV that a record of an active member must have.
    quality_required_fields: tuple[str, ...] = (
        "citizen_id", "birthplace", "hometown", "general_education",
    )  # fmt: skip
    # A probation still open this many months after it should have ended.
    quality_probation_overdue_months: int = 6
    # A temporary transfer still open this many months after its end date.
    quality_temporary_overdue_months: int = 3
    # Two records are suggested as one person from this similarity (0–100) up.
    quality_duplicate_min_score: int = 85
    # ---- Screening (sàng lọc; Điều lệ Đảng art. 8.2, Quy định 294-QĐ/TW (2025) and
    # predecessors): rated "không hoàn thành nhiệm vụ" this many consecutive years; working
    # away without news (no check by the cell) for this many months.
    screening_source: str = "Điều lệ Đảng, Điều 8 khoản 2; Quy định 294-QĐ/TW (26/5/2025)"
    screening_not_done_years: int = 2
    screening_lost_contact_months: int = 6
    # ---- Party badges (tochuc/awards; the milestones are `badge_years` above). Awarded on
    # the anniversaries (month, day): founding of the Party 3/2, President Hồ Chí Minh's
    # birthday 19/5, National Day 2/9, the October Revolution 7/11. A seriously ill member
    # may be awarded up to 12 months early (24 for a milestone of 70 years and above); a
    # member who died up to 12 months short of a milestone, posthumously. Exempted members
    # stay eligible; removed and expelled members do not.
    badge_source: str = (
        "Quy định 54-QĐ/TW (08/12/2021) của Bộ Chính trị về xét tặng Huy hiệu Đảng; "
        "Quy định 294-QĐ/TW (26/5/2025)"
    )
    badge_occasions: tuple[tuple[int, int], ...] = ((2, 3), (5, 19), (9, 2), (11, 7))
    badge_illness_early_months: int = 12
    badge_illness_early_months_senior: int = 24
    badge_senior_from_years: int = 70
    badge_posthumous_early_months: int = 12
    # The cash gift with a badge: a multiple of the base salary in force on the decision date
    # (milestone in years, multiple). Hướng dẫn 56-HD/VPTW, Mục IV.2 lists 30: 1,5; 40: 2,0;
    # 50: 3,0; 55: 3,5; 60: 5,0; 65: 6,0; 70: 8,0; 75: 10,0; 80: 15,0 (read 2026-12-06 in
    # secondary sources quoting it: thuvienphapluat.vn, giadinh.suckhoedoisong.vn). The 45,
    # 85 and 90 years badges are not in that list: 2,5 and 15 (the 80 years' multiple) are
    # the system's defaults, to be set from the text in force (docs/khen-thuong.md).
    badge_gift_source: str = (
        "Hướng dẫn 56-HD/VPTW (27/10/2015) của Văn phòng Trung ương Đảng, Mục IV.2 (mức "
        "tặng thưởng kèm theo Huy hiệu Đảng); mốc 45, 85, 90 năm: mặc định của hệ thống"
    )
    badge_gift_multiples: tuple[tuple[int, Decimal], ...] = (
        (30, Decimal("1.5")), (40, Decimal("2")), (45, Decimal("2.5")), (50, Decimal("3")),
        (55, Decimal("3.5")), (60, Decimal("5")), (65, Decimal("6")), (70, Decimal("8")),
        (75, Decimal("10")), (80, Decimal("15")), (85, Decimal("15")), (90, Decimal("15")),
    )  # fmt: skip
    # The base salary (lương cơ sở, đồng/month) from each date (ISO): one dated table, so
    # that an administrator adds the next step as one change.
    base_salary_source: str = (
        "Nghị định 66/2013/NĐ-CP; 47/2016/NĐ-CP; 47/2017/NĐ-CP; 72/2018/NĐ-CP; "
        "38/2019/NĐ-CP; 24/2023/NĐ-CP; 73/2024/NĐ-CP"
    )
    base_salary_steps: tuple[tuple[str, int], ...] = (
        ("2013-07-01", 1_150_000), ("2016-05-01", 1_210_000), ("2017-07-01", 1_300_000),
        ("2018-07-01", 1_390_000), ("2019-07-01", 1_490_000), ("2023-07-01", 1_800_000),
        ("2024-07-01", 2_340_000),
    )  # fmt: skip
    # ---- Cadre work (tochuc/cadres). Appointment of leaders: a term of 5 years; a first
    # appointment needs the whole term before retirement; a re-appointment needs at least
    # 2 years (less: the post is held on to retirement instead); re-appointments are listed
    # this many days ahead of the term's end.
    appointment_source: str = (
        "Quy định 80-QĐ/TW (18/8/2022) về phân cấp quản lý cán bộ và bổ nhiệm, giới thiệu "
        "cán bộ ứng cử; Nghị định 138/2020/NĐ-CP, Điều 43, 44"
    )
    appointment_term_months: int = 60
    appointment_first_min_service_months: int = 60
    reappointment_min_service_months: int = 24
    reappointment_notice_days: int = 90
    # Retirement age (Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP): from 2021
    # men 60 years 3 months, +3 months a year to 62; women 55 years 4 months, +4 months a
    # year to 60. Before 2021: 60 and 55 (Bộ luật Lao động 2012). In months.
    retirement_source: str = "Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP"
    retirement_schedule_from_year: int = 2021
    retirement_before_male_months: int = 60 * 12
    retirement_before_female_months: int = 55 * 12
    retirement_first_male_months: int = 60 * 12 + 3
    retirement_first_female_months: int = 55 * 12 + 4
    retirement_step_male_months: int = 3
    retirement_step_female_months: int = 4
    retirement_final_male_months: int = 62 * 12
    retirement_final_female_months: int = 60 * 12
    # Cadre planning (quy hoạch): a planned cadre can serve at least one whole term from
    # the start of the term planned; each position 2 to 4 people, each person at most 3
    # positions of the same level.
    planning_source: str = "Quy định 50-QĐ/TW (27/12/2021); Hướng dẫn 16-HD/BTCTW (15/8/2022)"
    planning_min_service_months: int = 60
    planning_min_per_position: int = 2
    planning_max_per_position: int = 4
    planning_max_positions_per_cadre: int = 3
    # A planned cadre was rated at least "hoàn thành tốt nhiệm vụ" (the ratings app's level
    # "good"; "excellent" is above it) in each of the last years before the review: the
    # years before the year of the review, this many. A year rated lower fails the
    # criterion; a year without a rating in the system is named, not counted as a failure.
    planning_rating_source: str = "Quy định 50-QĐ/TW (27/12/2021), tiêu chuẩn, điều kiện quy hoạch"
    planning_rating_years: int = 3
    planning_rating_min_level: str = "good"
    # ---- Member self-service (tochuc/selfservice). The activation code a cell secretary
    # prints for a member is valid this many days. The requests a member files are answered
    # within these working days (kind, days): a correction of personal data is the data
    # subject's right to have their data corrected (Luật Bảo vệ dữ liệu cá nhân
    # 91/2025/QH15, Điều 4; Nghị định 356/2025/NĐ-CP, from 1/1/2026); a transfer letter is
    # asked before the 60 working days the Charter's guidance gives for starting an official
    # transfer (Hướng dẫn 12-HD/BTCTW 2022); the self-assessment sheet before the cell's
    # rating meeting (Quy định 366-QĐ/TW 2025). The numbers are defaults of this system,
    # not of those documents; an administrator confirms or changes them from a date.
    selfservice_source: str = (
        "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, Điều 4; Nghị định 356/2025/NĐ-CP; "
        "Hướng dẫn 12-HD/BTCTW (2022); Quy định 366-QĐ/TW (30/8/2025)"
    )
    selfservice_activation_days: int = 14
    selfservice_request_working_days: tuple[tuple[str, int], ...] = (
        ("correction", 10), ("transfer_letter", 10), ("self_assessment", 15),
    )  # fmt: skip


BUILT_IN: tuple[Policy, ...] = (
    Policy(date(2011, 1, 19), "Điều lệ Đảng (2011); Quy định 45-QĐ/TW (2011)"),
    Policy(date(2016, 10, 20), "Quy định 29-QĐ/TW (2016)"),
    Policy(date(2021, 7, 28), "Quy định 24-QĐ/TW (2021)"),
    Policy(date(2025, 7, 1), "Quy định 294-QĐ/TW (26/5/2025)", term_months_cell=60),
)
PARAMETERS = {f.name: f.type for f in fields(Policy) if f.name not in ("effective_from", "source")}


def _coerce_as(kind, value):
    """A value from an administrator's JSON, as the type the Policy field declares:
    numbers (int, Decimal, Fraction written "2/3"), text, yes/no, and tuples of these —
    `tuple[int, ...]` of any length, or a fixed pair such as `tuple[str, int]`."""
    if get_origin(kind) is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce_as(args[0], v) for v in value)
        values = tuple(value)
        if len(values) != len(args):
            raise ValueError(f"cần {len(args)} giá trị, có {len(values)}")
        return tuple(_coerce_as(k, v) for k, v in zip(args, values, strict=True))
    if kind is bool:
        if value not in (True, False, 0, 1):
            raise ValueError(f"cần true hoặc false, không phải {value!r}")
        return bool(value)
    if kind in (int, Decimal, Fraction, str):
        return kind(str(value))
    raise TypeError(f"kiểu {kind} chưa được hỗ trợ")


def _shape(kind) -> str:
    """What a value of the type looks like, in Vietnamese, for the error message."""
    if get_origin(kind) is tuple:
        args = get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return f"cần một danh sách, mỗi phần tử {_shape(args[0]).removeprefix('cần ')}"
        return "cần một cặp [" + ", ".join(_shape(a).removeprefix("cần ") for a in args) + "]"
    return {
        int: "cần số nguyên",
        Decimal: "cần số (dấu chấm thập phân, ví dụ 70.5)",
        Fraction: "cần phân số, ví dụ 2/3",
        str: "cần chữ",
        bool: "cần true hoặc false",
    }.get(kind, "không đúng dạng")


def _coerce(name: str, value):
    return _coerce_as(PARAMETERS[name], value)


# The dues rules (policy/dues.py) travel in the same administrator's changes, as parameters
# named "dues_…": validated and applied there, passed over here.
DUES_PREFIX = "dues_"


def own_params(params: dict) -> dict:
    return {k: v for k, v in params.items() if not k.startswith(DUES_PREFIX)}


def coerce_parameter(kind, value):
    """A value of an administrator's change as the declared type (for policy/dues.py)."""
    return _coerce_as(kind, value)


def parameter_shape(kind) -> str:
    return _shape(kind)


def validate_params(params: dict) -> dict:
    params = own_params(params)
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        raise ValidationError({"params": f"Tham số không có: {', '.join(unknown)}."})
    coerced, errors = {}, []
    for name, value in params.items():
        try:
            coerced[name] = _coerce(name, value)
        except (TypeError, ValueError, ZeroDivisionError, InvalidOperation):
            errors.append(f"“{name}” = {value!r}: {_shape(PARAMETERS[name])}.")
    if errors:
        raise ValidationError({"params": ["Giá trị tham số không hợp lệ:", *errors]})
    return coerced


class PolicyLookup:
    """`policy_for` on many dates with one query: the rules only change on the dates where
    a built-in or an administrator's version takes effect, so each period is read once.
    For bulk work (imports, the bulk path); call it like `policy_for`."""

    def __init__(self):
        from .models import PolicyVersion

        changes = PolicyVersion.objects.values_list("effective_from", flat=True)
        self.starts = sorted({p.effective_from for p in BUILT_IN} | set(changes))
        self.found: dict[date, Policy] = {}

    def __call__(self, day: date) -> Policy:
        index = bisect_right(self.starts, day)
        start = self.starts[index - 1] if index else date.min
        if start not in self.found:
            self.found[start] = policy_for(start)
        return self.found[start]


def policy_for(on: date) -> Policy:
    from .models import PolicyVersion

    in_force = [p for p in BUILT_IN if p.effective_from <= on]
    # Before the first built-in version, its numbers are the defaults and every
    # administrator change dated up to `on` applies.
    policy = in_force[-1] if in_force else replace(BUILT_IN[0], effective_from=date.min)
    for change in PolicyVersion.objects.filter(effective_from__lte=on).order_by(
        "effective_from", "id"
    ):
        if change.params and not own_params(change.params):
            continue  # a change of the dues rules only
        if change.effective_from >= policy.effective_from:
            policy = replace(
                policy,
                effective_from=change.effective_from,
                source=change.source,
                **validate_params(change.params),
            )
    return policy
