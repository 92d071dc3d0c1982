"""The allocation's linear relaxation: its rows, its solution and duals, and pricing.

Private to :mod:`matching.allocation`. Rows say ``A x <= ub``: each need at most once, each
premises at most its slots, each multi premises at most its m². The duals ``y >= 0`` of any
relaxation price every pair: its reduced cost is ``score - A^T y``, and ``ub . y`` plus the
positive reduced costs bounds the best total score, whatever pairs the relaxation was solved
on (weak duality), so that a relaxation solved on a core of the pairs bounds them all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

from matching._stable import AREA_RTOL, BoolArray, FloatArray, IntArray, Problem, simple_bound

# HiGHS stops within an absolute gap of 1e-6 on the objective it sees; scaling the scores
# makes the optimum exact to about 1e-12 in score units.
SCALE = 1e6
PRICING_ROUNDS = 6
PRICE_TOL = 1e-9  # reduced costs below this are the solver's tolerance, not a better pair
PRICE_GAP = 1e-6  # pricing stops when the pairs left out could add less than this share


@dataclass(frozen=True)
class Rows:
    """Sparse rows over a problem's pairs, and the group each row stands for."""

    matrix: csr_array
    upper: FloatArray
    needs: IntArray  # need code of each need row
    slots: IntArray  # premises position of each slot row
    areas: IntArray  # premises position of each m² row


@dataclass(frozen=True)
class Relaxed:
    x: FloatArray
    duals: FloatArray  # one per row, >= 0, in score units
    bound: float


def shares(problem: Problem) -> FloatArray:
    """Each pair's share of its multi premises' m² (0 for a one-actor premises)."""
    finite = np.isfinite(problem.limit)
    limit = np.where(finite, problem.limit, 1.0)[problem.prem_pos]
    return np.where(finite[problem.prem_pos], problem.take / limit, 0.0)


