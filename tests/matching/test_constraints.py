"""Hard constraints: hand-computed cases for each, and invariants over generated pairs frames
(``tests.factories.pairs_frames``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.constraints import (
    CONSTRAINTS,
    GAP_COLUMNS,
    check_constraints,
    deadline,
    example_pairs,
    take_m2,
    validate_settings,
)
from matching.pairs import empty_pairs
from matching.settings import Settings
from tests.factories import PROPERTIES, pairs_frames

NAN = math.nan
NAT = pd.NaT


def _check(**overrides: Any) -> pd.Series:
    return check_constraints(example_pairs(**overrides), Settings()).iloc[0]


def test_the_example_pair_passes_every_constraint() -> None:
    result = _check()
    assert all(result[f"ok_{c}"] for c in CONSTRAINTS)
    assert result["passes"]
    assert (result[list(GAP_COLUMNS)] == 0).all()


def test_kind() -> None:
    result = _check(kind_accepted=False)
    assert not result["ok_kind"] and not result["passes"]


def test_must_have() -> None:
    assert not _check(must_have_missing=2)["ok_must_have"]
    assert _check(must_have_missing=0)["ok_must_have"]


# The need wants 100 to 150 m².
@pytest.mark.parametrize(
    ("overrides", "ok", "gap"),
    [
        ({"area_m2": 80.0}, False, 20.0),  # too small: 100 - 80
        ({"area_m2": 100.0}, True, 0.0),
        ({"area_m2": 150.0}, True, 0.0),
        ({"area_m2": 200.0}, False, 50.0),  # too big, whole: 200 - 150
        ({"area_m2": 300.0, "divisible": True, "lot_min_m2": 90.0}, True, 0.0),
        ({"area_m2": 300.0, "divisible": True, "lot_min_m2": 180.0}, False, 30.0),
        ({"area_m2": 300.0, "divisible": True, "lot_min_m2": NAN}, True, 0.0),
        ({"area_m2": 300.0, "shared": True}, True, 0.0),
        ({"area_m2": 80.0, "shared": True}, False, 20.0),
        ({"area_m2": 80.0, "divisible": True, "lot_min_m2": 40.0}, False, 20.0),
    ],
)
def test_area(overrides: dict[str, Any], ok: bool, gap: float) -> None:
    result = _check(**overrides)
    assert result["ok_area"] == ok
    assert result["gap_area_m2"] == pytest.approx(gap)


# The need moves in from 2025-03-01, by 2025-06-01 at the latest.
@pytest.mark.parametrize(
    ("overrides", "ok", "gap"),
    [
        ({"available_from": pd.Timestamp("2025-05-01")}, True, 0.0),
        ({"available_from": pd.Timestamp("2025-06-01")}, True, 0.0),
        ({"available_from": pd.Timestamp("2025-07-01")}, False, 30.0),
        # No latest date: 2025-03-01 + 180 days is 2025-08-28.
        ({"available_from": pd.Timestamp("2025-08-28"), "move_in_latest": NAT}, True, 0.0),
        ({"available_from": pd.Timestamp("2025-09-07"), "move_in_latest": NAT}, False, 10.0),
        # A temporary occupation must not end before the earliest move-in date.
        ({"available_until": pd.Timestamp("2025-02-19")}, False, 10.0),
        ({"available_until": pd.Timestamp("2025-03-01")}, True, 0.0),
    ],
)
def test_timing(overrides: dict[str, Any], ok: bool, gap: float) -> None:
    result = _check(**overrides)
    assert result["ok_timing"] == ok
    assert result["gap_days"] == pytest.approx(gap)


def test_deadline_without_a_latest_date_uses_the_horizon() -> None:
    pairs = example_pairs(move_in_latest=NAT)
    assert deadline(pairs, Settings(wait_horizon_days=30))[0] == pd.Timestamp("2025-03-31")


# Budget 150 €/m²/an with 10 % tolerance: at most 165.
@pytest.mark.parametrize(
    ("overrides", "ok", "gap"),
    [
        ({"rent_m2_year": 145.0, "charges_m2_year": 20.0}, True, 0.0),
        ({"rent_m2_year": 150.0, "charges_m2_year": 20.0}, False, 5.0),
        ({"rent_m2_year": 160.0, "charges_m2_year": NAN}, True, 0.0),  # charges count 0
        ({"rent_m2_year": 170.0, "charges_m2_year": NAN}, False, 5.0),
        ({"rent_m2_year": NAN}, True, 0.0),  # not let: cannot exclude
    ],
)
def test_budget(overrides: dict[str, Any], ok: bool, gap: float) -> None:
    result = _check(budget_m2_year=150.0, **overrides)
    assert result["ok_budget"] == ok
    assert result["gap_budget_m2_year"] == pytest.approx(gap)


def test_unknown_budget_passes() -> None:
    assert _check(budget_m2_year=NAN, rent_m2_year=1000.0)["ok_budget"]


@pytest.mark.parametrize(
    ("overrides", "ok", "gap"),
    [
        ({"in_zone": True, "distance_m": 0.0, "max_distance_m": NAN}, True, 0.0),
        ({"in_zone": False, "distance_m": 1500.0, "max_distance_m": 2000.0}, True, 0.0),
        ({"in_zone": False, "distance_m": 2500.0, "max_distance_m": 2000.0}, False, 500.0),
        ({"in_zone": False, "distance_m": 300.0, "max_distance_m": NAN}, False, 300.0),
        ({"in_zone": False, "distance_m": NAN, "max_distance_m": 2000.0}, True, 0.0),
    ],
)
def test_location(overrides: dict[str, Any], ok: bool, gap: float) -> None:
    result = _check(**overrides)
    assert result["ok_location"] == ok
    assert result["gap_distance_m"] == pytest.approx(gap)


# The need wants 100 to 150 m².
@pytest.mark.parametrize(
    ("overrides", "take"),
    [
        ({"area_m2": 200.0}, 200.0),  # whole premises
        ({"area_m2": 300.0, "divisible": True, "lot_min_m2": 60.0}, 100.0),
        ({"area_m2": 300.0, "divisible": True, "lot_min_m2": 120.0}, 120.0),
        ({"area_m2": 300.0, "divisible": True, "lot_min_m2": 180.0}, 180.0),
        ({"area_m2": 80.0, "divisible": True, "lot_min_m2": 50.0}, 80.0),
        ({"area_m2": 300.0, "shared": True}, 150.0),
        ({"area_m2": 120.0, "shared": True}, 120.0),
        ({"area_m2": 80.0, "shared": True}, 80.0),
    ],
)
def test_take_m2(overrides: dict[str, Any], take: float) -> None:
    assert take_m2(example_pairs(**overrides))[0] == pytest.approx(take)


def test_settings_out_of_range_are_all_reported() -> None:
    with pytest.raises(ValueError, match=r"budget_tolerance.*distance_scale_m"):
        validate_settings(Settings(budget_tolerance=-1.0, distance_scale_m=0.0))


def test_an_empty_frame_gives_an_empty_result() -> None:
    result = check_constraints(empty_pairs(), Settings())
    assert result.empty and "passes" in result.columns


@PROPERTIES
@given(pairs_frames())
def test_passes_is_every_constraint_and_gaps_match(pairs: pd.DataFrame) -> None:
    result = check_constraints(pairs, Settings())
    oks = result[[f"ok_{c}" for c in CONSTRAINTS]]
    assert (result["passes"] == oks.all(axis=1)).all()
    for ok, gap in [
        ("ok_area", "gap_area_m2"),
        ("ok_timing", "gap_days"),
        ("ok_location", "gap_distance_m"),
    ]:
        assert np.isfinite(result[gap]).all()
        assert ((result[gap] > 0) == ~result[ok]).all()
    money = result[["gap_budget_m2_year", "gap_price_m2"]]
    assert np.isfinite(money).all(axis=None)
    assert ((money > 0).any(axis=1) == ~result["ok_budget"]).all()  # a failing price names it


@PROPERTIES
@given(pairs_frames())
def test_take_never_exceeds_the_premises(pairs: pd.DataFrame) -> None:
    take = take_m2(pairs)
    assert ((take >= 0) & (take <= pairs["area_m2"])).all()


@PROPERTIES
@given(pairs_frames(), st.data())
def test_constraints_do_not_depend_on_row_order(pairs: pd.DataFrame, data: st.DataObject) -> None:
    order = data.draw(st.permutations(list(pairs.index)))
    shuffled = check_constraints(pairs.loc[order], Settings())
    pd.testing.assert_frame_equal(shuffled, check_constraints(pairs, Settings()).loc[order])
