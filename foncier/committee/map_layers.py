"""The layers of a session's dossier map, in WGS84: the reference layers, operations, the
unmet ESS demand by commune, and the agenda's premises, needs' wished zones and pairs."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
from shapely.geometry import LineString
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier import registry
from foncier.geo import WGS84_SRID
from foncier.overview import overview
from foncier.registry import KINDS

# Open needs (waiting for premises) counted in each commune they wish, else where they are.
DEMAND = """
SELECT c.code_insee, c.nom, count(d.id) AS besoins, ST_Transform(c.geom, 4326) AS geom
FROM communes c
LEFT JOIN (
    SELECT b.id, w.code
    FROM besoins b
    CROSS JOIN LATERAL unnest(
        CASE WHEN cardinality(b.communes_souhaitees) > 0 THEN b.communes_souhaitees
             ELSE ARRAY[b.commune_insee]::varchar[] END
    ) AS w(code)
    WHERE b.statut IN ('ouvert', 'en_proposition')
) d ON d.code = c.code_insee
GROUP BY c.code_insee, c.nom, c.geom
ORDER BY c.code_insee
"""
# Each need's wished zone as the matcher reads it: a drawn area, its communes, or a disc.
ZONES = """
SELECT b.id, b.ref, b.intitule, ST_Transform(ST_Multi(COALESCE(
    b.zone_souhaitee,
    (SELECT ST_Union(c.geom) FROM communes c WHERE c.code_insee = ANY(b.communes_souhaitees)),
    ST_Buffer(b.geom, b.distance_max_m)
)), 4326) AS geom
FROM besoins b WHERE b.id = ANY(:ids) ORDER BY b.id
"""
OPERATIONS = "SELECT ref, nom, ST_Transform(perimetre, 4326) AS geom FROM operations ORDER BY ref"


def dossier_layers(session: Session, view: dict[str, Any]) -> dict[str, Any]:
    base = overview(session).layers
    layers: dict[str, Any] = {k: base[k] for k in ("communes", "qpv", "friches")}
    layers["demande"] = _frame(session, DEMAND)
    layers["operations"] = _frame(session, OPERATIONS)
    premises: dict[int, dict[str, Any]] = {}
    needs: dict[int, dict[str, Any]] = {}
    pairs: list[dict[str, Any]] = []
    for item in view["points"]:
        for line in item["lignes"]:
            local = premises.setdefault(
                line["local"]["id"], registry.get(session, KINDS["premises"], line["local"]["id"])
            )
            need = needs.setdefault(
                line["besoin"]["id"], registry.get(session, KINDS["needs"], line["besoin"]["id"])
            )
            pairs.append({"item": item, "line": line, "local": local, "need": need})
    layers["locaux"] = list(premises.values())
    layers["besoins"] = list(needs.values())
    layers["zones"] = _frame(session, ZONES, {"ids": sorted(needs)})
    layers["paires"] = [
        {**pair, "geometry": LineString([pair["local"]["geometry"], pair["need"]["geometry"]])}
        for pair in pairs
        if pair["local"].get("geometry") is not None and pair["need"].get("geometry") is not None
    ]
    return layers


def _frame(session: Session, query: str, params: dict[str, Any] | None = None) -> gpd.GeoDataFrame:
    frame = gpd.read_postgis(
        text(query), session.connection(), geom_col="geom", crs=WGS84_SRID, params=params
    )
    return frame.rename_geometry("geometry")
