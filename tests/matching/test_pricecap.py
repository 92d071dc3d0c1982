"""The price-cap model against hand-computed examples (every figure written out)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.pricecap import (
    apply_clause,
    break_even_shares,
    index_ratios,
    land_charge,
    operation_balance,
    quarter_variation,
    sweep,
    tenant_savings,
)
from matching.pricecap.clause import programme_shares

NAN = float("nan")


def lot(**overrides: Any) -> pd.DataFrame:
    """A sale-case office lot: 1,000 m² SDP, η 0.9, 3,000 €/m² SU, 1,500 €/m² to build."""
    values: dict[str, Any] = {
        "ref": "A",
        "use": "bureaux",
        "sdp_m2": 1000.0,
        "eta": 0.9,
        "price_eur_m2": 3000.0,
        "rent_eur_m2_year": NAN,
        "yield": NAN,
        "vacancy": NAN,
        "buyer_costs": NAN,
        "construction_eur_m2": 1500.0,
        "fees_technical": 0.10,
        "contingencies": 0.05,
        "taxes_eur": 50_000.0,
        "margin": 0.08,
        "fees_commercial": 0.03,
        "fees_management": 0.02,
        "fees_financial": 0.02,
        "ess_share": 0.0,
        "cap_price_eur_m2": NAN,
        "cap_rent_eur_m2_year": NAN,
        "cap_share_of_market": NAN,
        "ess_land_charge_eur_m2": NAN,
    }
    values.update(overrides)
    return pd.DataFrame({k: [v] for k, v in values.items()})


def test_sale_case() -> None:
    # SU = 0.9 × 1000 = 900; CA = 900 × 3000 = 2,700,000
    # C = 1000 × 1500 × (1 + 0.10 + 0.05) + 50,000 = 1,775,000
    # CFA = 2,700,000 × (1 − 0.08 − 0.03 − 0.02 − 0.02) − 1,775,000 = 2,295,000 − 1,775,000
    result = land_charge(lot()).iloc[0]
    assert result["su_m2"] == pytest.approx(900.0)
    assert result["revenue_eur"] == pytest.approx(2_700_000.0)
    assert result["costs_eur"] == pytest.approx(1_775_000.0)
    assert result["cfa_eur"] == pytest.approx(520_000.0)
    assert result["cf_eur_m2"] == pytest.approx(520.0)


def test_investor_case() -> None:
    # SU = 0.85 × 2000 = 1700; CA = 1700 × 180 × (1 − 0.05) / 0.06 / (1 + 0.075)
    #    = 290,700 / 0.06 / 1.075 = 4,506,976.744…
    # C = 2000 × 1400 × (1 + 0.12 + 0.05) + 120,000 = 3,396,000
    # CFA = 4,506,976.744 × (1 − 0.10 − 0.03 − 0.01 − 0.02) − 3,396,000 = 389,860.465…
    investor = lot(
        sdp_m2=2000.0,
        eta=0.85,
        price_eur_m2=NAN,
        rent_eur_m2_year=180.0,
        **{"yield": 0.06},
        vacancy=0.05,
        buyer_costs=0.075,
        construction_eur_m2=1400.0,
        fees_technical=0.12,
        contingencies=0.05,
        taxes_eur=120_000.0,
        margin=0.10,
        fees_commercial=0.03,
        fees_management=0.01,
        fees_financial=0.02,
    )
    result = land_charge(investor).iloc[0]
    assert result["revenue_eur"] == pytest.approx(4_506_976.744, abs=0.01)
    assert result["costs_eur"] == pytest.approx(3_396_000.0)
    assert result["cfa_eur"] == pytest.approx(389_860.465, abs=0.01)
    assert result["cf_eur_m2"] == pytest.approx(194.930, abs=0.001)


def test_negative_residual_is_a_result() -> None:
    # CA = 900 × 2000 = 1,800,000; × 0.85 = 1,530,000; − 1,775,000 = −245,000
    result = land_charge(lot(price_eur_m2=2000.0)).iloc[0]
    assert result["cfa_eur"] == pytest.approx(-245_000.0)
    assert result["cf_eur_m2"] == pytest.approx(-245.0)


def test_margin_preserving_clause() -> None:
    # ESS part: s = 0.2, SDP 200, SU 180, at 2,500 €/m²: CA 450,000, × 0.85 = 382,500
    # C = 200 × 1500 × 1.15 + 0.2 × 50,000 = 345,000 + 10,000 = 355,000 → CFA_ESS = 27,500
    # ΔR = 0.2 × 520,000 − 27,500 = 76,500; margin rate kept at 8 % (36,000 € on 450,000 €)
    # vs 8 % of the ESS part's market revenue 540,000 = 43,200 → 7,200 € less margin
    result = apply_clause(lot(ess_share=0.2, cap_price_eur_m2=2500.0)).iloc[0]
    assert result["cfa_market_eur"] == pytest.approx(520_000.0)
    assert result["cfa_ess_eur"] == pytest.approx(27_500.0)
    assert result["cf_ess_eur_m2"] == pytest.approx(137.5)
    assert result["revenue_loss_eur"] == pytest.approx(76_500.0)
    assert result["developer_margin_ess"] == pytest.approx(0.08)
    assert result["developer_margin_loss_eur"] == pytest.approx(7_200.0)
    assert not result["margin_below_minimum"]


@pytest.mark.parametrize(
    ("charge", "cfa_ess", "margin", "below"),
    [
        # 100 €/m² × 200 m² = 20,000; the developer keeps 36,000 + (27,500 − 20,000) = 43,500
        (100.0, 20_000.0, 43_500 / 450_000, False),
        # 250 €/m² → 50,000; margin 36,000 − 22,500 = 13,500 = 3 % < 5 % minimum
        (250.0, 50_000.0, 0.03, True),
    ],
)
def test_fixed_ess_land_charge(charge: float, cfa_ess: float, margin: float, below: bool) -> None:
    clause = lot(ess_share=0.2, cap_price_eur_m2=2500.0, ess_land_charge_eur_m2=charge)
    result = apply_clause(clause, min_margin=0.05).iloc[0]
    assert result["cfa_ess_eur"] == pytest.approx(cfa_ess)
    assert result["revenue_loss_eur"] == pytest.approx(104_000.0 - cfa_ess)
    assert result["developer_margin_ess"] == pytest.approx(margin)
    assert bool(result["margin_below_minimum"]) is below


def test_cap_as_share_of_market_and_cap_above_market() -> None:
    share = apply_clause(lot(ess_share=0.2, cap_share_of_market=2500 / 3000)).iloc[0]
    assert share["cfa_ess_eur"] == pytest.approx(27_500.0)
    above = apply_clause(lot(ess_share=0.2, cap_price_eur_m2=4000.0)).iloc[0]
    assert above["ess_price_eur_m2"] == pytest.approx(3000.0)  # a cap above market does not bind
    assert above["revenue_loss_eur"] == pytest.approx(0.0, abs=1e-6)


def test_capped_rent_sold_to_an_investor() -> None:
    # 500 m² of shops let at 180 €/m²/year, sold at 6 %: CA = 500 × 180 / 0.06 = 1,500,000
    # C = 500 × 1400 = 700,000; CFA = 1,500,000 × 0.92 − 700,000 = 680,000
    # ESS half at 120 €/m²/year: CA = 250 × 120 / 0.06 = 500,000; × 0.92 − 350,000 = 110,000
    # ΔR = 0.5 × 680,000 − 110,000 = 230,000
    shops = lot(
        use="commerce",
        sdp_m2=500.0,
        eta=1.0,
        price_eur_m2=NAN,
        rent_eur_m2_year=180.0,
        **{"yield": 0.06},
        vacancy=0.0,
        buyer_costs=0.0,
        construction_eur_m2=1400.0,
        fees_technical=0.0,
        contingencies=0.0,
        taxes_eur=0.0,
        fees_commercial=0.0,
        fees_management=0.0,
        fees_financial=0.0,
        ess_share=0.5,
        cap_rent_eur_m2_year=120.0,
    )
    result = apply_clause(shops).iloc[0]
    assert result["cfa_market_eur"] == pytest.approx(680_000.0)
    assert result["cfa_ess_eur"] == pytest.approx(110_000.0)
    assert result["revenue_loss_eur"] == pytest.approx(230_000.0)


def test_operation_balance_and_contribution() -> None:
    per_lot = apply_clause(lot(ess_share=0.2, cap_price_eur_m2=2500.0))
    # Before: 520,000 + 100,000 − 580,000 = 40,000; after: 40,000 − 76,500 = −36,500
    balance = operation_balance(per_lot, 100_000.0, 580_000.0)
    assert balance.balance_before_eur == pytest.approx(40_000.0)
    assert balance.balance_after_eur == pytest.approx(-36_500.0)
    assert balance.contribution_needed_eur == pytest.approx(36_500.0)
    assert balance.contribution_due_to_clause_eur == pytest.approx(36_500.0)


def test_programme_share_is_spread_over_ess_lots() -> None:
    lots = pd.DataFrame({"use": ["bureaux", "logement"], "sdp_m2": [1000.0, 3000.0]})
    assert programme_shares(lots, 0.1).tolist() == [0.4, 0.0]  # 400 m² of 4,000
    with pytest.raises(
        ValueError, match="« 50,0 % » du programme : 2000 m² demandés, seulement 1000"
    ):
        programme_shares(lots, 0.5)


def test_published_ilat_variation() -> None:
    # INSEE: ILAT Q1-2023 128.59, Q1-2024 135.13 → +5.09 %
    ilat = pd.Series({"2023-T1": 128.59, "2024-T1": 135.13})
    assert round(quarter_variation(ilat, "2023-T1", "2024-T1") * 100, 2) == 5.09
    # A capped rent of 120 €/m²/year revised a year later: 120 × 135.13 / 128.59 = 126.10
    ratios = index_ratios(2, series=ilat, base="2023-T1")
    assert 120 * ratios[1] == pytest.approx(126.10, abs=0.005)


def test_indexation_applies_both_ways() -> None:
    # A falling index lowers the capped rent: a clause that only lets it rise is void.
    falling = pd.Series({"2024-Q1": 135.13, "2025-Q1": 132.43})
    ratios = index_ratios(2, series=falling, base="2024-Q1")
    assert ratios[1] == pytest.approx(132.43 / 135.13)
    assert ratios[1] < 1
    assert index_ratios(3, annual_change=-0.01).tolist() == pytest.approx([1.0, 0.99, 0.9801])


def test_tenant_savings_present_value() -> None:
    # (200 − 150) × 100 / 1.05 + (210 − 153) × 100 / 1.05² = 4,761.90 + 5,170.07 = 9,931.97
    pv = tenant_savings(
        np.array([[200.0, 210.0]]), np.array([[150.0, 153.0]]), np.array([100.0]), 0.05
    )
    assert pv[0] == pytest.approx(9_931.97, abs=0.005)


def test_sweep_break_even_where_the_balance_changes_sign() -> None:
    grid = sweep(
        lot(), caps=[1.0, 0.8, 0.6], shares=np.linspace(0, 1, 11), other_expenditures_eur=400_000
    )
    shares = break_even_shares(grid)
    assert math.isnan(shares[1.0])  # an uncapped clause costs nothing: the balance stays 120,000
    for cap in (0.8, 0.6):
        s = shares[cap]
        rows = grid[grid["cap"] == cap].set_index("share")["balance_after_eur"]
        assert (rows[rows.index < s - 1e-9] > 0).all()
        assert (rows[rows.index > s + 1e-9] < 0).all()
        # The balance is linear in the share: recompute it exactly at the break-even share.
        exact = sweep(lot(), caps=[cap], shares=[s], other_expenditures_eur=400_000)
        assert exact["balance_after_eur"].iloc[0] == pytest.approx(0.0, abs=1e-6)
    # A lower cap costs more, so it breaks even at a smaller share.
    assert shares[0.6] < shares[0.8]


@settings(max_examples=60, deadline=None)
@given(
    s=st.floats(0.0, 1.0),
    cap=st.floats(0.3, 1.2),
    price=st.floats(1000.0, 6000.0),
)
def test_revenue_loss_is_the_land_charge_forgone(s: float, cap: float, price: float) -> None:
    """Whatever the inputs, the operation receives (1 − s)·CFA + CFA_ESS = CFA − ΔR, and a
    cap never raises the land charge."""
    frame = lot(price_eur_m2=price, ess_share=s, cap_share_of_market=min(cap, 1.0))
    result = apply_clause(frame).iloc[0]
    received = (1 - s) * result["cfa_market_eur"] + result["cfa_ess_eur"]
    assert received == pytest.approx(result["cfa_market_eur"] - result["revenue_loss_eur"])
    assert result["revenue_loss_eur"] >= -1e-6
