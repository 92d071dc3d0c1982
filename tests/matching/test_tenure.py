"""The terms offered (rent, sale, temporary use) must be ones the need accepts."""

from __future__ import annotations

from matching.constraints import check_constraints, example_pairs
from matching.explain import near_misses, why_not
from matching.settings import Settings


def test_terms_the_need_does_not_accept_exclude_the_pair() -> None:
    pairs = example_pairs(tenure_accepted=False)
    checks = check_constraints(pairs, Settings())
    assert not checks["ok_tenure"].iloc[0] and not checks["passes"].iloc[0]
    assert why_not(pairs.iloc[0], Settings())[0].startswith("Mode d'occupation non accepté")
    assert near_misses(pairs, Settings()).empty  # no small change fixes the terms
