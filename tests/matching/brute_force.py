"""Independent answers the allocation is checked against: every assignment enumerated."""

from __future__ import annotations

import math

import pytest

from matching.allocation import AREA_RTOL, Allocation
from tests.factories import Instance, Pair, Spec


def fits(spec: Spec, count: int, area: float, take: float) -> bool:
    if not spec.multi:
        return count == 0
    return count < spec.places and area + take <= spec.capacity_m2 * (1 + AREA_RTOL)


def held(result: Allocation) -> list[Pair]:
    return [Pair(*row) for row in result.assignments.itertuples(index=False, name=None)]


def brute_force_optimum(instance: Instance) -> float:
    """Enumerate every assignment (each need: nothing, or one of its premises)."""
    options: dict[int, list[Pair]] = {}
    for pair in instance.rows:
        options.setdefault(pair.need_id, []).append(pair)
    needs = list(options)
    count = dict.fromkeys(instance.specs, 0)
    area = dict.fromkeys(instance.specs, 0.0)
    best = 0.0

    def explore(k: int, total: float) -> None:
        nonlocal best
        if k == len(needs):
            best = max(best, total)
            return
        explore(k + 1, total)
        for _, p, score, take in options[needs[k]]:
            if fits(instance.specs[p], count[p], area[p], take):
                count[p], area[p] = count[p] + 1, area[p] + take
                explore(k + 1, total + score)
                count[p], area[p] = count[p] - 1, area[p] - take

    explore(0, 0.0)
    return best


def brute_force_blocking(instance: Instance, result: Allocation) -> set[tuple[int, int]]:
    """Pairs whose need prefers the premises, which would admit it above its lower occupants."""
    occupants = held(result)
    current = {a.need_id: a for a in occupants}
    found = set()
    for n, p, s, take in instance.rows:
        mine = current.get(n)
        if mine is not None and (
            mine.premises_id == p or (s, -p) < (mine.score, -mine.premises_id)
        ):
            continue
        above = [a for a in occupants if a.premises_id == p and (a.score, -a.need_id) > (s, -n)]
        if fits(instance.specs[p], len(above), sum(a.take_m2 for a in above), take):
            found.add((n, p))
    return found


def assert_feasible(instance: Instance, result: Allocation) -> None:
    given = {(r.need_id, r.premises_id): r for r in instance.rows}
    occupants = held(result)
    hosted: dict[int, list[float]] = {p: [] for p in instance.specs}
    for a in occupants:
        assert a == given[a.need_id, a.premises_id]
        hosted[a.premises_id].append(a.take_m2)
    served = [a.need_id for a in occupants]
    assert len(served) == len(set(served))
    for p, spec in instance.specs.items():
        assert len(hosted[p]) <= (spec.places if spec.multi else 1)
        assert not spec.multi or sum(hosted[p]) <= spec.capacity_m2 * (1 + AREA_RTOL)
    assert result.total_score == pytest.approx(math.fsum(a.score for a in occupants), abs=1e-12)
    needs = set(instance.needs) | {r.need_id for r in instance.rows}
    assert result.unserved_needs == sorted(needs - set(served))
    assert result.unused_premises == sorted(p for p, areas in hosted.items() if not areas)
    assert 0.0 <= result.gap <= 1.0
    assert result.bound >= result.total_score
