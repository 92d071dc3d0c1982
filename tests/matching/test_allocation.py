"""Allocation: hand examples, then properties checked against independent brute force."""

from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import allocation as alloc
from matching.allocation import (
    Allocation,
    allocate_optimal,
    allocate_stable,
    blocking_pairs,
)
from tests.factories import Instance, instances, make_pairs, make_premises
from tests.matching.brute_force import assert_feasible, brute_force_blocking, brute_force_optimum


def assigned(result: Allocation) -> list[tuple[int, int]]:
    frame = result.assignments
    return list(zip(frame["need_id"].tolist(), frame["premises_id"].tolist(), strict=True))


# --- hand examples ---------------------------------------------------------------------------


def test_a_single_premises_goes_to_the_better_score() -> None:
    pairs = make_pairs([(1, 10, 0.6, 50.0), (2, 10, 0.8, 50.0)])
    premises = make_premises([(10, 80.0, 1, False)])
    for result in (allocate_optimal(pairs, premises), allocate_stable(pairs, premises)):
        assert assigned(result) == [(2, 10)]
        assert result.unserved_needs == [1]
        assert result.total_score == pytest.approx(0.8)


def test_a_divisible_premises_hosts_what_its_floor_area_allows() -> None:
    pairs = make_pairs([(1, 10, 0.9, 100.0), (2, 10, 0.8, 150.0), (3, 10, 0.7, 100.0)])
    premises = make_premises([(10, 300.0, 3, True)])
    for result in (allocate_optimal(pairs, premises), allocate_stable(pairs, premises)):
        assert assigned(result) == [(1, 10), (2, 10)]
        assert result.assignments["area_m2"].sum() == 250.0
        assert result.unserved_needs == [3]


def test_lots_of_a_third_of_the_capacity_fit_together() -> None:
    lot = 1000.0 / 3
    pairs = make_pairs([(1, 10, 0.5, lot), (2, 10, 0.5, lot), (3, 10, 0.5, lot)])
    premises = make_premises([(10, 1000.0, 3, True)])
    for result in (allocate_optimal(pairs, premises), allocate_stable(pairs, premises)):
        assert len(result.assignments) == 3


def test_unserved_needs_and_unused_premises_are_listed() -> None:
    pairs = make_pairs([(1, 10, 0.9, 50.0), (2, 10, 0.5, 50.0)])
    premises = make_premises([(10, 80.0, 1, False), (11, 80.0, 1, False)])
    result = allocate_optimal(pairs, premises, needs=[1, 2, 3])
    assert result.unserved_needs == [2, 3]
    assert result.unused_premises == [11]
    assert (result.method, result.bound, result.gap) == ("milp", 0.9, 0.0)


def test_the_stable_allocation_may_score_less_than_the_optimum() -> None:
    pairs = make_pairs([(1, 10, 0.9, 50.0), (1, 11, 0.8, 50.0), (2, 10, 0.85, 50.0)])
    premises = make_premises([(10, 80.0, 1, False), (11, 80.0, 1, False)])
    optimal = allocate_optimal(pairs, premises)
    stable = allocate_stable(pairs, premises)
    assert assigned(optimal) == [(1, 11), (2, 10)]
    assert assigned(stable) == [(1, 10)]
    assert stable.blocking is not None and stable.blocking.empty
    found = blocking_pairs(pairs, premises, optimal)
    assert found.to_dict("records") == [{"need_id": 1, "premises_id": 10, "score": 0.9}]


def test_a_late_larger_proposer_does_not_leave_room_to_a_rejected_need() -> None:
    # Rounds of simultaneous proposals would end with premises 10 holding need 3 alone,
    # 4 m² idle, and need 4 (1 m²) blocking; one proposal at a time, best first, does not.
    pairs = make_pairs(
        [
            (1, 10, 0.8, 5.0),
            (2, 10, 0.7, 5.0),
            (3, 10, 0.9, 6.0),
            (3, 11, 0.95, 1.0),
            (4, 10, 0.6, 1.0),
            (5, 11, 0.99, 1.0),
        ]
    )
    premises = make_premises([(10, 10.0, 3, True), (11, 1.0, 1, False)])
    stable = allocate_stable(pairs, premises)
    assert assigned(stable) == [(3, 10), (4, 10), (5, 11)]
    assert blocking_pairs(pairs, premises, stable).empty


