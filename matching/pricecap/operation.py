"""One operation under the clause: the per-lot figures, the balance, who pays, over N years.

The caller gives the lots frame (see :mod:`matching.pricecap.residual`) and the operation's
terms; nothing here reads a file or a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from matching.pricecap.clause import Balance, apply_clause, operation_balance
from matching.pricecap.indexation import USE_INDEX, index_ratios, tenant_savings

DEFAULT_INDEX_CHANGE = 0.02  # assumed annual change of ILAT/ILC when no series is given


@dataclass(frozen=True)
class Terms:
    """What an operation adds to its lots: other receipts and costs, the clause's duration,
    market rent growth, discount rate, the indices (``{"ILAT": {"series", "annual_change",
    "base"}}``), the minimum margin and the Foncière's yield."""

    duration_years: int
    market_rent_growth: float
    discount_rate: float
    min_margin: float
    other_receipts_eur: float
    other_expenditures_eur: float
    fonciere_yield: float
    indices: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def rent_from_price(price_eur_m2: Any, fonciere_yield: float) -> Any:
    """The rent (€/m²/year) the Foncière would ask after buying at a capped price.

    Examples
    --------
    >>> rent_from_price(2000.0, 0.06)
    120.0
    """
    return price_eur_m2 * fonciere_yield


def evaluate_operation(lots: pd.DataFrame, terms: Terms) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The clause applied lot by lot (with ``ref``, ``use`` and tenants' savings) and the
    operation's figures: balance before and after, contribution needed, who pays.

    Examples
    --------
    >>> lots = pd.DataFrame({"ref": ["A"], "use": ["bureaux"], "sdp_m2": [1000.0],
    ...     "eta": [0.9], "price_eur_m2": [3000.0], "rent_eur_m2_year": [np.nan],
    ...     "yield": [np.nan], "vacancy": [np.nan], "buyer_costs": [np.nan],
    ...     "construction_eur_m2": [1500.0], "fees_technical": [0.1], "contingencies": [0.05],
    ...     "taxes_eur": [50000.0], "margin": [0.08], "fees_commercial": [0.03],
    ...     "fees_management": [0.02], "fees_financial": [0.02], "ess_share": [0.2],
    ...     "cap_price_eur_m2": [2500.0], "cap_rent_eur_m2_year": [np.nan],
    ...     "ess_land_charge_eur_m2": [np.nan]})
    >>> terms = Terms(duration_years=9, market_rent_growth=0.015, discount_rate=0.04,
    ...               min_margin=0.05, other_receipts_eur=0.0, other_expenditures_eur=0.0,
    ...               fonciere_yield=0.05)
    >>> per_lot, figures = evaluate_operation(lots, terms)
    >>> round(figures["revenue_loss_eur"]), figures["ess_area_m2"]
    (76500, 200.0)
    """
    per_lot = apply_clause(lots, min_margin=terms.min_margin)
    per_lot.insert(0, "use", lots["use"])
    per_lot.insert(0, "ref", lots["ref"])
    per_lot["tenant_savings_pv_eur"] = _savings(lots, per_lot, terms)
    balance = operation_balance(per_lot, terms.other_receipts_eur, terms.other_expenditures_eur)
    return per_lot, _figures(per_lot, balance)


def _figures(per_lot: pd.DataFrame, balance: Balance) -> dict[str, Any]:
    loss = balance.revenue_loss_eur
    savings = float(per_lot["tenant_savings_pv_eur"].sum())  # lots without a figure: skipped
    ess_sdp = float(per_lot["ess_sdp_m2"].sum())
    return {
        "balance_before_eur": balance.balance_before_eur,
        "balance_after_eur": balance.balance_after_eur,
        "contribution_needed_eur": balance.contribution_needed_eur,
        "revenue_loss_eur": loss,
        "ess_area_m2": ess_sdp,
        "ess_usable_area_m2": float(per_lot["ess_su_m2"].sum()),
        "lots_below_minimum_margin": per_lot.loc[per_lot["margin_below_minimum"], "ref"].tolist(),
        "who_pays": {
            "public_developer_eur": loss - balance.contribution_due_to_clause_eur,
            "metropole_contribution_eur": balance.contribution_due_to_clause_eur,
            "developer_margin_eur": float(per_lot["developer_margin_loss_eur"].sum()),
            "tenants_savings_pv_eur": savings,
        },
        # Both per m² of ESS floor area (SDP), as ΔR is defined, so that they compare.
        "revenue_loss_per_ess_m2_eur": loss / ess_sdp if ess_sdp else None,
        "tenant_savings_per_ess_m2_eur": savings / ess_sdp if ess_sdp else None,
    }


def _savings(lots: pd.DataFrame, per_lot: pd.DataFrame, terms: Terms) -> pd.Series:
    """Tenants' savings: the present value of the rent gap over N years, or, for a capped
    sale price, the buyer's saving at once ((P − P_cap)·SU, not discounted). NaN where the
    lot gives no market figure to compare with (a sale lot whose ESS part is let)."""
    years = terms.duration_years
    capped = np.vstack([_capped_path(str(use), terms) for use in lots["use"]])
    market_growth = (1 + terms.market_rent_growth) ** np.arange(years)
    market_rent = lots["rent_eur_m2_year"].to_numpy(dtype=float)
    ess_rent = per_lot["ess_rent_eur_m2_year"].to_numpy(dtype=float)
    su = per_lot["ess_su_m2"].to_numpy(dtype=float)
    renting = ~np.isnan(ess_rent) & ~np.isnan(market_rent)
    rent_gap = tenant_savings(
        np.nan_to_num(market_rent)[:, None] * market_growth,
        np.nan_to_num(ess_rent)[:, None] * capped,
        su,
        terms.discount_rate,
    )
    price_gap = (lots["price_eur_m2"] - per_lot["ess_price_eur_m2"]).to_numpy(dtype=float) * su
    savings = np.where(renting, rent_gap, price_gap)
    return pd.Series(np.where(per_lot["ess_share"] > 0, savings, 0.0), index=lots.index)


def _capped_path(use: str, terms: Terms) -> npt.NDArray[np.float64]:
    """The capped rent's index over its base for each year, from the use's index."""
    name = USE_INDEX.get(use)
    setting = terms.indices.get(name, {}) if name else {}
    series = pd.Series(setting.get("series") or {}, dtype=float)
    return index_ratios(
        terms.duration_years,
        annual_change=setting.get("annual_change", DEFAULT_INDEX_CHANGE) if name else 0.0,
        series=series if not series.empty else None,
        base=setting.get("base"),
    )
