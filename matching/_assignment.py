"""The allocation when every premises hosts one need: an assignment problem, solved exactly.

Private to :mod:`matching.allocation`, for parts of more than ``ASSIGNMENT_PAIRS`` pairs:
scipy's LAPJVsp on the sparse needs × premises scores (0.4 s at 225 000 pairs, where the
relaxation takes 3 s; 22 million pairs in 40 s, where pricing a core took ten minutes). Each
need also gets a premises of its own that scores nothing, so that leaving a need unserved is
one of the choices, and every score is offset by 1 (the solver drops explicit zeros): every
need is matched once, so the offset adds a constant.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from matching._stable import BoolArray, IntArray, Problem


def one_actor_each(problem: Problem, part: IntArray) -> bool:
    """Whether no premises of the part (indices of pairs) hosts several needs."""
    where = problem.prem_pos[part]
    return bool((problem.slots[where] == 1).all() and not np.isfinite(problem.limit[where]).any())


def assignment(problem: Problem, part: IntArray) -> BoolArray:
    """The pairs of the part (indices of pairs) that make a best assignment of it."""
    # Numbered within the part: the solver's work grows with the columns, part of them or not.
    codes = problem.need_code[part]
    need = np.zeros(len(part), dtype=np.int64)
    need[1:] = np.cumsum(codes[1:] != codes[:-1])
    present = np.zeros(len(problem.premises_ids), dtype=bool)
    present[problem.prem_pos[part]] = True
    prem = (np.cumsum(present) - 1)[problem.prem_pos[part]]
    n_needs, n_premises = int(need[-1]) + 1 if len(part) else 0, int(present.sum())
    # CSR rows by need (pairs come so): its pairs by premises, then its own premises.
    rows = np.arange(n_needs + 1)
    starts = np.searchsorted(need, rows) + rows
    at = np.arange(len(part))
    at += need
    data = np.zeros(len(part) + n_needs)
    data[at] = problem.score[part]
    data += 1.0  # every score offset by 1, own premises' 0 included
    index = np.int32 if len(part) + 2 * n_needs + n_premises < 2**31 else np.int64
    indices = np.empty(len(part) + n_needs, dtype=index)
    indices[at] = prem
    indices[starts[1:] - 1] = n_premises + rows[:-1]
    del at
    shape = (n_needs, n_premises + n_needs)
    scores = csr_array((data, indices, starts.astype(index)), shape=shape)
    needs, columns = min_weight_full_bipartite_matching(scores, maximize=True)
    taken = np.full(n_needs, -1, dtype=np.int64)
    real = columns < n_premises
    taken[needs[real]] = columns[real]
    return np.asarray(taken[need] == prem)