def test_empty_inputs_give_an_empty_allocation() -> None:
    for result in (
        allocate_optimal(pd.DataFrame(), pd.DataFrame(), needs=[4]),
        allocate_optimal(pd.DataFrame(), make_premises([(10, 80.0, 1, False)]), exact_limit=0),
        allocate_stable(pd.DataFrame(), pd.DataFrame()),
    ):
        assert result.assignments.empty
        assert list(result.assignments.columns) == ["need_id", "premises_id", "score", "area_m2"]
        assert result.total_score == result.bound == result.gap == 0.0
    assert result.unserved_needs == [] and result.unused_premises == []
    assert allocate_optimal(pd.DataFrame(), pd.DataFrame(), needs=[4]).unserved_needs == [4]


def test_missing_columns_are_named() -> None:
    pairs = make_pairs([(1, 10, 0.5, 50.0)]).drop(columns=["score", "take_m2"])
    with pytest.raises(ValueError, match="colonnes manquantes dans les paires : score, take_m2"):
        allocate_optimal(pairs, make_premises([(10, 80.0, 1, False)]))
    premises = make_premises([(10, 80.0, 1, False)]).drop(columns=["places"])
    with pytest.raises(ValueError, match="colonnes manquantes dans les locaux : places"):
        allocate_stable(make_pairs([(1, 10, 0.5, 50.0)]), premises)


def test_every_bad_value_is_reported_at_once() -> None:
    pairs = make_pairs([(1, 10, 1.2, 50.0), (2, 10, 0.5, 0.0), (3, 12, 0.5, 10.0)])
    premises = make_premises([(10, -5.0, 0, False)])
    with pytest.raises(ValueError) as raised:
        allocate_optimal(pairs, premises)
    message = str(raised.value)
    for expected in (
        "scores hors de [0, 1] : besoin 1 × local 10 (1.2)",
        "take_m2 non positif ou non fini : besoin 2 × local 10 (0)",
        "paires vers des locaux inconnus : besoin 3 × local 12",
        "capacity_m2 invalide : local 10 (-5)",
        "places invalide : local 10 (0)",
    ):
        assert expected in message


def test_duplicates_and_needs_missing_from_the_open_needs_are_refused() -> None:
    pairs = make_pairs([(1, 10, 0.5, 50.0), (1, 10, 0.6, 50.0)])
    premises = make_premises([(10, 80.0, 1, False), (10, 90.0, 1, False)])
    with pytest.raises(ValueError) as raised:
        allocate_optimal(pairs, premises, needs=[2])
    message = str(raised.value)
    assert "paires en double : besoin 1 × local 10" in message
    assert "locaux en double : local 10" in message
    assert "paires de besoins absents des besoins ouverts : besoin 1 × local 10" in message


def test_needs_and_flags_of_the_wrong_kind_are_refused() -> None:
    premises = make_premises([(10, 80.0, 1, False)]).astype({"multi": object})
    premises.loc[0, "multi"] = "oui"
    with pytest.raises(ValueError) as raised:
        allocate_stable(make_pairs([(1, 10, 0.5, 50.0)]), premises, needs=[1, 2.5])  # type: ignore[list-item]
    assert "multi non booléen : local 10 (oui)" in str(raised.value)
    assert "besoins ouverts non entiers : 2.5" in str(raised.value)


