"""Uploaded vector files cannot make GDAL open other server files or URLs.

GDAL picks its driver from a file's content: an ``<OGRVRTDataSource>`` saved as ``.geojson``,
``.gpkg`` or as the ``.shp`` of a zip would read another file of the server. Every attack file
here is real, and first shown to leak through plain GDAL, so that refusing it proves something.
"""

from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely import Point
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from foncier.errors import InvalidInput
from foncier.files.vector import read_vector_file
from foncier.imports.reading import read_table
from foncier.scenarios.perimeter import read_perimeter

SECRET = shapely.box(-0.56, 44.85, -0.55, 44.86)  # in Bordeaux: a perimeter would accept it
ORIGIN = (-0.555, 44.855)


def secret_csv(folder: Path) -> Path:
    """A server file with a WKT polygon: what the attacker wants to read back."""
    path = folder / "serveur" / "secret.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f'id,WKT\n1,"{SECRET.wkt}"\n', encoding="utf-8")
    return path


def vrt(source: str) -> str:
    return (
        "<OGRVRTDataSource>\n"
        '  <OGRVRTLayer name="secret">\n'
        f"    <SrcDataSource>{source}</SrcDataSource>\n"
        "    <GeometryType>wkbPolygon</GeometryType>\n"
        '    <GeometryField encoding="WKT" field="WKT"/>\n'
        "  </OGRVRTLayer>\n"
        "</OGRVRTDataSource>\n"
    )


def disguised(tmp_path: Path, name: str) -> Path:
    """A VRT pointing at the secret CSV, saved under an allowed name in the upload folder."""
    uploads = tmp_path / "envoi"
    uploads.mkdir(exist_ok=True)
    path = uploads / name
    path.write_text(vrt(str(secret_csv(tmp_path))), encoding="utf-8")
    return path


def leaks_through_gdal(dataset: str) -> bool:
    """Whether plain GDAL, left to pick its driver, returns the secret polygon."""
    frame = gpd.read_file(dataset, engine="pyogrio")
    return bool(frame.geometry.iloc[0].equals(SECRET))


def refused_perimeter(path: Path) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read_perimeter(path)
    assert caught.value.errors == {"perimeter": [caught.value.message]}
    return caught.value


def refused_import(path: Path) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read_table(path)
    return caught.value


def shows_no_server_path(error: InvalidInput, tmp_path: Path, name: str) -> bool:
    message = error.message
    return name in message and str(tmp_path) not in message and "secret" not in message


# ---- VRT disguised as GeoJSON or GeoPackage -----------------------------------------------


@pytest.mark.parametrize("name", ["p.geojson", "p.json", "p.gpkg"])
def test_a_disguised_vrt_is_refused_as_a_perimeter(tmp_path: Path, name: str) -> None:
    path = disguised(tmp_path, name)
    assert leaks_through_gdal(str(path))
    error = refused_perimeter(path)
    assert error.message == (
        f"« {name} » : fichier illisible ; attendu : un GeoJSON, un GeoPackage"
        " ou un shapefile zippé (.shp, .shx, .dbf et .prj)."
    )
    assert shows_no_server_path(error, tmp_path, name)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("locaux.geojson", "GeoJSON invalide : JSON mal formé ligne 1, colonne 1"),
        ("locaux.gpkg", "pas un GeoPackage : en-tête SQLite absent"),
    ],
)
def test_a_disguised_vrt_is_refused_by_the_import(tmp_path: Path, name: str, reason: str) -> None:
    path = disguised(tmp_path, name)
    assert leaks_through_gdal(str(path))
    error = refused_import(path)
    assert error.message == (
        f"Le fichier « {name} » est illisible ({reason}) ;"
        " formats permis : .csv, .xlsx, .geojson, .json, .gpkg."
    )
    assert shows_no_server_path(error, tmp_path, name)


def test_a_vrt_fetching_a_url_is_refused_before_any_request(tmp_path: Path) -> None:
    path = tmp_path / "p.geojson"
    path.write_text(vrt("/vsicurl/http://127.0.0.1:9/interne.csv"), encoding="utf-8")
    error = refused_perimeter(path)
    assert "127.0.0.1" not in error.message and "vsicurl" not in error.detail


def test_a_vrt_to_a_missing_file_says_the_same_as_to_an_existing_one(tmp_path: Path) -> None:
    """The refusal must not reveal whether a server path exists."""
    existing = disguised(tmp_path, "a.geojson")
    missing = tmp_path / "b.geojson"
    missing.write_text(vrt("/nulle/part.csv"), encoding="utf-8")
    messages = {refused_perimeter(p).message.replace(p.name, "X") for p in (existing, missing)}
    assert len(messages) == 1


# ---- Zipped shapefiles ----------------------------------------------------------------------


