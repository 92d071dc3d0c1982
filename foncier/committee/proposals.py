"""Proposals: an agent puts forward, for a premises, a ranked list of needs (or for a need,
a ranked list of premises), with a frozen snapshot of each pair's score and reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from foncier.committee import _store
from foncier.committee.vocabulary import Issue, ObjetProposition
from foncier.db import transaction
from foncier.errors import InvalidInput, NotFound
from foncier.matching.candidates import Scope, candidate_pairs
from foncier.matching.stored_settings import current_settings
from foncier.models import Besoin, Local
from foncier.models.committee import LigneProposition, PropositionComite
from foncier.vocabulary import StatutBesoin, StatutLocal
from matching.explain import explain
from matching.ranking import ranked_scores

WANTED = 3  # at least three ranked candidates where the matcher has them (CALEOL)
MAX_LINES = 10


@dataclass(frozen=True)
class ProposalRequest:
    """For a premises (``premises_ref``) or a need (``need_ref``): the references of the
    other side in rank order, or none to take the matcher's best ``count``."""

    premises_ref: str | None = None
    need_ref: str | None = None
    picks: tuple[str, ...] = field(default_factory=tuple)
    count: int = WANTED


def propose(session: Session, request: ProposalRequest, user: str) -> str:
    """Record the proposal and put its need(s) and premises under proposal; returns its ref."""
    with transaction(session, user):
        objet, pivot = _pivot(session, request)
        table = _candidates(session, objet, pivot)
        refused = refused_pairs(session, objet, pivot)
        rows = _choose(session, objet, table, request, refused)
        item = _new_item(session, objet, pivot, user)
        for rank, (_, row) in enumerate(rows.iterrows(), start=1):
            session.add(_line(session, item.id, rank, row))
            _put_under_proposal(session, int(row["need_id"]), int(row["premises_id"]))
        session.flush()
        return item.ref


def _pivot(session: Session, request: ProposalRequest) -> tuple[ObjetProposition, int]:
    if bool(request.premises_ref) == bool(request.need_ref):
        raise InvalidInput("Une proposition porte sur un local ou sur un besoin, pas les deux.")
    if not 1 <= request.count <= MAX_LINES:
        raise InvalidInput(f"« {request.count} » candidats : entre 1 et {MAX_LINES}.")
    if request.premises_ref:
        return ObjetProposition.LOCAL, _id(session, Local, request.premises_ref, "local")
    return ObjetProposition.BESOIN, _id(session, Besoin, str(request.need_ref), "besoin")


def _id(session: Session, model: Any, ref: str, label: str) -> int:
    found = session.scalar(select(model.id).where(model.ref == ref).limit(1))
    if found is None:
        raise NotFound(f"Aucun {label} ne porte la référence « {ref} ».")
    return int(found)


def _candidates(session: Session, objet: ObjetProposition, pivot: int) -> pd.DataFrame:
    settings = current_settings(session)
    scope = Scope(premises_id=pivot) if objet == ObjetProposition.LOCAL else Scope(need_id=pivot)
    table = ranked_scores(candidate_pairs(session, settings, scope), settings)
    rank = "rank_premises" if objet == ObjetProposition.LOCAL else "rank_need"
    return table.sort_values(rank, kind="stable")


def _choose(
    session: Session,
    objet: ObjetProposition,
    table: pd.DataFrame,
    request: ProposalRequest,
    refused: dict[tuple[int, int], str],
) -> pd.DataFrame:
    other = "need_id" if objet == ObjetProposition.LOCAL else "premises_id"
    model = Besoin if objet == ObjetProposition.LOCAL else Local
    keys = list(zip(table["need_id"].astype(int), table["premises_id"].astype(int), strict=True))
    allowed = table[[key not in refused for key in keys]]
    if not request.picks:
        if allowed.empty:
            raise InvalidInput("Aucun candidat ne passe les critères : rien à proposer.")
        return allowed.head(request.count)
    found = session.execute(select(model.ref, model.id).where(model.ref.in_(request.picks)))
    refs = {ref: record_id for ref, record_id in found}
    chosen, errors = [], []
    for ref in request.picks:
        rows = allowed[allowed[other] == refs.get(ref, -1)]
        if rows.empty:
            why = "refusé en comité, rien n'a changé depuis" if ref in refs else "inconnu"
            errors.append(f"« {ref} » : {why} ou hors des candidats de l'appariement.")
        else:
            chosen.append(rows.iloc[[0]])
    if errors:
        raise InvalidInput.from_errors({"candidats": errors})
    return pd.concat(chosen)


