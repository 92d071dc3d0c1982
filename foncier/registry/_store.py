"""Store helpers of the registries: they read and write, and never commit."""

from __future__ import annotations

import uuid
from typing import Any

from geoalchemy2.shape import from_shape, to_shape
from shapely import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select, text
from sqlalchemy.orm import Session, object_session

from foncier.accounts.privacy import redact
from foncier.geo import STORE_SRID, many_to_wgs84, to_store, to_wgs84
from foncier.models import Local
from foncier.models.base import Base
from foncier.registry.kind import Errors, Kind

GEOMETRIES = {"geometry": "geom", "zone_souhaitee": "zone_souhaitee"}
NOT_WRITABLE = {"id", "version", "created_at", "updated_at", "commune_insee", "code_qp", "en_qpv"}


def values_of(record: Base, projected: dict[str, Any] | None = None) -> dict[str, Any]:
    """A record as plain values, its geometries as shapely objects in WGS84 (``projected``
    when already reprojected), without the personal data its session's reader may not see."""
    values: dict[str, Any] = {}
    for column in record.__table__.columns:
        value = getattr(record, column.key)
        if column.key in GEOMETRIES.values():
            name = next(k for k, v in GEOMETRIES.items() if v == column.key)
            if projected is not None:
                values[name] = projected.get(column.key)
            else:
                values[name] = None if value is None else to_wgs84(to_shape(value))
        else:
            values[column.key] = value
    return redact(object_session(record), record.__tablename__, values)


def values_of_many(records: list[Base]) -> list[dict[str, Any]]:
    """``values_of`` for a list, with every geometry reprojected in one call."""
    where = [
        (i, column, to_shape(value))
        for i, record in enumerate(records)
        for column in GEOMETRIES.values()
        if (value := getattr(record, column, None)) is not None
    ]
    projected: list[dict[str, Any]] = [{} for _ in records]
    for (i, column, _), shape in zip(where, many_to_wgs84([w[2] for w in where]), strict=True):
        projected[i][column] = shape
    return [values_of(r, p) for r, p in zip(records, projected, strict=True)]


def assign(record: Base, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key in NOT_WRITABLE:
            continue
        if key in GEOMETRIES:
            setattr(record, GEOMETRIES[key], _stored(key, value))
        else:
            setattr(record, key, value)


def _stored(key: str, geom: BaseGeometry | None) -> Any:
    if geom is None:
        return None
    if key == "zone_souhaitee" and isinstance(geom, Polygon):
        geom = MultiPolygon([geom])
    return from_shape(to_store(geom), srid=STORE_SRID)


def commune_of(session: Session, point: BaseGeometry) -> str | None:
    """The commune PostGIS finds for a WGS84 point (same function as the triggers)."""
    stored = to_store(point)
    found: str | None = session.scalar(
        text("SELECT foncier_commune_de(ST_SetSRID(ST_GeomFromText(:wkt), :srid))"),
        {"wkt": stored.wkt, "srid": STORE_SRID},
    )
    return found


def check_location(session: Session, values: dict[str, Any], errors: Errors) -> None:
    point = values.get("geometry")
    if point is None or values.get("hors_metropole_confirme"):
        return
    if commune_of(session, point) is None:
        errors.setdefault("geometry", []).append(
            f"« {point.x:.5f}, {point.y:.5f} » : ce point est hors de Bordeaux Métropole ; "
            "s'il est juste, confirmez-le (hors_metropole_confirme)."
        )


def known(session: Session, column: Any, value: str | None, field: str, errors: Errors) -> None:
    if value is None:
        return
    allowed = list(session.scalars(select(column).order_by(column)))
    if value not in allowed:
        errors.setdefault(field, []).append(
            f"« {value} » n'est pas connu ; valeurs permises : {', '.join(allowed)}."
        )


def exists(session: Session, model: type[Base], key: Any, field: str, errors: Errors) -> None:
    if key is not None and session.get(model, key) is None:
        errors.setdefault(field, []).append(f"« {key} » : aucune fiche ne porte ce numéro.")


def lot_parent(session: Session, parent_id: int | None, errors: Errors) -> None:
    if parent_id is None:
        return
    parent = session.get(Local, parent_id)
    if parent is None or parent.nature not in ("site", "batiment"):
        errors.setdefault("parent_id", []).append(
            f"« {parent_id} » : le parent d'un lot est un site ou un bâtiment existant."
        )


def new_ref(kind: Kind) -> str:
    """A reference for a record typed in by hand (no spreadsheet gave it one): L-3F9A1C2B."""
    return f"{kind.ref_prefix}-{uuid.uuid4().hex[:8].upper()}"
