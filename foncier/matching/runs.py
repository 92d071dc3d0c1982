"""Matching runs: candidates from PostGIS, scores and allocation from the pure core, stored.

A run keeps the fingerprint of its inputs, its settings, the algorithm version and its
proposals; on unchanged inputs and settings a new run gives identical results.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.db import transaction
from foncier.errors import InvalidInput, NotFound
from foncier.matching.candidates import Scope, candidate_pairs
from foncier.matching.stored_settings import current_settings
from foncier.models import Appariement, Besoin, Local, Proposition
from matching.allocation import Allocation, allocate_optimal, allocate_stable
from matching.constraints import take_m2
from matching.explain import explain, near_misses, why_not
from matching.scoring import score_pairs
from matching.settings import ALGORITHM_VERSION, Settings

ALLOCATIONS = ("optimal", "stable")
MIN_SHARED_PLACE_M2 = 10.0  # a shared space hosts at most one actor per 10 m²


@dataclass(frozen=True)
class MatchRequest:
    need_ref: str | None = None
    premises_ref: str | None = None
    top: int = 5
    allocate: str | None = None


def run_matching(session: Session, request: MatchRequest, user: str) -> dict[str, Any]:
    """One run, stored in its own transaction; returns what the CLI and the API print."""
    _check(request)
    with transaction(session, user):
        settings = current_settings(session)
        need_id = _resolve(session, Besoin, request.need_ref, "besoin")
        premises_id = _resolve(session, Local, request.premises_ref, "local")
        pairs = candidate_pairs(session, settings, Scope(need_id, premises_id))
        table = _scored(pairs, settings)
        refs = _refs(session, table)
        result: dict[str, Any] = {
            "algorithm_version": ALGORITHM_VERSION,
            "fingerprint": _fingerprint(pairs, settings, request),
            "settings": settings.as_dict(),
            "pairs": _ranked(table, request, refs),
        }
        if need_id is not None and premises_id is not None and table.empty:
            result["why_not"] = _why_not(session, settings, need_id, premises_id)
        if need_id is not None:
            result["near_misses"] = _near_misses(session, settings, need_id, refs)
        allocation = None
        if request.allocate:
            allocation = _allocate(session, pairs, table, request.allocate)
            result["allocation"] = _allocation_view(allocation, session)
        result["run"] = _store(session, user, request, result, table, allocation)
    return result


def top_candidates(session: Session, request: MatchRequest) -> dict[str, Any]:
    """The ranked candidates of one need or one premises, read-only (no run stored): the
    quick answer an agent asks for while on the phone."""
    _check(request)
    settings = current_settings(session)
    need_id = _resolve(session, Besoin, request.need_ref, "besoin")
    premises_id = _resolve(session, Local, request.premises_ref, "local")
    table = _scored(candidate_pairs(session, settings, Scope(need_id, premises_id)), settings)
    return {
        "algorithm_version": ALGORITHM_VERSION,
        "pairs": _ranked(table, request, _refs(session, table)),
    }


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


def _scored(pairs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    scored = score_pairs(pairs, settings)
    table = pd.concat([pairs[["distance_m"]], scored], axis=1)
    table["rank_need"] = _rank(table, "need_id", "premises_id")
    table["rank_premises"] = _rank(table, "premises_id", "need_id")
    return table.sort_values(["need_id", "premises_id"]).reset_index(drop=True)


def _rank(table: pd.DataFrame, group: str, tie: str) -> pd.Series:
    """Rank by descending score; ties go to the lower identifier, so that runs repeat."""
    keys = table[group].to_numpy()
    order = np.lexsort((table[tie].to_numpy(), -table["score"].to_numpy(), keys))
    grouped = keys[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(order) else order
    first = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - first + 1
    return pd.Series(ranks, index=table.index)


def _refs(session: Session, table: pd.DataFrame) -> dict[str, dict[int, str]]:
    return {
        "need": _ref_map(session, Besoin, table["need_id"]),
        "premises": _ref_map(session, Local, table["premises_id"]),
    }


def _ref_map(session: Session, model: Any, ids: Any) -> dict[int, str]:
    """External references of records: what users read, instead of database numbers."""
    wanted = sorted({int(i) for i in ids})
    rows = session.execute(select(model.id, model.ref).where(model.id.in_(wanted)))
    return {int(record_id): str(ref) for record_id, ref in rows}


def _ranked(
    table: pd.DataFrame, request: MatchRequest, refs: dict[str, dict[int, str]]
) -> list[dict[str, Any]]:
    """The top K per need; for a premises asked alone, its top K needs."""
    rank = "rank_premises" if request.premises_ref and not request.need_ref else "rank_need"
    shown = table[table[rank] <= request.top].sort_values(
        ["premises_id" if rank == "rank_premises" else "need_id", rank]
    )
    return [_pair_view(row, refs, int(row[rank])) for _, row in shown.iterrows()]


def _pair_view(row: pd.Series, refs: dict[str, dict[int, str]], rank: int) -> dict[str, Any]:
    explained = explain(row)
    return {
        "need_id": int(row["need_id"]),
        "premises_id": int(row["premises_id"]),
        "need_ref": refs["need"][int(row["need_id"])],
        "premises_ref": refs["premises"][int(row["premises_id"])],
        "rank": rank,
        "score": round(float(row["score"]), 6),
        "distance_m": round(float(row["distance_m"]), 1),
        "completeness": round(float(row["completeness"]), 4),
        "criteria": {
            name: {
                "value": round(float(c["valeur"]), 6),
                "contribution": round(float(c["contribution"]), 6),
                "default": bool(c["par_defaut"]),
            }
            for name, c in explained["criteres"].items()
        },
    }


def _why_not(session: Session, settings: Settings, need_id: int, premises_id: int) -> list[str]:
    relaxed = candidate_pairs(
        session, settings, Scope(need_id, premises_id, strict=False, margin_m=1e7)
    )
    if relaxed.empty:
        return ["Le local n'est pas disponible, ou le besoin n'est pas ouvert."]
    return why_not(relaxed.iloc[0], settings)


def _near_misses(
    session: Session, settings: Settings, need_id: int, refs: dict[str, dict[int, str]]
) -> list[dict[str, Any]]:
    margin = getattr(settings, "near_miss_distance_m", 1000.0)
    relaxed = candidate_pairs(session, settings, Scope(need_id, strict=False, margin_m=margin))
    misses = near_misses(relaxed, settings)
    found = _ref_map(session, Local, misses["premises_id"])
    refs["premises"].update(found)
    return [
        {"premises_ref": found[int(p)], "hints": list(h)}
        for p, h in zip(misses["premises_id"], misses["hints"], strict=True)
    ]


def _allocate(session: Session, pairs: pd.DataFrame, table: pd.DataFrame, how: str) -> Allocation:
    inputs = pd.DataFrame(
        {
            "need_id": pairs["need_id"],
            "premises_id": pairs["premises_id"],
            "score": score_pairs(pairs, current_settings(session))["score"],
            "take_m2": take_m2(pairs),
        }
    )
    # Only usable pairs reach the allocation: a finite area taken and a score in [0, 1].
    usable = np.isfinite(inputs["take_m2"]) & (inputs["take_m2"] > 0)
    inputs = inputs[usable & inputs["score"].between(0.0, 1.0)]
    capacity = _capacities(pairs, inputs)
    open_needs = list(session.scalars(select(Besoin.id).where(Besoin.statut == "ouvert")))
    allocate = allocate_optimal if how == "optimal" else allocate_stable
    return allocate(inputs, capacity, needs=sorted({*open_needs, *inputs["need_id"]}))


def _capacities(pairs: pd.DataFrame, inputs: pd.DataFrame) -> pd.DataFrame:
    """Places: 1, a divisible premises' lots, or a shared space's actors (one per 10 m²)."""
    first = pairs.drop_duplicates("premises_id").set_index("premises_id")
    area = first["area_m2"].astype(float)
    lots = np.floor(area / first["lot_min_m2"].where(first["lot_min_m2"] > 0))
    shared = np.floor(area / MIN_SHARED_PLACE_M2)
    places = np.where(first["shared"], shared, np.where(first["divisible"], lots, 1))
    places = np.nan_to_num(places, nan=1.0).clip(min=1).astype(int)
    return pd.DataFrame(
        {
            "premises_id": first.index.astype(int),
            "capacity_m2": area.to_numpy(),
            "places": places,
            "multi": (first["shared"] | first["divisible"]).to_numpy(),
        }
    )


def _allocation_view(allocation: Allocation, session: Session) -> dict[str, Any]:
    needs = _ref_map(
        session, Besoin, [*allocation.assignments["need_id"], *allocation.unserved_needs]
    )
    premises = _ref_map(
        session, Local, [*allocation.assignments["premises_id"], *allocation.unused_premises]
    )
    return {
        "method": allocation.method,
        "total_score": round(allocation.total_score, 6),
        "bound": round(allocation.bound, 6),
        "gap": round(allocation.gap, 6) if math.isfinite(allocation.gap) else None,
        "assignments": [
            {
                "need_ref": needs[int(a["need_id"])],
                "premises_ref": premises[int(a["premises_id"])],
                "area_m2": round(float(a["area_m2"]), 1),
                "score": round(float(a["score"]), 6),
            }
            for a in _records(allocation.assignments)
        ],
        "unserved_needs": [needs[int(i)] for i in allocation.unserved_needs],
        "unused_premises": [premises[int(i)] for i in allocation.unused_premises],
        "blocking_pairs": 0 if allocation.blocking is None else len(allocation.blocking),
    }


def _fingerprint(pairs: pd.DataFrame, settings: Settings, request: MatchRequest) -> str:
    digest = hashlib.sha256()
    digest.update(pairs.to_csv(index=False).encode())
    digest.update(json.dumps(settings.as_dict(), sort_keys=True).encode())
    digest.update(json.dumps({**asdict(request), "version": ALGORITHM_VERSION}).encode())
    return digest.hexdigest()


def _store(
    session: Session,
    user: str,
    request: MatchRequest,
    result: dict[str, Any],
    table: pd.DataFrame,
    allocation: Allocation | None,
) -> int:
    summary = {
        "pairs": len(table),
        "shown": len(result["pairs"]),
        "allocation": {
            k: v for k, v in result.get("allocation", {}).items() if k not in ("assignments",)
        },
    }
    run = Appariement(
        utilisateur=user,
        version_algorithme=ALGORITHM_VERSION,
        empreinte=result["fingerprint"],
        reglages=result["settings"],
        perimetre=asdict(request),
        resume=summary,
    )
    session.add(run)
    session.flush()
    allocated: dict[tuple[int, int], float] = {}
    if allocation is not None:
        allocated = {
            (int(a["need_id"]), int(a["premises_id"])): float(a["area_m2"])
            for a in _records(allocation.assignments)
        }
    keys = list(zip(table["need_id"].astype(int), table["premises_id"].astype(int), strict=True))
    chosen = np.array([key in allocated for key in keys], dtype=bool)
    keep = table[(table["rank_need"] <= request.top).to_numpy() | chosen]
    for _, row in keep.iterrows():
        key = (int(row["need_id"]), int(row["premises_id"]))
        explained = explain(row)
        session.add(
            Proposition(
                appariement_id=run.id,
                besoin_id=key[0],
                local_id=key[1],
                rang_besoin=int(row["rank_need"]),
                rang_local=int(row["rank_premises"]),
                score=float(row["score"]),
                distance_m=float(row["distance_m"]),
                completude=float(row["completeness"]),
                criteres=_jsonable(explained["criteres"]),
                attribue=key in allocated,
                surface_attribuee_m2=allocated.get(key),
            )
        )
    return int(run.id)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _jsonable(criteria: dict[str, Any]) -> dict[str, Any]:
    """numpy scalars to plain JSON values, for the frozen snapshot of a proposal."""
    return {name: {k: _plain(v) for k, v in values.items()} for name, values in criteria.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, float | np.floating):
        return float(value)
    return value
