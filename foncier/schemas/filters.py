"""Filters of the registry lists: one schema per kind for the pages, the API and exports."""

from __future__ import annotations

from typing import Any

from foncier.errors import InvalidInput
from foncier.schemas.fields import FrenchSchema, boolean, load, number, one_of, text
from foncier.vocabulary import Stade, StatutBesoin, StatutLocal, TypeLocal


class CommonFilters(FrenchSchema):
    source = text(64)
    ref = text(128)
    commune_insee = text(5, metadata={"description": "Code INSEE de la commune"})
    qpv = boolean(metadata={"description": "En quartier prioritaire"})


class PremisesFilters(CommonFilters):
    type_local = one_of(TypeLocal)
    statut = one_of(StatutLocal)
    surface_min = number(metadata={"description": "m²"})
    surface_max = number(metadata={"description": "m²"})
    loyer_max = number(metadata={"description": "€/m²/an HT HC"})


class ActorsFilters(CommonFilters):
    filiere = text(32)
    stade = one_of(Stade)
    forme_juridique = text(32)
    archive = boolean()


class NeedsFilters(CommonFilters):
    statut = one_of(StatutBesoin)
    type_local = one_of(TypeLocal)
    surface_min = number()
    surface_max = number()
    loyer_max = number(metadata={"description": "Budget maximal, €/m²/an HT HC"})
    filiere = text(32)
    stade = one_of(Stade)


FILTERS: dict[str, type[FrenchSchema]] = {
    "premises": PremisesFilters,
    "actors": ActorsFilters,
    "needs": NeedsFilters,
}


def load_filters(kind_name: str, given: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The filters of a list page, and the message of each bad one by field (the page then
    shows no list rather than one the user would believe filtered)."""
    schema = FILTERS[kind_name]()
    try:
        return load(schema, given), {}
    except InvalidInput as error:
        errors = error.errors or {}
    kept = {k: v for k, v in given.items() if k not in errors}
    return load(schema, kept), errors
