"""Hard constraints: which need × premises pairs may be proposed at all, how far others miss.

A pair passes when all seven constraints hold. Each failing one comes with a gap in natural units
(m², days, €/m²/year, metres), 0 when it holds, that near misses and "why not" read. Missing data
never excludes a pair: an unknown rent or budget, an unknown distance, an unknown date passes.

==========  ==================================================================================
constraint  holds when
==========  ==================================================================================
kind        the premises' kind is one the need accepts
tenure      the need takes what the premises offers: rent, sale, or (when it ends) temporary
            use (``tenure_accepted``, computed by the store)
area        need_min ≤ area, and area ≤ need_max unless a lot fits (divisible with
            lot_min ≤ need_max, or no lot_min: lots of any size) or the space is shared
timing      available_from ≤ the need's deadline (move_in_latest, or move_in_earliest +
            ``wait_horizon_days`` when open), and a temporary occupation does not end before
            move_in_earliest
budget      on some price the need can take: for rent, rent + charges (unknown charges
            count 0) ≤ budget × (1 + ``budget_tolerance``); for purchase, sale price ≤
            purchase budget × (1 + ``budget_tolerance``); both sides rounded to the cent.
            A need that rents and buys passes on either; no price it can take: passes
must_have   the premises lacks no must-have feature
location    inside a wished zone, or distance_m ≤ max_distance_m (no maximum: 0 m)
==========  ==================================================================================

Gaps: ``gap_area_m2`` is need_min − area when too small, area − need_max (or lot_min − need_max
for a divisible premises) when too big; ``gap_days`` the days too late plus the days a temporary
occupation ends too early; ``gap_budget_m2_year`` the excess over budget × (1 + tolerance),
``gap_price_m2`` the sale price's over the purchase budget × (1 + tolerance), each where that
price is one the need can take and the budget fails;
``gap_distance_m`` the metres beyond the maximum distance (beyond the zone when none is given).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from matching._columns import BoolArray, FloatArray, bools, day_numbers, floats, need_bounds
from matching.pairs import PAIR_COLUMNS, check_pairs
from matching.settings import Settings

CONSTRAINTS = ("kind", "tenure", "area", "timing", "budget", "must_have", "location")
GAP_COLUMNS = ("gap_area_m2", "gap_days", "gap_budget_m2_year", "gap_price_m2", "gap_distance_m")

EXAMPLE_PAIR: dict[str, Any] = {
    "need_id": 1,
    "premises_id": 7,
    "distance_m": 0.0,
    "in_zone": True,
    "max_distance_m": np.nan,
    "area_m2": 120.0,
    "divisible": False,
    "lot_min_m2": np.nan,
    "shared": False,
    "need_min_m2": 100.0,
    "need_max_m2": 150.0,
    "rent_m2_year": 120.0,
    "charges_m2_year": 20.0,
    "budget_m2_year": 180.0,
    "sale_price_m2": np.nan,
    "budget_purchase_m2": np.nan,
    "need_rents": True,
    "need_buys": False,
    "available_from": pd.Timestamp("2025-01-01"),
    "available_until": pd.NaT,
    "move_in_earliest": pd.Timestamp("2025-03-01"),
    "move_in_latest": pd.Timestamp("2025-06-01"),
    "features_wanted": 2,
    "features_met": 2,
    "must_have_missing": 0,
    "step_free": True,
    "ground_floor": True,
    "priority_sector": True,
    "stage": "developpement",
    "premises_in_qpv": False,
    "kind_accepted": True,
    "tenure_accepted": True,
}


def example_pairs(**overrides: Any) -> pd.DataFrame:
    """One well-matched pair (``EXAMPLE_PAIR``), with ``overrides``, typed as the contract says.

    Examples
    --------
    >>> example_pairs(area_m2=80.0).loc[0, "area_m2"]
    np.float64(80.0)
    """
    unknown = set(overrides) - set(PAIR_COLUMNS)
    if unknown:
        raise ValueError(f"colonnes inconnues : {', '.join(sorted(unknown))}")
    return pd.DataFrame([{**EXAMPLE_PAIR, **overrides}]).astype(PAIR_COLUMNS)


def validate_settings(settings: Settings) -> None:
    """Raise ``ValueError`` naming every out-of-range parameter at once.

    Examples
    --------
    >>> validate_settings(Settings(budget_tolerance=-0.1))
    Traceback (most recent call last):
    ...
    ValueError: réglages invalides : budget_tolerance = -0.1 (attendu ≥ 0)
    """
    settings.normalised_weights()  # raises on unknown criteria or bad weights
    nonnegative = (
        "budget_tolerance",
        "area_tolerance",
        "wait_horizon_days",
        "near_miss_area_share",
        "near_miss_budget_share",
        "near_miss_days",
        "near_miss_distance_m",
    )
    problems = [
        f"{name} = {getattr(settings, name)} (attendu ≥ 0)"
        for name in nonnegative
        if not getattr(settings, name) >= 0
    ]
    if not settings.distance_scale_m > 0:
        problems.append(f"distance_scale_m = {settings.distance_scale_m} (attendu > 0)")
    shares = {
        "default_score": settings.default_score,
        "cost_comfort_share": settings.cost_comfort_share,
        **{f"stage_scores[{k!r}]": v for k, v in settings.stage_scores.items()},
    }
    problems += [f"{k} = {v} (attendu entre 0 et 1)" for k, v in shares.items() if not 0 <= v <= 1]
    if problems:
        raise ValueError(f"réglages invalides : {' ; '.join(problems)}")


def deadline(pairs: pd.DataFrame, settings: Settings) -> pd.Series:
    """The latest date the need accepts to move in: move_in_latest, else earliest + horizon.

    Examples
    --------
    >>> deadline(example_pairs(move_in_latest=pd.NaT), Settings(wait_horizon_days=10))[0]
    Timestamp('2025-03-11 00:00:00')
    """
    horizon = pd.Timedelta(days=settings.wait_horizon_days)
    return pairs["move_in_latest"].fillna(pairs["move_in_earliest"] + horizon)


def timing_gaps(pairs: pd.DataFrame, settings: Settings) -> tuple[FloatArray, FloatArray]:
    """Days available too late, and days a temporary occupation ends too early (0 when fine).

    Examples
    --------
    >>> late, early = timing_gaps(example_pairs(available_from=pd.Timestamp("2025-06-11")),
    ...                           Settings())
    >>> float(late[0]), float(early[0])
    (10.0, 0.0)
    """
    late = day_numbers(pairs["available_from"]) - day_numbers(deadline(pairs, settings))
    early = day_numbers(pairs["move_in_earliest"]) - day_numbers(pairs["available_until"])
    return _positive(late), _positive(early)


def take_m2(pairs: pd.DataFrame) -> pd.Series:
    """The floor area the need would occupy if the premises were allocated to it.

    - neither divisible nor shared: the whole premises;
    - divisible: the smallest lot that meets the need, max(need_min, lot_min), at most the area
      (a missing lot_min means lots of any size);
    - shared (takes precedence): the actor's share, clip(area, need_min, need_max), at most the
      area, that is min(area, need_max).

    Examples
    --------
    >>> float(take_m2(example_pairs(area_m2=300.0, divisible=True, lot_min_m2=60.0))[0])
    100.0
    >>> float(take_m2(example_pairs(area_m2=300.0, shared=True))[0])
    150.0
    """
    area = floats(pairs, "area_m2")
    low, high = need_bounds(pairs)
    lot = np.nan_to_num(floats(pairs, "lot_min_m2"), nan=0.0)
    divisible_take = np.minimum(np.maximum(low, lot), area)
    shared_take = np.minimum(area, high)
    take = np.where(
        bools(pairs, "shared"),
        shared_take,
        np.where(bools(pairs, "divisible"), divisible_take, area),
    )
    return pd.Series(take, index=pairs.index, name="take_m2")


def check_constraints(pairs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Check every hard constraint on every pair; keep the pairs' index.

    Returns need_id, premises_id, one boolean ``ok_<constraint>`` per constraint of
    ``CONSTRAINTS``, ``passes`` (all of them hold), and the gaps of ``GAP_COLUMNS``.

    Examples
    --------
    >>> result = check_constraints(example_pairs(area_m2=80.0), Settings())
    >>> bool(result.loc[0, "ok_area"]), bool(result.loc[0, "passes"])
    (False, False)
    >>> float(result.loc[0, "gap_area_m2"])
    20.0
    """
    check_pairs(pairs)
    validate_settings(settings)
    ok_area, gap_area = _area(pairs)
    late, early = timing_gaps(pairs, settings)
    ok_budget, gap_budget, gap_price = _budget(pairs, settings)
    ok_location, gap_distance = _location(pairs)
    oks: dict[str, BoolArray] = {
        "ok_kind": bools(pairs, "kind_accepted"),
        "ok_tenure": bools(pairs, "tenure_accepted"),
        "ok_area": ok_area,
        "ok_timing": (late == 0) & (early == 0),
        "ok_budget": ok_budget,
        "ok_must_have": pairs["must_have_missing"].to_numpy() == 0,
        "ok_location": ok_location,
    }
    columns: dict[str, Any] = {
        "need_id": pairs["need_id"].to_numpy(),
        "premises_id": pairs["premises_id"].to_numpy(),
        **oks,
        "passes": np.logical_and.reduce(list(oks.values())),
        "gap_area_m2": gap_area,
        "gap_days": late + early,
        "gap_budget_m2_year": gap_budget,
        "gap_price_m2": gap_price,
        "gap_distance_m": gap_distance,
    }
    return pd.DataFrame(columns, index=pairs.index)


