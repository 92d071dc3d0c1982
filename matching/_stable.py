"""The allocation problem as arrays, and its combinatorial side.

Private to :mod:`matching.allocation`: the problem (validated by ``matching._validation``), the
premises' admission rule, the greedy allocation, need-proposing deferred acceptance, blocking
pairs and simple bounds.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, replace
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
        order: IntArray | None = None,
    ) -> Problem:
        """Arrays from validated columns; the canonical order (``order``, sorting the pairs by
        need then premises, when already known) makes results row-order free."""
        order = _pair_order(need_id, premises_id) if order is None else order
        by_id = np.argsort(ids, kind="stable")
        premises_ids = ids[by_id].astype(np.int64)
        need = need_id[order].astype(np.int64)
        prem = premises_id[order].astype(np.int64)
        new_need = np.ones(len(need), dtype=bool)
        new_need[1:] = need[1:] != need[:-1]
        return cls(
            need_id=need,
            premises_id=prem,
            score=score[order],
            take=take[order],
            need_code=(np.cumsum(new_need) - 1).astype(np.int64),  # need_id sorted: its rank
            prem_pos=lookup(premises_ids, prem),
            premises_ids=premises_ids,
            slots=np.where(multi[by_id], places[by_id], 1).astype(np.int64),
            limit=np.where(multi[by_id], capacity[by_id], np.inf),
        )

    def subset(self, mask: BoolArray | IntArray) -> Problem:
        """The pairs of ``mask`` (or indices); need codes and premises stay the same."""
        return replace(
            self,
            need_id=self.need_id[mask],
            premises_id=self.premises_id[mask],
            score=self.score[mask],
            take=self.take[mask],
            need_code=self.need_code[mask],
            prem_pos=self.prem_pos[mask],
        )

    def best_per_need(self, k: int, by: FloatArray | None = None) -> BoolArray:
        """Each need's ``k`` pairs of highest ``by`` (default: score), a value in [0, 1] (ties:
        lower premises_id, up to 1e-10)."""
        value = self.score if by is None else by
        order = np.argsort(self.need_code * 2.0 - value, kind="stable")  # needs in turn
        codes = self.need_code[order]
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        rank = np.arange(self.n_pairs) - np.repeat(starts, np.diff(np.r_[starts, self.n_pairs]))
        best = np.zeros(self.n_pairs, dtype=bool)
        best[order[rank < k]] = True
        return best

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


def _whole(values: FloatArray) -> BoolArray:
    return np.asarray(np.isfinite(values) & (values == np.round(values)))


def lookup(known: npt.NDArray[Any], values: npt.NDArray[Any]) -> IntArray:
    """The position of each value in ``known`` (sorted, distinct), -1 where absent.

    Whole ids in a compact range go through a table: binary searches over millions of values
    are an order of magnitude slower.
    """
    found = np.full(len(values), -1, dtype=np.int64)
    if not len(known):
        return found
    low, high = known[0], known[-1]
    if _whole(known).all() and high - low < 4 * len(known) + 1_000_000:
        table = np.full(int(high - low) + 1, -1, dtype=np.int64)
        table[(known - low).astype(np.int64)] = np.arange(len(known))
        if (
            values.dtype.kind == "i"
            and values.min(initial=low) >= low
            and values.max(initial=low) <= high
        ):
            return np.asarray(table[values - int(low)])  # integers in range: no mask to copy
        inside = _whole(values) & (values >= low) & (values <= high)
        found[inside] = table[(values[inside] - low).astype(np.int64)]
        return found
    where = np.minimum(np.searchsorted(known, values), len(known) - 1)
    return np.where(known[where] == values, where, found)


def _pair_order(need: FloatArray, prem: FloatArray) -> IntArray:
    """Indices sorting pairs by need then premises, stably: one integer key when the ids fit
    (lexsort is an order of magnitude slower on millions of pairs)."""
    if len(need) and _whole(need).all() and _whole(prem).all():
        low, span = prem.min(), prem.max() - prem.min() + 1
        if (need.max() - need.min() + 1) * span < 2.0**62:
            key = need.astype(np.int64)
            key -= int(need.min())
            key *= int(span)
            key += prem.astype(np.int64)
            key -= int(low)
            return np.argsort(key, kind="stable").astype(np.int64)
    return np.lexsort((prem, need)).astype(np.int64)


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


def simple_bound(problem: Problem) -> float:
    """Each need's best score, summed: a bound that needs no sort."""
    best = np.zeros(problem.n_needs)
    np.maximum.at(best, problem.need_code, np.where(problem.usable, problem.score, 0.0))
    return math.fsum(best.tolist())


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
