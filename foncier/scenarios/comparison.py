"""Saved scenarios side by side: headline figures, then the clause's parameters, each with
its difference from the first scenario (in the figure's unit and in %)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from foncier.scenarios.service import ScenarioPage, scenario_page

# (key, label, unit): "€", "m²", "%" (a fraction shown in %), "" (a count), "ans", "€/m²"…
HEADLINES = (
    ("ess_area_m2", "Surface ESS (SDP)", "m²"),
    ("revenue_loss_eur", "Recette perdue par l'aménageur", "€"),
    ("balance_before_eur", "Bilan avant la clause", "€"),
    ("balance_after_eur", "Bilan après la clause", "€"),
    ("contribution_needed_eur", "Contribution pour l'équilibre", "€"),
    ("revenue_loss_per_ess_m2_eur", "Coût par m² ESS", "€/m²"),
    ("needs_served", "Besoins ESS servis", ""),
)
PARAMETERS = (
    ("ess_programme_share", "Part ESS du programme", "%"),
    ("duration_years", "Durée de la clause", "ans"),
    ("discount_rate", "Taux d'actualisation", "%"),
    ("market_rent_growth", "Évolution des loyers de marché (par an)", "%"),
    ("fonciere_yield", "Rendement de la Foncière", "%"),
    ("min_margin", "Marge minimale du promoteur", "%"),
    ("available_from", "Locaux disponibles à partir du", "date"),
)
LOT_PARAMETERS = (
    ("ess_share", "part ESS", "%"),
    ("cap_share_of_market", "plafond (part du marché)", "%"),
    ("cap_price_eur_m2", "prix plafond", "€/m²"),
    ("cap_rent_eur_m2_year", "loyer plafond", "€/m²/an"),
    ("ess_land_charge_eur_m2", "charge foncière ESS", "charge"),
)


@dataclass(frozen=True)
class Row:
    """One compared figure: its value in each scenario, and how each differs from the first."""

    label: str
    unit: str
    values: list[Any]
    deltas: list[float | None] = field(default_factory=list)  # in the unit (points for %)
    relative: list[float | None] = field(default_factory=list)  # share of the first value
    differs: list[bool] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    names: list[str]
    refs: list[str]
    sections: list[tuple[str, list[Row]]]


def compare_pages(session: Session, refs: list[str]) -> Comparison:
    """The scenarios' pages (computed or kept, see ``cache``) side by side."""
    pages = [scenario_page(session, ref) for ref in refs]
    lots = _lot_refs(pages)
    sections = [
        (
            "Chiffres clés",
            [_row(label, unit, [p.result[k] for p in pages]) for k, label, unit in HEADLINES],
        ),
        (
            "Paramètres de la clause",
            [
                _row(label, unit, [p.saved.document.get(k) for p in pages])
                for k, label, unit in PARAMETERS
            ],
        ),
    ]
    for ref in lots:
        rows = [
            _row(label, unit, [_lot_value(p, ref, key) for p in pages])
            for key, label, unit in LOT_PARAMETERS
        ]
        sections.append((f"Lot {ref}", rows))
    return Comparison([p.saved.name for p in pages], [p.saved.ref for p in pages], sections)


def _lot_refs(pages: list[ScenarioPage]) -> list[str]:
    seen: dict[str, None] = {}
    for page in pages:
        seen.update((lot["ref"], None) for lot in page.saved.document["lots"])
    return list(seen)


def _lot_value(page: ScenarioPage, ref: str, key: str) -> Any:
    for lot in page.saved.document["lots"]:
        if lot["ref"] == ref:
            return lot.get(key)
    return None


def _row(label: str, unit: str, values: list[Any]) -> Row:
    first = values[0]
    deltas: list[float | None] = []
    relative: list[float | None] = []
    for value in values:
        numeric = _number(first) and _number(value)
        deltas.append(value - first if numeric else None)
        relative.append((value - first) / abs(first) if numeric and first else None)
    differs = [value != first for value in values]
    return Row(label, unit, values, deltas, relative, differs)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
