"""Open needs by sector, commune, stage, kind and area band, and how long they have waited.

Every figure is one SQL aggregate over the open needs, so that it holds at 100,000 needs. A
need waits from its registration (``created_at``, Paris day) to ``today``; the area is the
need's minimum floor area (what it cannot do without). A need accepting several kinds of
premises counts once under each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.observatory.table import Column, Table, rows_of
from foncier.vocabulary import OPEN_NEEDS, Stade, TypeLocal

STAGE_LABELS: dict[str, str] = {
    Stade.EMERGENCE: "Émergence",
    Stade.DEVELOPPEMENT: "Développement",
    Stade.CHANGEMENT_ECHELLE: "Changement d'échelle",
}
KIND_LABELS: dict[str, str] = {
    TypeLocal.BUREAU: "Bureau",
    TypeLocal.ACTIVITE: "Activité, atelier",
    TypeLocal.COMMERCE: "Commerce",
    TypeLocal.STOCKAGE: "Stockage",
    TypeLocal.TIERS_LIEU: "Tiers-lieu",
    TypeLocal.TERRAIN: "Terrain",
}
# Upper bounds (m², excluded) of the area bands, on the need's minimum area.
AREA_BANDS = (50, 100, 250, 500, 1000)
NOT_LOCATED = "Non localisé"


def _case(column: str, labels: dict[str, str], otherwise: str) -> str:
    cases = " ".join(
        f"WHEN '{code}' THEN '{label.replace(chr(39), chr(39) * 2)}'"
        for code, label in labels.items()
    )
    return f"CASE {column} {cases} ELSE {otherwise} END"


def _band_label(index: int) -> str:
    if index == 0:
        return f"moins de {AREA_BANDS[0]} m²"
    if index == len(AREA_BANDS):
        return f"{AREA_BANDS[-1]} m² et plus"
    return f"{AREA_BANDS[index - 1]} à {AREA_BANDS[index]} m²"


def _band_key() -> str:
    """The band's index (0 for the smallest), so that bands sort by size."""
    bounds = ", ".join(str(b) for b in AREA_BANDS)
    return f"width_bucket(o.m2, ARRAY[{bounds}]::double precision[])"


_OPEN = f"""
WITH o AS MATERIALIZED (
    SELECT b.id, b.surface_min_m2 AS m2, b.types_acceptes, b.commune_insee,
           CAST(:today AS date) - CAST(timezone('Europe/Paris', b.created_at) AS date) AS wait,
           a.filiere, COALESCE(f.libelle, a.filiere) AS filiere_libelle, a.stade
    FROM besoins b
    JOIN acteurs a ON a.id = b.acteur_id
    LEFT JOIN filieres f ON f.code = a.filiere
    WHERE b.statut IN ({", ".join(f"'{s}'" for s in OPEN_NEEDS)})
)"""

_FIGURES = """count(*) AS needs, sum(o.m2) AS area_m2,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY o.wait) AS wait_median_days,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY o.wait) AS wait_p90_days"""

# name: (title, key, label, extra FROM clause, order)
_DIMENSIONS: dict[str, tuple[str, str, str, str, str]] = {
    "filieres": (
        "Besoins ouverts par filière",
        "o.filiere",
        "o.filiere_libelle",
        "",
        "needs DESC, key",
    ),
    "communes": (
        "Besoins ouverts par commune",
        "COALESCE(o.commune_insee, '')",
        f"COALESCE(c.nom, '{NOT_LOCATED}')",
        "LEFT JOIN communes c ON c.code_insee = o.commune_insee",
        "needs DESC, key",
    ),
    "stades": (
        "Besoins ouverts par stade",
        "o.stade",
        _case("o.stade", STAGE_LABELS, "o.stade"),
        "",
        "key",
    ),
    "types": (
        "Besoins ouverts par type de local accepté",
        "k.kind",
        _case("k.kind", KIND_LABELS, "k.kind"),
        "CROSS JOIN LATERAL unnest(o.types_acceptes) AS k(kind)",
        "needs DESC, key",
    ),
    "surfaces": (
        "Besoins ouverts par tranche de surface minimale",
        _band_key(),
        "CASE "
        + " ".join(
            f"WHEN {_band_key()} = {i} THEN '{_band_label(i)}'" for i in range(len(AREA_BANDS))
        )
        + f" ELSE '{_band_label(len(AREA_BANDS))}' END",
        "",
        "key",
    ),
}
DIMENSIONS = tuple(_DIMENSIONS)

