"""Explanations in French: what a score is made of, why a pair is excluded, what a near miss lacks.

The committee reads these next to each proposal, so every figure is in the unit people use:
m², €/m²/an, days or months, metres or kilometres, dates as dd/mm/yyyy.

A near miss fails only the constraints that a small change could lift (area, budget, timing,
location), each by no more than its margin: ``near_miss_area_share`` of the bound it misses,
``near_miss_budget_share`` of the budget, ``near_miss_days``, ``near_miss_distance_m``. A pair of
the wrong kind or lacking a must-have is never a near miss. Its hints say what it would take:
"+15 m² de surface", "−12 €/m²/an de loyer et charges", "disponible 2 mois plus tôt", "à 800 m
de plus que la distance acceptée".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from matching.constraints import (
    _bools,
    _floats,
    _need_bounds,
    _smallest_part_m2,
    check_constraints,
    deadline,
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
    too_small = _floats(pairs, "area_m2") < _need_bounds(pairs)[0]
    chosen = (
        ~checks["passes"]
        & checks["ok_kind"]
        & checks["ok_tenure"]
        & checks["ok_must_have"]
        & _close(pairs, checks, settings)
    ).to_numpy()
    late, early = timing_gaps(pairs, settings)
    no_maximum = np.isnan(_floats(pairs, "max_distance_m"))
    columns = zip(
        checks["gap_area_m2"].to_numpy()[chosen],
        too_small[chosen],
        checks["gap_budget_m2_year"].to_numpy()[chosen],
        late[chosen],
        early[chosen],
        checks["gap_distance_m"].to_numpy()[chosen],
        no_maximum[chosen],
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
        reasons.append(_budget_reason(frame, settings))
    if not check["ok_timing"]:
        reasons += _timing_reasons(frame, settings)
    if not check["ok_location"]:
        reasons.append(_location_reason(frame))
    return reasons


def _close(pairs: pd.DataFrame, checks: pd.DataFrame, settings: Settings) -> pd.Series:
    """Each of area, budget, timing and location holds, or misses by no more than its margin."""
    low, high = _need_bounds(pairs)
    missed_bound = np.where(_floats(pairs, "area_m2") < low, low, high)
    budget = _floats(pairs, "budget_m2_year")
    margins = {
        "area": (checks["gap_area_m2"], settings.near_miss_area_share * missed_bound),
        "budget": (checks["gap_budget_m2_year"], settings.near_miss_budget_share * budget),
        "timing": (checks["gap_days"], settings.near_miss_days),
        "location": (checks["gap_distance_m"], settings.near_miss_distance_m),
    }
    close = pd.Series(True, index=checks.index)
    for constraint, (gap, margin) in margins.items():  # four vectorised comparisons
        close &= checks[f"ok_{constraint}"] | (gap <= margin)
    return close


def _hints(
    gap_area: float,
    too_small: bool,
    gap_budget: float,
    late: float,
    early: float,
    gap_distance: float,
    no_maximum: bool,
) -> list[str]:
    hints = []
    if gap_area > 0:
        hints.append(f"{'+' if too_small else _MINUS}{_m2(_up(gap_area))} de surface")
    if gap_budget > 0:
        hints.append(f"{_MINUS}{_num(_up(gap_budget))} €/m²/an de loyer et charges")
    if late > 0:
        hints.append(f"disponible {_duration(late)} plus tôt")
    if early > 0:
        hints.append(f"occupation temporaire prolongée de {_duration(early)}")
    if gap_distance > 0:
        where = "hors de la zone souhaitée" if no_maximum else "de plus que la distance acceptée"
        hints.append(f"à {_distance(math.ceil(gap_distance))} {where}")
    return hints


def _must_have_reason(missing: int) -> str:
    plural = "s" if missing > 1 else ""
    return f"Il manque {missing} équipement{plural} indispensable{plural}."


def _area_reason(frame: pd.DataFrame) -> str:
    area = float(_floats(frame, "area_m2")[0])
    low, high = (float(bound[0]) for bound in _need_bounds(frame))
    if low > 0 and math.isfinite(high):
        wanted = f"{_num(low)} à {_m2(high)} demandés"
    else:
        wanted = f"{_m2(low)} au moins demandés" if low > 0 else f"{_m2(high)} au plus demandés"
    if area < low:
        return f"Surface trop petite : {_m2(area)} pour {wanted} ({_MINUS}{_m2(_up(low - area))})."
    part = float(_smallest_part_m2(frame)[0])
    excess = f"+{_m2(_up(part - high))}"
    if bool(_bools(frame, "divisible")[0]):
        return f"Plus petit lot trop grand : {_m2(part)} pour {wanted} ({excess})."
    whole = "local ni divisible ni partagé"
    return f"Surface trop grande : {_m2(area)} pour {wanted} ({excess}), {whole}."


def _budget_reason(frame: pd.DataFrame, settings: Settings) -> str:
    charges = float(_floats(frame, "charges_m2_year")[0])
    cost = float(_floats(frame, "rent_m2_year")[0]) + (0.0 if math.isnan(charges) else charges)
    budget = float(_floats(frame, "budget_m2_year")[0])
    ceiling = budget * (1 + settings.budget_tolerance)
    which = "charges inconnues" if math.isnan(charges) else "charges comprises"
    return (
        f"Trop cher : {_num(cost)} €/m²/an ({which}) pour un budget de {_num(budget)} €/m²/an, "
        f"{_num(ceiling)} avec la tolérance de {_num(100 * settings.budget_tolerance)} % "
        f"(+{_num(_up(cost - ceiling))} €/m²/an)."
    )


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
    distance = _distance(float(_floats(frame, "distance_m")[0]))
    maximum = float(_floats(frame, "max_distance_m")[0])
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


def _duration(days: float) -> str:
    """Whole days below two months, else months (2 months is 61 days, not "60 jours")."""
    whole = math.ceil(round(days, 6))
    if whole < 60:
        return f"{whole} jour{'s' if whole > 1 else ''}"
    return f"{round(whole / 30.4375)} mois"


def _date(value: pd.Timestamp) -> str:
    return value.strftime("%d/%m/%Y")
