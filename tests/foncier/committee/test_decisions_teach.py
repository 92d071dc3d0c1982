"""The committee's own decisions feed ``foncier match learn``: the decisions in force (a
correction replaces the decision it corrects, an adjournment decides nothing), with the
criterion values frozen when the pair was proposed. Built through the committee's use cases
on a real PostGIS."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from foncier.accounts.service import add_account
from foncier.cli import main
from foncier.committee.decided import committee_decisions
from foncier.committee.proposals import ProposalRequest, propose
from foncier.committee.sessions import (
    SessionInput,
    add_to_agenda,
    close_session,
    create_session,
    open_session,
    record_presence,
)
from foncier.committee.votes import Ballot, correct_decision, decide, vote
from foncier.db import make_engine, make_sessionmaker
from foncier.matching.candidates import candidate_pairs
from foncier.matching.stored_settings import current_settings
from foncier.models import Appariement, Local, ReglagesAppariement
from foncier.models.committee import DecisionComite, LigneProposition, PropositionComite
from matching.learning import FEATURES
from matching.settings import CRITERIA
from tests.databases import create_database, drop_database
from tests.foncier.committee.conftest import MEMBERS, SECRETARY, Sitting

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


def _members(session: Session) -> None:
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
        taken.update(line.local_id for line in _lines(session, item))
    open_session(session, ref, SECRETARY)
    record_presence(session, ref, MEMBERS[:1], {}, SECRETARY)
    decided = 0
    for item in items:
        lines = _lines(session, item)
        best = max(lines, key=lambda line: line.criteres["location"]["value"])
        for line in lines:
            choice = "favorable" if line.id == best.id else "defavorable"
            vote(session, Ballot(line.id, A, choice), A)
            decide(session, line.id, "Motif d'essai.", SECRETARY)
            decided += 1
    close_session(session, ref, SECRETARY)
    return decided


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
        _members(session)
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
