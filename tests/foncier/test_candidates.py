"""Candidates in PostGIS agree with the pure hard constraints, pair for pair."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.matching.candidates import Scope, candidate_pairs, needs_without_candidates
from matching.constraints import check_constraints
from matching.pairs import PAIR_COLUMNS
from matching.settings import Settings


def keys(frame: object) -> set[tuple[int, int]]:
    return set(zip(frame["need_id"], frame["premises_id"], strict=True))  # type: ignore[index]


def test_sql_candidates_are_exactly_the_pairs_passing_every_constraint(session: Session) -> None:
    settings = Settings()
    strict = candidate_pairs(session, settings)
    relaxed = candidate_pairs(session, settings, Scope(strict=False))
    assert list(strict.columns) == list(PAIR_COLUMNS)
    assert len(strict) > 50 and len(relaxed) > len(strict)
    passing = relaxed[check_constraints(relaxed, settings)["passes"].to_numpy()]
    assert keys(strict) == keys(passing)
    assert check_constraints(strict, settings)["passes"].all()


def test_other_settings_change_the_candidates_consistently(session: Session) -> None:
    tight = Settings(budget_tolerance=0.0, wait_horizon_days=30)
    strict = candidate_pairs(session, tight)
    relaxed = candidate_pairs(session, tight, Scope(strict=False))
    passing = relaxed[check_constraints(relaxed, tight)["passes"].to_numpy()]
    assert keys(strict) == keys(passing)
    assert len(strict) <= len(candidate_pairs(session, Settings()))


def test_one_need_or_one_premises(session: Session) -> None:
    everything = candidate_pairs(session, Settings())
    need = int(everything["need_id"].iloc[0])
    premises = int(everything["premises_id"].iloc[0])
    assert set(candidate_pairs(session, Settings(), Scope(need_id=need))["need_id"]) == {need}
    only = candidate_pairs(session, Settings(), Scope(premises_id=premises))
    assert set(only["premises_id"]) == {premises}


def test_needs_without_candidates_are_those_the_pairs_leave_out(session: Session) -> None:
    settings = Settings()
    matched = set(candidate_pairs(session, settings)["need_id"].astype(int))
    open_ids = text("SELECT id FROM besoins WHERE statut IN ('ouvert', 'en_proposition')")
    every = set(session.scalars(open_ids))
    alone = needs_without_candidates(session, settings)
    assert alone and set(alone) == every - matched


def test_accepted_relaxed_pairs_are_the_relaxed_ones_of_an_accepted_kind_and_tenure(
    session: Session,
) -> None:
    relaxed = candidate_pairs(session, Settings(), Scope(strict=False, margin_m=500.0))
    kept = relaxed[relaxed["kind_accepted"] & relaxed["tenure_accepted"]]
    accepted = candidate_pairs(
        session, Settings(), Scope(strict=False, margin_m=500.0, accepted=True)
    )
    keys = ["need_id", "premises_id"]
    assert len(accepted) < len(relaxed)
    assert accepted[keys].values.tolist() == kept[keys].values.tolist()
