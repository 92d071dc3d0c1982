"""The time from a need's registration to a favourable decision of the committee, in days
(median and 90th percentile), for all sectors and by sector.

A need counts once, at its first favourable decision still in force: the newest decision of
a line is the one in force (a correction is a newer row), and a line's decision dates from
when the committee first decided it, so that correcting a recording error does not lengthen
the wait. Days are Paris calendar days, as the waiting times of the open needs.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.committee.vocabulary import Issue
from foncier.observatory.table import Column, Table, rows_of

ALL_SECTORS = "Toutes filières"

_GRANTED = f"""
WITH lines AS (
    SELECT DISTINCT ON (d.ligne_id) d.ligne_id, d.issue,
           min(d.horodatage) OVER (PARTITION BY d.ligne_id) AS decided
    FROM decisions_comite d
    ORDER BY d.ligne_id, d.id DESC
), granted AS (
    SELECT l.besoin_id, min(f.decided) AS decided
    FROM lines f JOIN propositions_lignes l ON l.id = f.ligne_id
    WHERE f.issue = '{Issue.FAVORABLE.value}'
    GROUP BY l.besoin_id
), waits AS (
    SELECT a.filiere, COALESCE(fi.libelle, a.filiere) AS sector,
           CAST(timezone('Europe/Paris', g.decided) AS date)
             - CAST(timezone('Europe/Paris', b.created_at) AS date) AS days
    FROM granted g
    JOIN besoins b ON b.id = g.besoin_id
    JOIN acteurs a ON a.id = b.acteur_id
    LEFT JOIN filieres fi ON fi.code = a.filiere
)
SELECT COALESCE(filiere, '') AS key,
       CASE WHEN GROUPING(filiere) = 1 THEN '{ALL_SECTORS}' ELSE max(sector) END AS label,
       count(*) AS needs,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90_days
FROM waits
GROUP BY GROUPING SETS ((), (filiere))
ORDER BY GROUPING(filiere) DESC, needs DESC, key"""


def time_to_favourable(session: Session) -> Table:
    """One row for all sectors (key ``""``), then one per sector, most needs first."""
    rows = rows_of(session.execute(text(_GRANTED)))
    if not rows:  # no favourable decision yet: the overall row says so with its zero
        rows = ({"key": "", "label": ALL_SECTORS, "needs": 0, "median_days": None,
                 "p90_days": None},)  # fmt: skip
    return Table(
        "delais",
        "Délai de l'enregistrement à une décision favorable",
        (
            Column("label", "Filière"),
            Column("needs", "Besoins servis en comité"),
            Column("median_days", "Délai médian (jours)"),
            Column("p90_days", "Délai, 90e centile (jours)"),
        ),
        rows,
        "De l'enregistrement du besoin à la première décision favorable du comité "
        "d'engagement encore en vigueur.",
    )
