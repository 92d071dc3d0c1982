"""The frame of need × premises pairs that every matching step reads.

The candidate search builds it, in memory (``matching.candidates``, on the needs and premises
the store reads once) or in PostGIS (``foncier.matching.candidates``, for one need or one
premises); tests, benchmarks and the scenarios' virtual premises build it by hand.
One row per pair; missing data is NaN / NaT / None, never a made-up value.

====================  =========  ===========================================================
column                dtype      meaning
====================  =========  ===========================================================
need_id               int64      the need
premises_id           int64      the premises
distance_m            float64    metres from the premises to the wished zone (0 inside it)
in_zone               bool       inside a wished commune or drawn zone
max_distance_m        float64    the need's maximum distance (NaN: none given)
area_m2               float64    the premises' floor area
divisible             bool       can be let in lots
lot_min_m2            float64    smallest lot of a divisible premises (NaN otherwise)
shared                bool       a shared space (tiers-lieu) hosting several actors
need_min_m2           float64    wished floor area, lower bound
need_max_m2           float64    wished floor area, upper bound
rent_m2_year          float64    rent, €/m²/year excl. VAT and charges (NaN: not let)
charges_m2_year       float64    charges, €/m²/year (NaN: unknown)
budget_m2_year        float64    the need's rent budget, €/m²/year (NaN: unknown)
sale_price_m2         float64    sale price, €/m² excl. VAT (NaN: not for sale)
budget_purchase_m2    float64    the need's purchase budget, €/m² (NaN: unknown)
need_rents            bool       the need would rent
need_buys             bool       the need would buy
available_from        datetime   the premises is available from
available_until       datetime   end of a temporary occupation (NaT: none)
move_in_earliest      datetime   the need's earliest move-in date
move_in_latest        datetime   the need's latest move-in date (NaT: open)
features_wanted       int64      how many nice-to-have features the need lists
features_met          int64      how many of them the premises has
must_have_missing     int64      must-have features the premises lacks (0 for candidates)
step_free             bool       the premises has step-free access
ground_floor          bool       the premises is on the ground floor
priority_sector       bool       the actor's sector is a priority one
stage                 object     the actor's stage: emergence, developpement, changement_echelle
premises_in_qpv       bool       the premises lies in a priority urban district
kind_accepted         bool       the premises' kind is one the need accepts
tenure_accepted       bool       the need accepts the terms offered: rent, sale, temporary use
====================  =========  ===========================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# A shared space (tiers-lieu) hosts at most one actor per 10 m².
MIN_SHARED_PLACE_M2 = 10.0

PAIR_COLUMNS: dict[str, str] = {
    "need_id": "int64",
    "premises_id": "int64",
    "distance_m": "float64",
    "in_zone": "bool",
    "max_distance_m": "float64",
    "area_m2": "float64",
    "divisible": "bool",
    "lot_min_m2": "float64",
    "shared": "bool",
    "need_min_m2": "float64",
    "need_max_m2": "float64",
    "rent_m2_year": "float64",
    "charges_m2_year": "float64",
    "budget_m2_year": "float64",
    "sale_price_m2": "float64",
    "budget_purchase_m2": "float64",
    "need_rents": "bool",
    "need_buys": "bool",
    "available_from": "datetime64[ns]",
    "available_until": "datetime64[ns]",
    "move_in_earliest": "datetime64[ns]",
    "move_in_latest": "datetime64[ns]",
    "features_wanted": "int64",
    "features_met": "int64",
    "must_have_missing": "int64",
    "step_free": "bool",
    "ground_floor": "bool",
    "priority_sector": "bool",
    "stage": "object",
    "premises_in_qpv": "bool",
    "kind_accepted": "bool",
    "tenure_accepted": "bool",
}


def check_pairs(pairs: pd.DataFrame) -> None:
    """Raise ``ValueError`` naming every missing column at once.

    Examples
    --------
    >>> check_pairs(pd.DataFrame({"need_id": [1]}))
    Traceback (most recent call last):
    ...
    ValueError: colonnes manquantes : premises_id, distance_m, ...
    """
    missing = [name for name in PAIR_COLUMNS if name not in pairs.columns]
    if missing:
        shown = ", ".join(missing[:2]) + (", ..." if len(missing) > 2 else "")
        raise ValueError(f"colonnes manquantes : {shown}")


def empty_pairs() -> pd.DataFrame:
    """A frame with every column and no row, of the right dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in PAIR_COLUMNS.items()})


def allocation_inputs(pairs: pd.DataFrame, scores: pd.Series) -> pd.DataFrame:
    """What the allocation reads of scored pairs: ids, score and floor area taken, keeping only
    the usable ones (a finite, positive area taken and a score in [0, 1]).

    Columns are copied out, since one kept column would hold its whole frame alive.

    Examples
    --------
    >>> from matching.constraints import example_pairs
    >>> allocation_inputs(example_pairs(), pd.Series([0.9])).to_dict("records")
    [{'need_id': 1, 'premises_id': 7, 'score': 0.9, 'take_m2': 120.0}]
    """
    from matching.constraints import take_m2  # constraints reads this module's columns

    taken = take_m2(pairs).to_numpy(dtype=float)
    score = scores.to_numpy(dtype=float)
    usable = np.isfinite(taken) & (taken > 0) & (score >= 0.0) & (score <= 1.0)
    return pd.DataFrame(
        {
            "need_id": pairs["need_id"].to_numpy()[usable],
            "premises_id": pairs["premises_id"].to_numpy()[usable],
            "score": score[usable],
            "take_m2": taken[usable],
        }
    )


def capacities(pairs: pd.DataFrame) -> pd.DataFrame:
    """The places each premises of ``pairs`` offers: 1, a divisible premises' lots (area over
    its smallest lot), or a shared space's actors (one per ``MIN_SHARED_PLACE_M2``).

    Examples
    --------
    >>> from matching.constraints import example_pairs
    >>> capacities(example_pairs(shared=True, area_m2=45.0)).to_dict("records")
    [{'premises_id': 7, 'capacity_m2': 45.0, 'places': 4, 'multi': True}]
    """
    first = pairs.drop_duplicates("premises_id").set_index("premises_id")
    area = first["area_m2"].astype(float)
    lots = np.floor(area / first["lot_min_m2"].where(first["lot_min_m2"] > 0))
    shared = np.floor(area / MIN_SHARED_PLACE_M2)
    places = np.where(first["shared"], shared, np.where(first["divisible"], lots, 1))
    places = np.nan_to_num(places, nan=1.0).clip(min=1).astype(int)
    return pd.DataFrame(
        {
            "premises_id": first.index.astype(int),
            "capacity_m2": area.to_numpy(),
            "places": places,
            "multi": (first["shared"] | first["divisible"]).to_numpy(),
        }
    )
