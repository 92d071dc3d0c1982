"""The terms offered (rent, sale, temporary use) must be ones the need accepts."""

from __future__ import annotations

import math

import pandas as pd

from matching.constraints import check_constraints, example_pairs
from matching.explain import near_misses, why_not
from matching.scoring import score_pairs
from matching.settings import Settings

NAN = math.nan


def test_terms_the_need_does_not_accept_exclude_the_pair() -> None:
    pairs = example_pairs(tenure_accepted=False)
    checks = check_constraints(pairs, Settings())
    assert not checks["ok_tenure"].iloc[0] and not checks["passes"].iloc[0]
    assert why_not(pairs.iloc[0], Settings())[0].startswith("Mode d'occupation non accepté")
    assert near_misses(pairs, Settings()).empty  # no small change fixes the terms


def _buying(**overrides: object) -> pd.DataFrame:
    """A need that buys only, before premises for sale only (no rent)."""
    terms = {"need_rents": False, "need_buys": True, "rent_m2_year": NAN, "charges_m2_year": NAN}
    return example_pairs(**{**terms, **overrides})


def test_a_purchase_is_checked_on_the_sale_price_at_the_cent() -> None:
    settings = Settings(budget_tolerance=0.15)
    fits = _buying(sale_price_m2=2300.0, budget_purchase_m2=2000.0)  # 2000 × 1.15, exactly
    assert check_constraints(fits, settings)["ok_budget"].iloc[0]
    dear = _buying(sale_price_m2=2350.0, budget_purchase_m2=2000.0)
    checks = check_constraints(dear, settings).iloc[0]
    assert not checks["ok_budget"]
    assert (checks["gap_price_m2"], checks["gap_budget_m2_year"]) == (50.0, 0.0)
    assert why_not(dear.iloc[0], settings) == [
        "Trop cher à l'achat : 2\u202f350 €/m² pour un budget de 2\u202f000 €/m², 2\u202f300 avec "
        "la tolérance de 15 % (+50 €/m²)."
    ]
    assert near_misses(dear, settings)["hints"].tolist() == [["−50 €/m² de prix de vente"]]


def test_the_rent_does_not_price_a_need_that_only_buys() -> None:
    """A cheap rent is no help to a need that buys; a need that does both passes on either."""
    settings = Settings()
    dear = {"sale_price_m2": 5000.0, "budget_purchase_m2": 2000.0, "rent_m2_year": 50.0}
    assert not check_constraints(_buying(**dear), settings)["ok_budget"].iloc[0]
    both = _buying(**dear, need_rents=True)
    assert check_constraints(both, settings)["ok_budget"].iloc[0]


def test_the_cost_criterion_reads_the_sale_price_of_a_buying_need() -> None:
    settings = Settings()
    cheap = score_pairs(_buying(sale_price_m2=1000.0, budget_purchase_m2=2000.0), settings)
    dear = score_pairs(_buying(sale_price_m2=2100.0, budget_purchase_m2=2000.0), settings)
    assert cheap["value_cost"].iloc[0] == 1.0 and not cheap["defaulted_cost"].iloc[0]
    assert 0 < dear["value_cost"].iloc[0] < 1
    unknown = score_pairs(_buying(sale_price_m2=1000.0), settings)
    assert unknown["defaulted_cost"].iloc[0]