def _positive(values: FloatArray) -> FloatArray:
    """The positive part, NaN (unknown) counting as 0."""
    return np.where(values > 0, values, 0.0)


def smallest_part_m2(pairs: pd.DataFrame) -> FloatArray:
    """The smallest part of the premises that can be let: none for a shared space (it hosts
    several actors), the smallest lot of a divisible one, else the whole premises."""
    area = floats(pairs, "area_m2")
    lot = np.nan_to_num(floats(pairs, "lot_min_m2"), nan=0.0)
    part = np.where(bools(pairs, "divisible"), np.minimum(lot, area), area)
    return np.where(bools(pairs, "shared"), 0.0, part)


def _area(pairs: pd.DataFrame) -> tuple[BoolArray, FloatArray]:
    area = floats(pairs, "area_m2")
    low, high = need_bounds(pairs)
    short = _positive(low - area)
    excess = _positive(smallest_part_m2(pairs) - high)
    return (short == 0) & (excess == 0), np.where(short > 0, short, excess)


def cents(euros: FloatArray) -> FloatArray:
    """Money in whole cents (round half to even, as PostgreSQL's ``round`` of a double does),
    so that a rent of 115 meets a budget of 100 at 15 % (100 × 1.15 = 114.99999999999999).

    Examples
    --------
    >>> float(cents(np.array([100 * 1.15]))[0])
    11500.0
    """
    return np.asarray(np.rint(euros * 100), dtype=np.float64)


