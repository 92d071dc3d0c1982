"""Evaluate a scenario with the pure price-cap model: per lot, for the operation, over time."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from foncier.scenarios.document import lots_frame
from matching.pricecap.clause import Balance, apply_clause, operation_balance
from matching.pricecap.indexation import USE_INDEX, index_ratios, tenant_savings

LOT_KEYS = (
    "ref",
    "use",
    "cfa_market_eur",
    "cf_market_eur_m2",
    "ess_share",
    "ess_sdp_m2",
    "ess_su_m2",
    "ess_price_eur_m2",
    "ess_rent_eur_m2_year",
    "cfa_ess_eur",
    "cf_ess_eur_m2",
    "revenue_loss_eur",
    "developer_margin_ess",
    "developer_margin_loss_eur",
    "margin_below_minimum",
    "tenant_savings_pv_eur",
)


def evaluate(document: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The per-lot frame and the operation's figures (without coverage, which needs the store)."""
    lots = lots_frame(document)
    per_lot = apply_clause(lots, min_margin=document["min_margin"])
    per_lot.insert(0, "use", lots["use"])
    per_lot.insert(0, "ref", lots["ref"])
    per_lot["tenant_savings_pv_eur"] = _savings(lots, per_lot, document)
    balance = operation_balance(
        per_lot, document["other_receipts_eur"], document["other_expenditures_eur"]
    )
    return per_lot, _operation(per_lot, balance)


def _operation(per_lot: pd.DataFrame, balance: Balance) -> dict[str, Any]:
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


def _savings(lots: pd.DataFrame, per_lot: pd.DataFrame, document: dict[str, Any]) -> pd.Series:
    """Tenants' savings: the present value of the rent gap over N years, or, for a capped
    sale price, the buyer's saving at once ((P − P_cap)·SU, not discounted). NaN where the
    lot gives no market figure to compare with (a sale lot whose ESS part is let)."""
    years = document["duration_years"]
    capped = np.vstack([_capped_path(use, years, document) for use in lots["use"]])
    market_growth = (1 + document["market_rent_growth"]) ** np.arange(years)
    market_rent = lots["rent_eur_m2_year"].to_numpy()
    ess_rent = per_lot["ess_rent_eur_m2_year"].to_numpy()
    su = per_lot["ess_su_m2"].to_numpy()
    renting = ~np.isnan(ess_rent) & ~np.isnan(market_rent)
    rent_gap = tenant_savings(
        np.nan_to_num(market_rent)[:, None] * market_growth,
        np.nan_to_num(ess_rent)[:, None] * capped,
        su,
        document["discount_rate"],
    )
    price_gap = (lots["price_eur_m2"] - per_lot["ess_price_eur_m2"]).to_numpy() * su
    savings = np.where(renting, rent_gap, price_gap)
    return pd.Series(np.where(per_lot["ess_share"] > 0, savings, 0.0), index=lots.index)


def _capped_path(use: str, years: int, document: dict[str, Any]) -> np.ndarray:
    """The capped rent's index over its base for each year, from the use's index."""
    name = USE_INDEX.get(use)
    setting = document["indices"].get(name, {}) if name else {}
    series = pd.Series(setting.get("series") or {}, dtype=float)
    return index_ratios(
        years,
        annual_change=setting.get("annual_change", 0.02) if name else 0.0,
        series=series if not series.empty else None,
        base=setting.get("base"),
    )


def lot_rows(per_lot: pd.DataFrame) -> list[dict[str, Any]]:
    """The per-lot figures as JSON-ready rows (NaN becomes null)."""
    frame = per_lot[list(LOT_KEYS)].astype(object)
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: Any) -> Any:
    """A JSON-ready value: numpy scalars as Python's, NaN as null."""
    value = value.item() if hasattr(value, "item") else value
    return None if isinstance(value, float) and np.isnan(value) else value
