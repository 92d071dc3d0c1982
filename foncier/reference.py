"""Load the shipped reference layers (communes, QPV, friches) into PostGIS, idempotently."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from geoalchemy2.shape import from_shape
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Table, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.geo import STORE_SRID
from foncier.models import Commune, Friche, Qpv
from foncier.models.base import table_of

COMMUNES_FILE = "communes_bordeaux_metropole.geojson"
QPV_FILE = "qpv_2024_bordeaux_metropole.geojson"
FRICHES_FILE = "friches_cartofriches_bm.geojson"
REGISTRIES = ("locaux", "acteurs", "besoins")

# Cartofriches fields kept as columns; every other field goes to `attributs`.
FRICHE_COLUMNS = {
    "site_nom": "nom",
    "site_statut": "statut",
    "site_type": "type_site",
    "site_adresse": "adresse",
    "comm_insee": "commune_insee",
    "site_surface": "surface_m2",
    "bati_surface": "bati_surface_m2",
    "activite_libelle": "activite",
    "urba_zone_lib": "zone_urbanisme",
    "sol_pollution_existe": "pollution",
    "site_actu_date": "date_maj",
    "site_url": "url",
}


@dataclass(frozen=True)
class ReferenceCounts:
    communes: int
    qpv: int
    friches: int
    relocalises: int


def load_reference(session: Session, data_dir: Path) -> ReferenceCounts:
    """Upsert the three layers, then refresh the commune/QPV of every registered record."""
    communes = _read(data_dir / COMMUNES_FILE)
    qpv = _read(data_dir / QPV_FILE)
    friches = _read(data_dir / FRICHES_FILE)
    _upsert(session, table_of(Commune), "code_insee", _commune_rows(communes))
    _upsert(session, table_of(Qpv), "code_qp", _qpv_rows(qpv))
    _upsert(session, table_of(Friche), "site_id", _friche_rows(friches))
    moved = relocate_all(session)
    return ReferenceCounts(len(communes), len(qpv), len(friches), moved)


def relocate_all(session: Session) -> int:
    """Recompute commune and QPV where they changed (same SQL functions as the triggers)."""
    moved = 0
    for table in REGISTRIES:
        result = session.execute(
            text(
                f"UPDATE {table} t SET commune_insee = x.commune, code_qp = x.qp, "
                f"en_qpv = x.qp IS NOT NULL "
                f"FROM (SELECT id, foncier_commune_de(geom) AS commune, "
                f"foncier_qpv_de(geom) AS qp FROM {table}) x "
                f"WHERE t.id = x.id AND (t.commune_insee IS DISTINCT FROM x.commune "
                f"OR t.code_qp IS DISTINCT FROM x.qp)"
            )
        )
        moved += result.rowcount  # type: ignore[attr-defined]
    return moved


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise InvalidInput(f"Fichier de référence introuvable : « {path} ».")
    frame = gpd.read_file(path)
    return frame.to_crs(STORE_SRID)


def _multi(geom: BaseGeometry) -> BaseGeometry:
    return MultiPolygon([geom]) if isinstance(geom, Polygon) else geom


def _commune_rows(frame: gpd.GeoDataFrame) -> Iterable[dict[str, Any]]:
    for row in frame.itertuples():
        yield {
            "code_insee": row.code_insee,
            "nom": row.nom,
            "codes_postaux": list(row.codes_postaux),
            "siren": row.siren,
            "population": int(row.population),
            "geom": from_shape(_multi(row.geometry), srid=STORE_SRID),
        }


def _qpv_rows(frame: gpd.GeoDataFrame) -> Iterable[dict[str, Any]]:
    for row in frame.itertuples():
        yield {
            "code_qp": row.code_qp,
            "nom": row.lib_qp,
            "communes_insee": [code.strip() for code in row.insee_com.split(",")],
            "geom": from_shape(_multi(row.geometry), srid=STORE_SRID),
        }


def _friche_rows(frame: gpd.GeoDataFrame) -> Iterable[dict[str, Any]]:
    extra = [c for c in frame.columns if c not in FRICHE_COLUMNS and c not in ("geometry",)]
    for record in frame.to_dict("records"):
        row = {column: _clean(record[field]) for field, column in FRICHE_COLUMNS.items()}
        row["date_maj"] = _date(row["date_maj"])
        row["site_id"] = record["site_id"]
        row["attributs"] = {f: _clean(record[f]) for f in extra if f != "site_id"}
        row["geom"] = from_shape(record["geometry"], srid=STORE_SRID)
        yield row


def _clean(value: Any) -> Any:
    """pandas' missing values become SQL NULL / JSON null; dates become ISO text."""
    if isinstance(value, list | dict):
        return value
    if isinstance(value, date):  # pandas' Timestamp is a datetime, hence a date
        return value.isoformat()[:10]
    return None if pd.isna(value) else value


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def _upsert(session: Session, table: Table, key: str, rows: Iterable[dict[str, Any]]) -> None:
    rows = list(rows)
    statement = insert(table).values(rows)
    updates: dict[str, Callable[..., Any] | Any] = {
        c.name: statement.excluded[c.name]
        for c in table.columns
        if c.name in rows[0] and c.name != key
    }
    session.execute(statement.on_conflict_do_update(index_elements=[key], set_=updates))