def zipped(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def test_a_zip_whose_shp_is_a_vrt_is_refused(tmp_path: Path) -> None:
    source = vrt(str(secret_csv(tmp_path)))
    archive = zipped(tmp_path / "ilots.zip", {"perimetre/ilots.shp": source})
    assert leaks_through_gdal(f"/vsizip/{archive}/perimetre/ilots.shp")
    error = refused_perimeter(archive)
    assert error.message.startswith("« ilots.zip » : fichier illisible ; attendu :")
    assert "« perimetre/ilots.shp » n'est pas un fichier .shp" in error.detail
    assert shows_no_server_path(error, tmp_path, "ilots.zip")


def test_a_vrt_beside_a_real_shapefile_is_refused_too(tmp_path: Path) -> None:
    """Every .shp of the folder becomes a layer: each one is checked, not only the first."""
    folder = tmp_path / "shp"
    folder.mkdir()
    gpd.GeoDataFrame(geometry=[Point(ORIGIN)], crs=4326).to_file(folder / "a.shp")
    members: dict[str, str | bytes] = {f.name: f.read_bytes() for f in folder.iterdir()}
    members["b.shp"] = vrt(str(secret_csv(tmp_path)))
    assert (
        "n'est pas un fichier .shp" in refused_perimeter(zipped(tmp_path / "z.zip", members)).detail
    )


@pytest.mark.parametrize("member", ["../ilots.shp", "/tmp/ilots.shp", "a/../../ilots.shp"])
def test_a_zip_member_outside_the_archive_is_refused(tmp_path: Path, member: str) -> None:
    archive = zipped(tmp_path / "z.zip", {member: b"\x00\x00\x27\x0a"})
    error = refused_perimeter(archive)
    assert error.message.startswith(f"« z.zip » contient un chemin interdit (« {member} »)")


def test_a_zip_repeating_a_member_is_refused(tmp_path: Path) -> None:
    """GDAL and Python may pick different copies: the checked one must be the read one."""
    archive = tmp_path / "z.zip"
    with zipfile.ZipFile(archive, "w") as zipped_file, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: the attack
        zipped_file.writestr("ilots.shp", vrt(str(secret_csv(tmp_path))))
        zipped_file.writestr("ilots.shp", b"\x00\x00\x27\x0a" + bytes(96))
    assert "contient un chemin interdit (« ilots.shp »)" in refused_perimeter(archive).message


# ---- Honest files still read ----------------------------------------------------------------


def feature_collection(geometry: BaseGeometry, crs_name: str | None) -> dict[str, object]:
    document: dict[str, object] = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"nom": "zac"},
                "geometry": mapping(geometry),
            }
        ],
    }
    if crs_name is not None:
        document["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return document


@pytest.mark.parametrize(
    "crs_name",
    ["urn:ogc:def:crs:EPSG::2154", "EPSG:2154", "http://www.opengis.net/def/crs/EPSG/0/2154"],
)
def test_a_legacy_crs_member_naming_lambert93_is_honoured(tmp_path: Path, crs_name: str) -> None:
    zone = gpd.GeoSeries([shapely.box(-0.56, 44.85, -0.55, 44.86)], crs=4326).to_crs(2154)[0]
    path = tmp_path / "zac.geojson"
    path.write_text(json.dumps(feature_collection(zone, crs_name)), encoding="utf-8")
    assert read_perimeter(path).contains(Point(ORIGIN))
    frame = read_vector_file(path, expected="un GeoJSON")
    assert frame.crs.to_epsg() == 2154 and list(frame.columns) == ["geometry", "nom"]


def test_a_geojson_with_bom_and_crs84_reads_as_wgs84(tmp_path: Path) -> None:
    document = feature_collection(Point(ORIGIN), "urn:ogc:def:crs:OGC:1.3:CRS84")
    path = tmp_path / "locaux.geojson"
    path.write_text(json.dumps(document), encoding="utf-8-sig")
    (row,) = read_table(path).rows
    assert row.cells == {"nom": "zac"}
    assert row.geometry is not None and row.geometry.equals(Point(ORIGIN))


def test_an_unknown_crs_member_is_refused_rather_than_misread(tmp_path: Path) -> None:
    path = tmp_path / "zac.geojson"
    document = feature_collection(Point(ORIGIN), "file:///etc/proj/secret")
    path.write_text(json.dumps(document), encoding="utf-8")
    assert refused_perimeter(path).message == (
        "« zac.geojson » : système de coordonnées « file:///etc/proj/secret » non reconnu ;"
        " attendu : un code EPSG (par exemple « urn:ogc:def:crs:EPSG::2154 » ou « EPSG:2154 »)"
        " ou aucun membre « crs » (WGS84)."
    )


def test_json_that_is_not_geojson_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locaux.json"
    path.write_text('{"type": "Topology"}', encoding="utf-8")
    assert "type « Topology »" in refused_import(path).message


def test_a_geopackage_whose_path_holds_a_colon_still_reads(tmp_path: Path) -> None:
    """``GPKG:`` cannot prefix such a path: the header check alone guards it."""
    path = tmp_path / "zac:v2.gpkg"
    gpd.GeoDataFrame({"nom": ["zac"]}, geometry=[SECRET], crs=4326).to_file(path)
    assert read_perimeter(path).contains(Point(ORIGIN))
    assert pyogrio.list_layers(str(path)).shape == (1, 2)
