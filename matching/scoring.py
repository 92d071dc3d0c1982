"""Scores: how well each need × premises pair fits, criterion by criterion, and on what data.

Each criterion of ``CRITERIA`` gets a value in [0, 1]; its contribution is its normalised weight
times the value, and the score is the sum of the contributions, in [0, 1]. A criterion lacking
the data it rests on takes ``settings.default_score`` and is flagged ``defaulted_<c>``;
``completeness`` is the share of criteria that rested on real data.

The curves (all clipped to [0, 1]):

===============  ==========================================================================
criterion        value
===============  ==========================================================================
location         1 inside a wished zone, else exp(−distance_m / distance_scale_m);
                 default when the distance is unknown
area             on the floor area the need would take (``take_m2``): 1 inside
                 [need_min, need_max], else 1 − g / area_tolerance with g the relative gap,
                 (need_min − take) / need_min or (take − need_max) / need_max, so 0 from
                 g ≥ area_tolerance; default when the area is unknown
cost             c = rent + charges (unknown charges count 0), b = budget: 1 for
                 c ≤ cost_comfort_share × b, then linear down to 0 at b × (1 + budget_tolerance),
                 the hard ceiling; for a need that buys, the same curve on the sale price and
                 the purchase budget; the better of the prices the need can take; default
                 when no such price, or its budget, is known
timing           w = days from move_in_earliest to available_from, h = days from
                 move_in_earliest to the deadline (move_in_latest, else + wait_horizon_days):
                 1 for w ≤ 0, else 1 − w / h, so 0 at the deadline; default when a date is
                 unknown
nice_to_have     features_met / features_wanted; 1 when the need wants none (real data:
                 nothing wished is missing, so not a default)
accessibility    1 step-free access, 0.5 ground floor without it, else 0
priority_sector  1 when the actor's sector is a priority one (ESS plan, action 2.1), else 0
stage            settings.stage_scores[stage] (développement and changement d'échelle
                 favoured); default for a missing or unknown stage
qpv              1 for premises in a priority urban district, else 0
===============  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from matching._columns import FloatArray, bools, day_numbers, floats, need_bounds
from matching.constraints import (
    deadline,
    price_routes,
    take_m2,
    validate_settings,
)
from matching.pairs import check_pairs
from matching.settings import CRITERIA, Settings

# Ground floor without step-free access: reachable, though not by every wheelchair.
GROUND_FLOOR_SCORE = 0.5


def score_pairs(pairs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Score every pair; keep the pairs' index so that results line up with the input.

    Returns need_id, premises_id, then for each criterion ``c`` of ``CRITERIA``: ``value_<c>``
    in [0, 1], ``contribution_<c>`` (normalised weight × value) and ``defaulted_<c>`` (the value
    is ``settings.default_score`` for lack of data); then ``score`` (the sum of the
    contributions), ``completeness`` (share of criteria on real data) and ``defaulted`` (how
    many criteria were defaulted).

    Examples
    --------
    >>> from matching.constraints import example_pairs
    >>> scores = score_pairs(example_pairs(stage="emergence"), Settings())
    >>> round(float(scores.loc[0, "value_stage"]), 2), round(float(scores.loc[0, "score"]), 3)
    (0.4, 0.924)
    >>> scores = score_pairs(example_pairs(budget_m2_year=float("nan")), Settings())
    >>> bool(scores.loc[0, "defaulted_cost"]), round(float(scores.loc[0, "completeness"]), 3)
    (True, 0.889)
    """
    check_pairs(pairs)
    validate_settings(settings)
    weights = settings.normalised_weights()
    columns: dict[str, Any] = {
        "need_id": pairs["need_id"].to_numpy(),
        "premises_id": pairs["premises_id"].to_numpy(),
    }
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # see np.where below
        raw = {c: _CURVES[c](pairs, settings) for c in CRITERIA}
    missing = {c: np.isnan(values) for c, values in raw.items()}
    values = {c: np.where(missing[c], settings.default_score, raw[c]) for c in CRITERIA}
    contributions = {c: weights[c] * values[c] for c in CRITERIA}
    columns |= {f"value_{c}": values[c] for c in CRITERIA}
    columns |= {f"contribution_{c}": contributions[c] for c in CRITERIA}
    columns |= {f"defaulted_{c}": missing[c] for c in CRITERIA}
    # Summed in CRITERIA order; clipping only absorbs rounding at the bounds.
    total = np.sum(np.vstack([contributions[c] for c in CRITERIA]), axis=0)
    defaulted = np.sum(np.vstack([missing[c] for c in CRITERIA]), axis=0)
    columns["score"] = np.clip(total, 0.0, 1.0)
    columns["completeness"] = 1.0 - defaulted / len(CRITERIA)
    columns["defaulted"] = defaulted.astype(np.int64)
    return pd.DataFrame(columns, index=pairs.index)


