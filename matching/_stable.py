"""The allocation problem as validated arrays, and its combinatorial side.

Private to :mod:`matching.allocation`: validation of the frames, the premises' admission rule,
the greedy allocation, need-proposing deferred acceptance, blocking pairs and a simple bound.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

# Floor areas are compared with this relative slack, so that lots computed as
# capacity / places still fit together despite rounding (3 × 1000/3 may exceed 1000).
AREA_RTOL = 1e-9

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Problem:
    """Pairs in canonical order (need_id, premises_id) and premises sorted by id."""

    need_id: IntArray
    premises_id: IntArray
    score: FloatArray
    take: FloatArray
    need_code: IntArray  # 0..n_needs-1, in need_id order
    prem_pos: IntArray  # row of the pair's premises in the premises arrays
    premises_ids: IntArray
    slots: IntArray  # 1 for a one-actor premises, else its places
    limit: FloatArray  # m² a multi premises can host; inf for a one-actor premises

    @property
    def n_pairs(self) -> int:
        return len(self.score)

    @property
    def n_needs(self) -> int:
        return int(self.need_code.max()) + 1 if self.n_pairs else 0

    @classmethod
    def from_arrays(
        cls,
        need_id: FloatArray,
        premises_id: FloatArray,
        score: FloatArray,
        take: FloatArray,
        ids: FloatArray,
        capacity: FloatArray,
        places: FloatArray,
        multi: BoolArray,
    ) -> Problem:
        """Arrays from validated columns; the canonical order makes results row-order free."""
        order = np.lexsort((premises_id, need_id))
        by_id = np.argsort(ids, kind="stable")
        premises_ids = ids[by_id].astype(np.int64)
        need = need_id[order].astype(np.int64)
        prem = premises_id[order].astype(np.int64)
        return cls(
            need_id=need,
            premises_id=prem,
            score=score[order],
            take=take[order],
            need_code=np.unique(need, return_inverse=True)[1].astype(np.int64),
            prem_pos=np.searchsorted(premises_ids, prem).astype(np.int64),
            premises_ids=premises_ids,
            slots=np.where(multi[by_id], places[by_id], 1).astype(np.int64),
            limit=np.where(multi[by_id], capacity[by_id], np.inf),
        )

    @property
    def usable(self) -> BoolArray:
        """Pairs that fit their premises on their own (a multi premises' m² may be short)."""
        return np.asarray(self.take <= self.limit[self.prem_pos] * (1 + AREA_RTOL))

    def fits(self, pos: int, count: int, area: float, take: float) -> bool:
        """Whether premises ``pos``, hosting ``count`` needs on ``area`` m², takes one more."""
        limit = float(self.limit[pos])
        return count < int(self.slots[pos]) and area + take <= limit * (1 + AREA_RTOL)

    def global_order(self, first: FloatArray | None = None) -> IntArray:
        """Pair indices by descending ``first`` if given, then score, need_id, premises_id."""
        keys = (self.premises_id, self.need_id, -self.score)
        return np.lexsort(keys if first is None else (*keys, -first)).astype(np.int64)


# --- validation --------------------------------------------------------------------------------

_PAIR_COLUMNS = ("need_id", "premises_id", "score", "take_m2")
_PREMISES_COLUMNS = ("premises_id", "capacity_m2", "places", "multi")


def prepare(
    pairs: pd.DataFrame, premises: pd.DataFrame, needs: Iterable[int] | None
) -> tuple[Problem, list[int]]:
    """Validate the frames and the needs, reporting every problem at once, then build arrays.

    Returns the problem and every need: those of the pairs and those listed in ``needs``.
    """
    need, prem, score, take = _columns(pairs, _PAIR_COLUMNS, "paires")
    ids, capacity, places = _columns(premises, _PREMISES_COLUMNS[:3], "locaux")
    multi = premises["multi"] if len(premises) else pd.Series(dtype=bool)
    listed = _numbers(pd.Series([] if needs is None else list(needs), dtype=object))
    problems = [
        *_pair_problems(need, prem, score, take, ids),
        *_premises_problems(ids, capacity, places, multi),
        *_listed("besoins ouverts non entiers", lambda bad: [], ~_whole(listed), listed),
    ]
    if needs is not None:
        absent = ~np.isin(need, listed)
        where = _pair_labels(need, prem)
        problems += _listed("paires de besoins absents des besoins ouverts", where, absent)
    if problems:
        raise ValueError("; ".join(problems))
    flags = multi.to_numpy(bool)
    problem = Problem.from_arrays(need, prem, score, take, ids, capacity, places, flags)
    return problem, sorted({int(n) for n in need.tolist()} | {int(n) for n in listed.tolist()})


def _pair_problems(
    need: FloatArray, prem: FloatArray, score: FloatArray, take: FloatArray, ids: FloatArray
) -> list[str]:
    where = _pair_labels(need, prem)
    return [
        *_listed("identifiants de besoin non entiers", where, ~_whole(need)),
        *_listed("identifiants de local non entiers", where, ~_whole(prem)),
        *_listed("scores hors de [0, 1]", where, ~((score >= 0) & (score <= 1)), score),
        *_listed("take_m2 non positif ou non fini", where, ~_positive(take), take),
        *_listed("paires en double", where, _duplicated(need, prem)),
        *_listed("paires vers des locaux inconnus", where, ~np.isin(prem, ids)),
    ]


def _premises_problems(
    ids: FloatArray, capacity: FloatArray, places: FloatArray, multi: pd.Series
) -> list[str]:
    def where(bad: BoolArray) -> list[str]:
        return [f"local {_text(p)}" for p in ids[bad].tolist()]

    flags = multi.isin([True, False]).to_numpy(bool)
    return [
        *_listed("identifiants de local non entiers", where, ~_whole(ids)),
        *_listed("capacity_m2 invalide", where, ~_positive(capacity), capacity),
        *_listed("places invalide", where, ~(_whole(places) & (places >= 1)), places),
        *_listed("multi non booléen", where, ~flags, multi.to_numpy(object)),
        *_listed("locaux en double", where, _duplicated(ids)),
    ]


def _pair_labels(need: FloatArray, prem: FloatArray) -> Callable[[BoolArray], list[str]]:
    def where(bad: BoolArray) -> list[str]:
        pairs = zip(need[bad].tolist(), prem[bad].tolist(), strict=True)
        return [f"besoin {_text(n)} × local {_text(p)}" for n, p in pairs]

    return where


def _columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> list[FloatArray]:
    """The columns as floats (bad values become NaN, reported later); empty frames pass."""
    missing = [c for c in columns if c not in frame.columns]
    if missing and len(frame):
        raise ValueError(f"colonnes manquantes dans les {name} : {', '.join(missing)}")
    if missing:
        return [np.zeros(0) for _ in columns]
    return [_numbers(frame[c]) for c in columns]


def _numbers(values: pd.Series) -> FloatArray:
    return np.asarray(pd.to_numeric(values, errors="coerce"), dtype=np.float64)


def _whole(values: FloatArray) -> BoolArray:
    return np.asarray(np.isfinite(values) & (values == np.round(values)))


def _positive(values: FloatArray) -> BoolArray:
    return np.asarray(np.isfinite(values) & (values > 0))


def _duplicated(*keys: FloatArray) -> BoolArray:
    return np.asarray(pd.DataFrame(dict(enumerate(keys))).duplicated().to_numpy(bool))


def _listed(
    message: str,
    where: Callable[[BoolArray], list[str]],
    bad: BoolArray,
    values: npt.NDArray[Any] | None = None,
) -> list[str]:
    """One complaint quoting the first bad rows, labelled only when there are some.

    With no label, the bad values alone are quoted.
    """
    if not bad.any():
        return []
    labels = where(bad)
    if values is not None:
        shown = [_text(v) for v in values[bad].tolist()]
        labels = [f"{lab} ({v})" for lab, v in zip(labels, shown, strict=True)] if labels else shown
    more = f", … ({len(labels)} en tout)" if len(labels) > 5 else ""
    return [f"{message} : {', '.join(labels[:5])}{more}"]


def _text(value: object) -> str:
    """A value as shown to users: whole numbers without their ".0"."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


# --- greedy and deferred acceptance ------------------------------------------------------------


def greedy(problem: Problem, order: IntArray | None = None) -> BoolArray:
    """Take pairs in ``order`` (default: best first) whenever the need is free and it fits.

    Given a solver's chosen pairs it keeps a feasible answer whole and drops whatever a
    solver's tolerance let through.
    """
    chosen = np.zeros(problem.n_pairs, dtype=bool)
    served = np.zeros(problem.n_needs, dtype=bool)
    count = [0] * len(problem.premises_ids)
    area = [0.0] * len(problem.premises_ids)
    codes, positions, takes = (
        a.tolist() for a in (problem.need_code, problem.prem_pos, problem.take)
    )
    for i in (problem.global_order() if order is None else order).tolist():
        pos, take = positions[i], takes[i]
        if served[codes[i]] or not problem.fits(pos, count[pos], area[pos], take):
            continue
        chosen[i] = served[codes[i]] = True
        count[pos] += 1
        area[pos] += take
    return chosen


def upper_bound(problem: Problem) -> float:
    """The smaller of two valid bounds: each need's best score, each premises' best slots.

    Each served need scores at most its best pair; each premises hosts at most ``slots``
    needs, so it contributes at most the sum of its ``slots`` best scores.
    """
    score = np.where(problem.usable, problem.score, 0.0)
    best = np.zeros(problem.n_needs)
    np.maximum.at(best, problem.need_code, score)
    order = np.lexsort((-score, problem.prem_pos))
    positions = problem.prem_pos[order]
    starts = np.searchsorted(positions, positions, side="left")
    top = (np.arange(len(order)) - starts) < problem.slots[positions]
    return min(math.fsum(best.tolist()), math.fsum(score[order][top].tolist()))


def _admit(problem: Problem, pos: int, proposers: list[int]) -> tuple[list[int], list[int]]:
    """The premises keeps its proposers best first, skipping any that no longer fits."""
    ranked = sorted(proposers, key=lambda i: (-problem.score[i], problem.need_id[i]))
    kept: list[int] = []
    rejected: list[int] = []
    area = 0.0
    for i in ranked:
        take = float(problem.take[i])
        if problem.fits(pos, len(kept), area, take):
            kept.append(i)
            area += take
        else:
            rejected.append(i)
    return kept, rejected


def deferred_acceptance(problem: Problem) -> BoolArray:
    """Need-proposing deferred acceptance; returns the mask of the pairs held at the end.

    Proposals are processed one at a time (McVitie–Wilson), the free need whose next proposal
    has the highest score first. Since both sides rank by the same score, a premises then never
    has to drop a need it holds, which is what keeps the result stable when m² bind (with
    simultaneous rounds, a late, better-ranked, larger proposer could evict several smaller
    needs and leave room for one rejected earlier).
    """
    # Each need's list: its pairs by descending score, ties by premises_id.
    order = np.lexsort((problem.premises_id, -problem.score, problem.need_id)).tolist()
    last = np.zeros(problem.n_pairs, dtype=bool)
    if problem.n_pairs:
        codes = problem.need_code[order]
        last[:-1] = codes[1:] != codes[:-1]
        last[-1] = True
    where = np.empty(problem.n_pairs, dtype=np.int64)
    where[order] = np.arange(problem.n_pairs)
    heap = [_proposal(problem, order, k) for k in _firsts(last)]
    heapq.heapify(heap)
    held: dict[int, list[int]] = {}
    while heap:
        k = heapq.heappop(heap)[-1]
        pos = int(problem.prem_pos[order[k]])
        held[pos], rejected = _admit(problem, pos, [*held.get(pos, []), order[k]])
        for r in rejected:
            k_r = int(where[r])
            if not last[k_r]:
                heapq.heappush(heap, _proposal(problem, order, k_r + 1))
    chosen = np.zeros(problem.n_pairs, dtype=bool)
    chosen[[i for kept in held.values() for i in kept]] = True
    return chosen


def _firsts(last: BoolArray) -> list[int]:
    """Positions where each need's list starts."""
    return [0, *(np.flatnonzero(last[:-1]) + 1).tolist()] if len(last) else []


def _proposal(problem: Problem, order: list[int], k: int) -> tuple[float, int, int, int]:
    i = order[k]
    return (-float(problem.score[i]), int(problem.need_id[i]), int(problem.premises_id[i]), k)


def blocking(problem: Problem, chosen: BoolArray) -> pd.DataFrame:
    """Pairs whose need prefers the premises and whose premises would admit the need.

    A premises admits need n when n fits with the occupants it ranks above n (higher score,
    ties to the lower need_id): those below would make room.
    """
    p = problem
    # Rank every pair in its premises' list, then count and sum the occupants before it.
    order = np.lexsort((p.need_id, -p.score, p.prem_pos))
    rank = np.empty(p.n_pairs, dtype=np.int64)
    rank[order] = np.arange(p.n_pairs)
    held = order[chosen[order]]
    before = np.searchsorted(rank[held], rank)
    start = np.searchsorted(p.prem_pos[held], p.prem_pos)
    area = np.concatenate([[0.0], np.cumsum(p.take[held])])
    above = area[before] - area[start]
    limit = p.limit[p.prem_pos] * (1 + AREA_RTOL)
    admits = (before - start < p.slots[p.prem_pos]) & (above + p.take <= limit)
    # Each need's current pair: unserved needs prefer any candidate.
    current_score = np.full(p.n_needs, -np.inf)
    current_premises = np.full(p.n_needs, np.iinfo(np.int64).max)
    current_score[p.need_code[chosen]] = p.score[chosen]
    current_premises[p.need_code[chosen]] = p.premises_id[chosen]
    mine, theirs = current_score[p.need_code], current_premises[p.need_code]
    prefers = (p.score > mine) | ((p.score == mine) & (p.premises_id < theirs))
    found = ~chosen & prefers & admits
    return pd.DataFrame(
        {"need_id": p.need_id[found], "premises_id": p.premises_id[found], "score": p.score[found]}
    )
