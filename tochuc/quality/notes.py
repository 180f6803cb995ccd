"""The member page's notice (a `members.hooks.member_panels` box placed on top): the
problems of the latest scan that are still open, each with where it is fixed."""

from . import selectors
from .rules import rule_for


def member_panel(request, member) -> dict | None:
    notes = []
    for problem in selectors.problems_of(member=member):
        rule = rule_for(problem.kind)
        notes.append(
            {
                "text": f"{rule.label}: {rule.explanation}",
                "url": rule.fix(member.pk),
                "link": str(rule.fix_label),
            }
        )
    if not notes:
        return None
    return {"template": "quality/_member_notes.html", "place": "top", "notes": notes}
