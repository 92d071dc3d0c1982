"""The audit log: who signed in, failed to, used a token, changed roles, read contacts.

Append-only (a trigger refuses updates and deletes). Writes go in the caller's transaction;
the web layer gives each event a short transaction of its own, so that a failed login or a
refused request is recorded even though nothing else is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from foncier.accounts.models import EvenementAudit
from foncier.accounts.rules import Paris


class Evenement(StrEnum):
    CONNEXION = "connexion"
    ECHEC_CONNEXION = "echec_connexion"
    DECONNEXION = "deconnexion"
    JETON_UTILISE = "jeton_utilise"
    JETON_REFUSE = "jeton_refuse"
    JETON_CREE = "jeton_cree"
    JETON_REVOQUE = "jeton_revoque"
    COMPTE_CREE = "compte_cree"
    ROLES_MODIFIES = "roles_modifies"
    COMPTE_DESACTIVE = "compte_desactive"
    MOT_DE_PASSE = "mot_de_passe"
    LECTURE_DONNEES_PERSONNELLES = "lecture_personnelle"
    EXPORT_DONNEES_PERSONNELLES = "export_personnel"
    EFFACEMENT_CONTACT = "effacement_contact"
    CONSERVATION = "conservation"


EVENT_LABELS = {
    Evenement.CONNEXION: "Connexion",
    Evenement.ECHEC_CONNEXION: "Échec de connexion",
    Evenement.DECONNEXION: "Déconnexion",
    Evenement.JETON_UTILISE: "Jeton d'API utilisé",
    Evenement.JETON_REFUSE: "Jeton d'API refusé",
    Evenement.JETON_CREE: "Jeton d'API créé",
    Evenement.JETON_REVOQUE: "Jeton d'API révoqué",
    Evenement.COMPTE_CREE: "Compte créé",
    Evenement.ROLES_MODIFIES: "Rôles modifiés",
    Evenement.COMPTE_DESACTIVE: "Compte désactivé",
    Evenement.MOT_DE_PASSE: "Mot de passe changé",
    Evenement.LECTURE_DONNEES_PERSONNELLES: "Lecture de données personnelles",
    Evenement.EXPORT_DONNEES_PERSONNELLES: "Export de données personnelles",
    Evenement.EFFACEMENT_CONTACT: "Effacement d'un contact",
    Evenement.CONSERVATION: "Règle de conservation appliquée",
}


def record_event(
    session: Session,
    evenement: Evenement,
    compte: str | None,
    adresse: str | None = None,
    **details: Any,
) -> None:
    session.add(
        EvenementAudit(evenement=evenement.value, compte=compte, adresse=adresse, details=details)
    )


@dataclass(frozen=True)
class AuditFilter:
    evenement: str | None = None
    compte: str | None = None
    du: date | None = None
    au: date | None = None


def search_events(
    session: Session, wanted: AuditFilter, limit: int = 200
) -> tuple[int, list[EvenementAudit]]:
    """The newest events first, filtered by kind, account (part of the e-mail) and dates."""
    query = select(EvenementAudit)
    if wanted.evenement:
        query = query.where(EvenementAudit.evenement == wanted.evenement)
    if wanted.compte:
        query = query.where(EvenementAudit.compte.icontains(wanted.compte, autoescape=True))
    if wanted.du:
        query = query.where(EvenementAudit.horodatage >= datetime.combine(wanted.du, time(), Paris))
    if wanted.au:
        end = datetime.combine(wanted.au + timedelta(days=1), time(), Paris)
        query = query.where(EvenementAudit.horodatage < end)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(EvenementAudit.id.desc()).limit(limit))
    return total, list(rows)
