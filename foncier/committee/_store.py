"""Store helpers of the committee: lookups by reference, locks, digests. They never commit."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from foncier.committee.rules import Attendance
from foncier.committee.vocabulary import EtatSeance, Issue
from foncier.errors import Conflict, NotFound
from foncier.models import Compte
from foncier.models.committee import (
    DecisionComite,
    LigneProposition,
    MembreSeance,
    PropositionComite,
    Seance,
    VoteComite,
)

# What a need or a premises is, for a refused pair: everything but what the committee itself
# and the bookkeeping change (a refusal must not count as a change of its own inputs).
_DIGEST = (
    "SELECT md5((to_jsonb(t) - ARRAY['statut', 'version', 'created_at', 'updated_at'])::text) "
    "FROM {table} AS t WHERE t.id = :id"
)


def digest(session: Session, table: str, record_id: int) -> str:
    assert table in ("besoins", "locaux")
    found = session.scalar(text(_DIGEST.format(table=table)), {"id": record_id})
    return str(found)


def seance(session: Session, ref: str, lock: bool = False) -> Seance:
    query = select(Seance).where(Seance.ref == ref)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(f"Aucune séance ne porte la référence « {ref} ».")
    return found


def writable(found: Seance, what: str, states: tuple[EtatSeance, ...]) -> None:
    """Refuse ``what`` unless the session is in one of ``states`` (a closed one never is)."""
    if found.etat not in states:
        allowed = " ou ".join(f"« {s.value} »" for s in states)
        raise Conflict(
            f"La séance « {found.ref} » est « {found.etat.value} » : {what} n'est possible "
            f"que si elle est {allowed}. Une séance close ne se modifie plus ; "
            "une erreur se corrige par une nouvelle décision qui rectifie l'ancienne."
        )


def proposal(session: Session, ref: str) -> PropositionComite:
    found = session.scalar(select(PropositionComite).where(PropositionComite.ref == ref))
    if found is None:
        raise NotFound(f"Aucune proposition ne porte la référence « {ref} ».")
    return found


def line(session: Session, line_id: int) -> LigneProposition:
    found = session.get(LigneProposition, line_id)
    if found is None:
        raise NotFound(f"Aucune ligne de proposition n'a le numéro « {line_id} ».")
    return found


def account(session: Session, email: str) -> Compte:
    found = session.scalar(select(Compte).where(Compte.email == (email or "").strip().lower()))
    if found is None:
        raise NotFound(f"Aucun compte ne porte l'adresse « {email} ».")
    return found


def attendance(found: Seance) -> Attendance:
    members = found.membres
    return Attendance(
        members=frozenset(m.compte_id for m in members),
        present=frozenset(m.compte_id for m in members if m.present),
        proxies={m.compte_id: m.pouvoir_a for m in members if m.pouvoir_a is not None},
    )


def member(found: Seance, account_id: int) -> MembreSeance | None:
    return next((m for m in found.membres if m.compte_id == account_id), None)


def current_votes(session: Session, line_id: int) -> dict[int, VoteComite]:
    """Each member's vote in force on a line: the newest (a later one corrects the earlier)."""
    votes = session.scalars(
        select(VoteComite).where(VoteComite.ligne_id == line_id).order_by(VoteComite.id)
    )
    return {vote.compte_id: vote for vote in votes}


def current_decision(session: Session, line_id: int) -> DecisionComite | None:
    return session.scalar(
        select(DecisionComite)
        .where(DecisionComite.ligne_id == line_id)
        .order_by(DecisionComite.id.desc())
        .limit(1)
    )


def pending_lines(
    session: Session, *, need_id: int | None = None, premises_id: int | None = None
) -> list[LigneProposition]:
    """Lines still awaiting the committee (no decision, or adjourned) for a need or premises,
    in items that no favourable decision has settled."""
    query = select(LigneProposition)
    if need_id is not None:
        query = query.where(LigneProposition.besoin_id == need_id)
    if premises_id is not None:
        query = query.where(LigneProposition.local_id == premises_id)
    found: list[LigneProposition] = []
    for candidate in session.scalars(query):
        if _settled(session, candidate.proposition):
            continue
        decision = current_decision(session, candidate.id)
        if decision is None or decision.issue == Issue.AJOURNE:
            found.append(candidate)
    return found


def _settled(session: Session, item: PropositionComite) -> bool:
    for other in item.lignes:
        decision = current_decision(session, other.id)
        if decision is not None and decision.issue == Issue.FAVORABLE:
            return True
    return False
