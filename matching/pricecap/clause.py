"""The ESS clause: a share of each lot sold or let at a capped price, and what it costs.

The ESS part of a lot is computed as a lot of its own, of floor area s·SDP, with the same unit
inputs and s·T of the taxes, at the capped price. Its land charge is, by default, the residual
at that price with the same margin rate (the developer's margin rate is preserved); where the
clause fixes the ESS land charge instead, the developer's margin is what is left, and lots
under a minimum margin are flagged.

Clause columns of a lot: ``ess_share`` (s, share of the lot's SDP), ``cap_price_eur_m2`` (a
capped sale price, €/m² SU), ``cap_rent_eur_m2_year`` (a capped rent, sold to an investor with
the lot's yield, vacancy and buyer's costs), ``cap_share_of_market`` (a cap as a share of the
lot's own market price or rent), ``ess_land_charge_eur_m2`` (a fixed ESS land charge, € per m²
of ESS SDP). A cap above the market does not bind: the ESS part then sells at market.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from matching.pricecap.residual import FEE_COLUMNS, costs, kept_share, land_charge, revenue

CLAUSE_COLUMNS = (
    "ess_share",
    "cap_price_eur_m2",
    "cap_rent_eur_m2_year",
    "cap_share_of_market",
    "ess_land_charge_eur_m2",
)

# Uses that can host ESS premises when a share of the whole programme is given.
ESS_USES = ("bureaux", "activites", "commerce")


def programme_shares(lots: pd.DataFrame, share: float, uses: Iterable[str] = ESS_USES) -> pd.Series:
    """Spread an ESS share of the whole programme's SDP over the lots of ESS uses, pro rata.

    Examples
    --------
    >>> lots = pd.DataFrame({"use": ["bureaux", "logement", "activites"],
    ...                      "sdp_m2": [1000.0, 2000.0, 1000.0]})
    >>> programme_shares(lots, 0.1).tolist()
    [0.2, 0.0, 0.2]
    """
    eligible = lots["use"].isin(list(uses))
    eligible_sdp = float(lots.loc[eligible, "sdp_m2"].sum())
    wanted = share * float(lots["sdp_m2"].sum())
    if wanted > eligible_sdp + 1e-9:
        shown = f"{share * 100:.1f}".replace(".", ",")
        raise ValueError(
            f"« {shown} % » du programme : {wanted:.0f} m² demandés, seulement "
            f"{eligible_sdp:.0f} m² de lots {', '.join(uses)}"
        )
    ratio = wanted / eligible_sdp if eligible_sdp else 0.0
    return pd.Series(np.where(eligible, ratio, 0.0), index=lots.index)


def capped_prices(lots: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The ESS part's (price, rent): one is set and the other NaN, never above the market."""
    share = lots.get("cap_share_of_market", pd.Series(np.nan, index=lots.index))
    price = lots["cap_price_eur_m2"].where(
        lots["cap_price_eur_m2"].notna(), lots["price_eur_m2"] * share
    )
    rent = lots["cap_rent_eur_m2_year"].where(
        lots["cap_rent_eur_m2_year"].notna(), lots["rent_eur_m2_year"] * share
    )
    rent = rent.where(price.isna())  # a capped price wins over a capped rent
    # No cap given: the ESS part sells at market (a share without a cap costs nothing).
    uncapped = price.isna() & rent.isna()
    price = price.where(~uncapped, lots["price_eur_m2"])
    rent = rent.where(~uncapped, lots["rent_eur_m2_year"])
    # A cap above the market does not bind.
    return _at_most(price, lots["price_eur_m2"]), _at_most(rent, lots["rent_eur_m2_year"])


def _at_most(cap: pd.Series, market: pd.Series) -> pd.Series:
    """The cap, or the market where it is lower (an unknown market leaves the cap)."""
    return pd.concat([cap, market], axis=1).min(axis=1).where(cap.notna())