def _new_item(
    session: Session, objet: ObjetProposition, pivot: int, user: str
) -> PropositionComite:
    number = int(session.scalar(text("SELECT nextval('propositions_comite_id_seq')")) or 0)
    item = PropositionComite(
        id=number,
        ref=f"PROP-{number:04d}",
        objet=objet,
        local_id=pivot if objet == ObjetProposition.LOCAL else None,
        besoin_id=pivot if objet == ObjetProposition.BESOIN else None,
        propose_par=user,
    )
    session.add(item)
    session.flush()
    return item


def _line(session: Session, item_id: int, rank: int, row: pd.Series) -> LigneProposition:
    """The frozen snapshot: score, completeness and each criterion's value and contribution."""
    detail = explain(row)
    need, premises = int(row["need_id"]), int(row["premises_id"])
    return LigneProposition(
        proposition_id=item_id,
        rang=rank,
        besoin_id=need,
        local_id=premises,
        score=float(detail["score"]),
        completude=float(detail["completeness"]),
        distance_m=float(row["distance_m"]) if pd.notna(row["distance_m"]) else None,
        criteres=detail["criteria"],
        empreinte_besoin=_store.digest(session, "besoins", need),
        empreinte_local=_store.digest(session, "locaux", premises),
    )


def _put_under_proposal(session: Session, need_id: int, premises_id: int) -> None:
    need = session.get(Besoin, need_id, with_for_update=True)
    premises = session.get(Local, premises_id, with_for_update=True)
    if need is not None and need.statut == StatutBesoin.OUVERT:
        need.statut = StatutBesoin.EN_PROPOSITION
    if premises is not None and premises.statut == StatutLocal.DISPONIBLE:
        premises.statut = StatutLocal.SOUS_OPTION


def refused_pairs(
    session: Session, objet: ObjetProposition | None = None, pivot: int | None = None
) -> dict[tuple[int, int], str]:
    """Pairs the committee refused whose need and premises have not changed since: (need,
    premises) -> the reference of the proposal that was refused."""
    query = select(LigneProposition, PropositionComite.ref).join(PropositionComite)
    if objet == ObjetProposition.LOCAL:
        query = query.where(LigneProposition.local_id == pivot)
    elif objet == ObjetProposition.BESOIN:
        query = query.where(LigneProposition.besoin_id == pivot)
    found: dict[tuple[int, int], str] = {}
    for candidate, ref in session.execute(query):
        decision = _store.current_decision(session, candidate.id)
        if decision is None or decision.issue != Issue.DEFAVORABLE:
            continue
        unchanged = candidate.empreinte_besoin == _store.digest(
            session, "besoins", candidate.besoin_id
        ) and candidate.empreinte_local == _store.digest(session, "locaux", candidate.local_id)
        if unchanged:
            found[(candidate.besoin_id, candidate.local_id)] = ref
    return found


def open_proposals(
    session: Session, *, need_id: int | None = None, premises_id: int | None = None
) -> list[dict[str, Any]]:
    """The proposals still awaiting a decision that name a need or a premises (their pages)."""
    return [
        {
            "ref": line.proposition.ref,
            "rang": line.rang,
            "besoin_id": line.besoin_id,
            "local_id": line.local_id,
            "score": line.score,
            "seance": line.proposition.seance.ref if line.proposition.seance else None,
        }
        for line in _store.pending_lines(session, need_id=need_id, premises_id=premises_id)
    ]
