"""A candidate answer of the allocation with its bound, and the answers that need no MILP.

Private to :mod:`matching.allocation`: an integral relaxation (the optimum, at any size), the
greedy guided by the relaxation, and the repair of what a solver's tolerance let through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from matching._stable import BoolArray, FloatArray, Problem, greedy, upper_bound


@dataclass(frozen=True)
class Solution:
    chosen: BoolArray
    total: float
    bound: float

    @classmethod
    def of(cls, problem: Problem, chosen: BoolArray, bound: float) -> Solution:
        total = math.fsum(problem.score[chosen].tolist())
        return cls(chosen, total, max(bound, total))

    @property
    def gap(self) -> float:
        return (self.bound - self.total) / self.bound if self.bound > 0 else 0.0


def integral_answer(x: FloatArray, chosen: BoolArray) -> bool:
    """Whether ``chosen`` is exactly the relaxation's solution ``x``, integral."""
    return bool(np.all(np.minimum(x, 1 - x) <= 1e-9) and np.array_equal(x > 0.5, chosen))


def fast(problem: Problem, relaxed: tuple[FloatArray, float] | None) -> Solution:
    """Greedy guided by the LP relaxation, bounded by it (or best first, bounded simply).

    Pairs the relaxation takes whole come first, then by descending LP value and score: the
    relaxation is integral but for a few pairs around the multi premises whose m² bind.
    """
    if relaxed is None:
        return Solution.of(problem, greedy(problem), upper_bound(problem))
    x, bound = relaxed
    chosen = greedy(problem, problem.global_order(first=np.round(x, 6)))
    return Solution.of(problem, chosen, min(bound, upper_bound(problem)))


def integral(problem: Problem, relaxed: tuple[FloatArray, float] | None) -> Solution | None:
    """The relaxation's solution when it is integral and feasible: then it is the optimum."""
    if relaxed is None or not np.all(np.minimum(relaxed[0], 1 - relaxed[0]) <= 1e-9):
        return None
    chosen = repaired(problem, relaxed[0] > 0.5)
    return Solution.of(problem, chosen, 0.0) if integral_answer(relaxed[0], chosen) else None


def repaired(problem: Problem, solution: BoolArray) -> BoolArray:
    """Drop what a solver's feasibility tolerance let through; a feasible answer stays whole."""
    order = problem.global_order()
    return greedy(problem, order[solution[order]])
