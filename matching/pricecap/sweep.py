"""Sweep cap level × ESS share on a grid, and find the break-even line.

The cap is a share of each lot's market price or rent; the ESS share applies to every lot of
an ESS use (offices, activities, shops). The balance is linear in the share at a given cap,
so the break-even share found by interpolating between grid points is exact.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from matching.pricecap.clause import ESS_USES, Balance, apply_clause


def sweep(
    lots: pd.DataFrame,
    caps: Iterable[float],
    shares: Iterable[float],
    other_receipts_eur: float = 0.0,
    other_expenditures_eur: float = 0.0,
) -> pd.DataFrame:
    """One row per (cap, share): the public developer's balance and the ESS floor area.

    Examples
    --------
    >>> lots = pd.DataFrame({"use": ["bureaux"], "sdp_m2": [1000.0], "eta": [0.9],
    ...     "price_eur_m2": [3000.0], "rent_eur_m2_year": [np.nan], "yield": [np.nan],
    ...     "vacancy": [np.nan], "buyer_costs": [np.nan], "construction_eur_m2": [1500.0],
    ...     "fees_technical": [0.1], "contingencies": [0.05], "taxes_eur": [50000.0],
    ...     "margin": [0.08], "fees_commercial": [0.03], "fees_management": [0.02],
    ...     "fees_financial": [0.02]})
    >>> grid = sweep(lots, caps=[1.0, 0.5], shares=[0.0, 0.5], other_expenditures_eur=400e3)
    >>> grid[["cap", "share", "balance_after_eur"]].round(2).values.tolist()
    [[1.0, 0.0, 120000.0], [1.0, 0.5, 120000.0], [0.5, 0.0, 120000.0], [0.5, 0.5, -453750.0]]
    """
    eligible = lots["use"].isin(list(ESS_USES)).to_numpy()
    share_list = [float(s) for s in shares]
    grid = [(float(c), s) for c in caps for s in share_list]
    # One frame of every lot at every grid point, so that the model runs once, vectorised.
    count = len(lots)
    stacked = lots.iloc[np.tile(np.arange(count), len(grid))].reset_index(drop=True)
    stacked = stacked.assign(
        ess_share=np.repeat([s for _, s in grid], count) * np.tile(eligible, len(grid)),
        cap_share_of_market=np.repeat([c for c, _ in grid], count),
        cap_price_eur_m2=np.nan,
        cap_rent_eur_m2_year=np.nan,
        ess_land_charge_eur_m2=np.nan,
        _point=np.repeat(np.arange(len(grid)), count),
    )
    per_lot = apply_clause(stacked).assign(_point=stacked["_point"])
    totals = per_lot.groupby("_point")[["cfa_market_eur", "revenue_loss_eur", "ess_sdp_m2"]].sum()
    rows = []
    for (c, s), (cfa, loss, ess_sdp) in zip(grid, totals.to_numpy(float), strict=True):
        balance = Balance(float(cfa), float(loss), other_receipts_eur, other_expenditures_eur)
        rows.append(
            {
                "cap": c,
                "share": s,
                "ess_sdp_m2": float(ess_sdp),
                "revenue_loss_eur": balance.revenue_loss_eur,
                "balance_before_eur": balance.balance_before_eur,
                "balance_after_eur": balance.balance_after_eur,
                "contribution_needed_eur": balance.contribution_needed_eur,
            }
        )
    return pd.DataFrame(rows)


def break_even_shares(grid: pd.DataFrame) -> pd.Series:
    """For each cap, the ESS share at which the balance after the clause crosses zero.

    NaN where it keeps one sign over the swept shares.

    Examples
    --------
    >>> grid = pd.DataFrame({"cap": [0.5, 0.5, 0.5], "share": [0.0, 0.2, 0.4],
    ...                      "balance_after_eur": [100.0, 20.0, -60.0]})
    >>> break_even_shares(grid).round(3).tolist()
    [0.25]
    """
    found = {}
    for cap, rows in grid.sort_values(["cap", "share"]).groupby("cap", sort=False):
        found[cap] = _crossing(rows["share"].to_numpy(), rows["balance_after_eur"].to_numpy())
    return pd.Series(found, name="break_even_share").rename_axis("cap")


def _crossing(shares: np.ndarray, balances: np.ndarray) -> float:
    """Linear interpolation of the first sign change of ``balances`` along ``shares``."""
    for k in range(len(shares) - 1):
        b0, b1 = balances[k], balances[k + 1]
        if b0 == 0:
            return float(shares[k])
        if b0 * b1 < 0:
            return float(shares[k] + (shares[k + 1] - shares[k]) * b0 / (b0 - b1))
    return float(shares[-1]) if len(balances) and balances[-1] == 0 else float("nan")
