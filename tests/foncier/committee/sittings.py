"""Committee sessions held through the use cases, each with its decisions: what the learning
of the weights reads (tests of ``foncier match learn`` and of its page)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.accounts.service import add_account
from foncier.committee.proposals import ProposalRequest, propose
from foncier.committee.sessions import (
    SessionInput,
    add_to_agenda,
    close_session,
    create_session,
    open_session,
    record_presence,
)
from foncier.committee.votes import Ballot, decide, vote
from foncier.matching.candidates import candidate_pairs
from foncier.matching.stored_settings import current_settings
from foncier.models import Local
from foncier.models.committee import LigneProposition, PropositionComite
from tests.foncier.committee.conftest import MEMBERS, SECRETARY


def lines_of(session: Session, ref: str) -> list[LigneProposition]:
    item = session.scalar(select(PropositionComite).where(PropositionComite.ref == ref))
    assert item is not None
    return list(item.lignes)


def members(session: Session) -> None:
    for email in MEMBERS:
        add_account(session, email, ["comite"], "mot de passe du membre", "tests")
    add_account(session, SECRETARY, ["agent"], "mot de passe de l'agent", "tests")


def _busiest_premises(session: Session, taken: set[int]) -> str | None:
    """The premises with the most candidates not yet proposed, if it has two or more."""
    pairs = candidate_pairs(session, current_settings(session))
    sizes = pairs[~pairs["premises_id"].isin(taken)].groupby("premises_id").size()
    sizes = sizes[sizes >= 2].sort_values(ascending=False, kind="stable")
    if sizes.empty:
        return None
    found = session.get(Local, int(sizes.index[0]))
    return found.ref if found else None


def sit(session: Session, number: int, proposals: int, taken: set[int]) -> int:
    """A closed session: ``proposals`` premises, each with the committee favouring the
    candidate closest to it (its location value) and refusing the others; the decisions."""
    ref = f"APPR-{number}"
    day = date(2026, 1, 5) + timedelta(weeks=number)
    create_session(session, SessionInput(ref, f"Séance {number}", day, MEMBERS[:1]), SECRETARY)
    items = []
    for _ in range(proposals):
        premises = _busiest_premises(session, taken)
        if premises is None:
            break
        item = propose(session, ProposalRequest(premises_ref=premises, count=6), SECRETARY)
        add_to_agenda(session, ref, item, SECRETARY)
        items.append(item)
        taken.update(line.local_id for line in lines_of(session, item))
    open_session(session, ref, SECRETARY)
    record_presence(session, ref, MEMBERS[:1], {}, SECRETARY)
    decided = 0
    for item in items:
        lines = lines_of(session, item)
        best = max(lines, key=lambda line: line.criteres["location"]["value"])
        for line in lines:
            choice = "favorable" if line.id == best.id else "defavorable"
            vote(session, Ballot(line.id, MEMBERS[0], choice), MEMBERS[0])
            decide(session, line.id, "Motif d'essai.", SECRETARY)
            decided += 1
    close_session(session, ref, SECRETARY)
    return decided
