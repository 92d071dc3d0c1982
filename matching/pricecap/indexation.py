"""Rents over the clause's duration: indexed capped rents, market paths, tenants' savings.

A capped rent follows the index of its use, ILAT for offices and tertiary activities, ILC for
commercial and craft premises (the indices of the French commercial lease). Indexation
applies both ways: a clause that lets the rent only rise is void in French law (Cass. 3e civ.,
14 January 2016, n° 14-24.681), so a falling index lowers the rent. Year 1 is at the initial
rent; year k at the index of the base quarter + 4(k−1) over the base quarter's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Index of each use (the commercial-lease indices); housing and public facilities have no cap.
USE_INDEX: dict[str, str] = {
    "bureaux": "ILAT",
    "activites": "ILC",
    "commerce": "ILC",
}


def quarter_variation(series: pd.Series, start: str, end: str) -> float:
    """Relative change of a quarterly index between two quarters ('2023Q1' or '2023-T1').

    Examples
    --------
    >>> ilat = pd.Series({pd.Period("2023Q1"): 128.59, pd.Period("2024Q1"): 135.13})
    >>> round(quarter_variation(ilat, "2023-T1", "2024-T1") * 100, 2)
    5.09
    """
    known = _by_quarter(series)
    first, last = (known.get(parse_quarter(q)) for q in (start, end))
    if first is None or last is None:
        missing = start if first is None else end
        raise ValueError(f"trimestre « {missing} » absent de la série")
    return last / first - 1.0


def _by_quarter(series: pd.Series) -> dict[pd.Period, float]:
    return {parse_quarter(str(key)): float(value) for key, value in series.items()}


def parse_quarter(text: str) -> pd.Period:
    """'2023Q1', '2023-Q1', '2023-T1' (INSEE's French form) or 'T1 2023' as a quarter."""
    cleaned = str(text).strip().upper().replace("-", "").replace(" ", "")
    if cleaned.startswith(("T", "Q")) and len(cleaned) == 6:  # T12023
        cleaned = cleaned[2:] + "Q" + cleaned[1]
    cleaned = cleaned.replace("T", "Q")
    if "Q" not in cleaned:  # a bare year would silently read as its first quarter
        raise ValueError(f"« {text} » n'est pas un trimestre (ex. 2024-T1)")
    try:
        return pd.Period(cleaned, freq="Q")
    except ValueError as exc:
        raise ValueError(f"« {text} » n'est pas un trimestre (ex. 2024-T1)") from exc


def index_ratios(
    years: int,
    annual_change: float = 0.0,
    series: pd.Series | None = None,
    base: str | None = None,
) -> np.ndarray:
    """The index over its base value for each year 1..N of the clause.

    From the quarterly ``series`` where it has the quarter, then compounded by
    ``annual_change`` past its last known year.

    Examples
    --------
    >>> index_ratios(3, annual_change=0.02).round(4).tolist()
    [1.0, 1.02, 1.0404]
    >>> ilat = pd.Series({pd.Period("2023Q1"): 128.59, pd.Period("2024Q1"): 135.13})
    >>> index_ratios(3, annual_change=-0.01, series=ilat, base="2023-T1").round(4).tolist()
    [1.0, 1.0509, 1.0404]
    """
    ratios = np.ones(years)
    known = _by_quarter(series) if series is not None and base is not None else {}
    start = parse_quarter(base) if base is not None else pd.Period("2000Q1")
    for k in range(1, years):
        quarter = start + 4 * k
        if quarter in known and start in known:
            ratios[k] = known[quarter] / known[start]
        else:
            ratios[k] = ratios[k - 1] * (1 + annual_change)
    return ratios


def discount_factors(years: int, rate: float) -> np.ndarray:
    """1/(1+r)^k for the years k = 1..N (rents counted at the end of each year)."""
    return 1.0 / (1.0 + rate) ** np.arange(1, years + 1)


def tenant_savings(
    market_rents: np.ndarray, capped_rents: np.ndarray, su_m2: np.ndarray, rate: float
) -> np.ndarray:
    """Present value, per lot, of (market − capped rent)·SU over the years (lots × years).

    Examples
    --------
    >>> tenant_savings(np.array([[200.0, 210.0]]), np.array([[150.0, 153.0]]),
    ...                np.array([100.0]), 0.05).round(2).tolist()
    [9931.97]
    """
    yearly = (market_rents - capped_rents) * su_m2[:, None]
    savings: np.ndarray = (yearly * discount_factors(market_rents.shape[1], rate)).sum(axis=1)
    return savings
