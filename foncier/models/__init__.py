"""SQLAlchemy models: geometries in Lambert-93 (EPSG:2154) with GiST indexes."""

from foncier.models.accounts import Compte, EvenementAudit, JetonApi, LimiteDebit
from foncier.models.base import Base
from foncier.models.committee import (
    ConflitInteret,
    DecisionComite,
    LigneProposition,
    MembreSeance,
    PropositionComite,
    Seance,
    VoteComite,
)
from foncier.models.history import Historique, VersionDonnees
from foncier.models.matching import Appariement, Proposition, ReglagesAppariement
from foncier.models.reference import Commune, Filiere, FormeJuridiqueRef, Friche, Qpv
from foncier.models.registry import Acteur, Besoin, Local
from foncier.models.scenarios import Operation, PlafondLoyer, ResultatScenario, Scenario

__all__ = [
    "Acteur",
    "Appariement",
    "Base",
    "Besoin",
    "Commune",
    "Compte",
    "ConflitInteret",
    "DecisionComite",
    "EvenementAudit",
    "Filiere",
    "FormeJuridiqueRef",
    "Friche",
    "Historique",
    "JetonApi",
    "LigneProposition",
    "LimiteDebit",
    "Local",
    "MembreSeance",
    "Operation",
    "PlafondLoyer",
    "Proposition",
    "PropositionComite",
    "Qpv",
    "ReglagesAppariement",
    "ResultatScenario",
    "Scenario",
    "Seance",
    "VersionDonnees",
    "VoteComite",
]
