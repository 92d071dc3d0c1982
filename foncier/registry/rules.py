"""Rules that tie several fields of a record together, checked on the merged record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Errors = dict[str, list[str]]


def _premises(r: dict[str, Any], errors: Errors) -> None:
    lot_min, surface = r.get("surface_lot_min_m2"), r.get("surface_m2")
    if lot_min is not None and surface is not None and lot_min > surface:
        errors.setdefault("surface_lot_min_m2", []).append(
            f"« {lot_min:g} » : un lot ne peut dépasser la surface du local ({surface:g} m²)."
        )
    if r.get("divisible") and lot_min is None:
        errors.setdefault("surface_lot_min_m2", []).append(
            "Obligatoire pour un local divisible : la surface du plus petit lot possible."
        )
    _dates(r, "disponible_le", "disponible_jusqu_au", errors)
    if r.get("nature") == "lot" and r.get("parent_id") is None:
        errors.setdefault("parent_id", []).append("Un lot appartient à un site ou un bâtiment.")


def _actors(r: dict[str, Any], errors: Errors) -> None:
    siren, siret = r.get("siren"), r.get("siret")
    if siren and siret and not siret.startswith(siren):
        errors.setdefault("siret", []).append(
            f"« {siret} » : un SIRET commence par le SIREN de l'acteur ({siren})."
        )


def _needs(r: dict[str, Any], errors: Errors) -> None:
    low, high = r.get("surface_min_m2"), r.get("surface_max_m2")
    if low is not None and high is not None and low > high:
        errors.setdefault("surface_max_m2", []).append(
            f"« {high:g} » : doit être au moins la surface minimale ({low:g} m²)."
        )
    _dates(r, "emmenagement_au_plus_tot", "emmenagement_au_plus_tard", errors)
    if not r.get("types_acceptes"):
        errors.setdefault("types_acceptes", []).append("Au moins un type de local.")
    if not (r.get("communes_souhaitees") or r.get("zone_souhaitee") or r.get("distance_max_m")):
        errors.setdefault("zone_souhaitee", []).append(
            "Indiquez où chercher : des communes, une zone dessinée, ou un point et une distance."
        )
    if r.get("distance_max_m") and r.get("geometry") is None:
        errors.setdefault("geometry", []).append("Le point d'où compter la distance maximale.")


def _dates(r: dict[str, Any], start: str, end: str, errors: Errors) -> None:
    first, last = r.get(start), r.get(end)
    if first is not None and last is not None and last < first:
        errors.setdefault(end, []).append(
            f"« {last.isoformat()} » : doit suivre le {first.isoformat()} ({start})."
        )


CHECKS: dict[str, Callable[[dict[str, Any], Errors], None]] = {
    "premises": _premises,
    "actors": _actors,
    "needs": _needs,
}


def check(kind: str, record: dict[str, Any]) -> Errors:
    errors: Errors = {}
    CHECKS[kind](record, errors)
    return errors
