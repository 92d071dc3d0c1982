"""A whole committee session on a real PostGIS: propose, open, presence and a proxy, a
conflict, quorum, votes, decision, close, a correction, and the append-only log in SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from foncier.committee import proposals
from foncier.committee.proposals import ProposalRequest, propose, refused_pairs
from foncier.committee.sessions import close_session, open_session, record_presence
from foncier.committee.votes import Ballot, correct_decision, decide, declare_conflict, vote
from foncier.errors import Conflict, InvalidInput
from foncier.models import Besoin, Local
from foncier.models.committee import DecisionComite, LigneProposition, PropositionComite
from tests.foncier.committee.conftest import MEMBERS, SECRETARY, Sitting

A, B, C, D = MEMBERS


def _lines(session: Session, ref: str) -> list[LigneProposition]:
    item = session.scalar(select(PropositionComite).where(PropositionComite.ref == ref))
    assert item is not None
    return list(item.lignes)


def _status(session: Session, model: type[Besoin] | type[Local], record_id: int) -> str:
    table = "besoins" if model is Besoin else "locaux"
    session.flush()
    found = session.scalar(text(f"SELECT statut FROM {table} WHERE id = :id"), {"id": record_id})
    return str(found)


def test_a_proposal_freezes_its_snapshot_and_puts_records_under_proposal(
    session: Session, sitting: Sitting
) -> None:
    lines = _lines(session, sitting.proposal)
    assert [line.rang for line in lines] == [1, 2, 3]
    assert lines[0].score >= lines[1].score >= lines[2].score
    first = lines[0].criteres
    assert {"label", "value", "contribution", "default"} <= set(first["location"])
    assert sum(c["contribution"] for c in first.values()) == pytest.approx(lines[0].score)
    assert _status(session, Local, lines[0].local_id) == "sous_option"
    assert {_status(session, Besoin, line.besoin_id) for line in lines} == {"en_proposition"}
    shown = proposals.open_proposals(session, premises_id=lines[0].local_id)
    assert {p["ref"] for p in shown} == {sitting.proposal}


def test_a_whole_session(session: Session, sitting: Sitting) -> None:
    lines = _lines(session, sitting.proposal)
    first, second = lines[0], lines[1]
    open_session(session, sitting.seance, SECRETARY)
    declare_conflict(session, sitting.proposal, C, "administratrice de l'association", C)

    # Only Alice present: 1 of 4, the quorum (half) is not reached.
    record_presence(session, sitting.seance, [A], {}, SECRETARY)
    with pytest.raises(Conflict, match="Quorum non atteint"):
        vote(session, Ballot(first.id, A, "favorable"), A)

    # Alice, Chloé and Dina present, Bruno gives Chloé his proxy: 4 of 4.
    record_presence(session, sitting.seance, [A, C, D], {B: C}, SECRETARY)
    # Chloé's conflict bars her own vote and the proxy she carries, on this item.
    with pytest.raises(Conflict, match="conflit d'intérêts"):
        vote(session, Ballot(first.id, C, "favorable"), C)
    with pytest.raises(Conflict, match="conflit d'intérêts"):
        vote(session, Ballot(first.id, C, "favorable", for_member=B), C)
    with pytest.raises(Conflict, match="ne porte pas de pouvoir"):
        vote(session, Ballot(first.id, A, "favorable", for_member=B), A)
    vote(session, Ballot(first.id, A, "defavorable"), A)
    vote(session, Ballot(first.id, A, "favorable"), A)  # changes her mind: a new entry
    vote(session, Ballot(first.id, D, "favorable"), D)
    assert decide(session, first.id, "Projet solide, local adapté.", SECRETARY) == "favorable"
    decision = session.scalar(select(DecisionComite).where(DecisionComite.ligne_id == first.id))
    assert decision is not None
    assert decision.decompte == {"favorable": 2, "defavorable": 0, "abstention": 0}
    assert decision.enregistre_par == SECRETARY

    # Flow back: premises reserved, the chosen need satisfied, the others released.
    assert _status(session, Local, first.local_id) == "reserve"
    assert _status(session, Besoin, first.besoin_id) == "satisfait"
    assert _status(session, Besoin, second.besoin_id) == "ouvert"

    close_session(session, sitting.seance, SECRETARY)
    with pytest.raises(Conflict, match="close"):
        vote(session, Ballot(second.id, A, "defavorable"), A)
    with pytest.raises(Conflict, match="close"):
        record_presence(session, sitting.seance, [A, C, D], {}, SECRETARY)
    correct_decision(session, decision.id, "ajourne", "Pièce manquante au dossier.", SECRETARY)
    newest = session.scalars(
        select(DecisionComite).where(DecisionComite.ligne_id == first.id)
    ).all()
    assert [d.corrige_id for d in newest] == [None, decision.id]
    # The correction hands the pair back: it is under proposal again.
    assert _status(session, Local, first.local_id) == "sous_option"

    with pytest.raises(DBAPIError, match="ajout seul"), session.begin_nested():
        session.execute(text("UPDATE decisions_comite SET motifs = 'réécrit'"))
    with pytest.raises(DBAPIError, match="ajout seul"), session.begin_nested():
        session.execute(text("DELETE FROM votes_comite"))
    with pytest.raises(DBAPIError, match="close"), session.begin_nested():
        session.execute(text("UPDATE seance_membres SET present = true"))


def test_a_refused_pair_is_not_proposed_again_until_an_input_changes(
    session: Session, sitting: Sitting
) -> None:
    first = _lines(session, sitting.proposal)[0]
    pair = (first.besoin_id, first.local_id)
    open_session(session, sitting.seance, SECRETARY)
    record_presence(session, sitting.seance, [A, B, C], {}, SECRETARY)
    for member in (A, B, C):
        vote(session, Ballot(first.id, member, "defavorable"), member)
    assert decide(session, first.id, "Budget trop juste.", SECRETARY) == "defavorable"
    assert _status(session, Besoin, first.besoin_id) == "ouvert"
    assert refused_pairs(session)[pair] == sitting.proposal

    need = session.get(Besoin, first.besoin_id)
    assert need is not None
    with pytest.raises(InvalidInput, match="refusé en comité"):
        propose(session, ProposalRequest(need_ref=need.ref, picks=(sitting.premises_ref,)), A)

    # The need changes (a larger budget): the pair may come back.
    session.execute(
        text("UPDATE besoins SET surface_max_m2 = surface_max_m2 + 1 WHERE id = :id"),
        {"id": first.besoin_id},
    )
    assert pair not in refused_pairs(session)


def test_proxies_are_checked(session: Session, sitting: Sitting) -> None:
    with pytest.raises(InvalidInput, match="au plus 1"):
        record_presence(session, sitting.seance, [A, B], {C: A, D: A}, SECRETARY)
    with pytest.raises(InvalidInput, match="n'est pas présent"):
        record_presence(session, sitting.seance, [A], {B: C}, SECRETARY)
