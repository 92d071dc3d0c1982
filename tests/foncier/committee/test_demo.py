"""The demo's committee: a closed session with decisions, DEMO-1 ready; demo clear removes
them (and only the demo's sessions may leave the append-only log)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from foncier.committee.demo import load_demo_committee
from foncier.committee.proposals import refused_pairs
from foncier.committee.reading import session_view
from foncier.db import transaction
from foncier.demo import clear_demo
from foncier.models.committee import DecisionComite, Seance


def test_the_demo_committee_and_its_clearing(session: Session) -> None:
    assert load_demo_committee(session)
    assert not load_demo_committee(session)  # once only
    past = session_view(session, "DEMO-0")
    assert past["seance"].etat == "close" and past["quorum_atteint"]
    issues = [d["issue"] for p in past["points"] for line in p["lignes"] for d in line["decisions"]]
    assert issues == ["favorable", "defavorable"]
    assert past["points"][1]["conflits"]
    assert refused_pairs(session)
    upcoming = session_view(session, "DEMO-1")
    assert upcoming["seance"].etat == "preparation" and len(upcoming["points"]) == 2
    assert all(len(p["lignes"]) >= 3 for p in upcoming["points"])

    # Outside demo clear, the log stays append-only even for the demo's rows.
    with pytest.raises(DBAPIError, match="ajout seul"), session.begin_nested():
        session.execute(text("DELETE FROM decisions_comite"))
    with transaction(session, "tests"):
        clear_demo(session)
    assert session.scalar(select(func.count()).select_from(Seance)) == 0
    assert session.scalar(select(func.count()).select_from(DecisionComite)) == 0
