"""What a run shows: its pairs and its allocation, named by the references users read."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.models import Besoin, Local
from matching.allocation import Allocation
from matching.explain import explain

Refs = dict[str, dict[int, str]]


def refs_of(session: Session, table: pd.DataFrame) -> Refs:
    return {
        "need": ref_map(session, Besoin, table["need_id"]),
        "premises": ref_map(session, Local, table["premises_id"]),
    }


def ref_map(session: Session, model: Any, ids: Any) -> dict[int, str]:
    """External references of records: what users read, instead of database numbers."""
    wanted = sorted({int(i) for i in ids})
    rows = session.execute(select(model.id, model.ref).where(model.id.in_(wanted)))
    return {int(record_id): str(ref) for record_id, ref in rows}


def ranked(table: pd.DataFrame, by_premises: bool, top: int, refs: Refs) -> list[dict[str, Any]]:
    """The top K per need; for a premises asked alone (``by_premises``), its top K needs."""
    rank = "rank_premises" if by_premises else "rank_need"
    shown = table[table[rank] <= top].sort_values(
        ["premises_id" if by_premises else "need_id", rank]
    )
    return [pair_view(row, refs, int(row[rank])) for _, row in shown.iterrows()]


def pair_view(row: pd.Series, refs: Refs, rank: int) -> dict[str, Any]:
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
                "value": round(c["value"], 6),
                "contribution": round(c["contribution"], 6),
                "default": c["default"],
            }
            for name, c in explained["criteria"].items()
        },
    }


def allocation_view(session: Session, allocation: Allocation) -> dict[str, Any]:
    assigned = allocation.assignments
    needs = ref_map(session, Besoin, [*assigned["need_id"], *allocation.unserved_needs])
    premises = ref_map(session, Local, [*assigned["premises_id"], *allocation.unused_premises])
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
            for a in records(assigned)
        ],
        "unserved_needs": [needs[int(i)] for i in allocation.unserved_needs],
        "unused_premises": [premises[int(i)] for i in allocation.unused_premises],
        "blocking_pairs": 0 if allocation.blocking is None else len(allocation.blocking),
    }


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]
