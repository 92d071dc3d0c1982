"""Candidate search in memory: the need × premises pairs that pass every hard constraint.

The same pairs, and the same pairs frame (``matching.pairs``), as the store's candidate query
(``foncier.matching.candidates``), computed from two tables read once: one spatial tree of the
premises per kind (shapely's STRtree), probed by each need's wished zone (or its centre) at
its maximum distance, then numpy filters that apply the query's hard constraints as it does,
NULL for NULL (a comparison with NaN or NaT fails, as one with NULL does in SQL): money at the
cent, the floor area (a divisible premises with no minimum lot has lots of any size), timing,
tenure, the price the need can take, must-haves. Both tables come sorted by id; needs go by
batches, so that memory stays bounded at any size, and the run can go on one partition.

The needs table (a DataFrame or a mapping of arrays) has ``NEED_COLUMNS``; the premises table
``PREMISES_COLUMNS``. Feature masks give bit i for feature i, in any numbering shared by both
tables; ``must_unknown`` counts the must-haves no premises can offer. ``kinds`` holds, per
need, the kinds it accepts; ``zone`` and ``centre`` shapely geometries (or None), in a metric
projection (Lambert-93), as are the premises' points ``x``, ``y``. ``rent_m2_year`` is the rent
offered (capped where a cap applies).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd
import shapely

from matching._columns import BoolArray, FloatArray
from matching.pairs import PAIR_COLUMNS
from matching.settings import Settings

Columns = dict[str, np.ndarray]
Table = pd.DataFrame | Mapping[str, Any]  # a frame, or its columns as arrays

# The pair-level fields the search computes; the others are the need's or the premises'.
_MASKS = ("must_mask", "wish_mask", "must_unknown", "features_mask")
NEED_COLUMNS = (
    "need_id", "kinds", "zone", "centre", "need_temporary", "max_distance_m",
    "need_min_m2", "need_max_m2", "budget_m2_year", "budget_purchase_m2", "need_rents",
    "need_buys", "move_in_earliest", "move_in_latest", "features_wanted", "priority_sector",
    "stage", "must_mask", "wish_mask", "must_unknown",
)  # fmt: skip
PREMISES_COLUMNS = (
    "premises_id", "kind", "x", "y", "area_m2", "divisible", "lot_min_m2", "shared",
    "rent_m2_year", "charges_m2_year", "sale_price_m2", "available_from", "available_until",
    "step_free", "ground_floor", "premises_in_qpv", "features_mask",
)  # fmt: skip
BATCH_NEEDS = 5000
# The tree's pre-selection is widened by this share, so that no rounding of its distance
# drops a pair the exact test below keeps.
_WIDEN = 1e-9


def candidate_batches(
    needs: Table,
    premises: Table,
    settings: Settings,
    batch_needs: int = BATCH_NEEDS,
) -> Iterator[pd.DataFrame]:
    """The pairs frame by batches of needs, in need order, each sorted by need then premises.

    At least one frame comes, empty when nothing matches.

    Examples
    --------
    >>> from shapely import Point
    >>> needs, premises = example_tables()
    >>> [frame[["need_id", "premises_id"]].values.tolist()
    ...  for frame in candidate_batches(needs, premises, Settings())]
    [[[1, 10]]]
    """
    search = CandidateSearch(needs, premises, settings)
    count = len(search.needs["need_id"])
    for start in range(0, max(count, 1), batch_needs):
        yield search.pairs(np.arange(start, min(start + batch_needs, count)))


def candidate_pairs(needs: Table, premises: Table, settings: Settings) -> pd.DataFrame:
    """Every pair at once (:func:`candidate_batches` concatenated)."""
    frames = list(candidate_batches(needs, premises, settings))
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


class CandidateSearch:
    """The trees and the per-record terms of the constraints, built once for every batch."""

    def __init__(self, needs: Table, premises: Table, settings: Settings) -> None:
        self.needs = {name: np.asarray(needs[name]) for name in NEED_COLUMNS}
        self.premises = {name: np.asarray(premises[name]) for name in PREMISES_COLUMNS}
        self._need = _need_terms(self.needs, settings)
        self._premises = _premises_terms(self.premises)
        points = np.asarray(shapely.points(self.premises["x"], self.premises["y"]), dtype=object)
        self._trees = {}
        for kind in pd.unique(self.premises["kind"]).tolist():
            rows = np.flatnonzero(self.premises["kind"] == kind)
            self._trees[kind] = (rows, shapely.STRtree(points[rows]))
        self._points = points

    def pairs(self, rows: np.ndarray) -> pd.DataFrame:
        """The pairs frame of the needs at ``rows`` (positions in the needs table)."""
        need, prem = self._probe(rows)
        # The floor area first: the most selective test, so that the others read fewer pairs.
        need, prem = _keep(need, prem, _area(self._need, self._premises, need, prem))
        need, prem = _keep(need, prem, _hard_constraints(self._need, self._premises, need, prem))
        distance, in_zone = self._distances(need, prem)
        kept = in_zone | (distance <= self._need["max_distance"][need])
        need, prem, distance, in_zone = need[kept], prem[kept], distance[kept], in_zone[kept]
        order = np.lexsort((prem, need))  # both tables come by id
        need, prem = need[order], prem[order]
        keys = {
            "need_id": self.needs["need_id"][need],
            "premises_id": self.premises["premises_id"][prem],
            "distance_m": distance[order],
            "in_zone": in_zone[order],
            "kind_accepted": np.ones(len(need), dtype=bool),
            "tenure_accepted": np.ones(len(need), dtype=bool),
        }
        return assemble(keys, self.needs, self.premises, (need, prem))

    def _probe(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(need row, premises row) of the premises of an accepted kind within each need's
        reach of its probe (its zone, else its centre): a superset of the candidates."""
        probe, reach, zoned = self._need["probe"], self._need["reach"], self._need["zoned"]
        found: list[tuple[np.ndarray, np.ndarray]] = []
        for kind, (prem_rows, tree) in self._trees.items():
            asking = rows[
                self._need["searchable"][rows] & _accepts(self.needs["kinds"][rows], kind)
            ]
            zones, centres = asking[zoned[asking]], asking[~zoned[asking]]
            if len(zones):
                hits = tree.query(probe[zones], predicate="dwithin", distance=reach[zones])
                found.append((zones[hits[0]], prem_rows[hits[1]]))
            if len(centres):
                found.append(self._around(centres, prem_rows, tree))
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])

    def _around(
        self, centres: np.ndarray, prem_rows: np.ndarray, tree: shapely.STRtree
    ) -> tuple[np.ndarray, np.ndarray]:
        """Premises within reach of needs' centres: the tree's boxes, then x/y arithmetic (five
        times faster than GEOS measuring each pair)."""
        x, y, reach = self._need["cx"][centres], self._need["cy"][centres], self._need["reach"]
        r = reach[centres]
        hits = tree.query(shapely.box(x - r, y - r, x + r, y + r))
        need, prem = centres[hits[0]], prem_rows[hits[1]]
        dx = self.premises["x"][prem] - self._need["cx"][need]
        dy = self.premises["y"][prem] - self._need["cy"][need]
        return _keep(need, prem, np.hypot(dx, dy) <= reach[need])

    def _distances(self, need: np.ndarray, prem: np.ndarray) -> tuple[FloatArray, BoolArray]:
        """Distance from the probe to the premises, and whether it lies in the wished zone:
        x/y arithmetic from a centre (``hypot``, as PostGIS measures two points), GEOS from
        a zone."""
        zoned = self._need["zoned"][need]
        dx = self.premises["x"][prem] - self._need["cx"][need]
        dy = self.premises["y"][prem] - self._need["cy"][need]
        distance = np.hypot(dx, dy)
        in_zone = np.zeros(len(need), dtype=bool)
        if zoned.any():
            zones, points = self._need["probe"][need[zoned]], self._points[prem[zoned]]
            distance[zoned] = shapely.distance(zones, points)
            in_zone[zoned] = shapely.intersects(zones, points)
        return distance, in_zone


