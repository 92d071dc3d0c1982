"""Where ESS demand goes unmet: unmet m² by commune, the QPV, and the premises available.

Geometries come out of PostGIS in WGS84 (the maps' system), the communes simplified to a few
metres so that the page stays light; the aggregates are computed in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.matching.candidates import MATCHABLE_PREMISES
from foncier.observatory.table import Column, Table
from foncier.vocabulary import OPEN_NEEDS, StatutLocal

_IN = ", ".join(f"'{s}'" for s in OPEN_NEEDS)
_MATCHABLE = ", ".join(f"'{n}'" for n in MATCHABLE_PREMISES)
_AVAILABLE = f"l.statut = '{StatutLocal.DISPONIBLE.value}' AND l.nature IN ({_MATCHABLE})"

_COMMUNES = f"""
WITH demand AS (
    SELECT commune_insee, count(*) AS needs, sum(surface_min_m2) AS unmet_m2
    FROM besoins WHERE statut IN ({_IN}) GROUP BY commune_insee
), supply AS (
    SELECT l.commune_insee, count(*) AS premises, sum(l.surface_m2) AS available_m2
    FROM locaux l WHERE {_AVAILABLE} GROUP BY l.commune_insee
)
SELECT c.code_insee, c.nom, COALESCE(d.needs, 0) AS needs,
       COALESCE(d.unmet_m2, 0) AS unmet_m2, COALESCE(s.premises, 0) AS premises,
       COALESCE(s.available_m2, 0) AS available_m2,
       ST_Transform(ST_SimplifyPreserveTopology(c.geom, 10), 4326) AS geom
FROM communes c
LEFT JOIN demand d ON d.commune_insee = c.code_insee
LEFT JOIN supply s ON s.commune_insee = c.code_insee
ORDER BY c.code_insee"""

_QPV = """SELECT code_qp, nom, ST_Transform(ST_SimplifyPreserveTopology(geom, 5), 4326) AS geom
FROM qpv ORDER BY code_qp"""

_PREMISES = f"""SELECT l.ref, l.nom, l.type_local, l.surface_m2, l.loyer_m2_an,
       ST_Transform(l.geom, 4326) AS geom
FROM locaux l WHERE {_AVAILABLE} AND l.geom IS NOT NULL ORDER BY l.id"""


@dataclass(frozen=True)
class DemandMap:
    """The layers of the choropleth (WGS84 GeoDataFrames, geometry column ``geometry``)."""

    communes: gpd.GeoDataFrame  # code_insee, nom, needs, unmet_m2, premises, available_m2
    qpv: gpd.GeoDataFrame  # code_qp, nom
    premises: gpd.GeoDataFrame  # ref, nom, type_local, surface_m2, loyer_m2_an

    def table(self) -> Table:
        """Unmet and available m² by commune, without the geometries (for the exports)."""
        frame = self.communes.drop(columns="geometry")
        return Table(
            "carte",
            "Surface demandée et disponible par commune",
            (
                Column("code_insee", "Code INSEE"),
                Column("nom", "Commune"),
                Column("needs", "Besoins ouverts"),
                Column("unmet_m2", "Surface minimale demandée non servie (m²)"),
                Column("premises", "Locaux disponibles"),
                Column("available_m2", "Surface disponible (m²)"),
            ),
            tuple(frame.to_dict(orient="records")),
            "Besoins et locaux placés dans la commune de leur point.",
        )


def demand_map(session: Session) -> DemandMap:
    return DemandMap(
        communes=_read(session, _COMMUNES),
        qpv=_read(session, _QPV),
        premises=_read(session, _PREMISES),
    )


def _read(session: Session, query: str) -> gpd.GeoDataFrame:
    frame = gpd.read_postgis(text(query), session.connection(), geom_col="geom")
    return frame.rename_geometry("geometry")
