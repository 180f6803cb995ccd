"""The awards cast: members of the commune's village cell with old admissions (a 30-year and
a 40-year badge due on 2/9/2026), one exempted, one removed, one too young; one in the
sibling commune; and helpers running the cycle through the services."""

from datetime import date
from types import SimpleNamespace

import pytest

from tochuc.awards import services
from tochuc.members.services import member_exempt, member_exit
from tochuc.testing import register

SEPT_2026 = date(2026, 9, 2)


@pytest.fixture
def veterans(cast):
    an = register(
        cast.village_cell, "Hoàng Văn An", admitted_on=date(1996, 6, 20), citizen_id="001056000001"
    )
    binh = register(
        cast.cell, "Lục Thị Bình", admitted_on=date(1986, 7, 1), citizen_id="001056000002"
    )
    chien = register(
        cast.village_cell, "Nông Văn Chiến", admitted_on=date(1996, 5, 2), citizen_id="001056000003"
    )
    member_exempt(member=chien, on=date(2025, 10, 1), grounds="Tuổi cao, sức yếu")
    dung = register(
        cast.village_cell, "Vi Văn Dũng", admitted_on=date(1996, 4, 2), citizen_id="001056000004"
    )
    member_exit(member=dung, type="removed", on=date(2026, 3, 1), decision_no="05-QĐ/ĐU")
    young = register(
        cast.village_cell, "Hà Thị Én", admitted_on=date(2001, 3, 2), citizen_id="001056000005"
    )
    sibling = register(
        cast.sibling_cell,
        "Lường Văn Giang",
        admitted_on=date(1996, 6, 1),
        citizen_id="001056000006",
    )
    for m in (an, binh, chien, dung, young, sibling):
        m.refresh_from_db()
    return SimpleNamespace(an=an, binh=binh, chien=chien, dung=dung, young=young, sibling=sibling)


@pytest.fixture
def cycle(cast, users):
    """Propose (10/8/2026), decide (25/8/2026) and award (2/9/2026) through the services."""

    def run(members, *, award=True, occasion=SEPT_2026):
        cases = services.badge_propose(
            proposer=cast.commune,
            occasion=occasion,
            members=members,
            proposal_no="15-TTr/ĐU",
            proposed_on=date(2026, 8, 10),
            by=users.commune_officer,
        )
        cases = services.badge_decide(
            cases=cases,
            decision_no="245-QĐ/TU",
            decided_on=date(2026, 8, 25),
            issuer="Ban Thường vụ Tỉnh ủy",
            by=users.province_officer,
        )
        if award:
            cases = [
                services.badge_award(
                    case=c, badge_no=f"HH-{n:05d}", ceremony_on=occasion, by=users.commune_officer
                )
                for n, c in enumerate(cases, start=1)
            ]
        return cases

    return run
