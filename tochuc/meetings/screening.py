"""Absence from cell meetings as a ground of the quality screening (Điều lệ art. 8)."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tochuc.organizations.models import Organization

from .selectors import absentees_flagged


def absent_from_meetings(organization: Organization, on: date) -> dict[int, str]:
    """Members absent without reason in the rule's number of months of `on`'s year."""
    return {
        row.member.pk: _(
            "Vắng sinh hoạt không lý do %(count)s tháng năm %(year)s (tháng %(months)s)"
        )
        % {
            "count": len(row.months),
            "year": on.year,
            "months": ", ".join(str(m) for m in row.months),
        }
        for row in absentees_flagged(organization=organization, year=on.year, on=on)
    }


def register() -> None:
    from tochuc.quality.screening import register_ground

    register_ground(
        "meetings_absent", gettext_lazy("Vắng sinh hoạt không lý do nhiều tháng"),
        absent_from_meetings,
    )  # fmt: skip
