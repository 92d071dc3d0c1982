"""The needs registry: what an actor looks for, placed by its wished zone or its actor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from foncier.models import Acteur, Besoin, Commune
from foncier.registry import _store
from foncier.registry.kind import Errors, Kind, Link, Values
from foncier.registry.rules import dates_in_order
from foncier.schemas.registry import BesoinSchema
from foncier.vocabulary import TRANSITIONS_BESOIN, StatutBesoin


def _rules(r: Values, errors: Errors) -> None:
    """The fields tied together, checked on the merged record."""
    low, high = r.get("surface_min_m2"), r.get("surface_max_m2")
    if low is not None and high is not None and low > high:
        errors.setdefault("surface_max_m2", []).append(
            f"« {high:g} » : doit être au moins la surface minimale ({low:g} m²)."
        )
    dates_in_order(r, "emmenagement_au_plus_tot", "emmenagement_au_plus_tard", errors)
    if not r.get("types_acceptes"):
        errors.setdefault("types_acceptes", []).append("Au moins un type de local.")
    if not (r.get("communes_souhaitees") or r.get("zone_souhaitee") or r.get("distance_max_m")):
        errors.setdefault("zone_souhaitee", []).append(
            "Indiquez où chercher : des communes, une zone dessinée, ou un point et une distance."
        )
    if r.get("distance_max_m") and r.get("geometry") is None:
        errors.setdefault("geometry", []).append("Le point d'où compter la distance maximale.")


def _references(session: Session, values: Values, errors: Errors) -> None:
    _store.exists(session, Acteur, values.get("acteur_id"), "acteur_id", errors)
    for code in values.get("communes_souhaitees") or []:
        _store.known(session, Commune.code_insee, code, "communes_souhaitees", errors)


def _filter(query: Select[Any], f: Values) -> Select[Any]:
    found = []
    if f.get("statut"):
        found.append(Besoin.statut == f["statut"])
    if f.get("type_local"):
        found.append(Besoin.types_acceptes.contains([f["type_local"]]))
    if f.get("surface_min") is not None:
        found.append(Besoin.surface_max_m2 >= f["surface_min"])
    if f.get("surface_max") is not None:
        found.append(Besoin.surface_min_m2 <= f["surface_max"])
    if f.get("loyer_max") is not None:
        found.append(Besoin.budget_loyer_m2_an <= f["loyer_max"])
    if f.get("acteur_id") is not None:
        found.append(Besoin.acteur_id == f["acteur_id"])
    by_actor = [getattr(Acteur, name) == f[name] for name in ("filiere", "stade") if f.get(name)]
    if by_actor:
        query = query.join(Acteur, Acteur.id == Besoin.acteur_id)
    return query.where(*found, *by_actor)


def _centre(session: Session, values: Values) -> None:
    """A need without a point sits at its wished zone, else at its actor's point."""
    if values.get("zone_souhaitee") is not None:
        values["geometry"] = values["zone_souhaitee"].representative_point()
        return
    actor = session.get(Acteur, values.get("acteur_id")) if values.get("acteur_id") else None
    if actor is not None and actor.geom is not None:
        values["geometry"] = _store.values_of(actor)["geometry"]


NEEDS = Kind(
    name="needs",
    label="besoin",
    model=Besoin,
    schema=BesoinSchema,
    ref_prefix="B",
    withdrawn=("statut", StatutBesoin.ABANDONNE),
    segment="besoins",
    title="Besoins des acteurs",
    check_rules=_rules,
    check_references=_references,
    filter=_filter,
    transitions=TRANSITIONS_BESOIN,  # type: ignore[arg-type]
    geocoded=False,
    place=_centre,
    point_sources=("zone_souhaitee", "acteur_id"),
    zone="zone_souhaitee",
    links=(Link("acteur_ref", "acteur_id", Acteur, "acteur"),),
    ref_keys=("acteur_ref", "intitule"),
)
