"""One record's top candidates come from one relaxed query: its pairs that pass every check
are exactly the strict query's, with the same scores and ranks, for every record of the demo."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.matching._present import ranked, refs_of
from foncier.matching.candidates import Scope, candidate_pairs
from foncier.matching.runs import MatchRequest, top_candidates
from foncier.matching.stored_settings import current_settings
from foncier.models import Besoin, Local
from foncier.vocabulary import OPEN_NEEDS
from matching.ranking import ranked_scores

EVERY = 10_000  # a top K longer than any list: every candidate compared


def _strict(session: Session, scope: Scope, by_premises: bool) -> list[dict[str, object]]:
    settings = current_settings(session)
    table = ranked_scores(candidate_pairs(session, settings, scope), settings)
    return ranked(table, by_premises, EVERY, refs_of(session, table))


@pytest.mark.parametrize("side", ["needs", "premises"])
def test_the_relaxed_query_gives_the_strict_candidates(session: Session, side: str) -> None:
    if side == "needs":
        ids = session.scalars(select(Besoin.id).where(Besoin.statut.in_(OPEN_NEEDS))).all()
    else:  # every premises, withdrawn and occupied ones too: they have no candidate
        ids = session.scalars(select(Local.id).order_by(Local.id)).all()[::2]
    compared = with_candidates = 0
    for record in ids:
        if side == "needs":
            request, scope = MatchRequest(need_id=record, top=EVERY), Scope(need_id=record)
        else:
            request, scope = MatchRequest(premises_id=record, top=EVERY), Scope(premises_id=record)
        found = top_candidates(session, request)["pairs"]
        assert found == _strict(session, scope, side == "premises"), (side, record)
        compared += 1
        with_candidates += bool(found)
    assert compared > 140 and with_candidates > 40
