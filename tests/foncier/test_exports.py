"""Exports of filtered registry lists, read back as users and the import would read them."""

from __future__ import annotations

import codecs
import csv
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas
import openpyxl
import pyogrio
import pytest
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from foncier.errors import InvalidInput
from foncier.exports import columns, export_records, field_names, headers, layer_name
from foncier.imports.columns import map_headers
from foncier.imports.parse import ParsedRow, parse_table
from foncier.imports.reading import read_table
from foncier.registry import KINDS, Kind, create, get, search
from foncier.registry.filters import ALL

PREMISES, ACTORS, NEEDS = KINDS["premises"], KINDS["actors"], KINDS["needs"]
BORDEAUX_OFFICES = {"commune_insee": "33063", "type_local": "bureau"}
FILTERS: dict[str, dict[str, Any]] = {
    "premises": BORDEAUX_OFFICES,
    "actors": {"commune_insee": "33063"},
    "needs": {"statut": "ouvert"},
}
TOLERANCE = 1e-6  # degrees
Record = dict[str, Any]

# Columns the reader may ignore: the store computes or assigns them.
COMPUTED = {"id", "version", "created_at", "updated_at", "commune_insee", "code_qp", "en_qpv"}
COMPUTED |= {"geocodage", "geocodage_label", "geocodage_score"}
# What the import reader does not read back today (reported, not hidden): columns it maps to
# another field, and fields it does not know.
# The reader maps no exported column to another field; it ignores the import's own
# `source` (given per import) and a premises' `nature` (the reader reads « nature » as the
# kind of premises, as spreadsheets mean it, so the exact `type_local` column wins).
MISREAD: dict[str, str] = {}
UNREAD = {"premises": {"source", "nature"}, "actors": {"source"}, "needs": {"source"}}


def export(
    session: Session, kind: Kind, folder: Path, suffix: str, filters: dict[str, Any] | None = None
) -> tuple[Path, list[Record]]:
    """Export, and return the file with the records ``search`` gives for the same filters."""
    chosen = FILTERS[kind.name] if filters is None else filters
    path = folder / f"{layer_name(kind)}{suffix}"
    written = export_records(session, kind, path, chosen)
    total, records = search(session, kind, chosen, ALL)
    assert written == total == len(records) > 0
    return path, records


def schema_fields(kind: Kind) -> set[str]:
    return set(kind.schema().fields)


def assert_points(records: list[Record], found: list[tuple[float, float] | None]) -> None:
    assert len(found) == len(records)
    for record, lon_lat in zip(records, found, strict=True):
        point = record["geometry"]
        if point is None:
            assert lon_lat is None
            continue
        assert lon_lat is not None, record["ref"]
        assert abs(lon_lat[0] - point.x) <= TOLERANCE and abs(lon_lat[1] - point.y) <= TOLERANCE


def assert_same_zone(exported: BaseGeometry | None, stored: BaseGeometry | None) -> None:
    if stored is None:
        assert exported is None
    else:
        assert exported is not None and shapely.hausdorff_distance(exported, stored) <= TOLERANCE


# ---- Formats ------------------------------------------------------------------------------


def test_csv_follows_french_spreadsheet_conventions(session: Session, tmp_path: Path) -> None:
    path, records = export(session, PREMISES, tmp_path, ".csv")
    content = path.read_bytes()
    assert content.startswith(codecs.BOM_UTF8)
    rows = _by_field(content.decode("utf-8-sig").splitlines(), PREMISES)
    assert len(rows) == len(records)
    header = list(rows[0])
    assert header == columns(PREMISES)
    assert schema_fields(PREMISES) - {"geometry"} | {"lon", "lat"} <= set(header)
    assert [row["ref"] for row in rows] == [record["ref"] for record in records]
    assert all(row["commune_insee"] == "33063" and row["type_local"] == "bureau" for row in rows)
    assert all("," in row["lon"] and "." not in row["lon"] for row in rows if row["lon"])
    assert {row["acces_pmr"] for row in rows} <= {"oui", "non"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["disponible_le"]) for row in rows)
    assert all(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:]{8}[+-][\d:]{5}", row["created_at"]) for row in rows
    )
    surfaces = [float(row["surface_m2"].replace(",", ".")) for row in rows]
    assert surfaces == [record["surface_m2"] for record in records]
    assert_points(records, [_csv_point(row) for row in rows])


def _by_field(lines: list[str], kind: Kind) -> list[dict[str, str]]:
    """The rows of an exported CSV keyed by field; its first line holds the French headers."""
    header, *rows = list(csv.reader(lines, delimiter=";"))
    assert header == headers(columns(kind))
    return [dict(zip(columns(kind), row, strict=True)) for row in rows]