# Each curve returns values in [0, 1], NaN where the data it rests on is missing.


def _location(pairs: pd.DataFrame, settings: Settings) -> FloatArray:
    closeness = np.exp(-np.maximum(floats(pairs, "distance_m"), 0.0) / settings.distance_scale_m)
    return np.where(bools(pairs, "in_zone"), 1.0, closeness)


def _area(pairs: pd.DataFrame, settings: Settings) -> FloatArray:
    take = take_m2(pairs).to_numpy(dtype=np.float64)
    low, high = need_bounds(pairs)
    short = np.where(take < low, (low - take) / low, 0.0)
    excess = np.where(take > high, (take - high) / high, 0.0)
    gap = short + excess
    fit = np.where(gap <= 0, 1.0, np.clip(1.0 - gap / settings.area_tolerance, 0.0, 1.0))
    return np.where(np.isnan(take), np.nan, fit)


def _cost(pairs: pd.DataFrame, settings: Settings) -> FloatArray:
    rent = floats(pairs, "rent_m2_year") + np.nan_to_num(floats(pairs, "charges_m2_year"))
    renting, buying = price_routes(pairs)
    on_rent = _price_fit(rent, floats(pairs, "budget_m2_year"), settings)
    on_sale = _price_fit(
        floats(pairs, "sale_price_m2"), floats(pairs, "budget_purchase_m2"), settings
    )
    on_rent = np.where(renting, on_rent, np.nan)
    on_sale = np.where(buying, on_sale, np.nan)
    # The better of the prices the need can take; NaN (a default) when neither is known.
    both = np.where(np.isnan(on_rent), on_sale, np.where(np.isnan(on_sale), on_rent, 0.0))
    return np.where(~np.isnan(on_rent) & ~np.isnan(on_sale), np.maximum(on_rent, on_sale), both)


def _price_fit(cost: FloatArray, budget: FloatArray, settings: Settings) -> FloatArray:
    ceiling = budget * (1 + settings.budget_tolerance)
    comfort = budget * settings.cost_comfort_share
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.clip((ceiling - cost) / (ceiling - comfort), 0.0, 1.0)
    # A zero-width slope (zero budget, or no margin at all) is a step at the ceiling.
    fit = np.where(ceiling > comfort, slope, np.where(cost <= ceiling, 1.0, 0.0))
    return np.where(np.isnan(cost) | np.isnan(budget), np.nan, fit)


def _timing(pairs: pd.DataFrame, settings: Settings) -> FloatArray:
    earliest = day_numbers(pairs["move_in_earliest"])
    wait = day_numbers(pairs["available_from"]) - earliest
    span = day_numbers(deadline(pairs, settings)) - earliest
    decay = np.where(span > 0, np.clip(1.0 - wait / span, 0.0, 1.0), 0.0)
    return np.where(np.isnan(wait), np.nan, np.where(wait <= 0, 1.0, decay))


def _nice_to_have(pairs: pd.DataFrame, settings: Settings) -> FloatArray:
    wanted = floats(pairs, "features_wanted")
    share = np.clip(floats(pairs, "features_met") / wanted, 0.0, 1.0)
    return np.where(wanted > 0, share, 1.0)


def _accessibility(pairs: pd.DataFrame, settings: Settings) -> FloatArray:
    ground = np.where(bools(pairs, "ground_floor"), GROUND_FLOOR_SCORE, 0.0)
    return np.where(bools(pairs, "step_free"), 1.0, ground)


def _priority_sector(pairs: pd.DataFrame, settings: Settings) -> FloatArray:
    return bools(pairs, "priority_sector").astype(np.float64)


def _stage(pairs: pd.DataFrame, settings: Settings) -> FloatArray:
    scores = pairs["stage"].map(settings.stage_scores)
    return np.asarray(scores.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _qpv(pairs: pd.DataFrame, settings: Settings) -> FloatArray:
    return bools(pairs, "premises_in_qpv").astype(np.float64)


_CURVES: dict[str, Callable[[pd.DataFrame, Settings], FloatArray]] = {
    "location": _location,
    "area": _area,
    "cost": _cost,
    "timing": _timing,
    "nice_to_have": _nice_to_have,
    "accessibility": _accessibility,
    "priority_sector": _priority_sector,
    "stage": _stage,
    "qpv": _qpv,
}
