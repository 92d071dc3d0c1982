"""French names of a scenario's keys and lot uses, for its pages and its error messages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

USE_LABELS = {
    "bureaux": "bureaux",
    "activites": "activités/artisanat",
    "commerce": "commerce",
    "logement": "logement",
    "equipement": "équipement",
}
KEY_LABELS = {
    "name": "nom du scénario",
    "perimeter": "périmètre",
    "lots": "lots",
    "ess_programme_share": "part ESS du programme",
    "other_receipts_eur": "autres recettes de l'aménageur",
    "other_expenditures_eur": "autres dépenses de l'aménageur",
    "min_margin": "marge minimale du promoteur",
    "duration_years": "durée de la clause",
    "discount_rate": "taux d'actualisation",
    "market_rent_growth": "évolution des loyers de marché",
    "indices": "indices",
    "unit_sizes_m2": "découpage en locaux (m²)",
    "fonciere_yield": "rendement de la Foncière",
    "available_from": "disponibilité",
    "ref": "référence",
    "use": "usage",
    "sdp_m2": "SDP (m²)",
    "eta": "rendement SU/SDP",
    "price_eur_m2": "prix de marché (€/m²)",
    "rent_eur_m2_year": "loyer de marché (€/m²/an)",
    "yield": "taux de capitalisation",
    "vacancy": "vacance",
    "buyer_costs": "frais d'acquisition",
    "construction_eur_m2": "coût de construction (€/m²)",
    "fees_technical": "honoraires techniques",
    "contingencies": "aléas",
    "taxes_eur": "taxes (€)",
    "margin": "marge du promoteur",
    "fees_commercial": "frais de commercialisation",
    "fees_management": "frais de gestion",
    "fees_financial": "frais financiers",
    "ess_share": "part ESS",
    "cap_price_eur_m2": "prix plafond (€/m²)",
    "cap_rent_eur_m2_year": "loyer plafond (€/m²/an)",
    "cap_share_of_market": "plafond (part du marché)",
    "ess_land_charge_eur_m2": "charge foncière ESS fixée (€/m²)",
    "point": "point du lot",
    "version": "version",
    "caps": "plafonds",
    "shares": "parts ESS",
    "grid": "grille",
}
_LOT = re.compile(r"^lots\[(\d+)\]\[(\w+)\]")


def use_label(code: str) -> str:
    return USE_LABELS.get(code, code)


def error_place(field: str, lots: Sequence[dict[str, Any]] | None = None) -> str:
    """Where an error is, as a planner reads it: ``lots[1][use]`` is "lot A1, usage" (or
    "lot 2, usage" when the lots are not known), ``discount_rate`` "taux d'actualisation"."""
    found = _LOT.match(field)
    if found is None:
        return KEY_LABELS.get(field, field)
    index, key = int(found.group(1)), found.group(2)
    lot = lots[index].get("ref") if lots and index < len(lots) else None
    named = f"lot {lot}" if isinstance(lot, str) and lot else f"lot {index + 1}"
    return f"{named}, {KEY_LABELS.get(key, key)}"
