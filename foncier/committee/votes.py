"""Conflicts of interest, votes, decisions and their corrections. Votes and decisions are only
ever added (the database refuses the rest); a correction is a new row pointing to the old."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.committee import _store, flow
from foncier.committee.rules import outcome, quorum_needed, quorum_reached, tally, voters_for
from foncier.committee.sessions import LIVE
from foncier.committee.vocabulary import EtatSeance, Issue, Voix
from foncier.db import transaction
from foncier.errors import Conflict, InvalidInput, NotFound
from foncier.models.committee import (
    ConflitInteret,
    DecisionComite,
    LigneProposition,
    Seance,
    VoteComite,
)

OPEN = (EtatSeance.OUVERTE,)


def declare_conflict(
    session: Session, proposal_ref: str, email: str, motif: str, user: str
) -> None:
    """A member declares a conflict of interest on an agenda item (before or during)."""
    with transaction(session, user):
        item = _store.proposal(session, proposal_ref)
        found = _seance_of(session, item.seance_id, item.ref)
        _store.writable(found, "déclarer un conflit d'intérêts", LIVE)
        account = _store.account(session, email)
        if _store.member(found, account.id) is None:
            raise InvalidInput(
                f"« {account.email} » n'est pas membre de la séance « {found.ref} »."
            )
        exists = select(ConflitInteret.id).where(
            ConflitInteret.proposition_id == item.id, ConflitInteret.compte_id == account.id
        )
        if session.scalar(exists) is None:
            session.add(ConflitInteret(proposition_id=item.id, compte_id=account.id, motif=motif))


@dataclass(frozen=True)
class Ballot:
    line_id: int
    holder: str  # e-mail of the member who casts the vote (present)
    voix: str
    for_member: str | None = None  # e-mail of the absent member whose proxy is used


def vote(session: Session, ballot: Ballot, user: str) -> None:
    """One vote; voting again on the same line corrects one's earlier vote (a new row)."""
    if ballot.voix not in Voix.__members__.values():
        allowed = ", ".join(v.value for v in Voix)
        raise InvalidInput(f"« {ballot.voix} » : un vote est l'un de {allowed}.")
    with transaction(session, user):
        line, found = _line_and_seance(session, ballot.line_id, lock=True)
        _store.writable(found, "voter", OPEN)
        _require_quorum(found)
        holder = _store.account(session, ballot.holder)
        member = _store.account(session, ballot.for_member) if ballot.for_member else holder
        voters = voters_for(_store.attendance(found), holder.id, _conflicted(session, line))
        if member.id not in voters:
            raise Conflict(_refusal(session, found, line, holder.id, member.id))
        previous = _store.current_votes(session, line.id).get(member.id)
        session.add(
            VoteComite(
                ligne_id=line.id,
                compte_id=member.id,
                porte_par=holder.id,
                voix=Voix(ballot.voix),
                corrige_id=previous.id if previous else None,
            )
        )


def _refusal(
    session: Session, found: Seance, line: LigneProposition, holder: int, member: int
) -> str:
    conflicted = _conflicted(session, line)
    names = {m.compte_id: _email(session, m.compte_id) for m in found.membres}
    who = names.get(member, str(member))
    if holder in conflicted or member in conflicted:
        return (
            f"Vote refusé : conflit d'intérêts déclaré sur « {line.proposition.ref} » "
            f"({names.get(holder if holder in conflicted else member)})."
        )
    if holder not in _store.attendance(found).present:
        return f"Vote refusé : « {names.get(holder, holder)} » n'est pas noté présent."
    return f"Vote refusé : « {names.get(holder, holder)} » ne porte pas de pouvoir de « {who} »."


def _email(session: Session, account_id: int) -> str:
    from foncier.models import Compte

    found = session.get(Compte, account_id)
    return found.email if found else str(account_id)


