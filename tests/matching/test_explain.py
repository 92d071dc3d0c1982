"""Explanations: French reasons and hints written out by hand, and their invariants."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.constraints import check_constraints, example_pairs, timing_gaps
from matching.explain import explain, near_misses, why_not
from matching.scoring import score_pairs
from matching.settings import CRITERIA, Settings
from tests.factories import PROPERTIES, pairs_frames

NAN = math.nan
NAT = pd.NaT
DAY = pd.Timestamp


def _why_not(**overrides: Any) -> list[str]:
    return why_not(example_pairs(**overrides).iloc[0], Settings())


def _hints(**overrides: Any) -> list[list[str]]:
    hints: list[list[str]] = near_misses(example_pairs(**overrides), Settings())["hints"].tolist()
    return hints


def test_explain_splits_the_score_into_contributions() -> None:
    scored = score_pairs(example_pairs(stage="emergence", budget_m2_year=NAN), Settings())
    detail = explain(scored.iloc[0])
    assert set(detail["criteria"]) == set(CRITERIA)
    total = sum(item["contribution"] for item in detail["criteria"].values())
    assert total == pytest.approx(detail["score"], abs=1e-12)
    assert detail["criteria"]["stage"]["value"] == pytest.approx(0.4)
    assert detail["criteria"]["cost"]["default"] is True
    assert detail["criteria"]["cost"]["label"] == "Coût"
    assert detail["completeness"] == pytest.approx(8 / 9)


# The need: 100 to 150 m², 2025-03-01 to 2025-06-01, budget 180 €/m²/an (10 % tolerance).
@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"kind_accepted": False}, "Type de local non accepté."),
        ({"must_have_missing": 1}, "Il manque 1 équipement indispensable."),
        ({"must_have_missing": 2}, "Il manque 2 équipements indispensables."),
        (
            {"area_m2": 80.0},
            "Surface trop petite : 80 m² pour 100 à 150 m² demandés (−20 m²).",
        ),
        (
            {"area_m2": 200.0},
            "Surface trop grande : 200 m² pour 100 à 150 m² demandés (+50 m²), "
            "local ni divisible ni partagé.",
        ),
        (
            {"area_m2": 300.0, "divisible": True, "lot_min_m2": 180.0},
            "Plus petit lot trop grand : 180 m² pour 100 à 150 m² demandés (+30 m²).",
        ),
        (
            {"area_m2": 1200.0, "need_min_m2": 1500.0, "need_max_m2": 2000.0},
            "Surface trop petite : 1\u202f200 m² pour 1\u202f500 à 2\u202f000 m² demandés "
            "(−300 m²).",
        ),
        (
            {"area_m2": 80.5, "need_max_m2": NAN},
            "Surface trop petite : 80,5 m² pour 100 m² au moins demandés (−19,5 m²).",
        ),
        (
            {"rent_m2_year": 180.0, "charges_m2_year": 20.0, "budget_m2_year": 150.0},
            "Trop cher : 200 €/m²/an (charges comprises) pour un budget de 150 €/m²/an, "
            "165 avec la tolérance de 10 % (+35 €/m²/an).",
        ),
        (
            {"available_from": DAY("2025-09-01")},
            "Disponible trop tard : le 01/09/2025 pour une entrée au plus tard le 01/06/2025 "
            "(3 mois de retard).",
        ),
        (
            {"available_from": DAY("2025-09-07"), "move_in_latest": NAT},
            "Disponible trop tard : le 07/09/2025 pour une entrée dès le 01/03/2025 et "
            "180 jours d'attente (10 jours de retard).",
        ),
        (
            {"available_until": DAY("2025-02-19")},
            "Occupation temporaire trop courte : elle prend fin le 19/02/2025, avant l'entrée "
            "au plus tôt le 01/03/2025 (10 jours trop tôt).",
        ),
        (
            {"in_zone": False, "distance_m": 3200.0, "max_distance_m": 2000.0},
            "Hors de la zone souhaitée et à 3,2 km pour 2 km au plus.",
        ),
        (
            {"in_zone": False, "distance_m": 800.0, "max_distance_m": NAN},
            "Hors de la zone souhaitée, à 800 m, sans distance maximale acceptée.",
        ),
    ],
)
def test_why_not_names_the_constraint_and_the_gap(overrides: dict[str, Any], reason: str) -> None:
    assert _why_not(**overrides) == [reason]


def test_why_not_names_every_failing_constraint() -> None:
    reasons = _why_not(kind_accepted=False, area_m2=80.0, in_zone=False, distance_m=500.0)
    assert [reason.split(" ")[0] for reason in reasons] == ["Type", "Surface", "Hors"]


def test_why_not_is_empty_for_a_passing_pair() -> None:
    assert _why_not() == []


def test_why_not_refuses_a_row_without_the_contract_columns() -> None:
    with pytest.raises(ValueError, match="colonnes manquantes"):
        why_not(pd.Series({"need_id": 1}), Settings())


@pytest.mark.parametrize(
    ("overrides", "hints"),
    [
        ({"area_m2": 85.0}, ["+15 m² de surface"]),
        ({"area_m2": 165.0}, ["−15 m² de surface"]),  # 15 / 150 = 10 % too big
        (
            {"rent_m2_year": 157.0, "charges_m2_year": 20.0, "budget_m2_year": 150.0},
            ["−12 €/m²/an de loyer et charges"],
        ),
        ({"available_from": DAY("2025-07-16")}, ["disponible 45 jours plus tôt"]),
        ({"available_from": DAY("2025-08-01")}, ["disponible 2 mois plus tôt"]),
        ({"available_until": DAY("2025-02-19")}, ["occupation temporaire prolongée de 10 jours"]),
        (
            {"in_zone": False, "distance_m": 2800.0, "max_distance_m": 2000.0},
            ["à 800 m de plus que la distance acceptée"],
        ),
        (
            {"in_zone": False, "distance_m": 800.0, "max_distance_m": NAN},
            ["à 800 m hors de la zone souhaitée"],
        ),
        (
            {"area_m2": 85.0, "available_from": DAY("2025-07-16")},
            ["+15 m² de surface", "disponible 45 jours plus tôt"],
        ),
    ],
)
def test_near_miss_hints(overrides: dict[str, Any], hints: list[str]) -> None:
    assert _hints(**overrides) == [hints]


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # passes: not a miss at all
        {"area_m2": 60.0},  # 40 m² short of 100: beyond 30 %
        {"rent_m2_year": 300.0},  # 155 €/m²/an over a 180 budget: beyond 30 %
        {"available_from": DAY("2025-10-01")},  # 122 days late: beyond 120
        {"in_zone": False, "distance_m": 3200.0, "max_distance_m": 2000.0},  # 1.2 km beyond
        {"area_m2": 85.0, "kind_accepted": False},
        {"area_m2": 85.0, "must_have_missing": 1},
        {"area_m2": 85.0, "available_from": DAY("2025-10-01")},  # one gap too far
    ],
)
def test_not_near_misses(overrides: dict[str, Any]) -> None:
    assert _hints(**overrides) == []


def test_near_misses_keep_the_pairs_index() -> None:
    pairs = pd.concat(
        [example_pairs(), example_pairs(premises_id=8, area_m2=85.0)], ignore_index=True
    )
    result = near_misses(pairs.set_axis([10, 20]), Settings())
    assert list(result.index) == [20]
    assert list(result.columns) == ["need_id", "premises_id", "hints"]
    assert result.loc[20, "premises_id"] == 8


@PROPERTIES
@given(pairs_frames(max_rows=6))
def test_why_not_has_a_reason_exactly_when_a_pair_fails(pairs: pd.DataFrame) -> None:
    checks = check_constraints(pairs, Settings())
    for (_, row), passes in zip(pairs.iterrows(), checks["passes"], strict=True):
        reasons = why_not(row, Settings())
        assert bool(reasons) == (not passes)
        assert all(isinstance(reason, str) and reason.endswith(".") for reason in reasons)


@PROPERTIES
@given(pairs_frames())
def test_near_misses_are_failing_pairs_of_an_accepted_kind(pairs: pd.DataFrame) -> None:
    checks = check_constraints(pairs, Settings())
    misses = near_misses(pairs, Settings())
    chosen = checks.loc[misses.index]
    assert not chosen["passes"].any()
    assert chosen["ok_kind"].all() and chosen["ok_must_have"].all()
    assert all(len(hints) >= 1 for hints in misses["hints"])


@PROPERTIES
@given(pairs_frames())
def test_explained_contributions_add_up_to_the_score(pairs: pd.DataFrame) -> None:
    for _, row in score_pairs(pairs, Settings()).iterrows():
        detail = explain(row)
        total = sum(item["contribution"] for item in detail["criteria"].values())
        assert total == pytest.approx(detail["score"], abs=1e-12)
        assert 0 <= detail["completeness"] <= 1


# --- hints that suffice ---------------------------------------------------------------------


def test_why_not_with_no_earliest_move_in_date() -> None:
    """The store requires it, but the pure core does not assume it (imports, notebooks)."""
    reasons = _why_not(move_in_earliest=NAT, available_from=DAY("2025-08-01"))
    assert reasons == [
        "Disponible trop tard : le 01/08/2025 pour une entrée au plus tard le 01/06/2025 "
        "(2 mois de retard)."
    ]
    late = _why_not(move_in_earliest=NAT, available_until=DAY("2025-01-01"))
    assert late == []  # an unknown earliest date never excludes


@pytest.mark.parametrize(
    ("overrides", "hints"),
    [
        ({"available_from": DAY("2025-08-15")}, ["disponible 3 mois plus tôt"]),  # 75 days
        ({"available_from": DAY("2025-09-12")}, ["disponible 4 mois plus tôt"]),  # 103 days
        (
            {"in_zone": False, "distance_m": 3040.0, "max_distance_m": 2000.0},
            ["à 1,1 km de plus que la distance acceptée"],
        ),
        ({"rent_m2_year": 95.0, "charges_m2_year": 20.0, "budget_m2_year": 100.0}, []),
    ],
)
def test_hints_round_up(overrides: dict[str, Any], hints: list[str]) -> None:
    settings = Settings(near_miss_distance_m=2000.0, budget_tolerance=0.15)
    found = near_misses(example_pairs(**overrides), settings)["hints"].tolist()
    assert found == ([hints] if hints else [])  # 115 ≤ 100 × 1.15 at the cent: it passes


_NUMBER = r"([0-9\u202f]+(?:,[0-9]+)?)"


def _number(text: str) -> float:
    return float(text.replace("\u202f", "").replace(",", "."))


def _apply(pair: pd.DataFrame, hint: str) -> tuple[pd.DataFrame, str]:
    """The pair as the hint would change it, and the constraint the hint names."""
    row = pair.copy()
    if match := re.fullmatch(rf"([+−]){_NUMBER} m² de surface", hint):
        sign, value = match.group(1), _number(match.group(2))
        if sign == "+":
            row["area_m2"] += value
        elif bool(row["divisible"].iloc[0]):
            row["lot_min_m2"] -= value
        else:
            row["area_m2"] -= value
        return row, "area"
    if match := re.fullmatch(rf"−{_NUMBER} €/m²/an de loyer et charges", hint):
        row["rent_m2_year"] -= _number(match.group(1))
        return row, "budget"
    if match := re.fullmatch(rf"−{_NUMBER} €/m² de prix de vente", hint):
        row["sale_price_m2"] -= _number(match.group(1))
        return row, "budget"
    if match := re.fullmatch(
        rf"(disponible|occupation temporaire prolongée de) {_NUMBER} "
        r"(jours?|mois)( plus tôt)?",
        hint,
    ):
        count = int(_number(match.group(2)))
        step = (
            pd.DateOffset(months=count) if match.group(3) == "mois" else pd.DateOffset(days=count)
        )
        if match.group(1) == "disponible":
            row["available_from"] = row["available_from"] - step
            return row, "late"
        row["available_until"] = row["available_until"] + step
        return row, "early"
    match = re.fullmatch(
        rf"à {_NUMBER} (m|km) (hors de la zone souhaitée|de plus que la distance "
        r"acceptée)",
        hint,
    )
    assert match, hint
    metres = _number(match.group(1)) * (1000 if match.group(2) == "km" else 1)
    row["max_distance_m"] = np.nan_to_num(row["max_distance_m"], nan=0.0) + metres
    return row, "location"


@st.composite
def near_pairs(draw: st.DrawFn) -> pd.DataFrame:
    """One pair on the grids data come on: whole m² and metres, cents, days."""
    day = pd.Timestamp("2025-03-01")
    low = draw(st.integers(20, 300))
    overrides: dict[str, Any] = {
        "area_m2": float(draw(st.integers(10, 600))),
        "need_min_m2": float(low),
        "need_max_m2": float(low + draw(st.integers(0, 200))),
        "divisible": draw(st.booleans()),
        "lot_min_m2": draw(st.sampled_from([NAN, 30.0, 80.0, 200.0])),
        "rent_m2_year": draw(st.integers(3000, 30000)) / 100,
        "charges_m2_year": draw(st.sampled_from([NAN, 0.0, 12.5, 20.0])),
        "budget_m2_year": float(draw(st.integers(30, 300))),
        "sale_price_m2": draw(st.sampled_from([NAN, 1999.99, 2300.0, 2412.5, 2999.0])),
        "budget_purchase_m2": draw(st.sampled_from([NAN, 2000.0, 2100.0])),
        "need_rents": draw(st.booleans()),
        "need_buys": draw(st.booleans()),
        "available_from": day + pd.Timedelta(days=draw(st.integers(-30, 400))),
        "available_until": draw(
            st.sampled_from([NAT, day - pd.Timedelta(days=draw(st.integers(1, 400)))])
        ),
        "move_in_latest": draw(st.sampled_from([NAT, day + pd.Timedelta(days=40)])),
        "in_zone": draw(st.booleans()),
        "distance_m": float(draw(st.integers(0, 6000))),
        "max_distance_m": draw(st.sampled_from([NAN, 500.0, 2000.0])),
    }
    overrides["lot_min_m2"] = min(overrides["lot_min_m2"], overrides["area_m2"])
    return example_pairs(move_in_earliest=day, **overrides)


@settings(max_examples=400, deadline=None)
@given(near_pairs(), st.sampled_from([0.0, 0.1, 0.15, 0.2]), st.integers(0, 120))
def test_each_hint_applied_lifts_the_constraint_it_names(
    pair: pd.DataFrame, tolerance: float, horizon: int
) -> None:
    config = Settings(
        budget_tolerance=tolerance,
        wait_horizon_days=horizon,
        near_miss_area_share=2.0,
        near_miss_budget_share=2.0,
        near_miss_days=800,
        near_miss_distance_m=10_000.0,
    )
    for hint in near_misses(pair, config)["hints"].explode().dropna():
        changed, constraint = _apply(pair, str(hint))
        if constraint in ("late", "early"):
            late, early = timing_gaps(changed, config)
            assert (late if constraint == "late" else early)[0] == 0, hint
        else:
            assert check_constraints(changed, config)[f"ok_{constraint}"].iloc[0], hint
