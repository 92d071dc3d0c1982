"""The time from registration to a favourable decision, against a direct count on the demo
committee; and the figures kept while the data has not changed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from foncier.committee.demo import MEMBERS, SECRETARY, load_demo_committee
from foncier.committee.sessions import open_session, record_presence
from foncier.committee.votes import Ballot, correct_decision, decide, vote
from foncier.models import Acteur, Besoin
from foncier.models.committee import DecisionComite, LigneProposition, PropositionComite, Seance
from foncier.observatory import observatory, observatory_table
from foncier.observatory.granted import ALL_SECTORS, time_to_favourable
from foncier.vocabulary import StatutBesoin

PARIS = ZoneInfo("Europe/Paris")


def _day(moment: datetime) -> int:
    return moment.astimezone(PARIS).date().toordinal()


def decided_demo(session: Session) -> None:
    """The demo committee, its needs registered on different days, the first line of each
    item of the upcoming session granted, and the past session's refusal corrected."""
    assert load_demo_committee(session)
    session.execute(
        text("UPDATE besoins SET created_at = created_at - (id % 40) * interval '1 day'")
    )
    session.commit()
    open_session(session, "DEMO-1", SECRETARY)
    record_presence(session, "DEMO-1", MEMBERS, {}, SECRETARY)
    items = select(PropositionComite).join(Seance).where(Seance.ref == "DEMO-1")
    for item in session.scalars(items).all():
        first = item.lignes[0]
        for member in MEMBERS:
            vote(session, Ballot(first.id, member, "favorable"), member)
        decide(session, first.id, "Accordé.", SECRETARY)
    refusal = select(DecisionComite.id).where(DecisionComite.issue == "defavorable")
    correct_decision(session, int(session.scalars(refusal).one()), "favorable", "Erreur.", "t")


def direct(session: Session) -> dict[str, list[int]]:
    """Days from registration to the first favourable decision in force, by sector code."""
    decisions = session.scalars(select(DecisionComite).order_by(DecisionComite.id)).all()
    by_line: dict[int, list[DecisionComite]] = {}
    for decision in decisions:
        by_line.setdefault(decision.ligne_id, []).append(decision)
    first: dict[int, datetime] = {}
    for line_id, chain in by_line.items():
        if chain[-1].issue == "favorable":
            line = session.get(LigneProposition, line_id)
            assert line is not None
            moment = min(d.horodatage for d in chain)
            first[line.besoin_id] = min(first.get(line.besoin_id, moment), moment)
    days: dict[str, list[int]] = {}
    for need_id, moment in first.items():
        need = session.get(Besoin, need_id)
        assert need is not None
        actor = session.get(Acteur, need.acteur_id)
        assert actor is not None
        days.setdefault(actor.filiere, []).append(_day(moment) - _day(need.created_at))
    return days


def test_time_to_a_favourable_decision_by_sector(session: Session) -> None:
    decided_demo(session)
    expected = direct(session)
    rows = {r["key"]: r for r in time_to_favourable(session).rows}
    every = [d for values in expected.values() for d in values]
    assert len(every) >= 3 and len(set(every)) > 1
    overall = rows.pop("")
    assert overall["label"] == ALL_SECTORS and overall["needs"] == len(every)
    assert overall["median_days"] == pytest.approx(np.percentile(every, 50))
    assert overall["p90_days"] == pytest.approx(np.percentile(every, 90))
    assert set(rows) == set(expected)
    for sector, values in expected.items():
        assert rows[sector]["needs"] == len(values)
        assert rows[sector]["median_days"] == pytest.approx(np.percentile(values, 50))
        assert rows[sector]["p90_days"] == pytest.approx(np.percentile(values, 90))


def test_without_decisions_the_overall_row_says_none(session: Session) -> None:
    rows = time_to_favourable(session).rows
    assert rows[0]["label"] == ALL_SECTORS and rows[0]["needs"] == 0
    assert rows[0]["median_days"] is None


@pytest.mark.parametrize("today", [None, date(2027, 1, 15)])
def test_figures_are_kept_until_the_data_changes(session: Session, today: date | None) -> None:
    first = observatory(session, today)
    assert observatory(session, today) is first  # nothing changed: nothing computed again
    assert observatory_table(session, "delais") is observatory_table(session, "delais")
    need = session.scalars(select(Besoin).where(Besoin.statut == "ouvert")).first()
    assert need is not None
    need.statut = StatutBesoin.ABANDONNE  # a write: the history moves, the figures follow
    session.commit()
    again = observatory(session, today)  # a given day too: the data's version counts
    assert again is not first and again.summary.needs == first.summary.needs - 1
    assert observatory(session, today) is again
