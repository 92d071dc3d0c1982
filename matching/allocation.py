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

Large problems are cut: needs and premises sharing no pair, even through others, never
compete, so components are solved apart, in parts of about ``PART_PAIRS`` pairs. A part beyond
``ASSIGNMENT_PAIRS`` where each premises hosts one need is an assignment, solved exactly by
LAPJV; one beyond ``core_limit`` is solved on a core (each need's ``CORE_PER_NEED`` best pairs,
then those pricing in against its relaxation's duals), whose duals bound all the pairs.

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
from scipy.optimize import Bounds, LinearConstraint, milp

from matching._assignment import assignment, one_actor_each
from matching._lp import SCALE, Rows, lp_rows, priced_core, relax
from matching._parts import parts
from matching._quiet import solver_output_to_stderr
from matching._solution import Solution, fast, integral, integral_answer, repaired
from matching._stable import (
    AREA_RTOL,
    BoolArray,
    FloatArray,
    IntArray,
    Problem,
    blocking,
    deferred_acceptance,
    upper_bound,
)
from matching._validation import prepare

__all__ = [
    "AREA_RTOL",
    "Allocation",
    "allocate_optimal",
    "allocate_stable",
    "blocking_pairs",
]


ASSIGNMENT_PAIRS = 10_000
CORE_LIMIT = 500_000  # one relaxation of 225 000 pairs: 2.6 s, where a core took 7
CORE_PER_NEED = 8
PART_PAIRS = 20_000


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
        "milp", "assignment" (exact too), "greedy" or "deferred_acceptance".
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
    core_limit: int = CORE_LIMIT,
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
        Largest part solved exactly by MILP; above it, greedy with a bound.
    time_limit : float, optional
        Seconds granted to HiGHS per part; stopped early, its best answer comes with its gap.
    core_limit : int
        Above this many pairs, a part is solved on a priced core of them (see above).

    Returns
    -------
    Allocation
        ``method`` is "milp" (``gap`` 0 when proven optimal), "assignment" or "greedy".

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
    limits = (exact_limit, time_limit, core_limit)
    with solver_output_to_stderr():  # HiGHS may printf; stdout may carry a caller's JSON
        solved = [
            (part, *_solve_part(problem, part, *limits)) for part in parts(problem, PART_PAIRS)
        ]
    chosen = np.zeros(problem.n_pairs, dtype=bool)
    for part, picked, _, _ in solved:
        chosen[part] = picked
    method = max((m for *_, m in solved), key=("assignment", "milp", "greedy").index)
    return _assemble(problem, chosen, all_needs, method, math.fsum(s[2] for s in solved))


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


def _solve(
    problem: Problem,
    rows: Rows | None,
    relaxed: tuple[FloatArray, float] | None,
    exact_limit: int,
    time_limit: float | None,
) -> tuple[Solution, str]:
    """The exact answer when it is within reach and proven, else the better of HiGHS's and
    the guided greedy's, with the tighter bound."""
    # An integral relaxation is the optimum at any size; HiGHS's MILP only within exact_limit.
    exact = integral(problem, relaxed)
    if exact is None and problem.n_pairs <= exact_limit:
        exact = _exact(problem, rows, relaxed, time_limit)
    if exact is not None and exact.gap == 0.0:
        return exact, "milp"
    guided = fast(problem, relaxed)
    if exact is not None and exact.total >= guided.total:  # HiGHS stopped early, still better
        return replace(exact, bound=min(exact.bound, guided.bound)), "milp"
    bound = guided.bound if exact is None else min(exact.bound, guided.bound)
    return replace(guided, bound=bound), "greedy"


def _solve_part(
    problem: Problem, part: IntArray, exact_limit: int, time_limit: float | None, core_limit: int
) -> tuple[BoolArray, float, str]:
    """The pairs chosen among the part's (indices of pairs), their bound, the method."""
    if len(part) > ASSIGNMENT_PAIRS and one_actor_each(problem, part):  # exact, and in place
        picked = assignment(problem, part)
        return picked, math.fsum(problem.score[part][picked].tolist()), "assignment"
    sub = problem if len(part) == problem.n_pairs else problem.subset(part)
    if len(part) > core_limit:
        solution, method = _by_core(sub, exact_limit, time_limit)
    else:
        rows = lp_rows(sub)
        solution, method = _solve(sub, rows, _relaxation(sub, rows), exact_limit, time_limit)
    return solution.chosen, solution.total if solution.gap == 0.0 else solution.bound, method


def _by_core(problem: Problem, exact_limit: int, time_limit: float | None) -> tuple[Solution, str]:
    """Solve on the core: feasible for every pair, optimal if the core's relaxation is whole."""
    core, relaxed, bound, converged = priced_core(problem, CORE_PER_NEED)
    rows, lp = (relaxed[0], (relaxed[1].x, relaxed[1].bound)) if relaxed else (None, None)
    solution, method = _solve(problem.subset(core), rows, lp, exact_limit, time_limit)
    chosen = np.zeros(problem.n_pairs, dtype=bool)
    chosen[np.flatnonzero(core)[solution.chosen]] = True
    # Converged pricing proves the relaxation's optimum over every pair, not the integer one:
    # only an answer that is that relaxation's own (integral) solution is proven optimal.
    proven = converged and lp is not None and integral_answer(lp[0], solution.chosen)
    return Solution.of(problem, chosen, 0.0 if proven else bound), method


def _relaxation(problem: Problem, rows: Rows | None) -> tuple[FloatArray, float] | None:
    """The LP relaxation's solution, and the upper bound its duals prove (None: failed)."""
    relaxed = relax(problem, rows)
    if relaxed is None:
        return None
    return relaxed.x, upper_bound(problem) if rows is None else relaxed.bound


def _exact(
    problem: Problem,
    rows: Rows | None,
    relaxed: tuple[FloatArray, float] | None,
    time_limit: float | None,
) -> Solution | None:
    """The relaxation's optimum if integral, else HiGHS's MILP answer (None: no answer)."""
    if problem.n_pairs == 0:
        return Solution.of(problem, np.zeros(0, dtype=bool), 0.0)
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = milp(
        -problem.score * SCALE,
        integrality=np.ones(problem.n_pairs),
        bounds=Bounds(0.0, problem.usable.astype(np.float64)),
        constraints=None if rows is None else LinearConstraint(rows.matrix, -np.inf, rows.upper),
        options=options,
    )
    if result.x is None:  # HiGHS stopped without an answer
        return None
    solution = np.asarray(result.x) > 0.5
    chosen = repaired(problem, solution)
    if result.status == 0 and np.array_equal(chosen, solution):
        return Solution.of(problem, chosen, 0.0)
    dual = -float(result.mip_dual_bound) / SCALE
    bound = upper_bound(problem) if math.isnan(dual) else min(dual, upper_bound(problem))
    return Solution.of(problem, chosen, bound)


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
