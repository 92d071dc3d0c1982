"""Matching runs: candidates from PostGIS, scores and allocation from the pure core, stored.

A run is computed (:func:`_compute`, reads only), kept on record (``_persist``) and shown
(``_present``). It keeps the fingerprint of its inputs, its settings, the algorithm version
and its proposals; on unchanged inputs and settings a new run gives identical results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.db import transaction
from foncier.errors import InvalidInput, NotFound
from foncier.matching._candidate_sql import MATCHABLE_PREMISES
from foncier.matching._persist import fingerprint, store_run
from foncier.matching._present import allocation_view, ranked, ref_map, refs_of
from foncier.matching.candidates import Scope, candidate_pairs
from foncier.matching.stored_settings import current_settings
from foncier.models import Besoin, Local
from foncier.vocabulary import OPEN_NEEDS, VALUE_LABELS, StatutLocal
from matching.allocation import Allocation, allocate_optimal, allocate_stable
from matching.constraints import check_constraints
from matching.explain import near_misses, why_not
from matching.pairs import allocation_inputs, capacities
from matching.ranking import ranked_scores
from matching.settings import ALGORITHM_VERSION, Settings

ALLOCATIONS = ("optimal", "stable")


@dataclass(frozen=True)
class MatchRequest:
    need_ref: str | None = None
    premises_ref: str | None = None
    top: int = 5
    allocate: str | None = None
    # A record's own page asks by id: a reference reused by another source is ambiguous.
    need_id: int | None = None
    premises_id: int | None = None


@dataclass(frozen=True)
class _Computed:
    """A run's figures, before it is stored or shown."""

    settings: Settings
    need_id: int | None
    premises_id: int | None
    pairs: pd.DataFrame
    table: pd.DataFrame  # scored and ranked (``matching.ranking``)


def run_matching(session: Session, request: MatchRequest, user: str) -> dict[str, Any]:
    """One run, stored in its own transaction; returns what the CLI and the API print."""
    _check(request)
    with transaction(session, user):
        run = _compute(session, request)
        refs = refs_of(session, run.table)
        result: dict[str, Any] = {
            "algorithm_version": ALGORITHM_VERSION,
            "fingerprint": fingerprint(run.pairs, run.settings, request),
            "settings": run.settings.as_dict(),
            "pairs": ranked(run.table, _by_premises(request), request.top, refs),
        }
        if run.need_id is not None and run.premises_id is not None and run.table.empty:
            result["why_not"] = _why_not(session, run.settings, run.need_id, run.premises_id)
        if run.need_id is not None:
            result["near_misses"] = _near_misses(session, run.settings, run.need_id)
        allocation = _allocate(session, run, request.allocate) if request.allocate else None
        if allocation is not None:
            result["allocation"] = allocation_view(session, allocation)
        result["run"] = store_run(session, user, request, result, run.table, allocation)
    return result


def top_candidates(session: Session, request: MatchRequest) -> dict[str, Any]:
    """The ranked candidates of one need or one premises, read-only (no run stored): the
    quick answer an agent asks for while on the phone."""
    _check(request)
    settings = current_settings(session)
    need_id = request.need_id or _resolve(session, Besoin, request.need_ref, "besoin")
    premises_id = request.premises_id or _resolve(session, Local, request.premises_ref, "local")
    # One relaxed query serves both: the pairs that pass every check are the strict query's
    # (tests/foncier/test_top_candidates.py), the others are the near misses' pool.
    relaxed = candidate_pairs(session, settings, _relaxed(settings, need_id, premises_id))
    passing = check_constraints(relaxed, settings)["passes"].to_numpy()
    table = ranked_scores(relaxed[passing].reset_index(drop=True), settings)
    refs = refs_of(session, table)
    # Near misses help when candidates are few; a full top K needs none.
    few = len(table) < request.top
    return {
        "algorithm_version": ALGORITHM_VERSION,
        "pairs": ranked(table, _by_premises(request), request.top, refs),
        "near_misses": _closest(session, settings, relaxed, NEAR_MISSES_SHOWN) if few else [],
    }


def _compute(session: Session, request: MatchRequest) -> _Computed:
    settings = current_settings(session)
    need_id = request.need_id or _resolve(session, Besoin, request.need_ref, "besoin")
    premises_id = request.premises_id or _resolve(session, Local, request.premises_ref, "local")
    pairs = candidate_pairs(session, settings, Scope(need_id, premises_id))
    return _Computed(settings, need_id, premises_id, pairs, ranked_scores(pairs, settings))


def _by_premises(request: MatchRequest) -> bool:
    by_premises = request.premises_ref or request.premises_id
    return bool(by_premises and not (request.need_ref or request.need_id))


