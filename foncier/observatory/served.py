"""Needs served per month, read from the append-only history: when each became "satisfait".

A need counts in the month of each move into "satisfait" (a need reopened and served again
counts again, in its new month): the history triggers record every change, so no write path
escapes this count. The area is the need's minimum area at that moment.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.observatory.table import Column, Table, rows_of
from foncier.vocabulary import StatutBesoin

_SERVED = f"""
SELECT to_char(date_trunc('month', timezone('Europe/Paris', h.horodatage)), 'MM/YYYY') AS month,
       count(*) AS needs,
       sum(CAST(h.apres->>'surface_min_m2' AS double precision)) AS area_m2
FROM historique h
WHERE h.table_name = 'besoins'
  AND h.apres->>'statut' = '{StatutBesoin.SATISFAIT.value}'
  AND (h.avant IS NULL OR h.avant->>'statut' IS DISTINCT FROM '{StatutBesoin.SATISFAIT.value}')
GROUP BY date_trunc('month', timezone('Europe/Paris', h.horodatage))
ORDER BY date_trunc('month', timezone('Europe/Paris', h.horodatage))"""


def served_per_month(session: Session) -> Table:
    rows = rows_of(session.execute(text(_SERVED)))
    return Table(
        "servis",
        "Besoins servis par mois",
        (
            Column("month", "Mois"),
            Column("needs", "Besoins servis"),
            Column("area_m2", "Surface minimale servie (m²)"),
        ),
        rows,
        "Passages au statut « satisfait », d'après l'historique des modifications.",
    )
