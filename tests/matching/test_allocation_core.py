"""Allocation of large parts: an assignment solved exactly, or a core priced against every pair.

``ASSIGNMENT_PAIRS`` and ``core_limit`` at 0 send every instance down those paths. Where every
premises hosts one need the part is an assignment, whose answer is the optimum; otherwise (or
forced) a core of one pair per need makes pricing do the work: the answer stays feasible, its
bound holds for every pair, and where the relaxation is integral (no floor area binds) it is
the optimum.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import _assignment, _lp
from matching import allocation as alloc
from matching.allocation import allocate_optimal
from tests.factories import Instance, Pair, Spec, instances
from tests.matching.brute_force import assert_feasible, brute_force_optimum


def large(instance: Instance, *, priced: bool = False, per_need: int = 1) -> alloc.Allocation:
    """Solved as a large part; ``priced``: on a core even when it is an assignment."""
    is_assignment = (lambda *_: False) if priced else _assignment.one_actor_each
    with (
        mock.patch.object(alloc, "ASSIGNMENT_PAIRS", 0),
        mock.patch.object(alloc, "CORE_PER_NEED", per_need),
        mock.patch.object(alloc, "one_actor_each", is_assignment),
    ):
        return allocate_optimal(
            instance.pairs, instance.premises, needs=instance.needs, core_limit=0
        )


def one_actor_each(instance: Instance) -> bool:
    return not any(spec.multi for spec in instance.specs.values())


@settings(max_examples=150, deadline=None)
@given(instances())
def test_a_priced_core_answer_is_feasible_and_bounded_over_every_pair(instance: Instance) -> None:
    result = large(instance, priced=True)
    assert_feasible(instance, result)
    optimum = brute_force_optimum(instance)
    assert result.total_score <= optimum + 1e-9
    assert result.bound >= optimum - 1e-9
    if one_actor_each(instance):
        # A bipartite matching, whose relaxation is integral: optimal but for what pricing,
        # stopping once the pairs left out could add less than PRICE_GAP, leaves out.
        slack = _lp.PRICE_GAP * result.bound + 1e-9
        assert result.total_score == pytest.approx(optimum, abs=slack)
    if result.gap == 0.0:
        assert result.total_score == pytest.approx(optimum, abs=1e-9)
    assert large(instance, priced=True).assignments.equals(result.assignments)  # reproducible


@settings(max_examples=150, deadline=None)
@given(instances())
def test_an_assignment_is_solved_exactly(instance: Instance) -> None:
    if not one_actor_each(instance):
        return  # priced on a core, as above
    result = large(instance)
    assert_feasible(instance, result)
    assert (result.method, result.gap) == ("assignment" if instance.rows else "milp", 0.0)
    assert result.total_score == pytest.approx(brute_force_optimum(instance), abs=1e-9)


@st.composite
def crowded(draw: st.DrawFn) -> Instance:
    """≤ 7 needs on ≤ 5 premises, mostly shared, whose m² bind: fractional relaxations."""
    specs = {
        p: Spec(
            draw(st.booleans()) or p % 2 == 0,
            draw(st.integers(1, 3)),
            draw(st.sampled_from([50.0, 120.0, 229.0, 300.0])),
        )
        for p in range(draw(st.integers(1, 5)))
    }
    rows = [
        Pair(n, p, draw(st.integers(0, 1000)) / 1000, float(draw(st.integers(20, 150))))
        for n in range(draw(st.integers(1, 7)))
        for p in specs
        if draw(st.booleans())
    ]
    return Instance(rows, specs, sorted({row.need_id for row in rows}))


@settings(max_examples=300, deadline=None)
@given(crowded(), st.integers(1, 2))
def test_every_bound_a_priced_core_reports_holds(instance: Instance, per_need: int) -> None:
    """Against the exhaustive optimum: a gap of 0 only for the optimum, a bound never below."""
    result = large(instance, priced=True, per_need=per_need)
    optimum = brute_force_optimum(instance)
    assert_feasible(instance, result)
    assert result.total_score <= optimum + 1e-9
    assert result.bound >= optimum - 1e-9
    if result.gap == 0.0:
        assert result.total_score == pytest.approx(optimum, abs=1e-9)


def test_converged_pricing_alone_proves_no_integer_optimum() -> None:
    """Pricing converges on a core whose best whole answer (2.675) misses the optimum
    (2.71): the relaxation's bound is what the run may claim, not its own total."""
    specs = {
        0: Spec(True, 2, 229.0),
        1: Spec(False, 3, 246.0),
        2: Spec(True, 3, 152.0),
        3: Spec(True, 3, 190.0),
    }
    rows = [
        Pair(0, 1, 0.264, 48.0),
        Pair(0, 2, 0.559, 45.0),
        Pair(0, 3, 0.299, 35.0),
        Pair(1, 2, 0.964, 126.0),
        Pair(1, 3, 0.535, 69.0),
        Pair(2, 3, 0.165, 23.0),
        Pair(3, 0, 0.209, 96.0),
        Pair(3, 2, 0.25, 88.0),
        Pair(3, 3, 0.545, 70.0),
        Pair(4, 0, 0.373, 125.0),
        Pair(5, 2, 0.15, 52.0),
        Pair(5, 3, 0.7, 130.0),
    ]
    instance = Instance(rows, specs, list(range(6)))
    result = large(instance, priced=True)
    assert brute_force_optimum(instance) == pytest.approx(2.71)
    assert result.total_score < 2.71 - 1e-3
    assert result.bound >= 2.71 - 1e-9
    assert result.gap > 0


