"""Exports of a filtered registry list: CSV, XLSX, GeoJSON or GeoPackage.

Columns carry the field names the import reader knows, so that an exported file can be edited
in a spreadsheet or in QGIS and imported again. Geometries are in WGS84.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import geopandas
import numpy as np
import pandas as pd
import shapely
from marshmallow import fields
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.geo import WGS84_SRID
from foncier.registry import Kind, search
from foncier.registry.filters import ALL
from foncier.schemas.fields import COORDINATE_DECIMALS
from foncier.vocabulary import EXPORT_ONLY_HEADERS, FIELD_LABELS

Record = dict[str, Any]
Writer = Callable[[Path, Kind, list[Record]], None]

# Spreadsheets know no time zones: their times are the users' wall-clock time.
LOCAL_TIME = ZoneInfo("Europe/Paris")


def export_records(
    session: Session, kind: Kind, path: Path, filters: dict[str, Any] | None = None
) -> int:
    """Write the records of ``kind`` that ``filters`` select (all of them by default) to
    ``path``, in the format its extension names; return how many were written.

    The file appears whole or not at all: it is written aside, then moved into place.
    """
    writer = _writer(path)
    if not path.parent.is_dir():
        raise InvalidInput(f"Dossier introuvable pour l'export : « {path.parent} ».")
    _, records = search(session, kind, filters or {}, ALL)
    _add_link_refs(session, kind, records)
    partial = path.with_name(f".{path.stem}.partiel{path.suffix}")
    try:
        writer(partial, kind, records)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return len(records)


def _writer(path: Path) -> Writer:
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise InvalidInput(
            f"Format d'export non pris en charge : « {path.name} » ; "
            f"formats permis : {', '.join(WRITERS)}."
        )
    return writer


def _add_link_refs(session: Session, kind: Kind, records: list[Record]) -> None:
    """Files name linked records by reference (a need its actor): ids do not survive a
    re-import."""
    for link in kind.links:
        model: Any = link.model
        ids = {record[link.id_field] for record in records}
        found = session.execute(select(model.id, model.ref).where(model.id.in_(ids)))
        refs: dict[int, str] = {record_id: ref for record_id, ref in found}
        for record in records:
            record[link.ref_field] = refs.get(record[link.id_field])


# ---- Columns ------------------------------------------------------------------------------


def layer_name(kind: Kind) -> str:
    """The French plural the imports also use: locaux, acteurs, besoins."""
    return kind.segment


def field_names(kind: Kind) -> list[str]:
    """The schema's fields in its order, plus a need's actor reference after its actor id."""
    names: list[str] = []
    for name in kind.schema().fields:
        names.append(name)
        if name == "acteur_id":
            names.append("acteur_ref")
    return names


def columns(kind: Kind, *, lon_lat: bool = True) -> list[str]:
    """Columns of a table: the point becomes ``lon``/``lat`` (or is left to the geometry
    column of a geographic file), the wished zone its WKT."""
    names: list[str] = []
    for name in field_names(kind):
        if name == "geometry":
            names += ["lon", "lat"] if lon_lat else []
        elif name == "zone_souhaitee":
            names.append("zone_souhaitee_wkt")
        else:
            names.append(name)
    return names


def headers(names: list[str]) -> list[str]:
    """French headers of a table (« Type de local », « Surface (m²) »): the import maps each
    back to its field exactly."""
    return [EXPORT_ONLY_HEADERS.get(name) or FIELD_LABELS.get(name, name) for name in names]


def _row(record: Record, names: list[str]) -> dict[str, Any]:
    """Plain values: coordinates rounded to 1 cm, the zone as WKT, enums as their codes."""
    point, zone = record.get("geometry"), record.get("zone_souhaitee")
    derived = {
        "lon": None if point is None else round(point.x, COORDINATE_DECIMALS),
        "lat": None if point is None else round(point.y, COORDINATE_DECIMALS),
        "zone_souhaitee_wkt": None
        if zone is None
        else shapely.to_wkt(zone, rounding_precision=COORDINATE_DECIMALS),
    }
    values = {name: derived[name] if name in derived else record.get(name) for name in names}
    return {name: v.value if isinstance(v, Enum) else v for name, v in values.items()}


def _joined(value: Any) -> Any:
    return ", ".join(str(item) for item in value) if isinstance(value, list) else value


# ---- CSV ----------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    """French spreadsheet conventions: decimal comma, oui/non, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        # Positional, never 1e-05: a spreadsheet would read the exponent as text.
        return np.format_float_positional(value, trim="-").replace(".", ",")
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return _inert(str(_joined(value)))


