"""A committee ready to sit: three members, a secretary, and a premises with candidates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from foncier.accounts.service import add_account
from foncier.committee.proposals import ProposalRequest, propose
from foncier.committee.sessions import SessionInput, add_to_agenda, create_session
from foncier.matching.candidates import candidate_pairs
from foncier.matching.stored_settings import current_settings
from foncier.models import Local

MEMBERS = ("alice@comite.test", "bruno@comite.test", "chloe@comite.test", "dina@comite.test")
SECRETARY = "secretariat@ais.test"


@dataclass(frozen=True)
class Sitting:
    seance: str
    proposal: str
    premises_ref: str


def premises_with_candidates(session: Session, at_least: int = 3) -> str:
    """The demo premises with the most candidate needs (at least ``at_least``)."""
    pairs = candidate_pairs(session, current_settings(session))
    counts = pairs.groupby("premises_id").size().sort_values(ascending=False)
    assert counts.iloc[0] >= at_least, counts.head()
    premises = session.get(Local, int(counts.index[0]))
    assert premises is not None
    return premises.ref


@pytest.fixture
def sitting(session: Session) -> Sitting:
    for email in MEMBERS:
        add_account(session, email, ["comite"], "mot de passe du membre", "tests")
    add_account(session, SECRETARY, ["agent"], "mot de passe de l'agent", "tests")
    ref = premises_with_candidates(session)
    proposal = propose(session, ProposalRequest(premises_ref=ref), SECRETARY)
    seance = create_session(
        session,
        SessionInput("S-TEST", "Séance d'essai", date(2026, 12, 3), MEMBERS),
        SECRETARY,
    )
    add_to_agenda(session, seance, proposal, SECRETARY)
    return Sitting(seance, proposal, ref)
