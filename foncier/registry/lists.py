"""Reference lists the forms and filters offer: sectors, legal forms, communes, actors."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.models import Acteur, Commune, Filiere, FormeJuridiqueRef

Choices = list[tuple[str, str]]


def communes(session: Session) -> Choices:
    return [(c.code_insee, c.nom) for c in session.scalars(select(Commune).order_by(Commune.nom))]


def choices(session: Session, kind: str) -> dict[str, Choices]:
    """Lists of a kind's form; priority sectors are marked, as the ESS plan favours them."""
    if kind == "actors":
        return {
            "filiere": [
                (f.code, f"{f.libelle}{' (prioritaire)' if f.prioritaire else ''}")
                for f in session.scalars(select(Filiere).order_by(Filiere.libelle))
            ],
            "forme_juridique": [
                (f.code, f.libelle)
                for f in session.scalars(select(FormeJuridiqueRef).order_by(FormeJuridiqueRef.code))
            ],
        }
    if kind == "needs":
        actors = session.execute(
            select(Acteur.id, Acteur.nom).where(Acteur.archive.is_(False)).order_by(Acteur.nom)
        )
        return {
            "acteur_id": [(str(i), nom) for i, nom in actors],
            "communes_souhaitees": communes(session),
        }
    return {}
