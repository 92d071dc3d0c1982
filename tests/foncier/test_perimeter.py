"""Perimeters read from real GIS files, written here with geopandas and pyogrio."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely import LineString, Point, Polygon

from foncier.errors import InvalidInput
from foncier.scenarios.perimeter import perimeter_geojson, read_perimeter
from foncier.schemas.fields import Geometry

BASTIDE = (-0.549, 44.857)  # La Bastide, right bank of Bordeaux


def square(lon: float, lat: float, half: float = 0.002) -> Polygon:
    return shapely.box(lon - half, lat - half, lon + half, lat + half)


def write(path: Path, geoms: list[shapely.Geometry], crs: int | None = 4326, **kw: str) -> Path:
    frame = gpd.GeoDataFrame({"nom": [f"n{i}" for i in range(len(geoms))]}, geometry=geoms)
    if crs is None:
        with pytest.warns(UserWarning, match="'crs' was not provided"):
            frame.to_file(path, engine="pyogrio", **kw)
    else:
        frame.set_crs(4326).to_crs(crs).to_file(path, engine="pyogrio", **kw)
    return path


def refused(path: Path) -> str:
    with pytest.raises(InvalidInput) as caught:
        read_perimeter(path)
    assert caught.value.errors == {"perimeter": [caught.value.message]}
    return caught.value.message


def test_a_geojson_in_wgs84_is_read_as_is(tmp_path: Path) -> None:
    zone = square(*BASTIDE)
    perimeter = read_perimeter(write(tmp_path / "zac.geojson", [zone]))
    assert perimeter.geom_type == "MultiPolygon"
    assert shapely.equals_exact(shapely.normalize(perimeter.geoms[0]), zone.normalize(), 1e-9)


def test_a_geopackage_in_lambert93_comes_back_in_wgs84(tmp_path: Path) -> None:
    zone = square(*BASTIDE)
    path = write(tmp_path / "zac.gpkg", [zone], crs=2154)
    assert gpd.read_file(path).crs.to_epsg() == 2154
    (part,) = read_perimeter(path).geoms
    assert shapely.equals_exact(shapely.normalize(part), zone.normalize(), 1e-6)
    corner = min(part.exterior.coords, key=lambda c: (c[0], c[1]))
    assert corner == pytest.approx((BASTIDE[0] - 0.002, BASTIDE[1] - 0.002), abs=1e-6)


def test_the_geojson_fits_a_scenario_perimeter(tmp_path: Path) -> None:
    geojson = perimeter_geojson(write(tmp_path / "zac.gpkg", [square(*BASTIDE)], crs=2154))
    assert geojson["type"] == "MultiPolygon"
    loaded = Geometry("Polygon", "MultiPolygon").deserialize(geojson)
    assert loaded.contains(Point(BASTIDE))


def test_a_zipped_shapefile_of_two_adjacent_polygons_is_one_polygon(tmp_path: Path) -> None:
    west, east = square(-0.551, 44.857, 0.001), square(-0.549, 44.857, 0.001)
    folder = tmp_path / "shp"
    folder.mkdir()
    write(folder / "ilots.shp", [west, east], crs=2154)
    assert {p.suffix for p in folder.iterdir()} >= {".shp", ".shx", ".dbf", ".prj"}
    archive = tmp_path / "ilots.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in folder.iterdir():
            zipped.write(file, f"perimetre/{file.name}")
    (part,) = read_perimeter(archive).geoms
    assert part.area == pytest.approx(west.union(east).area, rel=1e-6)
    assert part.bounds == pytest.approx((-0.552, 44.856, -0.548, 44.858), abs=1e-6)


def test_the_only_polygon_layer_of_a_geopackage_is_taken(tmp_path: Path) -> None:
    path = write(tmp_path / "zac.gpkg", [Point(BASTIDE)], layer="reperes")
    write(path, [square(*BASTIDE)], crs=2154, layer="perimetre")
    assert read_perimeter(path).contains(Point(BASTIDE))


def test_without_crs_lambert93_and_degrees_are_recognised(tmp_path: Path) -> None:
    lambert = gpd.GeoSeries([square(*BASTIDE)], crs=4326).to_crs(2154)[0]
    for name, zone in (("l93.gpkg", lambert), ("deg.gpkg", square(*BASTIDE))):
        perimeter = read_perimeter(write(tmp_path / name, [zone], crs=None))
        assert perimeter.contains(Point(BASTIDE))


def test_a_geojson_in_lambert93_without_crs_member_is_recognised(tmp_path: Path) -> None:
    lambert = gpd.GeoSeries([square(*BASTIDE)], crs=4326).to_crs(2154)[0]
    feature = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(lambert)}
    path = tmp_path / "zac.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    assert read_perimeter(path).contains(Point(BASTIDE))


def test_unknown_coordinates_without_crs_are_refused(tmp_path: Path) -> None:
    message = refused(write(tmp_path / "zac.gpkg", [shapely.box(0, 0, 500, 500)], crs=None))
    assert "n'indique pas son système de coordonnées" in message
    assert "x de 0 à 500" in message and "Lambert-93" in message


def test_a_self_touching_ring_is_repaired_and_a_bow_tie_refused(tmp_path: Path) -> None:
    lon, lat = BASTIDE
    touching = Polygon(
        [(lon, lat), (lon + 0.01, lat), (lon + 0.01, lat + 0.01), (lon + 0.005, lat),
         (lon, lat + 0.01)]
    )  # fmt: skip
    assert not touching.is_valid
    repaired = read_perimeter(write(tmp_path / "touching.geojson", [touching]))
    assert repaired.is_valid and repaired.area == pytest.approx(touching.area, rel=1e-3)
    bow_tie = Polygon([(lon, lat), (lon + 0.01, lat + 0.01), (lon + 0.01, lat), (lon, lat + 0.01)])
    message = refused(write(tmp_path / "bow_tie.geojson", [square(*BASTIDE), bow_tie]))
    assert message == (
        "« bow_tie.geojson », entité 2 : "
        "Géométrie invalide (polygone qui se recoupe) : redessinez-la."
    )


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zac.kml"
    path.write_text("<kml/>")
    assert refused(path) == (
        "« zac.kml » : extension « .kml » non reconnue ;"
        " extensions permises : .geojson, .json, .gpkg, .zip."
    )


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "zac.gpkg"
    path.write_text("pas un GeoPackage")
    with pytest.raises(InvalidInput) as caught:
        read_perimeter(path)
    assert caught.value.message == (
        "« zac.gpkg » : fichier illisible ; attendu : un GeoJSON, un GeoPackage"
        " ou un shapefile zippé (.shp, .shx, .dbf et .prj)."
    )
    assert caught.value.detail.startswith(f"{caught.value.message} (")  # GDAL's words: log only


def test_a_shapefile_without_its_shx_is_unreadable(tmp_path: Path) -> None:
    write(tmp_path / "ilots.shp", [square(*BASTIDE)])
    archive = tmp_path / "ilots.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(tmp_path / "ilots.shp", "ilots.shp")
    assert "fichier illisible" in refused(archive)


def test_a_file_without_polygons_names_what_it_holds(tmp_path: Path) -> None:
    path = write(tmp_path / "zac.geojson", [Point(BASTIDE), LineString([BASTIDE, (-0.55, 44.86)])])
    assert refused(path) == (
        "« zac.geojson » ne contient aucun polygone (géométries trouvées : LineString, Point) ;"
        " attendu : Polygon ou MultiPolygon."
    )


def test_empty_files_are_refused(tmp_path: Path) -> None:
    no_feature = tmp_path / "vide.geojson"
    no_feature.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    assert refused(no_feature) == "« vide.geojson » est vide : aucune entité géographique."
    no_byte = tmp_path / "rien.gpkg"
    no_byte.touch()
    assert refused(no_byte) == "« rien.gpkg » est vide : aucune entité géographique."


def test_a_zip_without_shapefile_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "zac.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("lisez-moi.txt", "Le périmètre suit.")
    assert refused(archive) == (
        "« zac.zip » ne contient aucun fichier .shp (trouvé : lisez-moi.txt) ; attendu : un"
        " GeoJSON, un GeoPackage ou un shapefile zippé (.shp, .shx, .dbf et .prj)."
    )


def test_a_perimeter_outside_france_is_refused(tmp_path: Path) -> None:
    message = refused(write(tmp_path / "nyc.geojson", [square(-73.98, 40.75)]))
    assert message.startswith("« nyc.geojson » : périmètre hors de France (longitude de -73.98")
    assert message.endswith("attendu : longitude de −5,5 à 10 et latitude de 41 à 51,5 (WGS84).")
