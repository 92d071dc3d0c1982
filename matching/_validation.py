"""Validation of the allocation's frames, every problem reported at once.

Private to :mod:`matching.allocation`: :func:`prepare` checks the pairs, the premises and the
open needs, then builds the :class:`~matching._stable.Problem`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from matching._stable import BoolArray, FloatArray, IntArray, Problem, _pair_order, _whole, lookup

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
    order = _pair_order(need, prem)  # sorted once: duplicates, then the problem's order
    problems = [
        *_pair_problems(need, prem, score, take, ids, order),
        *_premises_problems(ids, capacity, places, multi),
        *_listed("besoins ouverts non entiers", lambda bad: [], ~_whole(listed), listed),
    ]
    if needs is not None:
        absent = lookup(np.unique(listed), need) < 0
        where = _pair_labels(need, prem)
        problems += _listed("paires de besoins absents des besoins ouverts", where, absent)
    if problems:
        raise ValueError("; ".join(problems))
    flags = multi.to_numpy(bool)
    problem = Problem.from_arrays(need, prem, score, take, ids, capacity, places, flags, order)
    every = np.unique(np.concatenate([problem.need_id, listed]))
    return problem, [int(n) for n in every.tolist()]


def _pair_problems(
    need: FloatArray,
    prem: FloatArray,
    score: FloatArray,
    take: FloatArray,
    ids: FloatArray,
    order: IntArray,
) -> list[str]:
    where = _pair_labels(need, prem)
    return [
        *_listed("identifiants de besoin non entiers", where, ~_whole(need)),
        *_listed("identifiants de local non entiers", where, ~_whole(prem)),
        *_listed("scores hors de [0, 1]", where, ~((score >= 0) & (score <= 1)), score),
        *_listed("take_m2 non positif ou non fini", where, ~_positive(take), take),
        *_listed("paires en double", where, _repeated(need, prem, order)),
        *_listed("paires vers des locaux inconnus", where, ~_known(prem, ids)),
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


def _positive(values: FloatArray) -> BoolArray:
    return np.asarray(np.isfinite(values) & (values > 0))


def _duplicated(*keys: FloatArray) -> BoolArray:
    """Rows repeating an earlier row (as ``DataFrame.duplicated``)."""
    return np.asarray(pd.DataFrame(dict(enumerate(keys))).duplicated().to_numpy(bool))


def _repeated(need: FloatArray, prem: FloatArray, order: IntArray) -> BoolArray:
    """Pairs repeating an earlier pair, ``order`` sorting them stably: repeats are adjacent."""
    repeats = np.zeros(len(order), dtype=bool)
    if len(order):
        sorted_need, sorted_prem = need[order], prem[order]
        same = (sorted_need[1:] == sorted_need[:-1]) & (sorted_prem[1:] == sorted_prem[:-1])
        repeats[order[1:][same]] = True
    return repeats


def _known(values: FloatArray, ids: FloatArray) -> BoolArray:
    """Whether each value is one of ``ids`` (as ``np.isin``)."""
    return np.asarray(lookup(np.unique(ids), values) >= 0)


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
