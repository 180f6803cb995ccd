"""The member page's notes (`members.hooks.member_notes`): the problems of the latest scan
that are still open, each with where it is fixed."""

from . import selectors
from .rules import rule_for


def member_note(member) -> list[dict]:
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
    return notes
