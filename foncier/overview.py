"""What the home page shows: counts and the map layers, in WGS84."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.geo import WGS84_SRID
from foncier.vocabulary import OPEN_NEEDS

# Communes are drawn at metropolitan scale: a 15 m simplification keeps the page light.
LAYERS = {
    "communes": "SELECT code_insee, nom, population, "
    "ST_Transform(ST_SimplifyPreserveTopology(geom, 15), {srid}) AS geom "
    "FROM communes ORDER BY code_insee",
    "qpv": "SELECT code_qp, nom, array_to_string(communes_insee, ', ') AS communes, "
    "ST_Transform(geom, {srid}) AS geom FROM qpv ORDER BY code_qp",
    "friches": "SELECT site_id, nom, statut, surface_m2, ST_Transform(geom, {srid}) AS geom "
    "FROM friches ORDER BY site_id",
    "locaux": "SELECT l.ref, l.nom, l.type_local, l.statut, l.surface_m2, l.loyer_m2_an, "
    "c.nom AS commune, l.en_qpv, ST_Transform(l.geom, {srid}) AS geom FROM locaux l "
    "LEFT JOIN communes c ON c.code_insee = l.commune_insee "
    "WHERE l.geom IS NOT NULL ORDER BY l.id",
    "besoins": "SELECT b.ref, b.intitule, a.nom AS acteur, b.statut, b.surface_min_m2, "
    "b.surface_max_m2, b.budget_loyer_m2_an, c.nom AS commune, "
    "ST_Transform(b.geom, {srid}) AS geom FROM besoins b JOIN acteurs a ON a.id = b.acteur_id "
    "LEFT JOIN communes c ON c.code_insee = b.commune_insee "
    "WHERE b.geom IS NOT NULL ORDER BY b.id",
}
COUNTS = """
SELECT
  (SELECT count(*) FROM communes) AS communes,
  (SELECT count(*) FROM qpv) AS qpv,
  (SELECT count(*) FROM friches) AS friches,
  (SELECT count(*) FROM locaux) AS locaux,
  (SELECT count(*) FROM locaux WHERE statut = 'disponible') AS locaux_disponibles,
  (SELECT count(*) FROM locaux WHERE en_qpv) AS locaux_en_qpv,
  (SELECT count(*) FROM acteurs) AS acteurs,
  (SELECT count(*) FROM besoins) AS besoins,
  (SELECT count(*) FROM besoins WHERE statut IN ({open})) AS besoins_ouverts
""".format(open=", ".join(f"'{s}'" for s in OPEN_NEEDS))  # as the observatory counts them


@dataclass(frozen=True)
class Overview:
    counts: dict[str, int]
    layers: dict[str, gpd.GeoDataFrame]


def overview(session: Session) -> Overview:
    counts = dict(session.execute(text(COUNTS)).mappings().one())
    return Overview(counts=counts, layers=layers(session, LAYERS))


def layers(session: Session, names: Iterable[str]) -> dict[str, gpd.GeoDataFrame]:
    """The named layers of :data:`LAYERS`."""
    connection = session.connection()
    return {
        name: gpd.read_postgis(text(LAYERS[name].format(srid=WGS84_SRID)), connection, "geom")
        for name in names
    }