# A spreadsheet runs a cell starting with one of these as a formula (=IMPORTXML(…), +cmd|…,
# @SUM): the XLSX export stores such text as text, the CSV one prefixes an apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[\d\s.,]+")  # "+33 5 56 00 00 00", "-12,5": no formula


def _inert(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _write_csv(path: Path, kind: Kind, records: list[Record]) -> None:
    names = columns(kind)
    # The BOM makes Excel read UTF-8; it splits on ";" where the decimal mark is a comma.
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(headers(names))
        for record in records:
            writer.writerow(csv_cell(value) for value in _row(record, names).values())


# ---- XLSX ---------------------------------------------------------------------------------


def _xlsx_cell(value: Any) -> Any:
    """Typed cells; times in local wall-clock time, as Excel cannot hold an offset."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(LOCAL_TIME).replace(tzinfo=None)
    joined = _joined(value)
    # Records older than the input check may hold control characters Excel refuses.
    return ILLEGAL_CHARACTERS_RE.sub("", joined) if isinstance(joined, str) else joined


def _write_xlsx(path: Path, kind: Kind, records: list[Record]) -> None:
    names = columns(kind)
    rows = [{k: _xlsx_cell(v) for k, v in _row(r, names).items()} for r in records]
    # dtype=object keeps each cell's type: no int turned float by a missing value.
    frame = pd.DataFrame(rows, columns=names, dtype=object).set_axis(headers(names), axis=1)
    sheet_name = layer_name(kind)
    with pd.ExcelWriter(path, engine="openpyxl") as excel:
        frame.to_excel(excel, sheet_name=sheet_name, index=False, freeze_panes=(1, 0))
        sheet = excel.sheets[sheet_name]
        sheet.auto_filter.ref = sheet.dimensions
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":  # text starting with "=" is a name, not a formula
                    cell.data_type = "s"


# ---- GeoJSON ------------------------------------------------------------------------------


def _feature(kind: Kind, record: Record, dumped: dict[str, Any]) -> dict[str, Any]:
    properties = {
        name: dumped[name] if name in dumped else record.get(name)
        for name in field_names(kind)
        if name != "geometry"
    }
    return {"type": "Feature", "geometry": dumped.get("geometry"), "properties": properties}


def _write_geojson(path: Path, kind: Kind, records: list[Record]) -> None:
    """RFC 7946: WGS84 lon/lat, no ``crs`` member; the schema gives JSON-ready values (ISO
    dates, GeoJSON geometries rounded to 1 cm)."""
    schema = kind.schema()
    collection = {
        "type": "FeatureCollection",
        "name": layer_name(kind),  # the layer name GDAL shows
        "features": [_feature(kind, record, schema.dump(record)) for record in records],
    }
    with path.open("w", encoding="utf-8") as stream:
        json.dump(collection, stream, ensure_ascii=False)


# ---- GeoPackage ---------------------------------------------------------------------------


def _typed(frame: pd.DataFrame, kind: Kind) -> pd.DataFrame:
    """Nullable column types, so that a missing value does not turn a column into text."""
    schema_fields = kind.schema().fields
    for name in frame.columns:
        field = schema_fields.get(str(name))
        if isinstance(field, fields.Boolean):
            frame[name] = frame[name].astype("boolean")
        elif isinstance(field, fields.Integer):
            frame[name] = frame[name].astype("Int64")
        elif isinstance(field, fields.Float):
            frame[name] = frame[name].astype("float64")
        elif isinstance(field, fields.DateTime) and not isinstance(field, fields.Date):
            frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame


def _gpkg_cell(value: Any) -> Any:
    """Dates as ISO text (pyogrio would store them as midnight times), lists joined."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return _joined(value)


def _write_gpkg(path: Path, kind: Kind, records: list[Record]) -> None:
    names = columns(kind, lon_lat=False)
    rows = [{k: _gpkg_cell(v) for k, v in _row(r, names).items()} for r in records]
    frame = _typed(pd.DataFrame(rows, columns=names, dtype=object), kind)
    points = geopandas.GeoSeries([r.get("geometry") for r in records], crs=WGS84_SRID)
    layer = geopandas.GeoDataFrame(frame, geometry=points)
    layer.to_file(path, layer=layer_name(kind), driver="GPKG", engine="pyogrio")


WRITERS: dict[str, Writer] = {
    ".csv": _write_csv,
    ".xlsx": _write_xlsx,
    ".geojson": _write_geojson,
    ".gpkg": _write_gpkg,
}
