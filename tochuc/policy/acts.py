"""When an act may be dated: the one rule that every service recording a dated act calls.

An act (an admission, a transfer, an exemption, a rating, a restructuring …) is dated no
later than today, unless it is scheduled (a planned ceremony, a due date, a temporary
transfer's end: then no further ahead than `Policy.scheduled_within_years`), and no
earlier than the Party's founding (03/02/1930) nor than what it follows (the person's
coming of age for admission, the organization's founding, the member's admission …).
Forms, imports and the API reach it through the services, so they all refuse alike, with
a Vietnamese message beside the field.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from tochuc.lib.dates import add_months, vn_date

from .rules import Policy, policy_for

# The founding of the Communist Party of Vietnam: the conference uniting the communist
# organizations, 3–7/2/1930 (Điều lệ Đảng, 2011, Lời nói đầu; the date the Party keeps).
PARTY_FOUNDED = date(1930, 2, 3)
PARTY_FOUNDED_SOURCE = "Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930)"

# No one in the registry was born earlier: a member admitted at the Party's founding at
# 50 (Điều lệ 1930 knew no upper age) was born in 1880. A bound of sense for birth dates.
EARLIEST_BIRTH = date(1880, 1, 1)

Bound = tuple[date | None, str]  # (the earliest day, what it is: "ngày kết nạp")


def act_date_refusal(
    on: date | None,
    *,
    earliest: Iterable[Bound] = (),
    scheduled: bool = False,
    today: date | None = None,
) -> str | None:
    """Why `on` cannot be the date of the act (or None): after today (beyond the horizon
    when `scheduled`), before the Party's founding, or before one of `earliest`."""
    if on is None:
        return None
    today = today or timezone.localdate()
    if on > today:
        if not scheduled:
            return _("Ngày này không được sau hôm nay.")
        years = policy_for(today).scheduled_within_years
        horizon = add_months(today, 12 * years)
        if on > horizon:
            return _(
                "Ngày %(day)s quá xa: ngày dự kiến không quá %(years)s năm tới (đến %(last)s)."
            ) % {"day": vn_date(on), "years": years, "last": vn_date(horizon)}
    if on < PARTY_FOUNDED:
        return _("Ngày %(day)s trước ngày thành lập Đảng (%(founded)s).") % {
            "day": vn_date(on),
            "founded": vn_date(PARTY_FOUNDED),
        }
    bounds = [(day, label) for day, label in earliest if day is not None and on < day]
    if bounds:
        day, label = max(bounds, key=lambda bound: bound[0])
        return _("Ngày %(day)s trước %(earliest)s, %(what)s.") % {
            "day": vn_date(on),
            "what": label,
            "earliest": vn_date(day),
        }
    return None


def sensible_date(day: date | None) -> None:
    """A form field's first check (a validator): no date the system keeps lies before
    EARLIEST_BIRTH or beyond the horizon of what is scheduled. The act's own rule (after
    today, before what it follows) is the service's, through `check_act_date`."""
    if day is None:
        return
    today = timezone.localdate()
    if day < EARLIEST_BIRTH:
        raise ValidationError(
            _("Ngày %(day)s quá xa (trước %(first)s); hãy kiểm tra lại.")
            % {"day": vn_date(day), "first": vn_date(EARLIEST_BIRTH)}
        )
    if day > today and act_date_refusal(day, scheduled=True, today=today):
        raise ValidationError(act_date_refusal(day, scheduled=True, today=today))


def check_act_date(
    on: date | None,
    *,
    field: str = "on",
    earliest: Iterable[Bound] = (),
    scheduled: bool = False,
    today: date | None = None,
) -> date | None:
    """`act_date_refusal` as a ValidationError keyed by `field`; returns `on`."""
    refusal = act_date_refusal(on, earliest=earliest, scheduled=scheduled, today=today)
    if refusal:
        raise ValidationError({field: refusal})
    return on


def birth_date_refusal(birth_date: date, *, today: date | None = None) -> str | None:
    """Why `birth_date` cannot be a person's (after today, or before EARLIEST_BIRTH)."""
    if birth_date > (today or timezone.localdate()):
        return _("Ngày sinh không được sau hôm nay.")
    if birth_date < EARLIEST_BIRTH:
        return _("Ngày sinh %(day)s quá xa (trước %(first)s); hãy kiểm tra lại.") % {
            "day": vn_date(birth_date),
            "first": vn_date(EARLIEST_BIRTH),
        }
    return None


def of_age(birth_date: date | None, policy: Policy) -> Bound:
    """The earliest admission-related act for a person born on `birth_date`: the day they
    reach the minimum age of admission (counted by month) under `policy`."""
    if birth_date is None:
        return (None, "")
    months = policy.admission_min_age_months
    # The label is read only when a date is refused: translated then, not for every member
    # a bulk import or the demo checks.
    return (add_months(birth_date, months), _of_age_label(months // 12, policy.source))


def _of_age_text(years: int, source: str) -> str:
    return _("ngày đủ %(years)s tuổi (tính theo tháng) theo %(source)s") % {
        "years": years,
        "source": source,
    }


_of_age_label = lazy(_of_age_text, str)


def probation_ends(start: date, policies=policy_for) -> date:
    """The end of probation for a member whose probation starts on `start` (the ceremony,
    or the decision where no ceremony is known): the dated policy's months later."""
    return add_months(start, policies(start).probation_months)


def after_founding(organization) -> Bound:
    """The organization's founding, as a bound for acts in it."""
    return (
        organization.founded_on,
        _("ngày thành lập %(name)s") % {"name": organization.name},
    )


def after_admission(member) -> Bound:
    """The member's admission, as a bound for the acts that follow it."""
    return (member.admitted_on, _("ngày quyết định kết nạp"))


def act_year_refusal(year: int | None, *, ahead: int = 0, today: date | None = None) -> str | None:
    """Why `year` cannot be the year of an act (a target, a rating period …): from the
    Party's founding to this year, or `ahead` years further for what is set in advance."""
    last = (today or timezone.localdate()).year + ahead
    if year is None or not PARTY_FOUNDED.year <= year <= last:
        return _("Năm phải là số từ %(first)s đến %(last)s.") % {
            "first": PARTY_FOUNDED.year,
            "last": last,
        }
    return None


def check_act_year(year: int | None, *, field: str = "year", ahead: int = 0) -> int | None:
    """`act_year_refusal` as a ValidationError keyed by `field`; returns `year`."""
    refusal = act_year_refusal(year, ahead=ahead)
    if refusal:
        raise ValidationError({field: refusal})
    return year