def _accepts(kinds: np.ndarray, kind: str) -> BoolArray:
    return np.fromiter((kind in accepted for accepted in kinds), dtype=bool, count=len(kinds))


def _keep(need: np.ndarray, prem: np.ndarray, mask: BoolArray) -> tuple[np.ndarray, np.ndarray]:
    return need[mask], prem[mask]


def _days(dates: np.ndarray) -> np.ndarray:
    return np.asarray(dates).astype("datetime64[D]")


def _need_terms(needs: Columns, settings: Settings) -> Columns:
    """What each need brings to the constraints, computed once (as the query's CTE does)."""
    widen = 1 + settings.budget_tolerance
    zone = needs["zone"]
    zoned = ~shapely.is_missing(zone)
    probe = np.where(zoned, zone, needs["centre"])
    shapely.prepare(probe[zoned])
    maximum = needs["max_distance_m"].astype(np.float64)
    centre = needs["centre"]
    has_centre = ~shapely.is_missing(centre)
    cx, cy = np.full(len(zone), np.nan), np.full(len(zone), np.nan)
    cx[has_centre] = shapely.get_x(centre[has_centre])
    cy[has_centre] = shapely.get_y(centre[has_centre])
    horizon = np.timedelta64(int(settings.wait_horizon_days), "D")
    earliest = _days(needs["move_in_earliest"])
    latest = _days(needs["move_in_latest"])
    return {
        "probe": probe,
        "zoned": zoned,
        "cx": cx,
        "cy": cy,
        # no maximum distance: 0 m, the zone or the very point (as matching.constraints)
        "searchable": zoned | has_centre,
        "reach": np.nan_to_num(maximum, nan=0.0) * (1 + _WIDEN),
        "max_distance": np.nan_to_num(maximum, nan=0.0),
        "min": needs["need_min_m2"].astype(np.float64),
        "max": needs["need_max_m2"].astype(np.float64),
        "rents": needs["need_rents"].astype(bool),
        "buys": needs["need_buys"].astype(bool),
        "temporary": needs["need_temporary"].astype(bool),
        "ceiling": np.rint(needs["budget_m2_year"].astype(np.float64) * widen * 100),
        "purchase_ceiling": np.rint(needs["budget_purchase_m2"].astype(np.float64) * widen * 100),
        "deadline": np.where(np.isnat(latest), earliest + horizon, latest),
        "earliest": earliest,
        "must": needs["must_mask"].astype(np.int64),
        "must_unknown": needs["must_unknown"].astype(np.int64),
    }


