"""Scored pairs ranked both ways: each need's premises, and each premises' needs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from matching.scoring import score_pairs
from matching.settings import Settings


def ranked_scores(pairs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The scores of ``pairs`` with their distance, ``rank_need`` and ``rank_premises``.

    Ranks count from 1 by descending score; ties go to the lower identifier, so that runs
    repeat. Rows stay in the order of ``pairs``, numbered from 0.

    Examples
    --------
    >>> from matching.constraints import example_pairs
    >>> far = example_pairs(premises_id=1, in_zone=False, distance_m=2000.0)
    >>> pairs = pd.concat([far, example_pairs(premises_id=2)])
    >>> ranked_scores(pairs, Settings())[["premises_id", "rank_need", "rank_premises"]].values
    array([[1, 2, 1],
           [2, 1, 1]])
    """
    table = pd.concat([pairs[["distance_m"]], score_pairs(pairs, settings)], axis=1)
    table["rank_need"] = _rank(table, "need_id", "premises_id")
    table["rank_premises"] = _rank(table, "premises_id", "need_id")
    return table.reset_index(drop=True)


def _rank(table: pd.DataFrame, group: str, tie: str) -> pd.Series:
    keys = table[group].to_numpy()
    order = np.lexsort((table[tie].to_numpy(), -table["score"].to_numpy(), keys))
    grouped = keys[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(order) else order
    first = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - first + 1
    return pd.Series(ranks, index=table.index)
