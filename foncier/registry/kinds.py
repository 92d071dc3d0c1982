"""The three registries, described once for the use cases, the API, imports and exports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from foncier.errors import InvalidInput
from foncier.models import Acteur, Besoin, Local
from foncier.models.base import Base
from foncier.schemas.fields import FrenchSchema
from foncier.schemas.registry import ActeurSchema, BesoinSchema, LocalSchema
from foncier.vocabulary import (
    TRANSITIONS_BESOIN,
    TRANSITIONS_LOCAL,
    StatutBesoin,
    StatutLocal,
)


@dataclass(frozen=True)
class Kind:
    name: str  # as in the CLI and the API paths: premises, actors, needs
    label: str  # French, singular, for messages
    model: type[Base]
    schema: type[FrenchSchema]
    ref_prefix: str
    withdrawn: tuple[str, object]  # the soft delete: (field, value)
    segment: str  # French plural, in URLs, file and layer names: locaux, acteurs, besoins
    title: str  # French, for page titles and map layers
    transitions: dict[StrEnum, frozenset[StrEnum]] | None = None


PREMISES = Kind(
    "premises",
    "local",
    Local,
    LocalSchema,
    "L",
    ("statut", StatutLocal.RETIRE),
    "locaux",
    "Locaux",
    TRANSITIONS_LOCAL,  # type: ignore[arg-type]
)
ACTORS = Kind(
    "actors", "acteur", Acteur, ActeurSchema, "A", ("archive", True), "acteurs", "Acteurs ESS"
)
NEEDS = Kind(
    "needs",
    "besoin",
    Besoin,
    BesoinSchema,
    "B",
    ("statut", StatutBesoin.ABANDONNE),
    "besoins",
    "Besoins des acteurs",
    TRANSITIONS_BESOIN,  # type: ignore[arg-type]
)
KINDS = {kind.name: kind for kind in (PREMISES, ACTORS, NEEDS)}


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        allowed = ", ".join(KINDS)
        raise InvalidInput(f"« {name} » n'est pas un registre : choisir parmi {allowed}.") from None
