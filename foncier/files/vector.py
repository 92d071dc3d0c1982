"""Read the vector files users upload (GeoJSON, GeoPackage, zipped shapefile) safely.

GDAL picks a driver from a file's content, not its name: a ``.geojson`` or ``.gpkg`` holding
``<OGRVRTDataSource>`` XML is read through the VRT driver, which opens other server files or
URLs. So GeoJSON never reaches GDAL (it is parsed here), and a GeoPackage or a shapefile is
handed to GDAL only once its first bytes prove its format, with the GeoPackage driver forced.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS
from pyproj.exceptions import CRSError, ProjError
from shapely.errors import ShapelyError

from foncier import limits
from foncier.errors import InvalidInput, TooLarge
from foncier.files.structured import check_tree
from foncier.geo import WGS84_SRID
from foncier.schemas.fields import count_vertices

GEOJSON_SUFFIXES = (".geojson", ".json")
GEOPACKAGE_SUFFIX = ".gpkg"
ZIPPED_SHAPEFILE_SUFFIX = ".zip"
SQLITE_HEADER = b"SQLite format 3\x00"
SHAPEFILE_MAGIC = (9994).to_bytes(4, "big")  # b"\x00\x00\x27\x0a", the .shp file code
GEOMETRY_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)
# Legacy GeoJSON "crs" names: EPSG:2154, urn:ogc:def:crs:EPSG::2154, urn:ogc:def:crs:OGC:1.3:CRS84,
# http://www.opengis.net/def/crs/EPSG/0/2154. Only the code reaches PROJ, never the text.
_CRS_NAME = re.compile(
    r"^(?:urn:ogc:def:crs:|https?://www\.opengis\.net/def/crs/)?"
    r"(?P<authority>EPSG|OGC)(?:[:/][\d.]*)?[:/](?P<code>\w+)$",
    re.IGNORECASE,
)
_CRS_EXPECTED = (
    "un code EPSG (par exemple « urn:ogc:def:crs:EPSG::2154 » ou « EPSG:2154 »)"
    " ou aucun membre « crs » (WGS84)"
)
_GDAL_ERRORS = (DataSourceError, DataLayerError, ProjError, OSError)
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, zlib.error)
# A .shp record stores 16 bytes per vertex plus its headers: twice that bounds the vertices.
_SHP_BYTES_PER_VERTEX = 32


class UnreadableFile(InvalidInput):
    """A vector file refused before or while reading it.

    ``message`` names the file and what is expected; ``reason`` says briefly what is wrong,
    both safe to show; ``detail`` adds the library's own words, for the log only.
    """

    def __init__(self, message: str, reason: str, cause: object = None) -> None:
        detail = f"{message} ({reason}{f' : {cause}' if cause else ''})"
        super().__init__(message, detail=detail)
        self.reason = reason


def read_vector_file(
    path: Path, *, expected: str, polygons_first: bool = False
) -> geopandas.GeoDataFrame:
    """The file's first layer, or with ``polygons_first`` its only polygon layer if it has one.

    ``expected`` (French) says what the caller accepts; refusals quote it.
    """
    suffix = path.suffix.lower()
    if suffix in GEOJSON_SUFFIXES:
        return _geojson_frame(path, expected)
    if suffix == GEOPACKAGE_SUFFIX:
        return _gdal_frame(path, [_geopackage(path, expected)], expected, polygons_first)
    if suffix == ZIPPED_SHAPEFILE_SUFFIX:
        return _gdal_frame(path, _shapefiles(path, expected), expected, polygons_first)
    raise UnreadableFile(
        f"« {path.name} » : extension « {suffix or '(aucune)'} » non reconnue ;"
        f" attendu : {expected}.",
        "extension non reconnue",
    )


def _illegible(path: Path, expected: str, reason: str, cause: object = None) -> UnreadableFile:
    return UnreadableFile(
        f"« {path.name} » : fichier illisible ; attendu : {expected}.", reason, cause
    )


def _shown(value: object) -> str:
    return limits.shortened(value)


def _too_large(path: Path, what: str) -> TooLarge:
    return TooLarge(f"« {path.name} » : {what} ; découpez ou simplifiez le fichier.")


# ---- GeoJSON, without GDAL ---------------------------------------------------------------


def _geojson_frame(path: Path, expected: str) -> geopandas.GeoDataFrame:
    """Parsed with ``json``: GDAL never sees the file, so its content cannot choose a driver."""
    try:
        if path.stat().st_size > limits.MAX_UPLOAD_BYTES:
            size = limits.format_bytes(limits.MAX_UPLOAD_BYTES)
            raise _too_large(path, f"plus de {size}")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise _illegible(path, expected, "lecture impossible", error.strerror) from None
    except UnicodeDecodeError:
        raise _illegible(path, expected, "GeoJSON invalide : encodage attendu UTF-8") from None
    try:
        document = json.loads(text)
        _check_tree(path, document)
    except json.JSONDecodeError as error:
        reason = f"GeoJSON invalide : JSON mal formé ligne {error.lineno}, colonne {error.colno}"
        raise _illegible(path, expected, reason) from None
    except RecursionError:
        raise _illegible(path, expected, "GeoJSON invalide : JSON trop imbriqué") from None
    features = _features(path, expected, document)
    crs = _geojson_crs(path, document)
    try:
        return geopandas.GeoDataFrame.from_features(features, crs=crs)
    except (ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
        raise _illegible(path, expected, "GeoJSON invalide : géométrie mal formée", error) from None


def _features(path: Path, expected: str, document: Any) -> list[dict[str, Any]]:
    """Features with their properties as a dict, as GDAL reads them: a string ``id`` becomes
    a column, a lone Feature or geometry a one-feature collection."""
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection":
        features = document.get("features")
    elif kind == "Feature":
        features = [document]
    elif kind in GEOMETRY_TYPES:
        features = [{"type": "Feature", "properties": {}, "geometry": document}]
    else:
        reason = (
            f"GeoJSON invalide : type « {_shown(kind)} » ;"
            " attendu : FeatureCollection, Feature ou géométrie"
        )
        raise _illegible(path, expected, reason)
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise _illegible(path, expected, "GeoJSON invalide : « features » n'est pas une liste")
    if len(features) > limits.MAX_IMPORT_ROWS:
        most = limits.grouped(limits.MAX_IMPORT_ROWS)
        raise _too_large(path, f"{limits.grouped(len(features))} entités, au plus {most}")
    return [_feature(path, expected, position, f) for position, f in enumerate(features, 1)]


def _feature(path: Path, expected: str, position: int, feature: dict[str, Any]) -> dict[str, Any]:
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        reason = f"GeoJSON invalide : entité {position}, « properties » n'est pas un objet"
        raise _illegible(path, expected, reason)
    geometry = feature.get("geometry")
    if isinstance(geometry, dict):
        _check_vertices(path, position, count_vertices(geometry.get("coordinates")))
    if isinstance(feature.get("id"), str) and "id" not in properties:
        properties = {"id": feature["id"], **properties}
    if "geometry" in properties:  # from_features would let it replace the geometry
        properties = {
            ("geometry (attribut)" if key == "geometry" else key): value
            for key, value in properties.items()
        }
    return {"type": "Feature", "properties": properties, "geometry": feature.get("geometry")}


def _check_tree(path: Path, document: Any) -> None:
    """Lone surrogates and absurd nesting refused before geopandas reads the document."""
    try:
        check_tree(document, path.name)
    except InvalidInput as error:
        raise UnreadableFile(error.message, "GeoJSON invalide") from None


def _check_vertices(path: Path, position: int, count: int) -> None:
    """Counted before shapely builds the geometry: GEOS on 10 million vertices held the
    server for a quarter of an hour."""
    if count > limits.MAX_VERTICES:
        raise _too_large(
            path,
            f"l'entité {position} a plus de {limits.grouped(limits.MAX_VERTICES)} sommets",
        )


def _geojson_crs(path: Path, document: dict[str, Any]) -> CRS:
    """The legacy ``crs`` member when it names an EPSG code (or CRS84), else WGS84 (RFC 7946)."""
    member = document.get("crs")
    if member is None:
        return CRS.from_epsg(WGS84_SRID)
    name = _crs_name(member)
    crs = _named_crs(name) if name else None
    if crs is None:
        shown = _shown(name or json.dumps(member, ensure_ascii=False))
        raise UnreadableFile(
            f"« {path.name} » : système de coordonnées « {shown} » non reconnu ;"
            f" attendu : {_CRS_EXPECTED}.",
            f"système de coordonnées « {shown} » non reconnu",
        )
    return crs


def _crs_name(member: Any) -> str | None:
    """``{"type": "name", "properties": {"name": …}}`` or the older ``{"type": "EPSG", …}``."""
    properties = member.get("properties") if isinstance(member, dict) else None
    if not isinstance(properties, dict):
        return None
    if str(member.get("type", "")).upper() == "EPSG" and "code" in properties:
        return f"EPSG:{properties['code']}"
    name = properties.get("name")
    return name.strip() if isinstance(name, str) else None


def _named_crs(name: str) -> CRS | None:
    if name.upper() == "CRS84":
        return CRS.from_epsg(WGS84_SRID)
    match = _CRS_NAME.match(name)
    if match is None:
        return None
    authority, code = match["authority"].upper(), match["code"]
    if authority == "OGC":
        return CRS.from_epsg(WGS84_SRID) if code.upper() == "CRS84" else None
    try:
        return CRS.from_epsg(int(code)) if code.isdigit() else None
    except CRSError:
        return None


# ---- GeoPackage and zipped shapefile, through GDAL once their format is proven ------------


def _geopackage(path: Path, expected: str) -> str:
    """The GDAL name of a file that starts as an SQLite database, the GeoPackage driver forced.

    ``GPKG:`` cannot prefix a path holding a colon; the header check still stands for those.
    """
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise _illegible(path, expected, "lecture impossible", error.strerror) from None
    if header != SQLITE_HEADER:
        raise _illegible(path, expected, "pas un GeoPackage : en-tête SQLite absent")
    name = str(path.absolute())
    return name if ":" in name else f"GPKG:{name}"


def _shapefiles(path: Path, expected: str) -> list[str]:
    """GDAL names of the .shp files beside the archive's first one, each proven a shapefile."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = _safe_names(path, expected, archive)
            check_archive_size(path, archive)
            chosen = _first_folder_shapefiles(path, expected, names)
            _check_shp_sizes(path, archive, chosen)
            for name in chosen:
                with archive.open(name) as member:
                    if member.read(len(SHAPEFILE_MAGIC)) != SHAPEFILE_MAGIC:
                        reason = f"« {_shown(name)} » n'est pas un fichier .shp"
                        raise _illegible(path, expected, reason)
    except _ZIP_ERRORS as error:
        raise _illegible(path, expected, "archive ZIP invalide", error) from None
    return [f"/vsizip/{path.absolute()}/{name}" for name in chosen]