def _csv_point(row: dict[str, str]) -> tuple[float, float] | None:
    if not row["lon"]:
        return None
    return float(row["lon"].replace(",", ".")), float(row["lat"].replace(",", "."))


def test_csv_joins_lists_and_writes_the_zone_as_wkt(session: Session, tmp_path: Path) -> None:
    path, records = export(session, NEEDS, tmp_path, ".csv")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = _by_field(list(stream), NEEDS)
    for row, record in zip(rows, records, strict=True):
        assert row["types_acceptes"] == ", ".join(record["types_acceptes"])
        zone = shapely.from_wkt(row["zone_souhaitee_wkt"]) if row["zone_souhaitee_wkt"] else None
        assert_same_zone(zone, record["zone_souhaitee"])
    assert any(row["zone_souhaitee_wkt"].startswith("MULTIPOLYGON") for row in rows)


def test_xlsx_cells_are_typed(session: Session, tmp_path: Path) -> None:
    path, records = export(session, PREMISES, tmp_path, ".xlsx")
    sheet = openpyxl.load_workbook(path)[layer_name(PREMISES)]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header == headers(columns(PREMISES)) and len(rows) == len(records)
    cells: list[dict[str, Any]] = [dict(zip(columns(PREMISES), row, strict=True)) for row in rows]
    assert [cell["ref"] for cell in cells] == [record["ref"] for record in records]
    assert all(isinstance(cell["surface_m2"], int | float) for cell in cells)
    assert all(isinstance(cell["disponible_le"], datetime) for cell in cells)
    assert all(isinstance(cell["created_at"], datetime) for cell in cells)
    assert all(isinstance(cell["acces_pmr"], bool) for cell in cells)
    assert [cell["disponible_le"].date() for cell in cells] == [
        record["disponible_le"] for record in records
    ]
    assert_points(records, [_xlsx_point(cell) for cell in cells])


def _xlsx_point(cell: dict[str, Any]) -> tuple[float, float] | None:
    return None if cell["lon"] is None else (cell["lon"], cell["lat"])


def test_geojson_features_carry_every_field(session: Session, tmp_path: Path) -> None:
    path, records = export(session, NEEDS, tmp_path, ".geojson")
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    features = collection["features"]
    assert len(features) == len(records)
    for feature, record in zip(features, records, strict=True):
        properties = feature["properties"]
        assert list(properties) == [name for name in field_names(NEEDS) if name != "geometry"]
        assert properties["ref"] == record["ref"] and properties["acteur_ref"]
        assert isinstance(properties["types_acceptes"], list)
        zone = properties["zone_souhaitee"]
        assert_same_zone(None if zone is None else shape(zone), record["zone_souhaitee"])
    assert schema_fields(NEEDS) - {"geometry"} <= set(features[0]["properties"])
    assert any(feature["properties"]["zone_souhaitee"] for feature in features)
    assert_points(records, [_geojson_point(feature) for feature in features])


def _geojson_point(feature: dict[str, Any]) -> tuple[float, float] | None:
    geometry = feature["geometry"]
    if geometry is None:
        return None
    assert geometry["type"] == "Point"
    lon, lat = geometry["coordinates"]
    return lon, lat


def test_gpkg_layer_in_wgs84_with_the_zone_as_wkt(session: Session, tmp_path: Path) -> None:
    path, records = export(session, NEEDS, tmp_path, ".gpkg")
    info = pyogrio.read_info(path)
    assert info["layer_name"] == "besoins" and info["crs"] == "EPSG:4326"
    frame = geopandas.read_file(path, layer="besoins", engine="pyogrio")
    assert len(frame) == len(records)
    assert list(frame.columns) == [*columns(NEEDS, lon_lat=False), "geometry"]
    assert schema_fields(NEEDS) - {"zone_souhaitee"} | {"zone_souhaitee_wkt"} <= set(frame.columns)
    assert list(frame["ref"]) == [record["ref"] for record in records]
    for wkt, record in zip(frame["zone_souhaitee_wkt"], records, strict=True):
        assert_same_zone(
            shapely.from_wkt(wkt) if isinstance(wkt, str) else None, record["zone_souhaitee"]
        )
    assert frame["zone_souhaitee_wkt"].notna().any()
    assert_points(records, [None if p is None else (p.x, p.y) for p in frame.geometry])


