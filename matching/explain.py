"""Explanations in French: what a score is made of, why a pair is excluded, what a near miss lacks.

The committee reads these next to each proposal, so every figure is in the unit people use:
m², €/m²/an, days or months, metres or kilometres, dates as dd/mm/yyyy.

A near miss fails only the constraints that a small change could lift (area, budget, timing,
location), each by no more than its margin: ``near_miss_area_share`` of the bound it misses,
``near_miss_budget_share`` of the budget (rent or purchase), ``near_miss_days``,
``near_miss_distance_m``. A pair of
the wrong kind or lacking a must-have is never a near miss. Its hints say what it would take:
"+15 m² de surface", "−12 €/m²/an de loyer et charges", "disponible 2 mois plus tôt", "à 800 m
de plus que la distance acceptée". Each is rounded up: applied to the pair, it lifts the
constraint it names.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from matching._columns import FloatArray, bools, floats, need_bounds
from matching.constraints import (
    check_constraints,
    deadline,
    smallest_part_m2,
    timing_gaps,
)
from matching.pairs import PAIR_COLUMNS, check_pairs
from matching.settings import CRITERIA, CRITERIA_LABELS, Settings

_MINUS = "\u2212"
_THIN_SPACE = "\u202f"  # French thousands separator


def explain(scored_row: pd.Series) -> dict[str, Any]:
    """What one scored pair (a row of ``score_pairs``) is made of, criterion by criterion.

    Returns ``{"score", "completeness", "criteria"}`` where ``criteria`` maps each criterion to
    ``{"label", "value", "contribution", "default"}`` (``default``: the criterion lacked data
    and took the default score); the contributions sum to the score.

    Examples
    --------
    >>> from matching.constraints import example_pairs
    >>> from matching.scoring import score_pairs
    >>> scored = score_pairs(example_pairs(in_zone=False, distance_m=2000.0), Settings())
    >>> detail = explain(scored.iloc[0])
    >>> round(detail["criteria"]["location"]["value"], 3), detail["completeness"]
    (0.368, 1.0)
    """
    criteria = {
        c: {
            "label": CRITERIA_LABELS[c],
            "value": float(scored_row[f"value_{c}"]),
            "contribution": float(scored_row[f"contribution_{c}"]),
            "default": bool(scored_row[f"defaulted_{c}"]),
        }
        for c in CRITERIA
    }
    return {
        "score": float(scored_row["score"]),
        "completeness": float(scored_row["completeness"]),
        "criteria": criteria,
    }


def near_misses(pairs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The failing pairs that a small change would let through, with French hints.

    Returns need_id, premises_id and ``hints`` (a list of str), indexed like ``pairs``.

    Examples
    --------
    >>> from matching.constraints import example_pairs
    >>> near_misses(example_pairs(area_m2=85.0), Settings())["hints"].tolist()
    [['+15 m² de surface']]
    >>> len(near_misses(example_pairs(area_m2=85.0, kind_accepted=False), Settings()))
    0
    """
    checks = check_constraints(pairs, settings)
    too_small = floats(pairs, "area_m2") < need_bounds(pairs)[0]
    chosen = (
        ~checks["passes"]
        & checks["ok_kind"]
        & checks["ok_tenure"]
        & checks["ok_must_have"]
        & _close(pairs, checks, settings)
    ).to_numpy()
    late, early = timing_gaps(pairs, settings)
    no_maximum = np.isnan(floats(pairs, "max_distance_m"))
    rent_gap, price_gap = _money_gaps(pairs, checks, settings)
    columns = zip(
        checks["gap_area_m2"].to_numpy()[chosen],
        too_small[chosen],
        zip(rent_gap[chosen], price_gap[chosen], strict=True),
        late[chosen],
        early[chosen],
        checks["gap_distance_m"].to_numpy()[chosen],
        no_maximum[chosen],
        zip(
            pairs["available_from"][chosen],
            deadline(pairs, settings)[chosen],
            pairs["available_until"][chosen],
            pairs["move_in_earliest"][chosen],
            strict=True,
        ),
        strict=True,
    )
    result = checks.loc[chosen, ["need_id", "premises_id"]].copy()
    result["hints"] = pd.Series([_hints(*values) for values in columns], dtype=object).to_numpy()
    return result


