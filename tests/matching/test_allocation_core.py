"""Allocation on a core of the pairs, priced against them all (large instances).

``core_limit=0`` sends every instance down that path, and a core of one pair per need makes
pricing do the work: the answer stays feasible, its bound holds for every pair, and where the
relaxation is integral (no floor area binds) it is the optimum.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings

from matching import allocation as alloc
from matching.allocation import allocate_optimal
from tests.factories import Instance, Pair, Spec, instances
from tests.matching.brute_force import assert_feasible, brute_force_optimum


def cored(instance: Instance) -> alloc.Allocation:
    with mock.patch.object(alloc, "CORE_PER_NEED", 1):
        return allocate_optimal(
            instance.pairs, instance.premises, needs=instance.needs, core_limit=0
        )


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_core_answer_is_feasible_and_bounded_over_every_pair(instance: Instance) -> None:
    result = cored(instance)
    assert_feasible(instance, result)
    optimum = brute_force_optimum(instance)
    assert result.total_score <= optimum + 1e-9
    assert result.bound >= optimum - 1e-9
    if not any(spec.multi for spec in instance.specs.values()):
        # One actor per premises: a bipartite matching, whose relaxation is integral.
        assert result.total_score == pytest.approx(optimum, abs=1e-9)
    assert cored(instance).assignments.equals(result.assignments)  # reproducible


def random_matching(seed: int, needs: int, premises: int, per_need: int) -> Instance:
    """One actor per premises, ``per_need`` random candidates per need."""
    rng = np.random.default_rng(seed)
    found = {(n, int(p)) for n in range(needs) for p in rng.integers(0, premises, per_need)}
    rows = [Pair(n, p, float(rng.random()), float(rng.uniform(20, 200))) for n, p in sorted(found)]
    specs = {p: Spec(False, 1, float(rng.uniform(100, 900))) for p in range(premises)}
    return Instance(rows, specs, list(range(needs)))


def test_a_large_matching_gets_the_optimum_from_a_small_core() -> None:
    instance = random_matching(seed=3, needs=400, premises=500, per_need=30)
    whole = allocate_optimal(instance.pairs, instance.premises)
    with mock.patch.object(alloc, "CORE_PER_NEED", 2):
        core = allocate_optimal(instance.pairs, instance.premises, core_limit=1000)
    assert len(instance.pairs) > 10_000
    assert (whole.gap, core.gap) == (0.0, 0.0)
    assert core.total_score == pytest.approx(whole.total_score, abs=1e-9)
    assert_feasible(instance, core)