def _premises_terms(premises: Columns) -> Columns:
    rent = premises["rent_m2_year"].astype(np.float64)
    charges = np.nan_to_num(premises["charges_m2_year"].astype(np.float64))
    sale = premises["sale_price_m2"].astype(np.float64)
    return {
        "area": premises["area_m2"].astype(np.float64),
        "shared": premises["shared"].astype(bool),
        "divisible": premises["divisible"].astype(bool),
        "lot": np.nan_to_num(premises["lot_min_m2"].astype(np.float64)),  # COALESCE(lot, 0)
        "has_rent": ~np.isnan(rent),
        "has_sale": ~np.isnan(sale),
        "rent_cents": np.rint((rent + charges) * 100),
        "sale_cents": np.rint(sale * 100),
        "from": _days(premises["available_from"]),
        "until": _days(premises["available_until"]),
        "features": premises["features_mask"].astype(np.int64),
    }


def _area(n: Columns, p: Columns, need: np.ndarray, prem: np.ndarray) -> BoolArray:
    """The floor area: large enough, and not too large unless shared or a lot fits."""
    area = p["area"][prem]
    high = n["max"][need]
    ok = (area >= n["min"][need]) & (
        (area <= high) | p["shared"][prem] | (p["divisible"][prem] & (p["lot"][prem] <= high))
    )
    return np.asarray(ok, dtype=bool)