def price_routes(pairs: pd.DataFrame) -> tuple[BoolArray, BoolArray]:
    """Whether the need can rent the premises at a known rent, and buy it at a known price."""
    renting = bools(pairs, "need_rents") & ~np.isnan(floats(pairs, "rent_m2_year"))
    buying = bools(pairs, "need_buys") & ~np.isnan(floats(pairs, "sale_price_m2"))
    return renting, buying


def over_budget(pairs: pd.DataFrame, settings: Settings) -> tuple[FloatArray, FloatArray]:
    """The excess of rent + charges over the rent ceiling, and of the sale price over the
    purchase ceiling, at the cent (0 within it, or when the budget is unknown)."""
    cost = floats(pairs, "rent_m2_year") + np.nan_to_num(floats(pairs, "charges_m2_year"))
    ceiling = floats(pairs, "budget_m2_year") * (1 + settings.budget_tolerance)
    price = floats(pairs, "sale_price_m2")
    purchase = floats(pairs, "budget_purchase_m2") * (1 + settings.budget_tolerance)
    return (
        _positive(cents(cost) - cents(ceiling)) / 100,
        _positive(cents(price) - cents(purchase)) / 100,
    )


def _budget(pairs: pd.DataFrame, settings: Settings) -> tuple[BoolArray, FloatArray, FloatArray]:
    renting, buying = price_routes(pairs)
    rent_gap, price_gap = over_budget(pairs, settings)
    ok = (renting & (rent_gap == 0)) | (buying & (price_gap == 0)) | ~(renting | buying)
    return ok, np.where(renting & ~ok, rent_gap, 0.0), np.where(buying & ~ok, price_gap, 0.0)


def _location(pairs: pd.DataFrame) -> tuple[BoolArray, FloatArray]:
    # No maximum distance: 0 m, so the zone or the very point of the need.
    maximum = np.nan_to_num(floats(pairs, "max_distance_m"), nan=0.0)
    beyond = _positive(floats(pairs, "distance_m") - maximum)
    gap = np.where(bools(pairs, "in_zone"), 0.0, beyond)
    return gap == 0, gap