def apply_clause(lots: pd.DataFrame, min_margin: float = 0.05) -> pd.DataFrame:
    """Per lot: the market land charge, the ESS part's, the revenue loss and the margins.

    ``revenue_loss_eur`` = s·``cfa_market_eur`` − ``cfa_ess_eur``: what the public developer
    no longer receives because of the clause (ΔR = Σ s·SDP·(cf_market − cf_ESS)).

    Examples
    --------
    >>> lot = pd.DataFrame({"sdp_m2": [1000.0], "eta": [0.9], "price_eur_m2": [3000.0],
    ...     "rent_eur_m2_year": [np.nan], "yield": [np.nan], "vacancy": [np.nan],
    ...     "buyer_costs": [np.nan], "construction_eur_m2": [1500.0], "fees_technical": [0.1],
    ...     "contingencies": [0.05], "taxes_eur": [50000.0], "margin": [0.08],
    ...     "fees_commercial": [0.03], "fees_management": [0.02], "fees_financial": [0.02],
    ...     "ess_share": [0.2], "cap_price_eur_m2": [2500.0], "cap_rent_eur_m2_year": [np.nan],
    ...     "ess_land_charge_eur_m2": [np.nan]})
    >>> r = apply_clause(lot).round(2).iloc[0]
    >>> float(r.cfa_market_eur), float(r.cfa_ess_eur), float(r.revenue_loss_eur)
    (520000.0, 27500.0, 76500.0)
    """
    market = land_charge(lots)
    s = lots["ess_share"].fillna(0.0)
    price, rent = capped_prices(lots)
    part = lots.assign(
        sdp_m2=s * lots["sdp_m2"],
        taxes_eur=s * lots["taxes_eur"],
        price_eur_m2=price,
        rent_eur_m2_year=rent,
    )
    ess_sdp = part["sdp_m2"]
    ess_su = lots["eta"] * ess_sdp
    ess_revenue = revenue(ess_su, price, rent, part).where(s > 0, 0.0)
    ess_costs = costs(ess_sdp, part["taxes_eur"], part)
    residual = ess_revenue * kept_share(lots) - ess_costs
    fixed = lots["ess_land_charge_eur_m2"] * ess_sdp
    cfa_ess = fixed.where(fixed.notna(), residual)
    # What the developer keeps on the ESS part: its margin, plus what a fixed charge leaves.
    margin_ess_eur = lots["margin"] * ess_revenue + (residual - cfa_ess)
    with np.errstate(divide="ignore", invalid="ignore"):
        margin_rate = (margin_ess_eur / ess_revenue).where(ess_revenue > 0)
    return pd.DataFrame(
        {
            "su_m2": market["su_m2"],
            "revenue_market_eur": market["revenue_eur"],
            "costs_market_eur": market["costs_eur"],
            "cfa_market_eur": market["cfa_eur"],
            "cf_market_eur_m2": market["cf_eur_m2"],
            "ess_share": s,
            "ess_sdp_m2": ess_sdp,
            "ess_su_m2": ess_su,
            "ess_price_eur_m2": price.where(s > 0),
            "ess_rent_eur_m2_year": rent.where(s > 0),
            "ess_revenue_eur": ess_revenue,
            "cfa_ess_eur": cfa_ess.where(s > 0, 0.0),
            "cf_ess_eur_m2": (cfa_ess / ess_sdp).where(s > 0),
            "revenue_loss_eur": (s * market["cfa_eur"] - cfa_ess).where(s > 0, 0.0),
            "developer_margin_ess": margin_rate,
            "developer_margin_loss_eur": (
                lots["margin"] * s * market["revenue_eur"] - margin_ess_eur
            ).where(s > 0, 0.0),
            # Only a fixed land charge can squeeze the margin: a residual keeps its rate.
            "margin_below_minimum": ((margin_rate < min_margin) & fixed.notna())
            .fillna(False)
            .astype(bool),
        },
        index=lots.index,
    )


@dataclass(frozen=True)
class Balance:
    """The public developer's (aménageur's) balance before and after the clause."""

    land_charges_before_eur: float
    revenue_loss_eur: float
    other_receipts_eur: float
    other_expenditures_eur: float

    @property
    def balance_before_eur(self) -> float:
        return self.land_charges_before_eur + self.other_receipts_eur - self.other_expenditures_eur

    @property
    def balance_after_eur(self) -> float:
        return self.balance_before_eur - self.revenue_loss_eur

    @property
    def contribution_needed_eur(self) -> float:
        """What it takes to break even after the clause: max(0, −balance after)."""
        return max(0.0, -self.balance_after_eur)

    @property
    def contribution_due_to_clause_eur(self) -> float:
        """The part of that contribution the clause causes (not a deficit it found)."""
        return self.contribution_needed_eur - max(0.0, -self.balance_before_eur)


def operation_balance(
    per_lot: pd.DataFrame, other_receipts_eur: float = 0.0, other_expenditures_eur: float = 0.0
) -> Balance:
    """Sum the lots' land charges (a negative residual counts as what the lot would need)."""
    return Balance(
        land_charges_before_eur=float(per_lot["cfa_market_eur"].sum()),
        revenue_loss_eur=float(per_lot["revenue_loss_eur"].sum()),
        other_receipts_eur=other_receipts_eur,
        other_expenditures_eur=other_expenditures_eur,
    )


__all__ = [
    "CLAUSE_COLUMNS",
    "ESS_USES",
    "FEE_COLUMNS",
    "Balance",
    "apply_clause",
    "capped_prices",
    "operation_balance",
    "programme_shares",
]
