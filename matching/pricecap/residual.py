"""Compte à rebours: the land charge a lot can bear once the developer is paid.

A lot is a row with these columns (NaN where a case does not use them):

========================  ===================================================================
sdp_m2                    floor area, surface de plancher (m²)
eta                       usable ratio η = SU / SDP
price_eur_m2              market sale price P (€/m² SU): the sale case
rent_eur_m2_year          market rent L (€/m² SU/year): the investor case, with
yield                     the capitalisation yield y,
vacancy                   the vacancy v,
buyer_costs               and the investor's purchase costs d (shares)
construction_eur_m2       construction cost c (€/m² SDP)
fees_technical            technical fees h, share of construction
contingencies             contingencies a, share of construction
taxes_eur                 taxes or ZAC participation T (€)
margin                    developer's margin m, share of revenue
fees_commercial           commercial fees, share of revenue
fees_management           management fees, share of revenue
fees_financial            financial fees, share of revenue
========================  ===================================================================
"""

from __future__ import annotations

import pandas as pd

COST_COLUMNS = ("construction_eur_m2", "fees_technical", "contingencies", "taxes_eur")
FEE_COLUMNS = ("margin", "fees_commercial", "fees_management", "fees_financial")


def revenue(
    su_m2: pd.Series,
    price_eur_m2: pd.Series,
    rent_eur_m2_year: pd.Series,
    lots: pd.DataFrame,
) -> pd.Series:
    """CA = SU·P where a price is given, else SU·L·(1−v)/y/(1+d) (sale to an investor).

    Examples
    --------
    >>> lots = pd.DataFrame({"yield": [0.06], "vacancy": [0.05], "buyer_costs": [0.075]})
    >>> revenue(pd.Series([850.0]), pd.Series([float("nan")]), pd.Series([180.0]), lots).round(2)
    0    2253488.37
    dtype: float64
    """
    sale = su_m2 * price_eur_m2
    investor = su_m2 * rent_eur_m2_year * (1 - lots["vacancy"]) / lots["yield"]
    investor = investor / (1 + lots["buyer_costs"])
    return sale.where(price_eur_m2.notna(), investor)


def costs(sdp_m2: pd.Series, taxes_eur: pd.Series, lots: pd.DataFrame) -> pd.Series:
    """C = SDP·c·(1+h+a) + T."""
    loading = 1 + lots["fees_technical"] + lots["contingencies"]
    return sdp_m2 * lots["construction_eur_m2"] * loading + taxes_eur


def kept_share(lots: pd.DataFrame) -> pd.Series:
    """What revenue leaves once the margin and the fees are paid: 1−m−f_com−f_gest−f_fin."""
    return 1 - lots[list(FEE_COLUMNS)].sum(axis=1)


def land_charge(lots: pd.DataFrame) -> pd.DataFrame:
    """The residual land charge of each lot at market: CFA = CA·(1−m−Σf) − C, cf = CFA/SDP.

    A negative CFA is a result (the lot cannot bear any land price), not an error.

    Examples
    --------
    >>> lot = pd.DataFrame({"sdp_m2": [1000.0], "eta": [0.9], "price_eur_m2": [3000.0],
    ...     "rent_eur_m2_year": [float("nan")], "yield": [float("nan")], "vacancy": [float("nan")],
    ...     "buyer_costs": [float("nan")], "construction_eur_m2": [1500.0], "fees_technical": [0.1],
    ...     "contingencies": [0.05], "taxes_eur": [50000.0], "margin": [0.08],
    ...     "fees_commercial": [0.03], "fees_management": [0.02], "fees_financial": [0.02]})
    >>> columns = ["revenue_eur", "costs_eur", "cfa_eur", "cf_eur_m2"]
    >>> land_charge(lot)[columns].round(2).iloc[0].tolist()
    [2700000.0, 1775000.0, 520000.0, 520.0]
    """
    su = lots["eta"] * lots["sdp_m2"]
    ca = revenue(su, lots["price_eur_m2"], lots["rent_eur_m2_year"], lots)
    c = costs(lots["sdp_m2"], lots["taxes_eur"], lots)
    cfa = ca * kept_share(lots) - c
    return pd.DataFrame(
        {
            "su_m2": su,
            "revenue_eur": ca,
            "costs_eur": c,
            "cfa_eur": cfa,
            "cf_eur_m2": cfa / lots["sdp_m2"],
        },
        index=lots.index,
    )
