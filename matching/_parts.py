"""Independent parts of an allocation problem (private to :mod:`matching.allocation`).

Needs and premises that share no pair, even through others, never compete: the connected
components of the bipartite graph of pairs can be allocated one by one, and the best
allocation is the union of theirs. Small components are grouped into parts of about
``size`` pairs, a large one stays whole, so that the solver sees a few moderate models
instead of one large one (its time grows faster than the size) or thousands of tiny ones.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

from matching._stable import IntArray, Problem


def parts(problem: Problem, size: int) -> list[IntArray]:
    """The parts, as the ascending indices of their pairs (a small problem is one part)."""
    if problem.n_pairs <= size:
        return [np.arange(problem.n_pairs)]
    labels = _part_labels(problem, size)
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)


def _part_labels(problem: Problem, size: int) -> IntArray:
    """The part of each pair: 0, 1, … in the order of the pairs' first appearance."""
    n_needs = problem.n_needs
    nodes = n_needs + len(problem.premises_ids)
    # Pairs come by need: the need -> premises edges are already in CSR order.
    starts = np.searchsorted(problem.need_code, np.arange(nodes + 1))
    edges = csr_array(
        (np.ones(problem.n_pairs, dtype=np.int8), n_needs + problem.prem_pos, starts),
        shape=(nodes, nodes),
    )
    _, label = connected_components(edges, directed=True, connection="weak")
    component = label[problem.need_code]
    # Components in order of first appearance, their pairs counted.
    _, first, inverse, counts = np.unique(
        component, return_index=True, return_inverse=True, return_counts=True
    )
    order = np.argsort(first, kind="stable")
    part_of = np.empty(len(order), dtype=np.int64)
    part, filled = 0, 0
    for c in order.tolist():
        if filled and filled + counts[c] > size:
            part, filled = part + 1, 0
        part_of[c] = part
        filled += int(counts[c])
    return part_of[inverse]
