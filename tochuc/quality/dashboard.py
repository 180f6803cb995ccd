"""The home page's quality panel: the organization's score and its worst units."""

from __future__ import annotations

from . import selectors


def panel(request, organization, on) -> dict | None:
    score = selectors.score_of(organization=organization)
    if score is None:
        return None
    ranked = selectors.ranking(organization=organization, score=score)
    return {
        "score": score,
        "worst": list(reversed(ranked))[:3],
        "kinds": selectors.kinds_of(score)[:3],
        "pairs": selectors.pair_list(organization=organization).count(),
    }
