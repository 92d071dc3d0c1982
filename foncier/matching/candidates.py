"""Candidate pairs in PostGIS: set-based queries for every open need at once.

The result is the pairs frame of ``matching.pairs`` (every column the pure core reads).
``strict`` applies every hard constraint in SQL, so that only candidates come back; without
it only the spatial pre-selection (with a margin) and the statuses apply, which is what near
misses and "why not" need. The spatial test is one ST_DWithin between the premises and the
need's wished zone (or its centre when it has none), on Lambert-93 geometries: each need probes
the GiST index of the premises by (kind, geometry) once per kind it accepts.

Needs go by batches (one statement each, :func:`candidate_batches`) so that memory stays
bounded at any size; the pair-level fields come packed as binary, the need-level and
premises-level ones are read once and joined in numpy (see ``foncier.matching._candidate_sql``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.db.packed_rows import packed_records, record_dtype
from foncier.matching._candidate_sql import (
    MATCHABLE_PREMISES,
    PAIR_FIELDS,
    PREMISES,
    needs_query,
    pairs_query,
    unmatched_query,
)
from foncier.vocabulary import OPEN_NEEDS
from matching.pairs import PAIR_COLUMNS
from matching.settings import Settings

__all__ = [
    "BATCH_NEEDS",
    "MATCHABLE_PREMISES",
    "Scope",
    "candidate_batches",
    "candidate_pairs",
    "needs_without_candidates",
]

# Needs per statement, which bounds a batch's memory: 900 000 pairs (a frame of 250 MB) with
# 100 000 premises packed into the Métropole, a few thousand at its real density.
BATCH_NEEDS = 2000


@dataclass(frozen=True)
class Scope:
    """Which pairs to look at: one need, one premises, or everything open."""

    need_id: int | None = None
    premises_id: int | None = None
    strict: bool = True
    margin_m: float = 0.0  # spatial margin of the relaxed query (near misses)
    need_ids: tuple[int, ...] | None = None  # only these open needs (None: every one)
    # Relaxed, only the pairs of a kind and tenure the need accepts: the near misses' pool.
    accepted: bool = False


def candidate_pairs(session: Session, settings: Settings, scope: Scope = Scope()) -> pd.DataFrame:
    """The pairs frame (``matching.pairs``), sorted by need then premises."""
    frames = list(candidate_batches(session, settings, scope))
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True)


def candidate_batches(
    session: Session, settings: Settings, scope: Scope = Scope(), batch_needs: int = BATCH_NEEDS
) -> Iterator[pd.DataFrame]:
    """The pairs frame by batches of ``batch_needs`` needs, in need order, each sorted by need
    then premises: their concatenation is :func:`candidate_pairs`. At least one frame comes,
    empty when nothing matches."""
    # The geometry functions inflate the plan's cost estimate, which would trigger JIT
    # compilation: seconds spent compiling a query that runs in milliseconds.
    session.execute(text("SET LOCAL jit = off"))
    listed = scope.need_ids is not None  # read those needs only, not every open one
    statement = text(needs_query(one_need=scope.need_id is not None, listed=listed))
    wanted = list(scope.need_ids) if scope.need_ids is not None else None
    needs = _columns(session.execute(statement, {"need_id": scope.need_id, "need_ids": wanted}))
    premises = _PremisesTable(session)
    query = pairs_query(
        strict=scope.strict, one_premises=scope.premises_id is not None, accepted=scope.accepted
    )
    ids = needs["need_id"]
    for start in range(0, max(len(ids), 1), batch_needs):
        batch = ids[start : start + batch_needs]
        keys = (
            packed_records(session, query, _params(settings, scope, batch), PAIR_FIELDS)
            if len(batch)
            else np.empty(0, dtype=record_dtype(PAIR_FIELDS))
        )
        keys = keys[np.lexsort((keys["premises_id"], keys["need_id"]))]
        yield _assemble(keys, needs, premises.covering(keys["premises_id"]))


# No pairs come back: larger batches than BATCH_NEEDS, fewer statements.
_UNMATCHED_BATCH = 25_000
_OPEN_IDS = f"SELECT id FROM besoins WHERE statut IN ({', '.join(repr(s) for s in OPEN_NEEDS)})"


def needs_without_candidates(session: Session, settings: Settings) -> tuple[int, ...]:
    """The open needs no premises fits, by id: what :func:`candidate_pairs` finds nothing
    for, without building the pairs (one probe per need and kind, by batches)."""
    session.execute(text("SET LOCAL jit = off"))  # as in candidate_batches
    ids = np.array(session.scalars(text(_OPEN_IDS)).all(), dtype=np.int64)
    found: list[int] = []
    for start in range(0, len(ids), _UNMATCHED_BATCH):
        params = _params(settings, Scope(), ids[start : start + _UNMATCHED_BATCH])
        result = session.connection().exec_driver_sql(unmatched_query(), params)
        found.extend(int(row[0]) for row in result)
    return tuple(sorted(found))


def _params(settings: Settings, scope: Scope, need_ids: np.ndarray) -> dict[str, Any]:
    return {
        "need_ids": need_ids.tolist(),
        "premises_id": scope.premises_id,
        "margin": float(scope.margin_m),
        "horizon": int(settings.wait_horizon_days),
        "tolerance": float(settings.budget_tolerance),
    }


Columns = dict[str, np.ndarray]

# Feature masks read with the needs and the premises (see foncier.matching._candidate_sql).
_MASKS = ("must_mask", "wish_mask", "must_unknown", "features_mask")
_DTYPES = {**PAIR_COLUMNS, **dict.fromkeys(_MASKS, "int64")}


def _columns(result: Any) -> Columns:
    """The rows as numpy columns in the contract's dtypes: NaN, NaT or False for NULL, dates
    to the second (as pandas reads dates). A few rows cost as little as possible: the single
    need asked through the API."""
    names = list(result.keys())
    values = list(zip(*result, strict=True)) or [()] * len(names)
    columns = {}
    for name, column in zip(names, values, strict=True):
        dtype = _DTYPES[name]
        kind = "datetime64[s]" if dtype.startswith("datetime") else dtype
        columns[name] = np.array(column, dtype=kind)
    return columns


class _PremisesTable:
    """The premises-level columns, read once per premises across the batches, by id."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._known: Columns | None = None

    def covering(self, ids: np.ndarray) -> Columns:
        known = self._known
        missing = np.unique(ids) if known is None else np.setdiff1d(ids, known["premises_id"])
        if known is None or len(missing):
            found = _columns(self._session.execute(text(PREMISES), {"ids": missing.tolist()}))
            if known is not None:
                found = {name: np.concatenate([known[name], found[name]]) for name in found}
            order = np.argsort(found["premises_id"], kind="stable")
            self._known = known = {name: column[order] for name, column in found.items()}
        return known


def _assemble(keys: np.ndarray, needs: Columns, premises: Columns) -> pd.DataFrame:
    """The pairs frame: pair fields as they came, need and premises fields by look-up,
    features met and missing from the masks."""
    columns: dict[str, Any] = {
        name: keys[name].astype(PAIR_COLUMNS[name]) for name in keys.dtype.names or ()
    }
    for table, key in ((needs, "need_id"), (premises, "premises_id")):
        rows = np.searchsorted(table[key], keys[key])
        columns |= {name: column[rows] for name, column in table.items() if name not in columns}
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