def why_not(pair_row: pd.Series, settings: Settings) -> list[str]:
    """Every hard constraint that excludes a pair (a row of the pairs frame), and by how much.

    Empty when the pair passes.

    Examples
    --------
    >>> from matching.constraints import example_pairs
    >>> why_not(example_pairs(area_m2=80.0).iloc[0], Settings())
    ['Surface trop petite : 80 m² pour 100 à 150 m² demandés (−20 m²).']
    >>> why_not(example_pairs().iloc[0], Settings())
    []
    """
    check_pairs(pair_row.to_frame().T)
    frame = pd.DataFrame({c: pd.Series([pair_row[c]], dtype=d) for c, d in PAIR_COLUMNS.items()})
    check = check_constraints(frame, settings).iloc[0]
    reasons: list[str] = []
    if not check["ok_kind"]:
        reasons.append("Type de local non accepté.")
    if not check["ok_tenure"]:
        reasons.append(
            "Mode d'occupation non accepté : le besoin ne prend pas ce que le local offre "
            "(location, vente ou occupation temporaire)."
        )
    if not check["ok_must_have"]:
        reasons.append(_must_have_reason(int(frame["must_have_missing"].iloc[0])))
    if not check["ok_area"]:
        reasons.append(_area_reason(frame))
    if not check["ok_budget"]:
        reasons += _budget_reasons(frame, check, settings)
    if not check["ok_timing"]:
        reasons += _timing_reasons(frame, settings)
    if not check["ok_location"]:
        reasons.append(_location_reason(frame))
    return reasons


def _close(pairs: pd.DataFrame, checks: pd.DataFrame, settings: Settings) -> pd.Series:
    """Each of area, budget, timing and location holds, or misses by no more than its margin."""
    low, high = need_bounds(pairs)
    missed_bound = np.where(floats(pairs, "area_m2") < low, low, high)
    margins = {
        "area": (checks["gap_area_m2"], settings.near_miss_area_share * missed_bound),
        "timing": (checks["gap_days"], settings.near_miss_days),
        "location": (checks["gap_distance_m"], settings.near_miss_distance_m),
    }
    close = pd.Series(True, index=checks.index)
    for constraint, (gap, margin) in margins.items():  # vectorised comparisons
        close &= checks[f"ok_{constraint}"] | (gap <= margin)
    rent_gap, price_gap = _money_gaps(pairs, checks, settings)
    return close & (checks["ok_budget"] | (rent_gap > 0) | (price_gap > 0))


def _money_gaps(
    pairs: pd.DataFrame, checks: pd.DataFrame, settings: Settings
) -> tuple[FloatArray, FloatArray]:
    """The rent and sale-price gaps within their margin (a share of their budget), else 0:
    a need that could rent or buy is a near miss on either."""
    share = settings.near_miss_budget_share
    rent = checks["gap_budget_m2_year"].to_numpy(dtype=np.float64)
    price = checks["gap_price_m2"].to_numpy(dtype=np.float64)
    rent_close = rent <= share * floats(pairs, "budget_m2_year")
    price_close = price <= share * floats(pairs, "budget_purchase_m2")
    return np.where(rent_close, rent, 0.0), np.where(price_close, price, 0.0)


def _hints(
    gap_area: float,
    too_small: bool,
    money: tuple[float, float],
    late: float,
    early: float,
    gap_distance: float,
    no_maximum: bool,
    dates: tuple[pd.Timestamp, ...],
) -> list[str]:
    """``money``: the rent and sale-price gaps to show; ``dates``: available_from and the
    deadline, available_until and move_in_earliest."""
    hints = []
    if gap_area > 0:
        hints.append(f"{'+' if too_small else _MINUS}{_m2(_up(gap_area))} de surface")
    gap_rent, gap_price = money
    if gap_rent > 0:
        hints.append(f"{_MINUS}{_num(_up(gap_rent))} €/m²/an de loyer et charges")
    if gap_price > 0:
        hints.append(f"{_MINUS}{_num(_up(gap_price))} €/m² de prix de vente")
    if late > 0:
        hints.append(f"disponible {_shift_hint(late, *dates[:2])} plus tôt")
    if early > 0:
        hints.append(f"occupation temporaire prolongée de {_shift_hint(early, *dates[2:])}")
    if gap_distance > 0:
        where = "hors de la zone souhaitée" if no_maximum else "de plus que la distance acceptée"
        hints.append(f"à {_distance_up(gap_distance)} {where}")
    return hints


def _must_have_reason(missing: int) -> str:
    plural = "s" if missing > 1 else ""
    return f"Il manque {missing} équipement{plural} indispensable{plural}."


def _area_reason(frame: pd.DataFrame) -> str:
    area = float(floats(frame, "area_m2")[0])
    low, high = (float(bound[0]) for bound in need_bounds(frame))
    if low > 0 and math.isfinite(high):
        wanted = f"{_num(low)} à {_m2(high)} demandés"
    else:
        wanted = f"{_m2(low)} au moins demandés" if low > 0 else f"{_m2(high)} au plus demandés"
    if area < low:
        return f"Surface trop petite : {_m2(area)} pour {wanted} ({_MINUS}{_m2(_up(low - area))})."
    part = float(smallest_part_m2(frame)[0])
    excess = f"+{_m2(_up(part - high))}"
    if bool(bools(frame, "divisible")[0]):
        return f"Plus petit lot trop grand : {_m2(part)} pour {wanted} ({excess})."
    whole = "local ni divisible ni partagé"
    return f"Surface trop grande : {_m2(area)} pour {wanted} ({excess}), {whole}."


