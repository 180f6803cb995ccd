"""The demo's ratings, seeded on the cast's commune: a decided 2024 session, a 2025 session
in progress, the cap respected, two members flagged for screening, votes of confidence."""

import random
from collections import Counter, defaultdict

import pytest

from tochuc.policy.rules import policy_for
from tochuc.ratings import selectors
from tochuc.ratings.demo import seed_ratings
from tochuc.ratings.models import ConfidenceVote, Level, Step
from tochuc.ratings.services import excellent_allowed, level_for

pytestmark = pytest.mark.django_db


def test_the_demo_rates_the_commune_in_2024_and_2025_within_the_rules(cast, school, village):
    made = seed_ratings(cast.commune, rng=random.Random("demo"))
    y2024, y2025 = made["sessions"]
    assert set(y2024.subjects.values_list("step", flat=True)) == {Step.DECIDED}
    steps = Counter(y2025.subjects.values_list("step", flat=True))
    assert steps[Step.DECIDED] and len(steps) > 1
    for session in (y2024, y2025):
        policy = policy_for(session.ends_on)
        groups = defaultdict(Counter)
        for subject in session.subjects.exclude(final_level=""):
            groups[(subject.kind, subject.cap_group_id)][subject.final_level] += 1
            assert level_for(subject.self_score, policy) == subject.self_level
            assert subject.self_level == subject.final_level
            assert sum(float(v) for v in subject.criteria_scores) == pytest.approx(
                float(subject.self_score)
            )
        for counts in groups.values():
            assert counts[Level.EXCELLENT] <= excellent_allowed(counts[Level.GOOD], policy)
    assert len(selectors.two_years_not_done(organization=cast.commune)) == 2
    assert ConfidenceVote.objects.count() == made["votes"] == 3
    flagged = [v for v in ConfidenceVote.objects.all() if selectors.vote_flags(v)]
    assert len(flagged) >= 1
