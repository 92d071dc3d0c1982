"""Scenario use cases: run one, sweep cap × share, and the curves against the cap."""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.scenarios.cache import cached, key_of
from foncier.scenarios.charts import balance_heatmap, cap_curves_figure, svg, who_pays_figure
from foncier.scenarios.coverage import coverage, open_needs
from foncier.scenarios.document import lots_frame
from foncier.scenarios.evaluate import evaluate, lot_rows
from foncier.scenarios.store import SavedScenario, saved_scenario
from matching.pricecap.sweep import break_even_shares, sweep

DEFAULT_CAPS = tuple(round(c, 2) for c in np.linspace(0.5, 1.0, 11))
DEFAULT_SHARES = tuple(round(s, 2) for s in np.linspace(0.0, 0.5, 11))
CURVE_CAPS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)  # caps (share of market) of the page's curves
MAX_GRID = 2500  # points of a sweep: enough for a fine heatmap, small enough to answer fast


def run_scenario(session: Session, document: dict[str, Any]) -> dict[str, Any]:
    """Every figure of one scenario: per lot, for the operation, and its coverage."""
    per_lot, operation = evaluate(document)
    served = coverage(session, document, per_lot)
    return {
        "name": document["name"],
        "lots": lot_rows(per_lot),
        **operation,
        "needs_served": served["needs_served"],
        "coverage": served,
    }


def sweep_scenario(
    document: dict[str, Any],
    caps: Sequence[float] = DEFAULT_CAPS,
    shares: Sequence[float] = DEFAULT_SHARES,
) -> dict[str, Any]:
    """The balance over a cap × share grid (caps as shares of market), and its break-even line."""
    caps, shares = [float(c) for c in caps], [float(s) for s in shares]
    _check_grid(caps, shares)
    grid = sweep(
        lots_frame(document),
        caps,
        shares,
        document["other_receipts_eur"],
        document["other_expenditures_eur"],
    )
    line = break_even_shares(grid)
    return {
        "grid": grid.to_dict(orient="records"),
        "break_even": [
            {"cap": cap, "share": None if np.isnan(s) else float(s)}
            for cap, s in zip(line.index.astype(float), line.to_numpy(float), strict=True)
        ],
    }


def cap_curves(
    session: Session, document: dict[str, Any], caps: Sequence[float] = DEFAULT_CAPS
) -> list[dict[str, Any]]:
    """At the scenario's own ESS shares: cost per ESS m² and needs served, cap by cap."""
    caps = [float(c) for c in caps]
    _check_grid(caps, [0.0])
    rows = []
    needs = open_needs(session)
    for cap in caps:
        capped = at_cap(document, float(cap))
        per_lot, operation = evaluate(capped)
        served = coverage(session, capped, per_lot, needs)
        rows.append(
            {
                "cap": float(cap),
                "revenue_loss_eur": operation["revenue_loss_eur"],
                "cost_per_ess_m2_eur": operation["revenue_loss_per_ess_m2_eur"],
                "needs_served": served["needs_served"],
                "area_served_m2": served["area_served_m2"],
                "jobs_hosted": served["jobs_hosted"],
            }
        )
    return rows


def at_cap(document: dict[str, Any], cap: float) -> dict[str, Any]:
    """The same scenario with every lot's cap set to ``cap`` × its market price or rent."""
    capped = copy.deepcopy(document)
    for lot in capped["lots"]:
        lot.update(cap_share_of_market=cap, cap_price_eur_m2=None, cap_rent_eur_m2_year=None)
    return capped


def _check_grid(caps: Sequence[float], shares: Sequence[float]) -> None:
    errors: dict[str, list[str]] = {}
    for name, values, low in (("caps", caps, 0.0), ("shares", shares, -1e-12)):
        bad = [v for v in values if not low < v <= 1 or not np.isfinite(v)]
        if bad or not values:
            shown = ", ".join(f"{v:g}" for v in bad) or "aucune valeur"
            bounds = "dans ]0, 1]" if name == "caps" else "dans [0, 1]"
            errors[name] = [f"« {shown} » : chaque valeur doit être {bounds}."]
    if len(caps) * len(shares) > MAX_GRID:
        errors["grid"] = [f"« {len(caps)} × {len(shares)} » : au plus {MAX_GRID} points."]
    if errors:
        raise InvalidInput.from_errors(errors)


def compare_saved(session: Session, refs: list[str]) -> pd.DataFrame:
    """Saved scenarios side by side, on today's open needs (pages computed or kept)."""
    results = {}
    for ref in refs:
        page = scenario_page(session, ref)
        results[f"{ref} {page.saved.name}"] = page.result
    return comparison(results)


def comparison(results: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Scenarios side by side: one column per scenario, one row per headline figure."""
    keys = (
        "ess_area_m2",
        "revenue_loss_eur",
        "balance_before_eur",
        "balance_after_eur",
        "contribution_needed_eur",
        "needs_served",
    )
    return pd.DataFrame({name: {k: result[k] for k in keys} for name, result in results.items()})


def saved_result(session: Session, ref: str) -> dict[str, Any]:
    """A saved scenario's figures on today's open needs (its page, computed or kept)."""
    return scenario_page(session, ref).result


@dataclass(frozen=True)
class ScenarioPage:
    """Everything a scenario's page shows: the scenario, its figures, sweep, curves and
    charts (SVG text), and when they were computed."""

    saved: SavedScenario
    result: dict[str, Any]
    sweep: dict[str, Any]
    curves: list[dict[str, Any]]
    charts: dict[str, str]
    computed_at: datetime


def scenario_page(session: Session, ref: str, user: str = "calcul") -> ScenarioPage:
    """The page of a saved scenario, computed once per version and data version (``cache``)."""
    saved = saved_scenario(session, ref)
    found = cached(session, key_of(session, ref), lambda: compute_page(session, saved), user)
    return ScenarioPage(saved=saved, computed_at=found.computed_at, **found.content)


def compute_page(session: Session, saved: SavedScenario) -> dict[str, Any]:
    """Figures, sweep, curves and charts of a scenario: the seconds-long part of its page."""
    document = saved.document
    result = run_scenario(session, document)
    swept = sweep_scenario(document)
    curves = cap_curves(session, document, CURVE_CAPS)
    figures = {
        "heatmap": balance_heatmap(swept["grid"], swept["break_even"]),
        "curves": cap_curves_figure(curves),
        "who_pays": who_pays_figure(result["who_pays"]),
    }
    content = {"result": result, "sweep": swept, "curves": curves}
    return {**json_ready(content), "charts": {k: svg(f) for k, f in figures.items()}}


def json_ready(value: Any) -> Any:
    """``value`` as JSON stores it: NaN and infinities (no JSON for them) become null."""
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value.item() if hasattr(value, "item") else value
