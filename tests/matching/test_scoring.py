"""Scores: each criterion's curve on hand-computed cases, and invariants over generated frames."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.constraints import example_pairs
from matching.pairs import empty_pairs
from matching.scoring import score_pairs
from matching.settings import CRITERIA, DEFAULT_WEIGHTS, Settings
from tests.factories import PROPERTIES, pairs_frames

NAN = math.nan
NAT = pd.NaT


def _score(settings: Settings | None = None, **overrides: Any) -> pd.Series:
    return score_pairs(example_pairs(**overrides), settings or Settings()).iloc[0]


def _value(criterion: str, **overrides: Any) -> float:
    return float(_score(**overrides)[f"value_{criterion}"])


@pytest.mark.parametrize(
    ("overrides", "value"),
    [
        ({"in_zone": True, "distance_m": 0.0}, 1.0),
        ({"in_zone": False, "distance_m": 2000.0}, 0.36787944117144233),  # exp(-1)
        ({"in_zone": False, "distance_m": 1000.0}, 0.6065306597126334),  # exp(-0.5)
        ({"in_zone": False, "distance_m": NAN}, 0.5),  # default
    ],
)
def test_location(overrides: dict[str, Any], value: float) -> None:
    assert _value("location", **overrides) == pytest.approx(value)


def test_a_missing_distance_is_a_default() -> None:
    scored = _score(in_zone=False, distance_m=NAN)
    assert scored["defaulted_location"] and scored["defaulted"] == 1
    assert scored["completeness"] == pytest.approx(8 / 9)


# The need wants 100 to 150 m²; the score reaches 0 at a 50 % relative gap.
@pytest.mark.parametrize(
    ("overrides", "value"),
    [
        ({"area_m2": 120.0}, 1.0),
        ({"area_m2": 80.0}, 0.6),  # gap 20/100 = 0.2 -> 1 - 0.2/0.5
        ({"area_m2": 200.0}, 1 / 3),  # gap 50/150 -> 1 - (1/3)/0.5
        ({"area_m2": 40.0}, 0.0),  # gap 0.6 beyond the tolerance
        ({"area_m2": 300.0, "divisible": True, "lot_min_m2": 60.0}, 1.0),  # takes 100
        ({"area_m2": 300.0, "divisible": True, "lot_min_m2": 180.0}, 0.6),  # takes 180: 30/150
        ({"area_m2": 300.0, "shared": True}, 1.0),  # takes 150
    ],
)
def test_area(overrides: dict[str, Any], value: float) -> None:
    assert _value("area", **overrides) == pytest.approx(value)


# Budget 100 €/m²/an: 1 up to 80, 0 at 110 (10 % tolerance), linear in between.
@pytest.mark.parametrize(
    ("overrides", "value"),
    [
        ({"rent_m2_year": 60.0, "charges_m2_year": 20.0}, 1.0),
        ({"rent_m2_year": 80.0, "charges_m2_year": 15.0}, 0.5),  # (110 - 95) / 30
        ({"rent_m2_year": 100.0, "charges_m2_year": 10.0}, 0.0),
        ({"rent_m2_year": 70.0, "charges_m2_year": NAN}, 1.0),
        ({"rent_m2_year": 104.0, "charges_m2_year": NAN}, 0.2),  # (110 - 104) / 30
    ],
)
def test_cost(overrides: dict[str, Any], value: float) -> None:
    assert _value("cost", budget_m2_year=100.0, **overrides) == pytest.approx(value)


@pytest.mark.parametrize("missing", [{"budget_m2_year": NAN}, {"rent_m2_year": NAN}])
def test_cost_without_a_budget_or_a_rent_is_a_default(missing: dict[str, float]) -> None:
    scored = _score(Settings(default_score=0.3), **missing)
    assert scored["defaulted_cost"] and scored["value_cost"] == pytest.approx(0.3)


def test_cost_with_a_zero_budget_is_a_step() -> None:
    assert _value("cost", budget_m2_year=0.0, rent_m2_year=0.0, charges_m2_year=NAN) == 1.0
    assert _value("cost", budget_m2_year=0.0, rent_m2_year=1.0) == 0.0


# Earliest move-in 2025-03-01; latest 2025-05-30 is 90 days later.
@pytest.mark.parametrize(
    ("overrides", "value"),
    [
        ({"available_from": pd.Timestamp("2025-02-01")}, 1.0),
        ({"available_from": pd.Timestamp("2025-03-01")}, 1.0),
        ({"available_from": pd.Timestamp("2025-04-15")}, 0.5),  # 45 of 90 days
        ({"available_from": pd.Timestamp("2025-05-30")}, 0.0),
        # No latest date: 180 days of horizon, 90 of them waited.
        ({"available_from": pd.Timestamp("2025-05-30"), "move_in_latest": NAT}, 0.5),
    ],
)
def test_timing(overrides: dict[str, Any], value: float) -> None:
    overrides.setdefault("move_in_latest", pd.Timestamp("2025-05-30"))
    assert _value("timing", **overrides) == pytest.approx(value)


@pytest.mark.parametrize(
    ("wanted", "met", "value"),
    [(4, 2, 0.5), (3, 3, 1.0), (2, 0, 0.0), (0, 0, 1.0)],
)
def test_nice_to_have(wanted: int, met: int, value: float) -> None:
    scored = _score(features_wanted=wanted, features_met=met)
    assert scored["value_nice_to_have"] == pytest.approx(value)
    assert not scored["defaulted_nice_to_have"]  # wanting nothing is data, not a default


@pytest.mark.parametrize(
    ("step_free", "ground_floor", "value"),
    [(True, False, 1.0), (True, True, 1.0), (False, True, 0.5), (False, False, 0.0)],
)
def test_accessibility(step_free: bool, ground_floor: bool, value: float) -> None:
    assert _value("accessibility", step_free=step_free, ground_floor=ground_floor) == value


def test_priority_sector_and_qpv() -> None:
    assert _value("priority_sector", priority_sector=True) == 1.0
    assert _value("priority_sector", priority_sector=False) == 0.0
    assert _value("qpv", premises_in_qpv=True) == 1.0
    assert _value("qpv", premises_in_qpv=False) == 0.0


@pytest.mark.parametrize(
    ("stage", "value", "defaulted"),
    [
        ("emergence", 0.4, False),
        ("developpement", 1.0, False),
        ("changement_echelle", 1.0, False),
        (None, 0.5, True),
        ("inconnu", 0.5, True),
    ],
)
def test_stage(stage: str | None, value: float, defaulted: bool) -> None:
    scored = _score(stage=stage)
    assert scored["value_stage"] == pytest.approx(value)
    assert scored["defaulted_stage"] == defaulted


def test_the_score_of_the_example_by_hand() -> None:
    # Every criterion is 1 except stage (emergence, 0.4) and qpv (0): 1 - 0.06 × 0.6 - 0.04.
    scored = _score(stage="emergence")
    assert scored["score"] == pytest.approx(0.924)
    assert scored["contribution_stage"] == pytest.approx(0.06 * 0.4)
    assert scored["completeness"] == 1.0 and scored["defaulted"] == 0


def test_weights_are_normalised() -> None:
    only_area = Settings(weights={"area": 2.0})
    assert _score(only_area, area_m2=80.0)["score"] == pytest.approx(0.6)
    doubled = Settings(weights={c: 2 * w for c, w in DEFAULT_WEIGHTS.items()})
    assert _score(doubled)["score"] == pytest.approx(_score()["score"])


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="critères inconnus"):
        score_pairs(example_pairs(), Settings(weights={"vue_sur_mer": 1.0}))
    with pytest.raises(ValueError, match="default_score"):
        score_pairs(example_pairs(), Settings(default_score=2.0))


def test_an_empty_frame_gives_an_empty_result() -> None:
    scored = score_pairs(empty_pairs(), Settings())
    assert scored.empty and {"score", "completeness", "defaulted"} <= set(scored.columns)


_WEIGHTS = st.fixed_dictionaries({c: st.floats(0, 10) for c in CRITERIA}).filter(
    lambda weights: sum(weights.values()) > 0.01
)


@PROPERTIES
@given(pairs_frames(), _WEIGHTS, st.floats(0, 1))
def test_scores_are_bounded_and_add_up(
    pairs: pd.DataFrame, weights: dict[str, float], default: float
) -> None:
    scored = score_pairs(pairs, Settings(weights=weights, default_score=default))
    values = scored[[f"value_{c}" for c in CRITERIA]].to_numpy()
    assert ((values >= 0) & (values <= 1)).all()
    assert scored["score"].between(0, 1).all()
    contributions = scored[[f"contribution_{c}" for c in CRITERIA]].sum(axis=1)
    assert np.allclose(contributions, scored["score"], rtol=0, atol=1e-12)
    assert scored["completeness"].between(0, 1).all()
    flags = scored[[f"defaulted_{c}" for c in CRITERIA]].sum(axis=1)
    assert (flags == scored["defaulted"]).all()
    assert np.allclose(scored["completeness"], 1 - scored["defaulted"] / len(CRITERIA))


@PROPERTIES
@given(pairs_frames(), st.data())
def test_scoring_is_deterministic_and_row_order_independent(
    pairs: pd.DataFrame, data: st.DataObject
) -> None:
    scored = score_pairs(pairs, Settings())
    pd.testing.assert_frame_equal(score_pairs(pairs, Settings()), scored)
    order = data.draw(st.permutations(list(pairs.index)))
    pd.testing.assert_frame_equal(score_pairs(pairs.loc[order], Settings()), scored.loc[order])
