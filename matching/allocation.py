"""Allocation of premises to needs across everything open: optimal, or stable.

``pairs`` (need_id, premises_id, score in [0, 1], take_m2 > 0: the floor area the need would
occupy there) holds only pairs that passed the hard constraints. ``premises`` (premises_id,
capacity_m2 > 0, places ≥ 1, multi) says whom a premises hosts: one need when ``multi`` is
False, else at most ``places`` needs whose take_m2 add up to at most capacity_m2 (with a
relative slack of ``AREA_RTOL`` = 1e-9, so that lots of capacity / places fit together).

:func:`allocate_optimal` maximises the total score, exactly up to ``exact_limit`` pairs. Its LP
relaxation (HiGHS dual simplex) comes first: where no m² row binds, the rows are those of a
bipartite b-matching, totally unimodular, and the relaxation is integral, hence optimal (2 s at
200 000 pairs). Otherwise ``scipy.optimize.milp`` (HiGHS, sparse rows) solves it, slowly once
m² bind: on 2 cores, synthetic Métropole-wide instances (10 candidates per need, 40 % shared
premises with binding m²) took 9 s at 20 000 pairs, 1 min at 50 000, 2 min at 100 000 and
15 min at 200 000, the model staying under 1 GB. Hence the default limit of 50 000 (about a
minute at worst): the time grows faster than the size (× 7 from 100 000 to 200 000), and the
fallback stays within about 1 % of the optimum with a proven bound. Real runs of a few
thousand needs stay far below the limit. An interactive caller passes ``time_limit``; the
better of HiGHS's answer and the fallback wins.

The fallback, beyond the limit or when HiGHS stops unproven, is greedy guided by the
relaxation (pairs it takes whole first, then by LP value, then by score): 0.4-0.6 % under the
optimum on those instances, in about a second per 100 000 pairs plus the LP (12 s at a million
pairs). Its ``bound`` is rebuilt from the relaxation's duals, so that it holds whatever the
solver's tolerances; without a relaxation, it is the smaller of "each need's best score" and
"each premises' ``places`` best scores" summed.

:func:`allocate_stable` runs need-proposing deferred acceptance; :func:`blocking_pairs` checks
stability: need n and premises p block an allocation when n prefers p to what it got (higher
score, ties to the lower premises_id; an unserved need prefers any candidate) and p would admit
n beside the occupants it ranks above n (higher score, ties to the lower need_id).

Determinism: pairs are put in canonical order (need_id, premises_id) first, so that row order
does not matter. Greedy and deferred acceptance break ties by need_id then premises_id. The
MILP's scores are not perturbed, since a tie-break perturbation would have to exceed HiGHS's
tolerances and would then move the optimum by more than the 1e-9 promised; among equally
optimal allocations HiGHS, being deterministic, returns the same one for the same canonical
model. Only a ``time_limit`` reached makes the result depend on the machine.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_array

from matching._stable import (
    AREA_RTOL,
    BoolArray,
    FloatArray,
    IntArray,
    Problem,
    blocking,
    deferred_acceptance,
    greedy,
    prepare,
    upper_bound,
)

__all__ = [
    "AREA_RTOL",
    "Allocation",
    "allocate_optimal",
    "allocate_stable",
    "blocking_pairs",
]

# HiGHS stops within an absolute gap of 1e-6 on the objective it sees; scaling the scores
# makes the optimum exact to about 1e-12 in score units.
_SCALE = 1e6


@dataclass(frozen=True, eq=False)  # eq=False: frames have no truth value to compare by
class Allocation:
    """An allocation, with what it leaves out and how far from the optimum it may be.

    Attributes
    ----------
    assignments : DataFrame
        need_id, premises_id, score, area_m2 (the pair's take_m2), by need_id.
    total_score : float
        Sum of the assigned scores.
    unserved_needs, unused_premises : list of int
        Needs (of the pairs or listed as open) with no premises; premises with no need.
    method : str
        "milp", "greedy" or "deferred_acceptance".
    bound, gap : float
        An upper bound on the best total score, and ``(bound - total_score) / bound``.
    blocking : DataFrame or None
        Pairs blocking the allocation (need_id, premises_id, score); None when not computed.
    """

    assignments: pd.DataFrame
    total_score: float
    unserved_needs: list[int]
    unused_premises: list[int]
    method: str
    bound: float
    gap: float
    blocking: pd.DataFrame | None = None


def allocate_optimal(
    pairs: pd.DataFrame,
    premises: pd.DataFrame,
    *,
    needs: Iterable[int] | None = None,
    exact_limit: int = 50_000,
    time_limit: float | None = None,
) -> Allocation:
    """Allocate premises to needs so as to maximise the total score.

    Parameters
    ----------
    pairs : DataFrame
        need_id, premises_id, score, take_m2: the pairs that passed the hard constraints.
    premises : DataFrame
        premises_id, capacity_m2, places, multi.
    needs : iterable of int, optional
        Every open need, so that needs without a candidate are reported unserved too.
    exact_limit : int
        Largest number of pairs solved exactly by MILP; above it, greedy with a bound.
    time_limit : float, optional
        Seconds granted to HiGHS; when it stops early, its best answer comes with its gap.

    Returns
    -------
    Allocation
        ``method`` is "milp" (``gap`` 0 when proven optimal) or "greedy".

    Examples
    --------
    >>> pairs = pd.DataFrame({"need_id": [1, 2, 2], "premises_id": [10, 10, 11],
    ...                       "score": [0.9, 0.8, 0.5], "take_m2": [50.0, 60.0, 60.0]})
    >>> premises = pd.DataFrame({"premises_id": [10, 11], "capacity_m2": [80.0, 70.0],
    ...                          "places": [1, 1], "multi": [False, False]})
    >>> result = allocate_optimal(pairs, premises)
    >>> result.assignments[["need_id", "premises_id"]].values.tolist(), result.total_score
    ([[1, 10], [2, 11]], 1.4)
    """
    problem, all_needs = prepare(pairs, premises, needs)
    rows = _rows(problem)
    relaxed = _relaxation(problem, rows)
    exact = _exact(problem, rows, relaxed, time_limit) if problem.n_pairs <= exact_limit else None
    if exact is not None and exact.gap == 0.0:
        return _assemble(problem, exact.chosen, all_needs, "milp", exact.bound)
    fast = _fast(problem, relaxed)
    if exact is not None and exact.total >= fast.total:  # HiGHS stopped early, still better
        return _assemble(problem, exact.chosen, all_needs, "milp", min(exact.bound, fast.bound))
    bound = fast.bound if exact is None else min(exact.bound, fast.bound)
    return _assemble(problem, fast.chosen, all_needs, "greedy", bound)


def allocate_stable(
    pairs: pd.DataFrame,
    premises: pd.DataFrame,
    *,
    needs: Iterable[int] | None = None,
) -> Allocation:
    """Allocate by need-proposing deferred acceptance, with its blocking pairs.

    Needs rank premises by score (ties: lower premises_id), premises rank needs by score (ties:
    lower need_id). A premises keeps its proposers best first as long as its places and, for a
    multi premises, its m² allow, skipping one that does not fit for a smaller one ranked
    below. Proposals go one at a time, the highest-scored first: as both sides rank by the
    same score, no premises ever drops a need it holds, and the result has no blocking pair
    even when m² bind (it is the greedy allocation by descending score).

    Parameters
    ----------
    pairs, premises, needs
        As for :func:`allocate_optimal`.

    Returns
    -------
    Allocation
        ``method`` is "deferred_acceptance"; ``bound`` is the simple one (best scores per need
        or per premises), and ``blocking`` is filled.

    Examples
    --------
    >>> pairs = pd.DataFrame({"need_id": [1, 2], "premises_id": [10, 10],
    ...                       "score": [0.6, 0.7], "take_m2": [50.0, 60.0]})
    >>> premises = pd.DataFrame({"premises_id": [10, 11], "capacity_m2": [80.0, 70.0],
    ...                          "places": [1, 1], "multi": [False, False]})
    >>> result = allocate_stable(pairs, premises, needs=[1, 2, 3])
    >>> result.assignments["need_id"].tolist(), result.unserved_needs, result.unused_premises
    ([2], [1, 3], [11])
    >>> len(result.blocking)
    0
    """
    problem, all_needs = prepare(pairs, premises, needs)
    chosen = deferred_acceptance(problem)
    allocation = _assemble(problem, chosen, all_needs, "deferred_acceptance", upper_bound(problem))
    return replace(allocation, blocking=blocking(problem, chosen))


def blocking_pairs(
    pairs: pd.DataFrame, premises: pd.DataFrame, allocation: Allocation
) -> pd.DataFrame:
    """List every pair that blocks ``allocation``: empty exactly when it is stable.

    Parameters
    ----------
    pairs, premises
        The frames the allocation was computed from.
    allocation : Allocation
        Any allocation of those pairs, e.g. an optimal one.

    Returns
    -------
    DataFrame
        need_id, premises_id, score of each blocking pair, by need_id then premises_id.

    Examples
    --------
    >>> pairs = pd.DataFrame({"need_id": [1, 2], "premises_id": [10, 10],
    ...                       "score": [0.6, 0.7], "take_m2": [50.0, 60.0]})
    >>> premises = pd.DataFrame({"premises_id": [10], "capacity_m2": [80.0],
    ...                          "places": [1], "multi": [False]})
    >>> worse = allocate_stable(pairs[pairs["need_id"] == 1], premises)
    >>> blocking_pairs(pairs, premises, worse).to_dict("records")
    [{'need_id': 2, 'premises_id': 10, 'score': 0.7}]
    """
    problem, _ = prepare(pairs, premises, None)
    key = pd.MultiIndex.from_arrays([problem.need_id, problem.premises_id])
    assigned = allocation.assignments
    chosen = key.isin(pd.MultiIndex.from_frame(assigned[["need_id", "premises_id"]]))
    return blocking(problem, np.asarray(chosen, dtype=bool))


# --- computing -------------------------------------------------------------------------------


Rows = tuple[csr_array, FloatArray] | None


@dataclass(frozen=True)
class _Solution:
    chosen: BoolArray
    total: float
    bound: float

    @classmethod
    def of(cls, problem: Problem, chosen: BoolArray, bound: float) -> _Solution:
        total = math.fsum(problem.score[chosen].tolist())
        return cls(chosen, total, max(bound, total))

    @property
    def gap(self) -> float:
        return (self.bound - self.total) / self.bound if self.bound > 0 else 0.0


def _fast(problem: Problem, relaxed: tuple[FloatArray, float] | None) -> _Solution:
    """Greedy guided by the LP relaxation, bounded by it (or best first, bounded simply).

    Pairs the relaxation takes whole come first, then by descending LP value and score: the
    relaxation is integral but for a few pairs around the multi premises whose m² bind.
    """
    if relaxed is None:
        return _Solution.of(problem, greedy(problem), upper_bound(problem))
    x, bound = relaxed
    chosen = greedy(problem, problem.global_order(first=np.round(x, 6)))
    return _Solution.of(problem, chosen, min(bound, upper_bound(problem)))


def _rows(problem: Problem) -> Rows:
    """Sparse rows ``A x <= ub``: each need once, each premises' slots and multi m².

    Rows that cannot bind (a need with one candidate, a premises with no more candidates than
    slots, or less candidate area than it has) are left out to keep the model small.
    """
    n_premises, usable = len(problem.premises_ids), problem.usable
    ones = np.ones(problem.n_pairs)
    per_need = np.bincount(problem.need_code, minlength=problem.n_needs)
    per_premises = np.bincount(problem.prem_pos[usable], minlength=n_premises)
    area = np.bincount(problem.prem_pos, weights=problem.take * usable, minlength=n_premises)
    finite = np.isfinite(problem.limit)
    shares = problem.take / np.where(finite, problem.limit, 1.0)[problem.prem_pos]
    blocks = [
        _block(problem.need_code, ones, np.ones(problem.n_needs), per_need > 1),
        _block(
            problem.prem_pos, ones, problem.slots.astype(np.float64), per_premises > problem.slots
        ),
        _block(
            problem.prem_pos,
            shares,
            np.full(n_premises, 1 + AREA_RTOL),
            finite & (area > problem.limit * (1 + AREA_RTOL)),
        ),
    ]
    offsets = np.cumsum([0] + [len(b[3]) for b in blocks])
    if offsets[-1] == 0:
        return None
    rows = np.concatenate([b[0] + offset for b, offset in zip(blocks, offsets, strict=False)])
    matrix = csr_array(
        (np.concatenate([b[2] for b in blocks]), (rows, np.concatenate([b[1] for b in blocks]))),
        shape=(int(offsets[-1]), problem.n_pairs),
    )
    return matrix, np.concatenate([b[3] for b in blocks])


def _relaxation(problem: Problem, rows: Rows) -> tuple[FloatArray, float] | None:
    """The LP relaxation by dual simplex, and the upper bound its duals prove (None: failed).

    The bound is rebuilt from the duals (b·y plus the positive reduced costs), so it holds
    whatever the solver's tolerances.
    """
    if problem.n_pairs == 0:
        return None
    matrix, upper = rows if rows is not None else (None, None)
    result = linprog(
        -problem.score * _SCALE,
        A_ub=matrix,
        b_ub=upper,
        bounds=np.column_stack([np.zeros(problem.n_pairs), problem.usable]),
        method="highs-ds",
    )
    if result.status != 0:
        return None
    if matrix is None or upper is None:
        return np.asarray(result.x, dtype=np.float64), upper_bound(problem)
    duals = np.maximum(-np.asarray(result.ineqlin.marginals, dtype=np.float64), 0.0) / _SCALE
    reduced = np.maximum(problem.score - matrix.T @ duals, 0.0) * problem.usable
    bound = float(upper @ duals) + math.fsum(reduced.tolist())
    return np.asarray(result.x, dtype=np.float64), bound


def _exact(
    problem: Problem,
    rows: Rows,
    relaxed: tuple[FloatArray, float] | None,
    time_limit: float | None,
) -> _Solution | None:
    """The relaxation's optimum if integral, else HiGHS's MILP answer (None: no answer)."""
    if problem.n_pairs == 0:
        return _Solution.of(problem, np.zeros(0, dtype=bool), 0.0)
    if relaxed is not None and np.all(np.minimum(relaxed[0], 1 - relaxed[0]) <= 1e-9):
        solution = relaxed[0] > 0.5
        chosen = _repaired(problem, solution)
        if np.array_equal(chosen, solution):  # an integral optimum of the relaxation
            return _Solution.of(problem, chosen, 0.0)
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = milp(
        -problem.score * _SCALE,
        integrality=np.ones(problem.n_pairs),
        bounds=Bounds(0.0, problem.usable.astype(np.float64)),
        constraints=None if rows is None else LinearConstraint(rows[0], -np.inf, rows[1]),
        options=options,
    )
    if result.x is None:  # HiGHS stopped without an answer
        return None
    solution = np.asarray(result.x) > 0.5
    chosen = _repaired(problem, solution)
    if result.status == 0 and np.array_equal(chosen, solution):
        return _Solution.of(problem, chosen, 0.0)
    dual = -float(result.mip_dual_bound) / _SCALE
    bound = upper_bound(problem) if math.isnan(dual) else min(dual, upper_bound(problem))
    return _Solution.of(problem, chosen, bound)


def _repaired(problem: Problem, solution: BoolArray) -> BoolArray:
    """Drop what a solver's feasibility tolerance let through; a feasible answer stays whole."""
    order = problem.global_order()
    return greedy(problem, order[solution[order]])


def _block(
    groups: IntArray, coeffs: FloatArray, upper: FloatArray, needed: BoolArray
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Rows ``sum(coeffs * x over a group) <= upper`` for the needed groups (row, col, data, ub)."""
    selected = needed[groups]
    row_of_group = np.cumsum(needed) - 1
    return (
        row_of_group[groups[selected]].astype(np.int64),
        np.flatnonzero(selected).astype(np.int64),
        coeffs[selected],
        upper[needed],
    )


# --- assembly --------------------------------------------------------------------------------


def _assemble(
    problem: Problem, chosen: BoolArray, all_needs: list[int], method: str, bound: float
) -> Allocation:
    assignments = pd.DataFrame(
        {
            "need_id": problem.need_id[chosen],
            "premises_id": problem.premises_id[chosen],
            "score": problem.score[chosen],
            "area_m2": problem.take[chosen],
        }
    )
    total = math.fsum(assignments["score"].tolist())
    bound = max(bound, total)
    served = set(assignments["need_id"].tolist())
    used = set(assignments["premises_id"].tolist())
    return Allocation(
        assignments=assignments,
        total_score=total,
        unserved_needs=[n for n in all_needs if n not in served],
        unused_premises=[int(p) for p in problem.premises_ids.tolist() if p not in used],
        method=method,
        bound=bound,
        gap=(bound - total) / bound if bound > 0 else 0.0,
    )
