"""Sessions: create one with its members and rules, put proposals on its agenda, open it,
record presence and proxies, close it. Each function is one use case and one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.accounts.roles import Role
from foncier.committee import _store
from foncier.committee.rules import Attendance, proxy_problems
from foncier.committee.vocabulary import EtatSeance, RegleEgalite
from foncier.db import transaction
from foncier.errors import Conflict, InvalidInput
from foncier.models.committee import MembreSeance, Seance

PREPARATION = (EtatSeance.PREPARATION,)
LIVE = (EtatSeance.PREPARATION, EtatSeance.OUVERTE)


@dataclass(frozen=True)
class SessionInput:
    ref: str
    titre: str
    date_seance: date
    membres: Sequence[str]  # e-mails of accounts with the committee role
    quorum: float = 0.5
    regle_egalite: str = RegleEgalite.AJOURNE.value
    pouvoirs_max: int = 1


def create_session(session: Session, given: SessionInput, user: str) -> str:
    _check(given)
    with transaction(session, user):
        if session.scalar(select(Seance.id).where(Seance.ref == given.ref)) is not None:
            raise Conflict(f"La séance « {given.ref} » existe déjà.")
        found = Seance(
            ref=given.ref,
            titre=given.titre,
            date_seance=given.date_seance,
            quorum=given.quorum,
            regle_egalite=RegleEgalite(given.regle_egalite),
            pouvoirs_max=given.pouvoirs_max,
            cree_par=user,
        )
        session.add(found)
        session.flush()
        for email in dict.fromkeys(given.membres):
            account = _store.account(session, email)
            if Role.COMITE not in account.roles:
                raise InvalidInput(
                    f"« {account.email} » n'a pas le rôle « membre du comité » : "
                    "seuls ces comptes siègent."
                )
            session.add(MembreSeance(seance_id=found.id, compte_id=account.id))
        return found.ref


def _check(given: SessionInput) -> None:
    errors: dict[str, list[str]] = {}
    if not given.ref.strip():
        errors["ref"] = ["la référence de la séance est obligatoire."]
    if not 0 < given.quorum <= 1:
        errors["quorum"] = [f"« {given.quorum} » : une part entre 0 (exclu) et 1."]
    if given.regle_egalite not in RegleEgalite.__members__.values():
        allowed = ", ".join(r.value for r in RegleEgalite)
        errors["regle_egalite"] = [f"« {given.regle_egalite} » : valeurs permises : {allowed}."]
    if given.pouvoirs_max < 0:
        errors["pouvoirs_max"] = [f"« {given.pouvoirs_max} » : zéro ou plus."]
    if not given.membres:
        errors["membres"] = ["une séance a au moins un membre."]
    if errors:
        raise InvalidInput.from_errors(errors)


def add_to_agenda(session: Session, seance_ref: str, proposal_ref: str, user: str) -> None:
    with transaction(session, user):
        found = _store.seance(session, seance_ref, lock=True)
        _store.writable(found, "modifier l'ordre du jour", PREPARATION)
        item = _store.proposal(session, proposal_ref)
        if item.seance_id is not None:
            raise Conflict(f"La proposition « {item.ref} » est déjà inscrite à une séance.")
        item.seance_id = found.id
        item.ordre = len(found.propositions) + 1


def open_session(session: Session, ref: str, user: str) -> None:
    with transaction(session, user):
        found = _store.seance(session, ref, lock=True)
        _store.writable(found, "ouvrir la séance", PREPARATION)
        found.etat = EtatSeance.OUVERTE


def close_session(session: Session, ref: str, user: str) -> None:
    with transaction(session, user):
        found = _store.seance(session, ref, lock=True)
        _store.writable(found, "clore la séance", (EtatSeance.OUVERTE,))
        found.etat = EtatSeance.CLOSE


def record_presence(
    session: Session,
    ref: str,
    present: Sequence[str],
    proxies: Mapping[str, str],
    user: str,
) -> None:
    """Set who is present (e-mails) and the proxies (absent giver -> present holder)."""
    with transaction(session, user):
        found = _store.seance(session, ref, lock=True)
        _store.writable(found, "noter les présences", LIVE)
        ids = {_store.account(session, e).id: e for e in [*present, *proxies, *proxies.values()]}
        by_email = {email: account_id for account_id, email in ids.items()}
        for email, account_id in by_email.items():
            if _store.member(found, account_id) is None:
                raise InvalidInput(f"« {email} » n'est pas membre de la séance « {ref} ».")
        wanted = Attendance(
            members=frozenset(m.compte_id for m in found.membres),
            present=frozenset(by_email[e] for e in present),
            proxies={by_email[g]: by_email[h] for g, h in proxies.items()},
        )
        problems = proxy_problems(wanted, found.pouvoirs_max, lambda i: f"« {ids[i]} »")
        if problems:
            raise InvalidInput.from_errors({"pouvoirs": problems})
        for membre in found.membres:
            membre.present = membre.compte_id in wanted.present
            membre.pouvoir_a = wanted.proxies.get(membre.compte_id)