def _hard_constraints(n: Columns, p: Columns, need: np.ndarray, prem: np.ndarray) -> BoolArray:
    """The query's other hard constraints but location, pair by pair (the kind is the tree's)."""
    ok = p["from"][prem] <= n["deadline"][need]
    until = p["until"][prem]
    ok &= np.isnat(until) | (until >= n["earliest"][need])
    ok &= ((n["must"][need] & ~p["features"][prem]) == 0) & (n["must_unknown"][need] == 0)
    rents, buys = n["rents"][need], n["buys"][need]
    has_rent, has_sale = p["has_rent"][prem], p["has_sale"][prem]
    ok &= ((has_rent & rents) | (has_sale & buys) | ~(has_rent | has_sale)) & (
        np.isnat(until) | n["temporary"][need]
    )
    renting, buying = rents & has_rent, buys & has_sale
    ceiling, purchase = n["ceiling"][need], n["purchase_ceiling"][need]
    ok &= (
        ~(renting | buying)
        | (renting & (np.isnan(ceiling) | (p["rent_cents"][prem] <= ceiling)))
        | (buying & (np.isnan(purchase) | (p["sale_cents"][prem] <= purchase)))
    )
    return np.asarray(ok, dtype=bool)


def assemble(
    keys: Mapping[str, np.ndarray],
    needs: Columns,
    premises: Columns,
    rows: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """The pairs frame: pair fields as given, need and premises fields by look-up (both tables
    sorted by id, or at ``rows`` when known), features met and missing from the masks."""
    columns: dict[str, Any] = {
        name: np.asarray(keys[name]).astype(PAIR_COLUMNS[name]) for name in keys
    }
    for i, (table, key) in enumerate(((needs, "need_id"), (premises, "premises_id"))):
        at = np.searchsorted(table[key], columns[key]) if rows is None else rows[i]
        columns |= {
            name: column[at]
            for name, column in table.items()
            if name not in columns and (name in PAIR_COLUMNS or name in _MASKS)
        }
    offered, wished = columns.pop("features_mask"), columns.pop("wish_mask")
    missing = np.bitwise_count(columns.pop("must_mask") & ~offered) + columns.pop("must_unknown")
    columns["features_met"] = np.bitwise_count(wished & offered).astype(np.int64)
    columns["must_have_missing"] = missing.astype(np.int64)
    # Object columns stay objects (pandas would make strings of them).
    return pd.DataFrame(
        {
            name: pd.Series(columns[name], dtype=object) if dtype == "object" else columns[name]
            for name, dtype in PAIR_COLUMNS.items()
        }
    )


def example_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """One need and two premises of its kind, one within its reach (doctests, tests)."""
    day = pd.Timestamp("2025-03-01")
    needs = pd.DataFrame(
        {
            "need_id": [1], "kinds": [("bureau",)], "zone": [None],
            "centre": [shapely.Point(0, 0)], "need_temporary": [False],
            "max_distance_m": [1000.0], "need_min_m2": [100.0], "need_max_m2": [150.0],
            "budget_m2_year": [180.0], "budget_purchase_m2": [np.nan], "need_rents": [True],
            "need_buys": [False], "move_in_earliest": [day], "move_in_latest": [pd.NaT],
            "features_wanted": [0], "priority_sector": [False], "stage": ["developpement"],
            "must_mask": [0], "wish_mask": [0], "must_unknown": [0],
        }
    )  # fmt: skip
    premises = pd.DataFrame(
        {
            "premises_id": [10, 11], "kind": ["bureau", "bureau"], "x": [300.0, 5000.0],
            "y": [400.0, 0.0], "area_m2": [120.0, 120.0], "divisible": [False, False],
            "lot_min_m2": [np.nan, np.nan], "shared": [False, False],
            "rent_m2_year": [150.0, 150.0], "charges_m2_year": [20.0, np.nan],
            "sale_price_m2": [np.nan, np.nan], "available_from": [day, day],
            "available_until": [pd.NaT, pd.NaT], "step_free": [True, False],
            "ground_floor": [True, False], "premises_in_qpv": [False, False],
            "features_mask": [0, 0],
        }
    )  # fmt: skip
    return needs, premises
