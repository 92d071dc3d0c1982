"""The premises registry: spaces offered, placed by their address, lots within sites."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from foncier.models import Friche, Local
from foncier.registry import _store
from foncier.registry.kind import Errors, Kind, Values
from foncier.registry.rules import dates_in_order
from foncier.schemas.registry import LocalSchema
from foncier.vocabulary import TRANSITIONS_LOCAL, StatutLocal


def _rules(r: Values, errors: Errors) -> None:
    """The fields tied together, checked on the merged record."""
    lot_min, surface = r.get("surface_lot_min_m2"), r.get("surface_m2")
    if lot_min is not None and surface is not None and lot_min > surface:
        errors.setdefault("surface_lot_min_m2", []).append(
            f"« {lot_min:g} » : un lot ne peut dépasser la surface du local ({surface:g} m²)."
        )
    if r.get("divisible") and lot_min is None:
        errors.setdefault("surface_lot_min_m2", []).append(
            "Obligatoire pour un local divisible : la surface du plus petit lot possible."
        )
    dates_in_order(r, "disponible_le", "disponible_jusqu_au", errors)
    if r.get("nature") == "lot" and r.get("parent_id") is None:
        errors.setdefault("parent_id", []).append("Un lot appartient à un site ou un bâtiment.")


def _references(session: Session, values: Values, errors: Errors) -> None:
    _store.exists(session, Friche, values.get("friche_id"), "friche_id", errors)
    _store.lot_parent(session, values.get("parent_id"), errors)


def _filter(query: Select[Any], f: Values) -> Select[Any]:
    found = []
    if f.get("type_local"):
        found.append(Local.type_local == f["type_local"])
    if f.get("statut"):
        found.append(Local.statut == f["statut"])
    if f.get("surface_min") is not None:
        found.append(Local.surface_m2 >= f["surface_min"])
    if f.get("surface_max") is not None:
        found.append(Local.surface_m2 <= f["surface_max"])
    if f.get("loyer_max") is not None:
        found.append(Local.loyer_m2_an <= f["loyer_max"])
    return query.where(*found)


PREMISES = Kind(
    name="premises",
    label="local",
    model=Local,
    schema=LocalSchema,
    ref_prefix="L",
    withdrawn=("statut", StatutLocal.RETIRE),
    segment="locaux",
    title="Locaux",
    check_rules=_rules,
    check_references=_references,
    filter=_filter,
    transitions=TRANSITIONS_LOCAL,  # type: ignore[arg-type]
    ref_keys=("nom", "adresse", "lon", "lat"),
)
