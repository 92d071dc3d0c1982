"""SQLAlchemy models: geometries in Lambert-93 (EPSG:2154) with GiST indexes."""

from foncier.models.base import Base
from foncier.models.history import Historique
from foncier.models.reference import Commune, Filiere, FormeJuridiqueRef, Friche, Qpv
from foncier.models.registry import Acteur, Besoin, Local

__all__ = [
    "Acteur",
    "Base",
    "Besoin",
    "Commune",
    "Filiere",
    "FormeJuridiqueRef",
    "Friche",
    "Historique",
    "Local",
    "Qpv",
]
