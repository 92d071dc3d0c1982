"""Read an operation's perimeter from the GIS file a planner uploads, as a WGS84 MultiPolygon.

Planners draw perimeters in QGIS and export them as they can: GeoJSON, GeoPackage or a zipped
shapefile, in Lambert-93 or WGS84, sometimes without their coordinate system. The file is
opened by ``foncier.files.vector``, which keeps GDAL from following what its content names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas
import shapely
from pyproj.exceptions import ProjError
from shapely.geometry import mapping

from foncier.errors import InvalidInput
from foncier.files.vector import read_vector_file
from foncier.geo import STORE_SRID, WGS84_SRID
from foncier.schemas.fields import Geometry, repaired_polygons

EXTENSIONS = (".geojson", ".json", ".gpkg", ".zip")
POLYGONS = ("Polygon", "MultiPolygon")
Bounds = tuple[float, ...]  # min x, min y, max x, max y
FRANCE: Bounds = (-5.5, 41.0, 10.0, 51.5)  # lon/lat: mainland France and Corsica
LAMBERT93: Bounds = (300_000, 6_000_000, 1_300_000, 7_200_000)  # metres
_FORMATS = "un GeoJSON, un GeoPackage ou un shapefile zippé (.shp, .shx, .dbf et .prj)"


def read_perimeter(path: Path) -> shapely.MultiPolygon:
    """The union of the file's polygons in WGS84; points and lines beside them are ignored."""
    frame = _read(path)
    shapes = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    if shapes.empty:
        raise _invalid(f"« {path.name} » est vide : aucune entité géographique.")
    polygons = shapes[shapes.geom_type.isin(POLYGONS)]
    if polygons.empty:
        found = ", ".join(sorted(set(shapes.geom_type)))
        raise _invalid(
            f"« {path.name} » ne contient aucun polygone (géométries trouvées : {found}) ;"
            " attendu : Polygon ou MultiPolygon."
        )
    crs = polygons.crs
    bounds: Bounds = tuple(polygons.total_bounds)
    if crs is None or (crs.is_geographic and not _within(bounds, (-180, -90, 180, 90))):
        crs = _guessed_crs(path, bounds)  # a GeoJSON without "crs" is read as WGS84
    try:
        polygons = polygons.set_crs(crs, allow_override=True).to_crs(WGS84_SRID)
    except ProjError as error:
        raise _invalid(f"« {path.name} » : système de coordonnées inutilisable.", error) from None
    perimeter = _union(path, polygons)
    if not _within(perimeter.bounds, FRANCE):
        shown = _shown(perimeter.bounds, "longitude", "latitude")
        raise _invalid(
            f"« {path.name} » : périmètre hors de France ({shown}) ;"
            " attendu : longitude de −5,5 à 10 et latitude de 41 à 51,5 (WGS84)."
        )
    return perimeter


def perimeter_geojson(path: Path) -> dict[str, Any]:
    """The perimeter as a GeoJSON geometry, ready for a scenario document's ``perimeter``."""
    return dict(mapping(read_perimeter(path)))


def _read(path: Path) -> geopandas.GeoDataFrame:
    """The only polygon layer if there is one, else the first layer."""
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS:
        raise _invalid(
            f"« {path.name} » : extension « {suffix or '(aucune)'} » non reconnue ;"
            f" extensions permises : {', '.join(EXTENSIONS)}."
        )
    try:
        empty = path.stat().st_size == 0
    except OSError as error:
        raise _invalid(
            f"« {path.name} » : fichier illisible ; attendu : {_FORMATS}.", error
        ) from None
    if empty:
        raise _invalid(f"« {path.name} » est vide : aucune entité géographique.")
    try:
        return read_vector_file(path, expected=_FORMATS, polygons_first=True)
    except InvalidInput as error:
        error.errors = {"perimeter": [error.message]}  # its class keeps its status (413, 422)
        raise


def _guessed_crs(path: Path, bounds: Bounds) -> int:
    if _within(bounds, FRANCE):
        return WGS84_SRID
    if _within(bounds, LAMBERT93):
        return STORE_SRID
    raise _invalid(
        f"« {path.name} » n'indique pas son système de coordonnées et ses coordonnées"
        f" ({_shown(bounds)}) ne sont ni des degrés WGS84 en France ni des mètres Lambert-93"
        " (EPSG:2154) ; enregistrez-le avec son système de coordonnées."
    )


def _union(path: Path, polygons: geopandas.GeoSeries) -> shapely.MultiPolygon:
    """One MultiPolygon; invalid polygons repaired when the repair keeps their area."""
    parts: list[shapely.Polygon | shapely.MultiPolygon] = []
    for position, geom in polygons.items():
        flat = shapely.force_2d(geom)
        if not flat.is_valid:
            flat = shapely.MultiPolygon(repaired_polygons(flat))
            if flat.is_empty:
                message = Geometry.default_error_messages["unrepairable"]
                raise _invalid(f"« {path.name} », entité {int(position) + 1} : {message}")
        parts.append(flat)
    union = shapely.union_all(parts)
    return shapely.MultiPolygon(
        [g for g in getattr(union, "geoms", [union]) if g.geom_type == "Polygon"]
    )


def _within(bounds: Bounds, box: Bounds) -> bool:
    minx, miny, maxx, maxy = bounds
    return box[0] <= minx <= maxx <= box[2] and box[1] <= miny <= maxy <= box[3]


def _shown(bounds: Bounds, x: str = "x", y: str = "y") -> str:
    minx, miny, maxx, maxy = bounds
    return f"{x} de {minx:.6g} à {maxx:.6g}, {y} de {miny:.6g} à {maxy:.6g}"


def _invalid(message: str, cause: Exception | None = None) -> InvalidInput:
    """The error on the ``perimeter`` field; the library's own words go to the log only."""
    detail = f"{message} ({cause})" if cause else None
    return InvalidInput(message, detail=detail, errors={"perimeter": [message]})
