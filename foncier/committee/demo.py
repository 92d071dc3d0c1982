"""The demo's committee: a past closed session ``DEMO-0`` with its decisions (one favourable,
one refusal) and a session ``DEMO-1`` in preparation with proposals on its agenda, so that
every committee page can be tried at once. Built through the use cases themselves."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from foncier.accounts.passwords import hash_password
from foncier.accounts.roles import Role
from foncier.committee.proposals import ProposalRequest, propose
from foncier.committee.sessions import (
    SessionInput,
    add_to_agenda,
    close_session,
    create_session,
    open_session,
    record_presence,
)
from foncier.committee.votes import Ballot, decide, declare_conflict, vote
from foncier.db import transaction
from foncier.errors import Conflict
from foncier.matching.candidates import candidate_pairs
from foncier.matching.stored_settings import current_settings
from foncier.models import Compte, Local
from foncier.models.committee import (
    ConflitInteret,
    DecisionComite,
    LigneProposition,
    MembreSeance,
    PropositionComite,
    Seance,
    VoteComite,
)

# The committee demo account (``foncier users demo`` gives it its password) and three more
# members who never sign in: their password is random and never shown.
MEMBERS = (
    "comite@demo.foncier.invalid",
    "membre.2@demo.foncier.invalid",
    "membre.3@demo.foncier.invalid",
    "membre.4@demo.foncier.invalid",
)
SECRETARY = "agent@demo.foncier.invalid"


def load_demo_committee(session: Session, by: str = "demo") -> bool:
    """Create the demo sessions unless they exist; False when there was nothing to do."""
    if session.scalar(select(Seance.id).where(Seance.ref == "DEMO-1")) is not None:
        return False
    _members(session, by)
    premises = _premises(session, 4)
    if len(premises) < 3:
        return False
    past = [propose(session, ProposalRequest(premises_ref=ref), SECRETARY) for ref in premises[:2]]
    today = date.today()
    closed = SessionInput(
        "DEMO-0", "Comité d'engagement (séance passée)", today - timedelta(30), MEMBERS
    )
    create_session(session, closed, SECRETARY)
    for ref in past:
        add_to_agenda(session, "DEMO-0", ref, SECRETARY)
    open_session(session, "DEMO-0", SECRETARY)
    record_presence(session, "DEMO-0", MEMBERS[:3], {MEMBERS[3]: MEMBERS[0]}, SECRETARY)
    declare_conflict(session, past[1], MEMBERS[2], "Membre du bureau de l'association", MEMBERS[2])
    for item, choice in zip(past, ("favorable", "defavorable"), strict=True):
        line = _first_line(session, item)
        for member in MEMBERS[:3]:
            if not (item == past[1] and member == MEMBERS[2]):
                vote(session, Ballot(line, member, choice), member)
        vote(session, Ballot(line, MEMBERS[0], choice, for_member=MEMBERS[3]), MEMBERS[0])
        reasons = "Projet mûr, local adapté" if choice == "favorable" else "Budget trop juste"
        decide(session, line, reasons, SECRETARY)
    close_session(session, "DEMO-0", SECRETARY)
    upcoming = SessionInput("DEMO-1", "Comité d'engagement", today + timedelta(7), MEMBERS)
    create_session(session, upcoming, SECRETARY)
    for ref in premises[2:]:
        add_to_agenda(
            session, "DEMO-1", propose(session, ProposalRequest(ref), SECRETARY), SECRETARY
        )
    return True


def _members(session: Session, by: str) -> None:
    with transaction(session, by):
        for email in (*MEMBERS, SECRETARY):
            role = Role.AGENT if email == SECRETARY else Role.COMITE
            if session.scalar(select(Compte.id).where(Compte.email == email)) is None:
                session.add(
                    Compte(
                        email=email,
                        roles=[role.value],
                        actif=True,
                        mot_de_passe=hash_password(secrets.token_urlsafe(24)),
                        jeton_session=secrets.token_hex(16),
                    )
                )


def _premises(session: Session, count: int) -> list[str]:
    """Demo premises with the most candidates, each with at least three."""
    pairs = candidate_pairs(session, current_settings(session))
    sizes = pairs.groupby("premises_id").size()
    best = sizes[sizes >= 3].sort_values(ascending=False, kind="stable").index[:count]
    found = session.execute(select(Local.id, Local.ref).where(Local.id.in_(map(int, best))))
    refs = {i: r for i, r in found}
    return [refs[int(i)] for i in best]


def _first_line(session: Session, ref: str) -> int:
    query = (
        select(LigneProposition.id)
        .join(PropositionComite)
        .where(PropositionComite.ref == ref)
        .order_by(LigneProposition.rang)
    )
    return int(session.scalars(query).first() or 0)


def clear_demo_committee(session: Session, demo_needs: object, demo_premises: object) -> None:
    """Remove the demo's sessions and every proposal on demo records; the caller owns the
    transaction. The append-only log lets the demo's sessions go, and nothing else."""
    items = select(PropositionComite.id).where(
        PropositionComite.besoin_id.in_(demo_needs)  # type: ignore[arg-type]
        | PropositionComite.local_id.in_(demo_premises)  # type: ignore[arg-type]
        | PropositionComite.id.in_(
            select(LigneProposition.proposition_id).where(
                LigneProposition.besoin_id.in_(demo_needs)  # type: ignore[arg-type]
                | LigneProposition.local_id.in_(demo_premises)  # type: ignore[arg-type]
            )
        )
    )
    sessions = select(Seance.id).where(Seance.ref.like("DEMO-%"))
    outside = session.scalar(
        select(PropositionComite.ref)
        .where(PropositionComite.id.in_(items), PropositionComite.seance_id.not_in(sessions))
        .where(PropositionComite.seance_id.is_not(None))
        .limit(1)
    )
    if outside is not None:
        raise Conflict(
            f"La proposition « {outside} », inscrite à une séance hors démo, porte sur des "
            "fiches de démo : le registre du comité ne s'efface pas, la démo reste."
        )
    session.execute(text("SELECT set_config('foncier.vider_demo', 'on', true)"))
    lines = select(LigneProposition.id).where(LigneProposition.proposition_id.in_(items))
    session.execute(delete(VoteComite).where(VoteComite.ligne_id.in_(lines)))
    session.execute(delete(DecisionComite).where(DecisionComite.ligne_id.in_(lines)))
    session.execute(delete(ConflitInteret).where(ConflitInteret.proposition_id.in_(items)))
    session.execute(delete(LigneProposition).where(LigneProposition.proposition_id.in_(items)))
    session.execute(delete(PropositionComite).where(PropositionComite.id.in_(items)))
    session.execute(delete(MembreSeance).where(MembreSeance.seance_id.in_(sessions)))
    session.execute(delete(Seance).where(Seance.id.in_(sessions)))
