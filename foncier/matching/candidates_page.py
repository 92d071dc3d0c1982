"""The candidates page of a need or a premises: one call for what the page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from foncier import registry
from foncier.committee.proposals import refused_pairs
from foncier.committee.vocabulary import ObjetProposition
from foncier.errors import FoncierError
from foncier.matching.runs import MatchRequest, top_candidates, why_not_pair
from foncier.registry import KINDS, Kind

TOP = 10


@dataclass(frozen=True)
class CandidatesPage:
    kind: Kind  # the record's registry: needs or premises
    record: dict[str, Any]
    candidates: list[dict[str, Any]]  # the other side's records, with their pair's figures
    near_misses: list[dict[str, Any]]
    algorithm_version: str
    asked: str  # "why not this one?": the reference asked about, or ""
    reasons: list[str] | None  # every failed constraint of the pair asked about
    refused: str | None  # why the reference asked about could not be read
    committee_refused: dict[int, str]  # other side's id -> the proposal the committee refused


def candidates_page(
    session: Session, kind_name: str, record_id: int, asked: str = ""
) -> CandidatesPage:
    kind = KINDS[kind_name]
    record = registry.get(session, kind, record_id)
    by_need = kind_name == "needs"
    wanted = (
        MatchRequest(need_id=record_id, top=TOP)
        if by_need
        else MatchRequest(premises_id=record_id, top=TOP)
    )
    result = top_candidates(session, wanted)
    other, key = (KINDS["premises"], "premises_id") if by_need else (KINDS["needs"], "need_id")
    records = registry.get_many(session, other, [pair[key] for pair in result["pairs"]])
    reasons, refused = _why_not(session, record["ref"], asked, by_need)
    return CandidatesPage(
        kind=kind,
        record=record,
        candidates=[{**records[pair[key]], **pair} for pair in result["pairs"]],
        near_misses=result.get("near_misses", []),
        algorithm_version=result["algorithm_version"],
        asked=asked,
        reasons=reasons,
        refused=refused,
        committee_refused=_refused_by_committee(session, by_need, record_id),
    )


def _why_not(
    session: Session, ref: str, asked: str, by_need: bool
) -> tuple[list[str] | None, str | None]:
    if not asked:
        return None, None
    pair = (ref, asked) if by_need else (asked, ref)
    try:
        return why_not_pair(session, *pair), None
    except FoncierError as error:  # an unknown reference: said on the page, not a 404
        return [], error.message


def _refused_by_committee(session: Session, by_need: bool, record_id: int) -> dict[int, str]:
    """The other side's records the committee refused with this one, unchanged since."""
    objet = ObjetProposition.BESOIN if by_need else ObjetProposition.LOCAL
    return {
        (premises if by_need else need): ref
        for (need, premises), ref in refused_pairs(session, objet, record_id).items()
    }