def decide(
    session: Session, line_id: int, motifs: str, user: str, issue: str | None = None
) -> Issue:
    """The decision on a line from its tally (or adjourned), with reasons; flows back."""
    if not motifs.strip():
        raise InvalidInput("Une décision donne ses motifs : le champ « motifs » est vide.")
    if issue not in (None, Issue.AJOURNE.value):
        # The votes decide; the secretary may only adjourn whatever they say.
        raise InvalidInput(f"« {issue} » : sans suivre le vote, seule « ajourne » est permise.")
    with transaction(session, user):
        line, found = _line_and_seance(session, line_id, lock=True)
        _store.writable(found, "décider", OPEN)
        _require_quorum(found)
        if _store.current_decision(session, line.id) is not None:
            raise Conflict(
                f"La ligne {line.rang} de « {line.proposition.ref} » a déjà sa décision : "
                "corrigez-la par une nouvelle entrée."
            )
        votes = _store.current_votes(session, line.id)
        result = tally(v.voix for v in votes.values())
        chosen = _issue(issue) if issue else outcome(result, found.regle_egalite)
        session.add(_decision(line, found, chosen, motifs, result.as_dict(), user, None))
        session.flush()
        flow.apply(session, line, chosen)
        return chosen


def correct_decision(
    session: Session, decision_id: int, issue: str, motifs: str, user: str
) -> None:
    """A new decision that corrects an earlier one, accepted even after the session closed."""
    if not motifs.strip():
        raise InvalidInput("Une correction donne ses motifs : le champ « motifs » est vide.")
    chosen = _issue(issue)
    with transaction(session, user):
        earlier = session.get(DecisionComite, decision_id)
        if earlier is None:
            raise NotFound(f"Aucune décision n'a le numéro « {decision_id} ».")
        line, found = _line_and_seance(session, earlier.ligne_id, lock=True)
        newest = _store.current_decision(session, line.id)
        if newest is not None and newest.id != earlier.id:
            raise Conflict(f"La décision {earlier.id} a déjà été corrigée par la {newest.id}.")
        session.add(_decision(line, found, chosen, motifs, earlier.decompte, user, earlier.id))
        session.flush()
        flow.apply(session, line, chosen, correcting=earlier.issue)


def _decision(
    line: LigneProposition,
    found: Seance,
    issue: Issue,
    motifs: str,
    count: dict[str, int],
    user: str,
    corrects: int | None,
) -> DecisionComite:
    return DecisionComite(
        ligne_id=line.id,
        seance_id=found.id,
        issue=issue,
        motifs=motifs.strip(),
        decompte=count,
        enregistre_par=user,
        corrige_id=corrects,
    )


def _issue(value: str) -> Issue:
    if value not in Issue.__members__.values():
        allowed = ", ".join(i.value for i in Issue)
        raise InvalidInput(f"« {value} » : une décision est l'une de {allowed}.")
    return Issue(value)


def _line_and_seance(
    session: Session, line_id: int, lock: bool = False
) -> tuple[LigneProposition, Seance]:
    line = _store.line(session, line_id)
    item = line.proposition
    found = _seance_of(session, item.seance_id, item.ref)
    if lock:
        found = _store.seance(session, found.ref, lock=True)
    return line, found


def _seance_of(session: Session, seance_id: int | None, ref: str) -> Seance:
    found = session.get(Seance, seance_id) if seance_id is not None else None
    if found is None:
        raise Conflict(f"La proposition « {ref} » n'est inscrite à aucune séance.")
    return found


def _require_quorum(found: Seance) -> None:
    if not quorum_reached(_store.attendance(found), found.quorum):
        needed = quorum_needed(len(found.membres), found.quorum)
        raise Conflict(
            f"Quorum non atteint pour la séance « {found.ref} » : il faut {needed} membres "
            f"présents ou représentés sur {len(found.membres)}."
        )


def _conflicted(session: Session, line: LigneProposition) -> frozenset[int]:
    query = select(ConflitInteret.compte_id).where(
        ConflitInteret.proposition_id == line.proposition_id
    )
    return frozenset(session.scalars(query))
