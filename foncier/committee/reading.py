"""What pages, the dossier and the minutes show of sessions: plain dicts, read-only.

A committee member sees only the sessions they sit on; agents and administrators see all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.accounts.roles import Role
from foncier.committee import _store
from foncier.committee.rules import quorum_needed, quorum_reached, represented, tally
from foncier.errors import Forbidden
from foncier.models import Acteur, Besoin, Compte, Filiere, Local
from foncier.models.committee import (
    ConflitInteret,
    DecisionComite,
    LigneProposition,
    MembreSeance,
    PropositionComite,
    Seance,
)

SEES_ALL = frozenset({Role.AGENT, Role.ADMINISTRATEUR})


def list_sessions(session: Session, account_id: int, roles: frozenset[Role]) -> list[Seance]:
    query = select(Seance).order_by(Seance.date_seance.desc(), Seance.ref)
    if not roles & SEES_ALL:
        mine = select(MembreSeance.seance_id).where(MembreSeance.compte_id == account_id)
        query = query.where(Seance.id.in_(mine))
    return list(session.scalars(query))


def check_reader(found: Seance, account_id: int | None, roles: frozenset[Role]) -> None:
    """A member reads, votes and declares only in the sessions they sit on."""
    if roles & SEES_ALL or account_id is None:
        return
    if _store.member(found, account_id) is None:
        raise Forbidden(f"Vous ne siégez pas à la séance « {found.ref} ».")


def session_view(
    session: Session, ref: str, account_id: int | None = None, roles: frozenset[Role] = SEES_ALL
) -> dict[str, Any]:
    """Everything about one session: members, presence, quorum, agenda, votes, decisions."""
    found = _store.seance(session, ref)
    check_reader(found, account_id, roles)
    emails = _emails(session)
    attendance = _store.attendance(found)
    members = [
        {
            "id": m.compte_id,
            "email": emails[m.compte_id],
            "present": m.present,
            "pouvoir_a": emails.get(m.pouvoir_a) if m.pouvoir_a else None,
            "represente": m.compte_id in represented(attendance),
        }
        for m in found.membres
    ]
    return {
        "seance": found,
        "membres": members,
        "quorum_requis": quorum_needed(len(found.membres), found.quorum),
        "quorum_compte": len(attendance.present) + len(represented(attendance)),
        "quorum_atteint": quorum_reached(attendance, found.quorum),
        "points": [_item(session, item, emails) for item in found.propositions],
    }


def _emails(session: Session) -> dict[int, str]:
    return {i: e for i, e in session.execute(select(Compte.id, Compte.email))}


def _item(session: Session, item: PropositionComite, emails: dict[int, str]) -> dict[str, Any]:
    conflicts = session.scalars(
        select(ConflitInteret).where(ConflitInteret.proposition_id == item.id)
    )
    return {
        "ref": item.ref,
        "objet": item.objet.value,
        "propose_par": item.propose_par,
        "conflits": [{"email": emails[c.compte_id], "motif": c.motif} for c in conflicts],
        "lignes": [_line(session, line, emails) for line in item.lignes],
    }


def _line(session: Session, line: LigneProposition, emails: dict[int, str]) -> dict[str, Any]:
    votes = _store.current_votes(session, line.id)
    decisions = session.scalars(
        select(DecisionComite).where(DecisionComite.ligne_id == line.id).order_by(DecisionComite.id)
    ).all()
    return {
        "id": line.id,
        "rang": line.rang,
        "score": line.score,
        "completude": line.completude,
        "distance_m": line.distance_m,
        "criteres": line.criteres,
        "besoin": describe_need(session, line.besoin_id),
        "local": describe_premises(session, line.local_id),
        "votes": [
            {
                "email": emails[v.compte_id],
                "voix": v.voix.value,
                "porte_par": emails[v.porte_par] if v.porte_par != v.compte_id else None,
            }
            for v in votes.values()
        ],
        "decompte": tally(v.voix for v in votes.values()).as_dict(),
        "decisions": [
            {
                "id": d.id,
                "issue": d.issue.value,
                "motifs": d.motifs,
                "decompte": d.decompte,
                "enregistre_par": d.enregistre_par,
                "horodatage": d.horodatage,
                "corrige_id": d.corrige_id,
            }
            for d in decisions
        ],
    }


def describe_need(session: Session, need_id: int) -> dict[str, Any]:
    need = session.get(Besoin, need_id)
    assert need is not None
    actor: Acteur = need.acteur
    sector = session.get(Filiere, actor.filiere)
    return {
        "id": need.id,
        "ref": need.ref,
        "intitule": need.intitule,
        "statut": need.statut.value,
        "surface_min_m2": need.surface_min_m2,
        "surface_max_m2": need.surface_max_m2,
        "budget_loyer_m2_an": need.budget_loyer_m2_an,
        "acteur": {
            "nom": actor.nom,
            "filiere": sector.libelle if sector else actor.filiere,
            "prioritaire": bool(sector and sector.prioritaire),
            "stade": actor.stade.value,
            "effectif": actor.effectif,
            "emplois_prevus": actor.emplois_prevus,
        },
    }


def describe_premises(session: Session, premises_id: int) -> dict[str, Any]:
    premises = session.get(Local, premises_id)
    assert premises is not None
    return {
        "id": premises.id,
        "ref": premises.ref,
        "nom": premises.nom,
        "statut": premises.statut.value,
        "type_local": premises.type_local.value,
        "adresse": premises.adresse,
        "surface_m2": premises.surface_m2,
        "loyer_m2_an": premises.loyer_m2_an,
        "commune_insee": premises.commune_insee,
    }


def list_proposals(session: Session) -> list[dict[str, Any]]:
    items = session.scalars(select(PropositionComite).order_by(PropositionComite.id.desc()))
    emails = _emails(session)
    return [
        {**_item(session, item, emails), "seance": item.seance.ref if item.seance else None}
        for item in items
    ]


def list_decisions(session: Session, account_id: int, roles: frozenset[Role]) -> list[Any]:
    """Decisions, newest first, of the sessions the caller may read."""
    visible = [s.id for s in list_sessions(session, account_id, roles)]
    query = (
        select(DecisionComite, Seance.ref, PropositionComite.ref, LigneProposition.rang)
        .join(Seance, Seance.id == DecisionComite.seance_id)
        .join(LigneProposition, LigneProposition.id == DecisionComite.ligne_id)
        .join(PropositionComite, PropositionComite.id == LigneProposition.proposition_id)
        .where(DecisionComite.seance_id.in_(visible))
        .order_by(DecisionComite.id.desc())
    )
    return list(session.execute(query))