def lp_rows(problem: Problem, *, every: bool = False) -> Rows | None:
    """The rows; without ``every``, those that cannot bind are left out to keep the model
    small (a need with one candidate, a premises with no more candidates than slots, or less
    candidate area than it has). Pricing pairs left out of ``problem`` needs ``every``."""
    n_premises, usable = len(problem.premises_ids), problem.usable
    ones = np.ones(problem.n_pairs)
    per_need = np.bincount(problem.need_code, minlength=problem.n_needs)
    per_premises = np.bincount(problem.prem_pos[usable], minlength=n_premises)
    area = np.bincount(problem.prem_pos, weights=problem.take * usable, minlength=n_premises)
    finite = np.isfinite(problem.limit)
    present = per_premises > 0
    blocks = [
        _block(problem.need_code, ones, np.ones(problem.n_needs), per_need > (0 if every else 1)),
        _block(
            problem.prem_pos,
            ones,
            problem.slots.astype(np.float64),
            present if every else per_premises > problem.slots,
        ),
        _block(
            problem.prem_pos,
            shares(problem),
            np.full(n_premises, 1 + AREA_RTOL),
            finite & (present if every else area > problem.limit * (1 + AREA_RTOL)),
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
    groups = [b[4] for b in blocks]
    return Rows(matrix, np.concatenate([b[3] for b in blocks]), *groups)


def _block(
    groups: IntArray, coeffs: FloatArray, upper: FloatArray, needed: BoolArray
) -> tuple[IntArray, IntArray, FloatArray, FloatArray, IntArray]:
    """Rows ``sum(coeffs * x over a group) <= upper`` for the needed groups (row, col, data,
    ub, group of each row)."""
    selected = needed[groups]
    row_of_group = np.cumsum(needed) - 1
    return (
        row_of_group[groups[selected]].astype(np.int64),
        np.flatnonzero(selected).astype(np.int64),
        coeffs[selected],
        upper[needed],
        np.flatnonzero(needed).astype(np.int64),
    )


def relax(problem: Problem, rows: Rows | None) -> Relaxed | None:
    """The relaxation by dual simplex, with its duals and the bound they prove (None: failed).

    The bound is rebuilt from the duals, so it holds whatever the solver's tolerances.
    """
    if problem.n_pairs == 0:
        return None
    result = linprog(
        -problem.score * SCALE,
        A_ub=None if rows is None else rows.matrix,
        b_ub=None if rows is None else rows.upper,
        bounds=np.column_stack([np.zeros(problem.n_pairs), problem.usable]),
        method="highs-ds",
    )
    if result.status != 0:
        return None
    x = np.asarray(result.x, dtype=np.float64)
    if rows is None:
        return Relaxed(x, np.zeros(0), math.inf)
    duals = np.maximum(-np.asarray(result.ineqlin.marginals, dtype=np.float64), 0.0) / SCALE
    return Relaxed(x, duals, dual_bound(problem, rows, duals))


def reduced_costs(problem: Problem, rows: Rows, duals: FloatArray) -> FloatArray:
    """``score - A^T y`` for every pair of ``problem``, with rows and duals solved on it or on
    a part of it (same need codes and premises positions)."""
    n_needs, n_premises = len(rows.needs), len(rows.slots)
    by_need = np.zeros(max(problem.n_needs, 1))
    by_need[rows.needs] = duals[:n_needs]
    by_slot = np.zeros(len(problem.premises_ids))
    by_slot[rows.slots] = duals[n_needs : n_needs + n_premises]
    by_area = np.zeros(len(problem.premises_ids))
    by_area[rows.areas] = duals[n_needs + n_premises :]
    prem = problem.prem_pos
    price = by_need[problem.need_code] + by_slot[prem] + by_area[prem] * shares(problem)
    return np.asarray(problem.score - price, dtype=np.float64)


def dual_bound(problem: Problem, rows: Rows, duals: FloatArray) -> float:
    """``ub . y`` plus the positive reduced costs of the usable pairs of ``problem``."""
    reduced = np.maximum(reduced_costs(problem, rows, duals), 0.0) * problem.usable
    return float(rows.upper @ duals) + math.fsum(reduced.tolist())


def priced_core(
    problem: Problem, per_need: int
) -> tuple[BoolArray, tuple[Rows, Relaxed] | None, float, bool]:
    """Each need's best pairs, then, round after round, the pairs whose reduced cost against
    the core relaxation's duals is positive (each need's ``per_need`` highest at most, so that
    the core stays small), until none is (the core's relaxation is then the whole one), or
    they add up to less than ``PRICE_GAP`` of it, or ``PRICING_ROUNDS`` have passed.

    Returns the core, its rows and relaxation (None: failed), a bound over every pair (the
    duals' one, which holds whether pricing converged or not, or each need's best score
    summed when that is lower) and whether pricing converged.
    """
    core = problem.best_per_need(per_need)
    for round_ in range(1, PRICING_ROUNDS + 1):
        sub = problem.subset(core)
        rows = lp_rows(sub, every=True)
        relaxed = relax(sub, rows)
        if rows is None or relaxed is None:
            return core, None, simple_bound(problem), False
        reduced = reduced_costs(problem, rows, relaxed.duals)
        entering = ~core & problem.usable & (reduced > PRICE_TOL)
        converged = not entering.any()
        # Degenerate relaxations tail off (a few pairs priced in per round, ever so slightly):
        # stop once what they could add is negligible, the bound telling how little.
        negligible = _positive_sum(reduced * entering) <= PRICE_GAP * relaxed.bound
        if converged or negligible or round_ == PRICING_ROUNDS:
            bound = float(rows.upper @ relaxed.duals) + _positive_sum(reduced * problem.usable)
            return (
                core,
                (rows, relaxed),
                bound if converged else min(bound, simple_bound(problem)),
                converged,
            )
        core |= entering & problem.best_per_need(per_need, np.where(entering, reduced, -1.0))
    raise AssertionError("PRICING_ROUNDS must be at least 1")


def _positive_sum(values: FloatArray) -> float:
    """The sum of the positive values, never under the exact one (a bound is made of it)."""
    positive = values[values > 0]
    if len(positive) < 1_000_000:
        return math.fsum(positive.tolist())
    return float(np.sum(positive)) * (1 + 1e-9)  # pairwise summation errs far less
