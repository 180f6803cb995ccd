"""The home page's committee panel: the committee in office on the date (term, secretary,
seats held against the elected size, what is vacant) and when the term ends."""

from datetime import date

from . import selectors
from .models import COMMITTEE_ROLES, Role


def committee_panel(request, organization, on: date) -> dict | None:
    committee = selectors.committee_on(organization=organization, on=on)
    if committee is None:
        return None  # nothing recorded: no panel
    posts = selectors.posts_on(committee=committee, on=on)
    return {
        "term": str(committee.term),
        "ends_on": committee.term.ends_on,
        "secretary": next((p.member.full_name for p in posts if p.role == Role.SECRETARY), ""),
        "held": len({p.member_id for p in posts if p.role in COMMITTEE_ROLES}),
        "size": committee.size,
        "vacancies": [
            f"{v.label} {v.missing}/{v.seats}"
            for v in selectors.vacancies(committee=committee, posts=posts)
        ],
    }


def register() -> None:
    from tochuc.core.dashboard import register_panel

    register_panel("committees.committee", "committees/_panel.html", committee_panel, order=45)