_COLUMNS = (
    Column("label", ""),
    Column("needs", "Besoins ouverts"),
    Column("area_m2", "Surface minimale demandée (m²)"),
    Column("wait_median_days", "Attente médiane (jours)"),
    Column("wait_p90_days", "Attente, 90e centile (jours)"),
)
_HEADERS = {
    "filieres": "Filière",
    "communes": "Commune",
    "stades": "Stade",
    "types": "Type de local",
    "surfaces": "Surface minimale",
}


def demand_by(session: Session, dimension: str, today: date | None = None) -> Table:
    """The open needs grouped along one of ``DIMENSIONS``: count, m², waiting (median, p90)."""
    _, key, label, join, order = _DIMENSIONS[dimension]
    query = f"""{_OPEN}
SELECT CAST({key} AS text) AS key, {label} AS label, {_FIGURES}
FROM o {join}
GROUP BY 1, 2 ORDER BY {order}"""
    result = session.execute(text(query), {"today": today or date.today()})
    return _table(dimension, rows_of(result))


def _table(dimension: str, rows: tuple[dict[str, Any], ...]) -> Table:
    if dimension == "surfaces":  # the band's index sorts as a number, not as text
        rows = tuple(sorted(rows, key=lambda r: int(r["key"])))
    columns = (Column("label", _HEADERS[dimension]), *_COLUMNS[1:])
    note = (
        "Un besoin qui accepte plusieurs types de locaux compte une fois sous chacun."
        if dimension == "types"
        else ""
    )
    return Table(dimension, _DIMENSIONS[dimension][0], columns, rows, note)


# The dimensions where a need counts once: one pass over the open needs gives them all, and
# the summary (the empty grouping set). The kinds multiply the rows: their own pass.
_ONCE = ("filieres", "communes", "stades", "surfaces")


def _grouped_query() -> str:
    pairs = ", ".join(
        f"CAST({_DIMENSIONS[d][1]} AS text) AS {d}_key, {_DIMENSIONS[d][2]} AS {d}_label"
        for d in _ONCE
    )
    which = " ".join(f"WHEN GROUPING({d}_key) = 0 THEN '{d}'" for d in _ONCE)
    sets = ", ".join(f"({d}_key, {d}_label)" for d in _ONCE)
    keys = ", ".join(f"{d}_key" for d in _ONCE)
    labels = ", ".join(f"{d}_label" for d in _ONCE)
    return f"""{_OPEN}, g AS (
    SELECT o.m2, o.wait, {pairs}
    FROM o LEFT JOIN communes c ON c.code_insee = o.commune_insee
)
SELECT CASE {which} ELSE '' END AS dimension, COALESCE({keys}) AS key,
       COALESCE({labels}) AS label, {_FIGURES}
FROM g AS o
GROUP BY GROUPING SETS ({sets}, ())
ORDER BY needs DESC, key"""


def demand_tables(
    session: Session, today: date | None = None
) -> tuple[DemandSummary, dict[str, Table]]:
    """The summary and the tables of every dimension, in two passes over the open needs."""
    result = session.execute(text(_grouped_query()), {"today": today or date.today()})
    found: dict[str, list[dict[str, Any]]] = {d: [] for d in (*_ONCE, "")}
    for row in rows_of(result):
        found[row.pop("dimension")].append(row)
    tables = {d: _table(d, tuple(found[d])) for d in _ONCE}
    tables["stades"] = _table("stades", tuple(sorted(found["stades"], key=lambda r: r["key"])))
    tables["types"] = demand_by(session, "types", today)
    return _summary(found[""][0]), {d: tables[d] for d in DIMENSIONS}


@dataclass(frozen=True)
class DemandSummary:
    """All open needs at once: how many, how many m², how long they have waited."""

    needs: int
    area_m2: float
    wait_median_days: float | None
    wait_p90_days: float | None


def demand_summary(session: Session, today: date | None = None) -> DemandSummary:
    query = f"{_OPEN} SELECT {_FIGURES} FROM o"
    return _summary(rows_of(session.execute(text(query), {"today": today or date.today()}))[0])


def _summary(row: dict[str, Any]) -> DemandSummary:
    return DemandSummary(
        needs=int(row["needs"]),
        area_m2=float(row["area_m2"] or 0.0),
        wait_median_days=row["wait_median_days"],
        wait_p90_days=row["wait_p90_days"],
    )
