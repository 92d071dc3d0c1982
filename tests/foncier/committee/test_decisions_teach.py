"""The committee's own decisions feed ``foncier match learn``: the decisions in force (a
correction replaces the decision it corrects, an adjournment decides nothing), with the
criterion values frozen when the pair was proposed. Built through the committee's use cases
on a real PostGIS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from foncier.cli import main
from foncier.committee.decided import committee_decisions
from foncier.committee.sessions import (
    open_session,
    record_presence,
)
from foncier.committee.votes import Ballot, correct_decision, decide, vote
from foncier.db import make_engine, make_sessionmaker
from foncier.models import Appariement, ReglagesAppariement
from foncier.models.committee import DecisionComite, LigneProposition, PropositionComite
from matching.learning import FEATURES
from matching.settings import CRITERIA
from tests.databases import create_database, drop_database
from tests.foncier.committee.conftest import MEMBERS, SECRETARY, Sitting
from tests.foncier.committee.sittings import members, sit

A, B, C, D = MEMBERS


def _lines(session: Session, ref: str) -> list[LigneProposition]:
    query = select(PropositionComite).where(PropositionComite.ref == ref)
    item = session.scalar(query)
    assert item is not None
    return list(item.lignes)


def _decision_id(session: Session, line_id: int) -> int:
    query = select(func.max(DecisionComite.id)).where(DecisionComite.ligne_id == line_id)
    return int(session.scalar(query) or 0)


def test_the_reader_keeps_the_decisions_in_force_with_their_frozen_values(
    session: Session, sitting: Sitting
) -> None:
    first, second, third = _lines(session, sitting.proposal)[:3]
    open_session(session, sitting.seance, SECRETARY)
    record_presence(session, sitting.seance, [A, B, C], {}, SECRETARY)
    for member in (A, B):
        vote(session, Ballot(first.id, member, "favorable"), member)
        vote(session, Ballot(second.id, member, "defavorable"), member)
    assert decide(session, first.id, "Local adapté.", SECRETARY) == "favorable"
    assert decide(session, second.id, "Trop loin.", SECRETARY) == "defavorable"
    decide(session, third.id, "À revoir.", SECRETARY, issue="ajourne")
    # The secretary got both wrong: the corrections are what the committee decided.
    correct_decision(session, _decision_id(session, first.id), "defavorable", "Erreur.", A)
    correct_decision(session, _decision_id(session, second.id), "favorable", "Erreur.", A)

    frame = committee_decisions(session)
    mine = frame[frame["proposal"] == sitting.proposal].set_index("line_id")
    assert sorted(mine.index) == sorted([first.id, second.id])  # the adjourned line is out
    assert not mine.loc[first.id, "favourable"] and mine.loc[second.id, "favourable"]
    assert set(mine["premises_id"]) == {first.local_id}
    assert mine.loc[second.id, "need_id"] == second.besoin_id
    frozen = {c: second.criteres[c]["value"] for c in CRITERIA}
    assert list(mine.loc[second.id, list(FEATURES)]) == pytest.approx([frozen[c] for c in CRITERIA])
    assert mine["session_id"].nunique() == 1


def test_without_decisions_the_reader_gives_the_columns_learning_reads(
    session: Session,
) -> None:
    frame = committee_decisions(session)
    assert {"session_id", "premises_id", "favourable", *FEATURES} <= set(frame.columns)


# --- the command on a store whose committee has sat -------------------------------------


@pytest.fixture
def demo_db(server_url: str, seeded_db: str) -> Iterator[str]:
    url = create_database(server_url, prefix="foncier_appris", template=seeded_db)
    yield url
    drop_database(url)


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": url}, catch_exceptions=False)


def _count(url: str, model: type[ReglagesAppariement] | type[Appariement]) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.scalar(select(func.count()).select_from(model))
    engine.dispose()
    return int(found or 0)


def test_the_command_learns_from_the_committee_and_adopts_only_when_enough(
    demo_db: str,
) -> None:
    engine = make_engine(demo_db)
    taken: set[int] = set()
    with make_sessionmaker(engine)() as session:
        members(session)
        decided = sit(session, 1, 1, taken)
    shown = run(demo_db, "match", "learn", "--bootstrap", "5")
    assert shown.exit_code == 0, shown.output
    assert f"{decided} décision(s), 1 séance(s)" in shown.output
    assert "Attention : Trop peu de décisions pour conclure" in shown.output
    before = _count(demo_db, ReglagesAppariement)
    refused = run(demo_db, "match", "learn", "--bootstrap", "5", "--adopt")
    assert refused.exit_code == 1 and "Poids appris non adoptés" in refused.output
    assert _count(demo_db, ReglagesAppariement) == before

    with make_sessionmaker(engine)() as session:
        for number in range(2, 8):
            decided += sit(session, number, 4, taken)
    engine.dispose()
    assert decided >= 100
    adopted = run(demo_db, "match", "learn", "--bootstrap", "5", "--adopt")
    assert adopted.exit_code == 0, adopted.output
    assert "Attention" not in adopted.output and "Poids appris adoptés" in adopted.output
    assert _count(demo_db, ReglagesAppariement) == before + 1
    assert run(demo_db, "match").exit_code == 0
    engine = create_engine(demo_db)
    with engine.connect() as connection:
        saved = connection.scalar(
            select(ReglagesAppariement.reglages).order_by(ReglagesAppariement.id.desc())
        )
        recorded = connection.scalar(select(Appariement.reglages).order_by(Appariement.id.desc()))
    engine.dispose()
    assert saved is not None and recorded is not None
    assert recorded["weights"] == saved["weights"]
    # The committee favoured the closest candidate: location weighs most in what it learned.
    assert max(saved["weights"], key=saved["weights"].get) == "location"
