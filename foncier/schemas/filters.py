"""Filters of the registry lists: one schema per kind for the pages, the API and exports."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from marshmallow import fields

from foncier.errors import InvalidInput
from foncier.french import fold
from foncier.schemas.fields import (
    FrenchSchema,
    boolean,
    choices,
    integer,
    load,
    number,
    text,
)
from foncier.vocabulary import VALUE_LABELS, Stade, StatutBesoin, StatutLocal, TypeLocal

# The columns a list sorts by: what the pages show, but lists of codes (a need's kinds).
SORTABLE: dict[str, tuple[str, ...]] = {
    "premises": (
        "ref",
        "nom",
        "type_local",
        "statut",
        "surface_m2",
        "loyer_m2_an",
        "disponible_le",
        "commune_insee",
        "en_qpv",
    ),
    "actors": ("ref", "nom", "forme_juridique", "filiere", "stade", "effectif", "commune_insee"),
    "needs": (
        "ref",
        "intitule",
        "statut",
        "surface_min_m2",
        "surface_max_m2",
        "budget_loyer_m2_an",
        "emmenagement_au_plus_tot",
        "commune_insee",
    ),
}


class FoldedChoice(fields.String):
    """A code of a closed list, also given by its French label in any case or accents
    (``Bureau``, ``reserve``): what an agent types in a link or a query string."""

    def __init__(self, enum: type[StrEnum], **kwargs: Any) -> None:
        codes = [member.value for member in enum]
        labels = [VALUE_LABELS.get(code, code) for code in codes]
        super().__init__(validate=choices(codes, labels), **kwargs)
        self.codes = {fold(code): code for code in codes}
        self.codes.update({fold(VALUE_LABELS.get(code, code)): code for code in codes})

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        return self.codes.get(fold(text), text)


def sort_by(kind_name: str) -> fields.String:
    """``tri=loyer_m2_an`` ascending, ``tri=-loyer_m2_an`` descending."""
    names = SORTABLE[kind_name]
    return fields.String(
        validate=choices([*names, *(f"-{name}" for name in names)]),
        metadata={"description": "Colonne de tri ; précédée de « - » : ordre décroissant"},
    )


class CommonFilters(FrenchSchema):
    q = text(200, metadata={"description": "Recherche par nom, adresse ou référence"})
    source = text(64)
    ref = text(128)
    commune_insee = text(100, metadata={"description": "Code INSEE ou nom de la commune"})
    qpv = boolean(metadata={"description": "En quartier prioritaire"})


class PremisesFilters(CommonFilters):
    type_local = FoldedChoice(TypeLocal)
    statut = FoldedChoice(StatutLocal)
    surface_min = number(metadata={"description": "m²"})
    surface_max = number(metadata={"description": "m²"})
    loyer_max = number(metadata={"description": "€/m²/an HT HC"})
    tri = sort_by("premises")


class ActorsFilters(CommonFilters):
    filiere = text(200)
    stade = FoldedChoice(Stade)
    forme_juridique = text(200)
    archive = boolean()
    tri = sort_by("actors")


class NeedsFilters(CommonFilters):
    statut = FoldedChoice(StatutBesoin)
    type_local = FoldedChoice(TypeLocal)
    surface_min = number()
    surface_max = number()
    loyer_max = number(metadata={"description": "Budget maximal, €/m²/an HT HC"})
    filiere = text(200)
    stade = FoldedChoice(Stade)
    acteur_id = integer(1, metadata={"description": "Besoins d'un acteur (son n°)"})
    tri = sort_by("needs")


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