def random_matching(seed: int, needs: int, premises: int, per_need: int) -> Instance:
    """One actor per premises, ``per_need`` random candidates per need."""
    rng = np.random.default_rng(seed)
    found = {(n, int(p)) for n in range(needs) for p in rng.integers(0, premises, per_need)}
    rows = [Pair(n, p, float(rng.random()), float(rng.uniform(20, 200))) for n, p in sorted(found)]
    specs = {p: Spec(False, 1, float(rng.uniform(100, 900))) for p in range(premises)}
    return Instance(rows, specs, list(range(needs)))


def test_a_large_matching_gets_the_optimum_either_way() -> None:
    instance = random_matching(seed=3, needs=400, premises=500, per_need=30)
    with mock.patch.object(alloc, "ASSIGNMENT_PAIRS", 10**9):
        whole = allocate_optimal(instance.pairs, instance.premises)  # one relaxation
    with mock.patch.object(alloc, "ASSIGNMENT_PAIRS", 1000):
        exact = allocate_optimal(instance.pairs, instance.premises)
    priced = large(instance, priced=True, per_need=2)
    assert len(instance.pairs) > 10_000
    assert (whole.method, exact.method) == ("milp", "assignment")
    assert (whole.gap, exact.gap, priced.gap) == (0.0, 0.0, 0.0)
    for result in (exact, priced):
        assert result.total_score == pytest.approx(whole.total_score, abs=1e-9)
        assert_feasible(instance, result)


def test_an_integral_relaxation_is_the_optimum_beyond_the_exact_limit() -> None:
    """One large component whose relaxation is whole: proven at once, no MILP, no core."""
    instance = random_matching(seed=5, needs=300, premises=400, per_need=20)
    with mock.patch.object(alloc, "ASSIGNMENT_PAIRS", 10**9):
        result = allocate_optimal(instance.pairs, instance.premises, exact_limit=10)
        proven = allocate_optimal(instance.pairs, instance.premises)
    assert (result.method, result.gap, result.bound) == ("milp", 0.0, result.total_score)
    assert result.total_score == pytest.approx(proven.total_score, abs=1e-9)
    assert_feasible(instance, result)