def _check(request: MatchRequest) -> None:
    errors: dict[str, list[str]] = {}
    if request.top < 1:
        errors["top"] = [f"« {request.top} » : au moins 1."]
    if request.allocate not in (None, *ALLOCATIONS):
        errors["allocate"] = [f"« {request.allocate} » : valeurs permises : optimal, stable."]
    if errors:
        raise InvalidInput.from_errors(errors)


def _resolve(session: Session, model: Any, ref: str | None, label: str) -> int | None:
    if ref is None:
        return None
    ids = list(session.scalars(select(model.id).where(model.ref == ref)))
    if not ids:
        raise NotFound(f"Aucun {label} ne porte la référence « {ref} ».")
    if len(ids) > 1:
        raise InvalidInput(
            f"La référence « {ref} » désigne {len(ids)} fiches (sources différentes) : précisez-la."
        )
    return int(ids[0])


def _why_not(session: Session, settings: Settings, need_id: int, premises_id: int) -> list[str]:
    relaxed = candidate_pairs(
        session, settings, Scope(need_id, premises_id, strict=False, margin_m=1e7)
    )
    if relaxed.empty:
        return _not_in_play(session, need_id, premises_id)
    return why_not(relaxed.iloc[0], settings)


def _not_in_play(session: Session, need_id: int, premises_id: int) -> list[str]:
    """Why a pair is not even weighed, naming which record and its status: "not available,
    or not open" left the agent to guess which of the two to open."""
    premises = session.get(Local, premises_id)
    need = session.get(Besoin, need_id)
    reasons = []
    if premises is not None and premises.statut.value != StatutLocal.DISPONIBLE:
        status = VALUE_LABELS.get(premises.statut.value, premises.statut.value)
        reasons.append(f"Le local n'est pas disponible : son statut est « {status} ».")
    if premises is not None and premises.nature.value not in MATCHABLE_PREMISES:
        nature = VALUE_LABELS.get(premises.nature.value, premises.nature.value)
        reasons.append(f"Le local est un {nature} : seuls ses lots sont proposés.")
    if need is not None and need.statut.value not in OPEN_NEEDS:
        status = VALUE_LABELS.get(need.statut.value, need.statut.value)
        reasons.append(f"Le besoin n'est pas ouvert : son statut est « {status} ».")
    return reasons or ["Le local et le besoin ne peuvent pas être rapprochés."]


NEAR_MISSES_SHOWN = 10


def _near_misses(
    session: Session,
    settings: Settings,
    need_id: int | None,
    premises_id: int | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The closest pairs that fail, for one need or one premises: fewest changes first."""
    relaxed = candidate_pairs(session, settings, _relaxed(settings, need_id, premises_id))
    return _closest(session, settings, relaxed, limit)


def _relaxed(settings: Settings, need_id: int | None, premises_id: int | None) -> Scope:
    margin = getattr(settings, "near_miss_distance_m", 1000.0)
    return Scope(need_id, premises_id, strict=False, margin_m=margin)


def _closest(
    session: Session, settings: Settings, relaxed: pd.DataFrame, limit: int | None
) -> list[dict[str, Any]]:
    """The near misses among relaxed pairs, fewest changes first."""
    misses = near_misses(relaxed, settings)
    if misses.empty:
        return []
    misses = misses.assign(changes=misses["hints"].map(len))
    misses = misses.sort_values(["changes", "need_id", "premises_id"])
    if limit is not None:
        misses = misses.head(limit)
    needs = ref_map(session, Besoin, misses["need_id"])
    premises = ref_map(session, Local, misses["premises_id"])
    return [
        {
            "need_id": int(n),
            "premises_id": int(p),
            "need_ref": needs[int(n)],
            "premises_ref": premises[int(p)],
            "hints": list(h),
        }
        for n, p, h in zip(misses["need_id"], misses["premises_id"], misses["hints"], strict=True)
    ]


def why_not_pair(session: Session, need_ref: str, premises_ref: str) -> list[str]:
    """Every constraint that keeps a premises from a need, read-only ("why not this one?")."""
    settings = current_settings(session)
    need_id = _resolve(session, Besoin, need_ref, "besoin")
    premises_id = _resolve(session, Local, premises_ref, "local")
    assert need_id is not None and premises_id is not None
    return _why_not(session, settings, need_id, premises_id)


def _allocate(session: Session, run: _Computed, how: str) -> Allocation:
    """Allocate the run's pairs on the scores it already has, over every open need."""
    inputs = allocation_inputs(run.pairs, run.table["score"])
    open_needs = session.scalars(select(Besoin.id).where(Besoin.statut.in_(OPEN_NEEDS)))
    allocate = allocate_optimal if how == "optimal" else allocate_stable
    needs = sorted({*map(int, open_needs), *map(int, inputs["need_id"])})
    return allocate(inputs, capacities(run.pairs), needs=needs)
