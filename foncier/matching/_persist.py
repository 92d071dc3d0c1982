"""A run on record: its fingerprint, settings, algorithm version and proposals."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.matching._present import records
from foncier.models import Appariement, Proposition
from matching.allocation import Allocation
from matching.explain import explain
from matching.settings import ALGORITHM_VERSION, Settings


def fingerprint(pairs: pd.DataFrame, settings: Settings, request: Any) -> str:
    """The inputs of a run: unchanged pairs, settings and request give the same digest."""
    digest = hashlib.sha256()
    digest.update(pairs.to_csv(index=False).encode())
    digest.update(json.dumps(settings.as_dict(), sort_keys=True).encode())
    asked = {k: v for k, v in asdict(request).items() if v is not None or not k.endswith("_id")}
    # Ids given by a record's page are left out when absent: older fingerprints still match.
    digest.update(json.dumps({**asked, "version": ALGORITHM_VERSION}).encode())
    return digest.hexdigest()


def store_run(
    session: Session,
    user: str,
    request: Any,
    result: dict[str, Any],
    table: pd.DataFrame,
    allocation: Allocation | None,
) -> int:
    """The run and its proposals (each need's top K and the allocated pairs); no commit.

    A run whose fingerprint is already stored (same inputs, settings, request and version)
    gives the same proposals: the stored run is returned instead of a copy."""
    same = session.scalar(
        select(Appariement.id)
        .where(Appariement.empreinte == result["fingerprint"])
        .order_by(Appariement.id)
        .limit(1)
    )
    if same is not None:
        return int(same)
    summary = {
        "pairs": len(table),
        "shown": len(result["pairs"]),
        "allocation": {k: v for k, v in result.get("allocation", {}).items() if k != "assignments"},
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
    allocated = _allocated(allocation)
    keys = zip(table["need_id"].astype(int), table["premises_id"].astype(int), strict=True)
    chosen = np.array([key in allocated for key in keys], dtype=bool)
    keep = table[(table["rank_need"] <= request.top).to_numpy() | chosen]
    session.add_all(_proposition(int(run.id), row, allocated) for _, row in keep.iterrows())
    return int(run.id)


def _allocated(allocation: Allocation | None) -> dict[tuple[int, int], float]:
    if allocation is None:
        return {}
    return {
        (int(a["need_id"]), int(a["premises_id"])): float(a["area_m2"])
        for a in records(allocation.assignments)
    }


def _proposition(
    run_id: int, row: pd.Series, allocated: dict[tuple[int, int], float]
) -> Proposition:
    """A proposal with the frozen snapshot of its criteria."""
    key = (int(row["need_id"]), int(row["premises_id"]))
    return Proposition(
        appariement_id=run_id,
        besoin_id=key[0],
        local_id=key[1],
        rang_besoin=int(row["rank_need"]),
        rang_local=int(row["rank_premises"]),
        score=float(row["score"]),
        distance_m=float(row["distance_m"]),
        completude=float(row["completeness"]),
        criteres=explain(row)["criteria"],
        attribue=key in allocated,
        surface_attribuee_m2=allocated.get(key),
    )
