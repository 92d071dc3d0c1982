"""The roles an account may hold, and what each may see of personal data."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATEUR = "administrateur"
    AGENT = "agent"  # agence immobilière solidaire
    COMITE = "comite"  # membre du comité d'engagement
    PLANIFICATEUR = "planificateur"


ROLE_LABELS = {
    Role.ADMINISTRATEUR: "Administrateur",
    Role.AGENT: "Agent de l'AIS",
    Role.COMITE: "Membre du comité d'engagement",
    Role.PLANIFICATEUR: "Planificateur",
}

# Contacts of actors are read by those who speak to them (agents) and by the administrators,
# who answer the requests of access and erasure; planners and the committee never see them.
PERSONAL_DATA_ROLES = frozenset({Role.AGENT, Role.ADMINISTRATEUR})


def sees_personal_data(roles: frozenset[Role] | set[Role]) -> bool:
    return bool(PERSONAL_DATA_ROLES & set(roles))
