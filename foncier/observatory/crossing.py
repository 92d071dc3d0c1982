"""Open needs by sector and commune at once: the planners' notebook draws it as a heat map."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.observatory.demand import NOT_LOCATED
from foncier.observatory.table import Column, Table, rows_of
from foncier.vocabulary import OPEN_NEEDS

_CROSSING = f"""
SELECT COALESCE(f.libelle, a.filiere) AS sector, COALESCE(c.nom, '{NOT_LOCATED}') AS commune,
       count(*) AS needs, sum(b.surface_min_m2) AS area_m2
FROM besoins b
JOIN acteurs a ON a.id = b.acteur_id
LEFT JOIN filieres f ON f.code = a.filiere
LEFT JOIN communes c ON c.code_insee = b.commune_insee
WHERE b.statut IN ({", ".join(f"'{s}'" for s in OPEN_NEEDS)})
GROUP BY 1, 2 ORDER BY 1, 2"""


def sector_by_commune(session: Session) -> Table:
    return Table(
        "filieres_communes",
        "Besoins ouverts par filière et par commune",
        (
            Column("sector", "Filière"),
            Column("commune", "Commune"),
            Column("needs", "Besoins ouverts"),
            Column("area_m2", "Surface minimale demandée (m²)"),
        ),
        rows_of(session.execute(text(_CROSSING))),
    )
