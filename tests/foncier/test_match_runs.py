"""Matching runs on the demo data: constraints hold, explanations add up, runs repeat."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput, NotFound
from foncier.matching.runs import MatchRequest, run_matching, why_not_pair
from foncier.matching.stored_settings import current_settings, save_settings
from foncier.models import Appariement, Besoin, Local, Proposition


def stable_part(result: dict[str, Any]) -> dict[str, Any]:
    """What a run returns, less its own number."""
    return {k: v for k, v in result.items() if k != "run"}


def test_every_proposal_explains_its_score(session: Session) -> None:
    result = run_matching(session, MatchRequest(top=3), "t")
    assert result["pairs"]
    for pair in result["pairs"]:
        total = sum(c["contribution"] for c in pair["criteria"].values())
        assert total == pytest.approx(pair["score"], abs=1e-5)
        assert 0 <= pair["score"] <= 1 and 1 <= pair["rank"] <= 3
        assert set(pair) >= {"need_ref", "premises_ref", "score", "distance_m", "criteria"}


def test_an_unchanged_rerun_is_identical_and_stored_once(session: Session) -> None:
    first = run_matching(session, MatchRequest(top=3, allocate="optimal"), "t")
    second = run_matching(session, MatchRequest(top=3, allocate="optimal"), "t")
    assert stable_part(first) == stable_part(second)
    assert second["run"] == first["run"]  # the same fingerprint is not stored again
    same = select(func.count()).where(Appariement.empreinte == first["fingerprint"])
    assert session.scalar(same) == 1
    other = run_matching(session, MatchRequest(top=2, allocate="optimal"), "t")
    assert other["run"] > first["run"]
    run = session.get(Appariement, second["run"])
    assert run is not None and run.empreinte == second["fingerprint"]
    stored = session.scalar(
        select(func.count()).select_from(Proposition).where(Proposition.appariement_id == run.id)
    )
    assert stored and stored >= len(second["pairs"])


def test_allocations_respect_capacity_and_serve_each_need_once(session: Session) -> None:
    for how in ("optimal", "stable"):
        allocation = run_matching(session, MatchRequest(allocate=how), "t")["allocation"]
        needs = [a["need_ref"] for a in allocation["assignments"]]
        assert len(needs) == len(set(needs)) and needs
        used: dict[str, float] = {}
        for a in allocation["assignments"]:
            used[a["premises_ref"]] = used.get(a["premises_ref"], 0) + a["area_m2"]
        areas = dict(
            session.execute(
                select(Local.ref, Local.surface_m2).where(Local.ref.in_(list(used)))
            ).all()
        )
        assert all(used[ref] <= areas[ref] + 1e-6 for ref in used)
        if how == "stable":
            assert allocation["blocking_pairs"] == 0


def test_both_directions(session: Session) -> None:
    everything = run_matching(session, MatchRequest(top=1), "t")["pairs"]
    need = everything[0]["need_ref"]
    for_need = run_matching(session, MatchRequest(need_ref=need, top=3), "t")
    assert {p["need_ref"] for p in for_need["pairs"]} == {need}
    assert [p["rank"] for p in for_need["pairs"]] == sorted(p["rank"] for p in for_need["pairs"])
    premises = for_need["pairs"][0]["premises_ref"]
    for_premises = run_matching(session, MatchRequest(premises_ref=premises, top=3), "t")
    assert {p["premises_ref"] for p in for_premises["pairs"]} == {premises}


def test_why_not_names_the_excluding_constraint(session: Session) -> None:
    need = session.scalars(
        select(Besoin).where(Besoin.statut == "ouvert").order_by(Besoin.id)
    ).first()
    assert need is not None
    tiny = session.scalars(
        select(Local).where(
            Local.statut == "disponible",
            Local.surface_m2 < need.surface_min_m2,
            Local.nature == "local",
        )
    ).first()
    assert tiny is not None
    result = run_matching(session, MatchRequest(need_ref=need.ref, premises_ref=tiny.ref), "t")
    assert result["pairs"] == []
    assert any("Surface trop petite" in reason for reason in result["why_not"])


def test_why_not_says_which_record_is_out_of_play_and_its_status(session: Session) -> None:
    """Not "the premises is not available, or the need not open": which one, and its status."""
    need = session.scalars(select(Besoin).where(Besoin.statut == "ouvert")).first()
    taken = session.scalars(select(Local).where(Local.statut == "occupe")).first()
    satisfied = session.scalars(select(Besoin).where(Besoin.statut == "satisfait")).first()
    free = session.scalars(
        select(Local).where(Local.statut == "disponible", Local.nature == "local")
    ).first()
    assert need and taken and satisfied and free
    reasons = why_not_pair(session, need.ref, taken.ref)
    assert reasons == ["Le local n'est pas disponible : son statut est « occupé »."]
    reasons = why_not_pair(session, satisfied.ref, free.ref)
    assert reasons == ["Le besoin n'est pas ouvert : son statut est « satisfait »."]


def test_settings_are_recorded_and_weights_change_scores(session: Session) -> None:
    before = run_matching(session, MatchRequest(top=1), "t")
    save_settings(session, {"weights": {"location": 0.0}}, "admin")
    assert current_settings(session).weights["location"] == 0.0
    after = run_matching(session, MatchRequest(top=1), "t")
    assert after["fingerprint"] != before["fingerprint"]
    assert all(p["criteria"]["location"]["contribution"] == 0 for p in after["pairs"])
    with pytest.raises(InvalidInput, match="critères permis"):
        save_settings(session, {"weights": {"couleur": 1.0}}, "admin")


def test_bad_requests_are_explained(session: Session) -> None:
    with pytest.raises(NotFound, match="« NULLE-PART »"):
        run_matching(session, MatchRequest(need_ref="NULLE-PART"), "t")
    with pytest.raises(InvalidInput, match="optimal, stable"):
        run_matching(session, MatchRequest(allocate="meilleur"), "t")


def test_demo_clear_after_a_run_takes_the_demo_proposals_along(session: Session) -> None:
    from foncier.demo import clear_demo

    run = run_matching(session, MatchRequest(top=2), "t")
    counts = clear_demo(session)
    assert counts.besoins > 0
    left = (
        select(func.count())
        .select_from(Proposition)
        .where(Proposition.appariement_id == run["run"])
    )
    assert session.scalar(left) == 0
    assert session.get(Appariement, run["run"]) is not None  # the run itself stays


def test_runs_and_settings_leave_a_history(session: Session) -> None:
    """Migration 0010: what changes the matcher's answers is traced like the registries."""
    run = run_matching(session, MatchRequest(need_ref=None, top=1, allocate="stable"), "agent:a")
    traced = session.execute(
        text(
            "SELECT action, utilisateur FROM historique"
            " WHERE table_name = 'appariements' AND record_id = :id"
        ),
        {"id": str(run["run"])},
    ).all()
    assert [tuple(row) for row in traced] == [("INSERT", "agent:a")]
    for table in ("reglages_appariement", "plafonds_loyer"):
        found = session.execute(
            text("SELECT count(*) FROM pg_trigger WHERE tgname = :name"),
            {"name": f"{table}_historique"},
        ).scalar()
        assert found == 1, table