def _budget_reasons(frame: pd.DataFrame, check: pd.Series, settings: Settings) -> list[str]:
    """One reason per price the need could take: the rent, the sale price, or both."""
    tolerance = f"avec la tolérance de {_num(100 * settings.budget_tolerance)} %"
    reasons = []
    if check["gap_budget_m2_year"] > 0:
        charges = float(floats(frame, "charges_m2_year")[0])
        cost = float(floats(frame, "rent_m2_year")[0]) + (0.0 if math.isnan(charges) else charges)
        budget = float(floats(frame, "budget_m2_year")[0])
        which = "charges inconnues" if math.isnan(charges) else "charges comprises"
        reasons.append(
            f"Trop cher : {_num(cost)} €/m²/an ({which}) pour un budget de {_num(budget)} "
            f"€/m²/an, {_num(budget * (1 + settings.budget_tolerance))} {tolerance} "
            f"(+{_num(_up(check['gap_budget_m2_year']))} €/m²/an)."
        )
    if check["gap_price_m2"] > 0:
        price = float(floats(frame, "sale_price_m2")[0])
        budget = float(floats(frame, "budget_purchase_m2")[0])
        reasons.append(
            f"Trop cher à l'achat : {_num(price)} €/m² pour un budget de {_num(budget)} €/m², "
            f"{_num(budget * (1 + settings.budget_tolerance))} {tolerance} "
            f"(+{_num(_up(check['gap_price_m2']))} €/m²)."
        )
    return reasons


def _timing_reasons(frame: pd.DataFrame, settings: Settings) -> list[str]:
    late, early = (float(gap[0]) for gap in timing_gaps(frame, settings))
    earliest = _date(frame["move_in_earliest"].iloc[0])
    reasons = []
    if late > 0:
        if pd.isna(frame["move_in_latest"].iloc[0]):
            limit = f"une entrée dès le {earliest} et {settings.wait_horizon_days} jours d'attente"
        else:
            limit = f"une entrée au plus tard le {_date(deadline(frame, settings).iloc[0])}"
        available = _date(frame["available_from"].iloc[0])
        reasons.append(
            f"Disponible trop tard : le {available} pour {limit} ({_duration(late)} de retard)."
        )
    if early > 0:
        until = _date(frame["available_until"].iloc[0])
        reasons.append(
            f"Occupation temporaire trop courte : elle prend fin le {until}, avant l'entrée "
            f"au plus tôt le {earliest} ({_duration(early)} trop tôt)."
        )
    return reasons


def _location_reason(frame: pd.DataFrame) -> str:
    distance = _distance(float(floats(frame, "distance_m")[0]))
    maximum = float(floats(frame, "max_distance_m")[0])
    if math.isnan(maximum):
        return f"Hors de la zone souhaitée, à {distance}, sans distance maximale acceptée."
    return f"Hors de la zone souhaitée et à {distance} pour {_distance(maximum)} au plus."


def _up(value: float) -> float:
    """Round a gap up to a tenth, so that a hint is always enough (rounding noise aside)."""
    return math.ceil(round(value * 10, 6)) / 10


def _num(value: float) -> str:
    """French number: at most one decimal, decimal comma, thin space between thousands."""
    text = f"{round(value, 1):,.1f}".removesuffix(".0")
    return text.replace(",", _THIN_SPACE).replace(".", ",")


def _m2(value: float) -> str:
    return f"{_num(value)} m²"


def _distance(metres: float) -> str:
    return f"{_num(round(metres))} m" if metres < 999.5 else f"{_num(metres / 1000)} km"


def _distance_up(metres: float) -> str:
    """A distance hint, rounded up (to the metre, or to 100 m from 1 km) so that it suffices."""
    whole = math.ceil(round(metres, 6))
    return f"{_num(whole)} m" if whole < 1000 else f"{_num(math.ceil(whole / 100) / 10)} km"


def _duration(days: float) -> str:
    """Whole days below two months, else months (2 months is 61 days, not "60 jours")."""
    whole = math.ceil(round(days, 6))
    if whole < 60:
        return f"{whole} jour{'s' if whole > 1 else ''}"
    return f"{round(whole / 30.4375)} mois"


def _shift_hint(days: float, start: pd.Timestamp, target: pd.Timestamp) -> str:
    """Days, or from two months the fewest calendar months that move ``start`` past
    ``target`` (earlier when ``start`` is later): 75 days may need 3 months, never 2."""
    whole = math.ceil(round(days, 6))
    if whole < 60 or pd.isna(start) or pd.isna(target):
        return _duration(days) if whole < 60 else f"{-(-whole // 28)} mois"
    sign = -1 if start > target else 1
    months = max(1, whole // 31)
    while sign * ((start + pd.DateOffset(months=sign * months)) - target).days < 0:
        months += 1
    return f"{months} mois"


def _date(value: pd.Timestamp) -> str:
    """dd/mm/yyyy; a missing date (the pure core does not assume the store's rules) is said so."""
    return "date inconnue" if pd.isna(value) else value.strftime("%d/%m/%Y")