def _safe_names(path: Path, expected: str, archive: zipfile.ZipFile) -> list[str]:
    """Member names, refused when absolute, climbing with ``..`` or repeated: GDAL must read
    the very member checked here."""
    seen: set[str] = set()
    for name in archive.namelist():
        normalised = PurePosixPath(name.replace("\\", "/"))
        absolute = normalised.is_absolute() or re.match(r"^[A-Za-z]:", str(normalised))
        key = str(normalised).casefold()
        if absolute or ".." in normalised.parts or key in seen:
            raise UnreadableFile(
                f"« {path.name} » contient un chemin interdit (« {_shown(name)} ») ;"
                f" attendu : {expected}, sans chemin absolu, « .. » ni fichier en double.",
                "chemin interdit dans l'archive",
            )
        seen.add(key)
    return [name for name in archive.namelist() if not name.startswith("__MACOSX/")]


def check_archive_size(path: Path, archive: zipfile.ZipFile) -> None:
    """The members' declared sizes, checked before anything is unpacked (zip bombs); the
    readers (zipfile, GDAL's minizip) never unpack beyond a member's declared size."""
    members = archive.infolist()
    if len(members) > limits.MAX_ARCHIVE_MEMBERS:
        raise TooLarge(
            f"« {path.name} » : archive de {limits.grouped(len(members))} fichiers ;"
            f" au plus {limits.MAX_ARCHIVE_MEMBERS}."
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.MAX_UNPACKED_BYTES:
        raise TooLarge(
            f"« {path.name} » : {limits.format_bytes(unpacked)} une fois décompressé ;"
            f" au plus {limits.format_bytes(limits.MAX_UNPACKED_BYTES)}."
        )


def _check_shp_sizes(path: Path, archive: zipfile.ZipFile, chosen: list[str]) -> None:
    """A .shp's size bounds its vertices: refuse before GDAL reads them."""
    most = limits.MAX_FILE_VERTICES * _SHP_BYTES_PER_VERTEX
    for name in chosen:
        if archive.getinfo(name).file_size > most:
            raise _too_large(
                path,
                f"« {_shown(name)} » a plus de {limits.grouped(limits.MAX_FILE_VERTICES)} sommets",
            )


def _first_folder_shapefiles(path: Path, expected: str, names: list[str]) -> list[str]:
    shapefiles = sorted(n for n in names if n.lower().endswith(".shp"))
    if not shapefiles:
        found = ", ".join(_shown(n) for n in names[:5]) + (" …" if len(names) > 5 else "")
        raise UnreadableFile(
            f"« {path.name} » ne contient aucun fichier .shp (trouvé : {found or 'rien'}) ;"
            f" attendu : {expected}.",
            "aucun fichier .shp dans l'archive",
        )
    folder = PurePosixPath(shapefiles[0]).parent
    return [n for n in shapefiles if PurePosixPath(n).parent == folder]


def _gdal_frame(
    path: Path, datasets: list[str], expected: str, polygons_first: bool
) -> geopandas.GeoDataFrame:
    try:
        layers = [
            (dataset, str(name), kind)
            for dataset in datasets
            for name, kind in pyogrio.list_layers(dataset)
        ]
        if not layers:
            raise UnreadableFile(f"« {path.name} » est vide : aucune couche.", "aucune couche")
        polygon_layers = [layer for layer in layers if layer[2] and "Polygon" in layer[2]]
        use_polygons = polygons_first and len(polygon_layers) == 1
        dataset, layer, _ = polygon_layers[0] if use_polygons else layers[0]
        _check_feature_count(path, dataset, layer)
        frame = geopandas.read_file(dataset, layer=layer, engine="pyogrio")
    except _GDAL_ERRORS as error:
        reason = "couche géographique introuvable ou invalide"
        raise _illegible(path, expected, reason, error) from None
    counts = shapely.get_num_coordinates(frame.geometry.values)
    for position, count in enumerate(counts, 1):
        _check_vertices(path, position, int(count))
    return frame


def _check_feature_count(path: Path, dataset: str, layer: str) -> None:
    features = pyogrio.read_info(dataset, layer=layer).get("features", 0)
    if features > limits.MAX_IMPORT_ROWS:
        most = limits.grouped(limits.MAX_IMPORT_ROWS)
        raise _too_large(path, f"{limits.grouped(features)} entités, au plus {most}")