def test_gpkg_layers_are_named_after_the_kind(session: Session, tmp_path: Path) -> None:
    path, records = export(session, PREMISES, tmp_path, ".gpkg")
    assert pyogrio.list_layers(path)[:, 0].tolist() == ["locaux"]
    frame = geopandas.read_file(path, engine="pyogrio")
    assert frame["acces_pmr"].dtype == bool  # typed, not text
    assert list(frame["surface_m2"]) == [record["surface_m2"] for record in records]


# ---- Records and errors -------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson", ".gpkg"])
def test_a_record_without_point_is_exported_with_a_null_geometry(
    session: Session, tmp_path: Path, suffix: str
) -> None:
    created = create(
        session,
        PREMISES,
        {
            "nom": "Local à localiser",
            "type_local": "bureau",
            "origine": "partenaire",
            "surface_m2": 80,
            "disponible_le": "2026-09-01",
        },
        "tests",
    )
    assert created["geometry"] is None
    path, _ = export(session, PREMISES, tmp_path, suffix, {"ref": created["ref"]})
    parsed = parse_table(path, "premises", _corrections(path)).rows
    assert [row.values["ref"] for row in parsed] == [created["ref"]]
    assert parsed[0].values.get("lon") is None and parsed[0].values.get("geometry") is None


def test_an_empty_selection_writes_only_the_header(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "vide.csv"
    assert export_records(session, ACTORS, path, {"ref": "aucune-ref"}) == 0
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines == [";".join(headers(columns(ACTORS)))]


def test_an_unknown_extension_is_refused_in_french(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "liste.ods"
    with pytest.raises(InvalidInput) as caught:
        export_records(session, PREMISES, path)
    assert "« liste.ods »" in caught.value.message
    assert ".csv, .xlsx, .geojson, .gpkg" in caught.value.message
    assert not path.exists() and list(tmp_path.iterdir()) == []


# ---- Round trip through the import reader -------------------------------------------------


@pytest.mark.parametrize("kind", [PREMISES, ACTORS, NEEDS], ids=lambda kind: kind.name)
def test_the_reader_knows_the_exported_columns(kind: Kind) -> None:
    headers = {*columns(kind), *field_names(kind)} - {"geometry"}  # tables and GeoJSON
    mapping = map_headers(headers, kind.name)  # type: ignore[arg-type]
    misread = {header: field for header, field in mapping.items() if field not in (header, None)}
    unread = {header for header, field in mapping.items() if field is None} - COMPUTED
    assert misread.items() <= MISREAD.items()
    assert unread <= UNREAD[kind.name]
    assert {mapping["ref"], mapping["lon"], mapping["lat"]} == {"ref", "lon", "lat"}


def _corrections(path: Path) -> dict[str, str | None]:
    """Ignore the columns the reader would map to another field (see MISREAD)."""
    return {header: None for header in read_table(path).headers if header in MISREAD}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson", ".gpkg"])
@pytest.mark.parametrize("kind", [PREMISES, ACTORS, NEEDS], ids=lambda kind: kind.name)
def test_an_export_parses_back_to_the_same_records(
    session: Session, tmp_path: Path, kind: Kind, suffix: str
) -> None:
    path, records = export(session, kind, tmp_path, suffix)
    table = parse_table(path, kind.name, _corrections(path))  # type: ignore[arg-type]
    for record in records if kind is NEEDS else []:  # a need names its actor by reference
        record["acteur_ref"] = get(session, ACTORS, record["acteur_id"])["ref"]
    assert table.rows_with_errors == []
    assert [row.values["ref"] for row in table.rows] == [record["ref"] for record in records]
    for row, record in zip(table.rows, records, strict=True):
        _assert_same_values(row, record)


def _assert_same_values(row: ParsedRow, record: Record) -> None:
    """Every field the reader read holds the exported value."""
    for field, value in row.values.items():
        if field in ("lon", "lat", "geometry"):
            continue
        if field in ("zone_souhaitee", "zone_souhaitee_wkt"):
            zone = record.get("zone_souhaitee")
            assert (value is None) == (zone is None), field
            assert value is None or value.equals_exact(zone, 1e-6), field
            continue
        expected = record.get(field)  # a need has no address: its column stays empty
        if isinstance(expected, list):
            expected = expected or None  # the reader reads an empty list as missing
        if isinstance(expected, float) and value is not None:
            assert value == pytest.approx(expected), field
        else:
            assert value == expected, (field, value, expected)
    lon_lat = None if row.values.get("lon") is None else (row.values["lon"], row.values["lat"])
    assert_points([record], [lon_lat])


def test_a_missing_folder_is_named(session: Session, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="Dossier introuvable"):
        export_records(session, ACTORS, tmp_path / "absent" / "acteurs.csv")
