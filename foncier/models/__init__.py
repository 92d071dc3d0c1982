"""SQLAlchemy models: geometries in Lambert-93 (EPSG:2154) with GiST indexes."""

from foncier.models.accounts import Compte, EvenementAudit, JetonApi
from foncier.models.base import Base
from foncier.models.history import Historique
from foncier.models.matching import Appariement, Proposition, ReglagesAppariement
from foncier.models.reference import Commune, Filiere, FormeJuridiqueRef, Friche, Qpv
from foncier.models.registry import Acteur, Besoin, Local
from foncier.models.scenarios import Operation, PlafondLoyer, Scenario

__all__ = [
    "Acteur",
    "Appariement",
    "Base",
    "Besoin",
    "Commune",
    "Compte",
    "EvenementAudit",
    "Filiere",
    "FormeJuridiqueRef",
    "Friche",
    "Historique",
    "JetonApi",
    "Local",
    "Operation",
    "PlafondLoyer",
    "Proposition",
    "Qpv",
    "ReglagesAppariement",
    "Scenario",
]