def test_a_milp_stopped_early_gives_way_to_the_fast_answer() -> None:
    pairs = make_pairs([(1, 10, 0.9, 60.0), (2, 10, 0.8, 60.0), (3, 10, 0.7, 60.0)])
    premises = make_premises([(10, 100.0, 2, True)])
    stopped = SimpleNamespace(x=np.zeros(3), status=1, mip_dual_bound=-1.2e6)
    with (
        mock.patch.object(alloc, "_relaxation", lambda *_: None),
        mock.patch.object(alloc, "milp", lambda *_, **__: stopped),
    ):
        result = allocate_optimal(pairs, premises, time_limit=1.0)
    assert (result.method, result.total_score) == ("greedy", 0.9)
    assert result.bound == pytest.approx(1.2)  # HiGHS's, tighter than the best two scores
    assert result.gap == pytest.approx(0.25)
    with mock.patch.object(alloc, "milp", lambda *_, **__: SimpleNamespace(x=None)):
        assert allocate_optimal(pairs, premises).method == "greedy"


# --- properties --------------------------------------------------------------------------------


def assert_same(first: Allocation, second: Allocation) -> None:
    pd.testing.assert_frame_equal(first.assignments, second.assignments)
    assert (first.total_score, first.unserved_needs, first.unused_premises) == (
        second.total_score,
        second.unserved_needs,
        second.unused_premises,
    )
    assert (first.method, first.bound, first.gap) == (second.method, second.bound, second.gap)


def shuffled(instance: Instance) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same instance with its rows in another order."""
    return instance.pairs.sample(frac=1.0, random_state=7), instance.premises.iloc[::-1]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_optimum_is_the_brute_force_one(instance: Instance) -> None:
    result = allocate_optimal(instance.pairs, instance.premises, needs=instance.needs)
    assert result.method == "milp"
    assert result.total_score == pytest.approx(brute_force_optimum(instance), abs=1e-9)
    assert (result.bound, result.gap) == (result.total_score, 0.0)
    assert_feasible(instance, result)
    pairs, premises = shuffled(instance)
    assert_same(result, allocate_optimal(pairs, premises, needs=instance.needs))
    found = blocking_pairs(instance.pairs, instance.premises, result)
    expected = brute_force_blocking(instance, result)
    assert set(zip(found["need_id"], found["premises_id"], strict=True)) == expected


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_stable_allocation_has_no_blocking_pair(instance: Instance) -> None:
    result = allocate_stable(instance.pairs, instance.premises, needs=instance.needs)
    assert result.method == "deferred_acceptance"
    assert_feasible(instance, result)
    assert brute_force_blocking(instance, result) == set()
    assert result.blocking is not None and result.blocking.empty
    assert blocking_pairs(instance.pairs, instance.premises, result).empty
    assert result.total_score <= brute_force_optimum(instance) + 1e-9
    pairs, premises = shuffled(instance)
    assert_same(result, allocate_stable(pairs, premises, needs=instance.needs))


@settings(max_examples=150, deadline=None)
@given(instances(), st.booleans())
def test_the_fallback_is_feasible_and_bounded(instance: Instance, relax: bool) -> None:
    def fallback() -> Allocation:
        pairs, premises = instance.pairs, instance.premises
        return allocate_optimal(pairs, premises, needs=instance.needs, exact_limit=0)

    # Without the relaxation it takes pairs best first and bounds with each side's best scores.
    with mock.patch.object(alloc, "_relaxation", alloc._relaxation if relax else lambda *_: None):
        result = fallback()
        assert_same(result, fallback())
    optimum = brute_force_optimum(instance)
    if relax and instance.rows and result.method == "milp":  # an integral relaxation: exact
        assert (result.gap, result.total_score) == (0.0, pytest.approx(optimum, abs=1e-9))
    else:
        assert result.method == ("greedy" if instance.rows else "milp")  # no pair: exact
    assert_feasible(instance, result)
    if not relax:  # best first is what deferred acceptance, proposing best first, comes to
        stable = allocate_stable(instance.pairs, instance.premises, needs=instance.needs)
        pd.testing.assert_frame_equal(result.assignments, stable.assignments)
    assert result.total_score <= optimum + 1e-9
    assert result.bound >= optimum - 1e-9
    if result.bound > 0:
        assert result.gap == pytest.approx((result.bound - result.total_score) / result.bound)
