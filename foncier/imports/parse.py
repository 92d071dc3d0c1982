"""A file of premises, actors or needs parsed row by row into typed values, with every problem.

Pure: no database, no Flask. A row with errors is kept, so that the caller can report a dry
run, refuse the whole file, or import only the valid rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from foncier.errors import InvalidInput
from foncier.geo import to_wgs84
from foncier.imports.columns import KINDS, Kind, resolve_mapping
from foncier.imports.reading import RawRow, read_table
from foncier.imports.values import (
    CellError,
    parse_boolean,
    parse_choice,
    parse_date,
    parse_integer,
    parse_list,
    parse_number,
    parse_phone,
    parse_siren,
    parse_siret,
    parse_text,
    parse_wkt,
    quote,
)
from foncier.vocabulary import (
    ClasseEnergie,
    Equipement,
    FormeJuridique,
    ModeOccupation,
    OrigineLocal,
    Stade,
    StatutBesoin,
    StatutLocal,
    TypeLocal,
)

Parser = Callable[[Any], Any]


@dataclass
class ParsedRow:
    """``values`` holds every mapped field (None when empty or wrong) but the coordinates:
    those become ``lon``/``lat`` in WGS84 (None when missing or wrong), and a geographic
    file's geometry comes as ``geometry`` (WGS84)."""

    line: int
    values: dict[str, Any]
    raw: dict[str, Any]  # the cells as read, to write a rejects file
    errors: list[str] = field(default_factory=list)  # French, naming column and value


@dataclass
class ParsedTable:
    kind: Kind
    mapping: dict[str, str | None]  # header → field, None for an ignored header
    unknown_headers: list[str]
    rows: list[ParsedRow]

    @property
    def rows_with_errors(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.errors]


def _choice(vocabulary: type[StrEnum]) -> Parser:
    return partial(parse_choice, vocabulary=vocabulary)


def _choice_or_code(vocabulary: type[StrEnum]) -> Parser:
    """A known value in any of its spellings, else the cell as a code: an administrator may
    have added it to the list, and the use case checks it against the database."""

    def parse(cell: Any) -> str | None:
        try:
            return parse_choice(cell, vocabulary=vocabulary)
        except CellError:
            text = parse_text(cell)
            return None if text is None else text.strip().lower()

    return parse


def _choices(vocabulary: type[StrEnum]) -> Parser:
    return partial(parse_list, item=_choice(vocabulary))


_LOCATION_PARSERS: dict[str, Parser] = {
    "adresse": parse_text,
    "lon": parse_number,
    "lat": parse_number,
    "x": parse_number,
    "y": parse_number,
}
_PARSERS: dict[Kind, dict[str, Parser]] = {
    "premises": {
        "ref": parse_text,
        "nom": parse_text,
        "type_local": _choice(TypeLocal),
        "statut": _choice(StatutLocal),
        "origine": _choice(OrigineLocal),
        "surface_m2": parse_number,
        "divisible": parse_boolean,
        "surface_lot_min_m2": parse_number,
        "partageable": parse_boolean,
        "loyer_m2_an": parse_number,
        "loyer_marche_m2_an": parse_number,
        "prix_vente_m2": parse_number,
        "charges_m2_an": parse_number,
        "disponible_le": parse_date,
        "disponible_jusqu_au": parse_date,
        "acces_pmr": parse_boolean,
        "rez_de_chaussee": parse_boolean,
        "acces_livraison": parse_boolean,
        "stationnement": parse_boolean,
        "categorie_erp": parse_text,
        "classe_energie": _choice(ClasseEnergie),
        "description": parse_text,
        "source": parse_text,
        "parent_id": parse_integer,
        "friche_id": parse_text,
        "hors_metropole_confirme": parse_boolean,
    },
    "actors": {
        "ref": parse_text,
        "nom": parse_text,
        "siren": parse_siren,
        "siret": parse_siret,
        "forme_juridique": _choice_or_code(FormeJuridique),
        "agrement_esus": parse_boolean,
        "filiere": parse_text,  # a code of the editable `filieres` table, checked by the store
        "stade": _choice(Stade),
        "effectif": parse_integer,
        "emplois_prevus": parse_integer,
        "contact_nom": parse_text,
        "contact_email": parse_text,
        "contact_telephone": parse_phone,
        "source": parse_text,
        "archive": parse_boolean,
        "hors_metropole_confirme": parse_boolean,
    },
    "needs": {
        "ref": parse_text,
        "acteur_ref": parse_text,
        "intitule": parse_text,
        "statut": _choice(StatutBesoin),
        "types_acceptes": _choices(TypeLocal),
        "modes_occupation": _choices(ModeOccupation),
        "surface_min_m2": parse_number,
        "surface_max_m2": parse_number,
        "budget_loyer_m2_an": parse_number,
        "budget_achat_m2": parse_number,
        "communes_souhaitees": partial(parse_list, item=parse_text),
        "distance_max_m": parse_number,
        "emmenagement_au_plus_tot": parse_date,
        "emmenagement_au_plus_tard": parse_date,
        "criteres_obligatoires": _choices(Equipement),
        "criteres_souhaites": _choices(Equipement),
        "partage_accepte": parse_boolean,
        "emplois_accueillis": parse_integer,
        "source": parse_text,
        "acteur_id": parse_integer,
        "zone_souhaitee_wkt": parse_wkt,
        "zone_souhaitee": parse_wkt,  # a GeoJSON export carries the zone as a GeoJSON object
        "hors_metropole_confirme": parse_boolean,
    },
}


def parse_table(
    path: Path,
    kind: Kind,
    mapping: Mapping[str, str | None] | None = None,
    defaults: Mapping[str, str] | None = None,
) -> ParsedTable:
    """Read ``path`` and parse each row as a record of ``kind``.

    ``mapping`` corrects the automatic header → field mapping for the headers it names (None
    ignores a column). ``defaults`` gives a field's value, as typed, to every row whose cell
    is empty or whose file lacks the column (``--set origine=partenaire``). Raises
    ``InvalidInput`` when the file cannot be read, or the mapping or a default cannot be
    used; problems within rows are reported in ``ParsedRow.errors``.
    """
    if kind not in KINDS:
        raise InvalidInput(f"Genre d'import inconnu : « {kind} » ; permis : {', '.join(KINDS)}.")
    given = parse_defaults(kind, defaults or {})
    table = read_table(path)
    resolved = resolve_mapping(table.headers, kind, mapping)
    rows = [_parse_row(raw, resolved, kind) for raw in table.rows]
    for row in rows:
        for name, value in given.items():
            if row.values.get(name) is None:
                row.values[name] = value
    unknown = [header for header, target in resolved.items() if target is None]
    return ParsedTable(kind, resolved, unknown, rows)


def parse_defaults(kind: Kind, defaults: Mapping[str, str]) -> dict[str, Any]:
    """Values given once for a whole file, read like its cells; every bad one is named."""
    parsers = _PARSERS[kind]
    found: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, text in defaults.items():
        if name not in parsers:
            errors[name] = [f"« {name} » n'est pas un champ : permis : {', '.join(parsers)}."]
            continue
        try:
            found[name] = parsers[name](text)
        except CellError as error:
            errors[name] = [str(error)]
    if errors:
        raise InvalidInput.from_errors(errors)
    return found


def _parse_row(raw: RawRow, mapping: Mapping[str, str | None], kind: Kind) -> ParsedRow:
    parsers = {**_PARSERS[kind], **_LOCATION_PARSERS}
    columns = {target: header for header, target in mapping.items() if target is not None}
    row = ParsedRow(raw.line, {}, dict(raw.cells))
    failed: set[str] = set()
    for target, header in columns.items():
        try:
            row.values[target] = parsers[target](raw.cells[header])
        except CellError as error:
            row.values[target] = None
            row.errors.append(f"Colonne « {header} » : {error}")
            failed.add(target)
    # Coordinates are the input of the location, not values of their own: lon/lat come back
    # in WGS84 once checked; the file's geometry, when it has one, wins over them.
    coordinates = {name: row.values.pop(name) for name in _COORDINATES if name in row.values}
    if raw.geometry is not None:
        _place_geometry(row, raw.geometry, kind)
    elif coordinates:
        row.values["lon"] = row.values["lat"] = None
        if not failed & coordinates.keys():  # a bad coordinate cell is already reported
            _place_coordinates(row, coordinates, columns)
    return row


# ---- Location -----------------------------------------------------------------------------

_COORDINATES = ("lon", "lat", "x", "y")
# Metropolitan France, generously: WGS84 degrees, then Lambert-93 metres. The ranges of the
# two axes do not overlap, so a swapped pair is recognised without ambiguity.
_WGS84_LON, _WGS84_LAT = (-5.5, 10.0), (41.0, 51.5)
_LAMBERT93_X, _LAMBERT93_Y = (100_000.0, 1_300_000.0), (6_000_000.0, 7_200_000.0)
_COORDINATE_RANGES = (
    "attendu une longitude de -5,5 à 10 et une latitude de 41 à 51,5 (WGS84), "
    "ou X de 100 000 à 1 300 000 et Y de 6 000 000 à 7 200 000 (Lambert-93)"
)


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def wgs84_lon_lat(first: float, second: float) -> tuple[float, float] | None:
    """WGS84 (lon, lat) of a pair given in WGS84 or Lambert-93, in either order; None if the
    pair fits neither in metropolitan France."""
    for a, b in ((first, second), (second, first)):
        if _within(a, _WGS84_LON) and _within(b, _WGS84_LAT):
            return a, b
        if _within(a, _LAMBERT93_X) and _within(b, _LAMBERT93_Y):
            point = to_wgs84(Point(a, b))
            return point.x, point.y
    return None


def _place_coordinates(
    row: ParsedRow, coordinates: Mapping[str, float | None], columns: Mapping[str, str]
) -> None:
    """lon/lat from the lon/lat columns when filled, else from the x/y columns."""
    geographic = coordinates.get("lon") is not None or coordinates.get("lat") is not None
    names = ("lon", "lat") if geographic else ("x", "y")
    first, second = (coordinates.get(name) for name in names)
    if first is None and second is None:
        return
    headers = " et ".join(f"« {columns[name]} »" for name in names if name in columns)
    cells = " et ".join(
        "une case vide" if row.raw[columns[name]] is None else quote(row.raw[columns[name]])
        for name in names
        if name in columns
    )
    if first is None or second is None:
        row.errors.append(f"Colonnes {headers} : une coordonnée sans l'autre ({cells}).")
        return
    lon_lat = wgs84_lon_lat(first, second)
    if lon_lat is None:
        row.errors.append(
            f"Colonnes {headers} : les coordonnées {cells} ne tombent pas en France "
            f"métropolitaine : {_COORDINATE_RANGES}."
        )
        return
    row.values["lon"], row.values["lat"] = lon_lat


def _place_geometry(row: ParsedRow, geometry: BaseGeometry, kind: Kind) -> None:
    """A point locates any record; a need may instead give its wished zone as polygons."""
    if isinstance(geometry, MultiPoint) and len(geometry.geoms) == 1:
        geometry = geometry.geoms[0]  # GeoPackage layers often type single points as multi
    if isinstance(geometry, Point):
        lon_lat = wgs84_lon_lat(geometry.x, geometry.y)
        if lon_lat is None:
            row.errors.append(
                f"Géométrie : le point ({geometry.x:g}, {geometry.y:g}) ne tombe pas en France "
                f"métropolitaine : {_COORDINATE_RANGES}."
            )
            return
        row.values["lon"], row.values["lat"] = lon_lat
        row.values["geometry"] = Point(lon_lat)
    elif kind == "needs" and isinstance(geometry, Polygon | MultiPolygon):
        row.values["geometry"] = geometry
    else:
        expected = "un point ou une zone (polygone)" if kind == "needs" else "un point"
        row.errors.append(f"Géométrie : {geometry.geom_type} reçue, {expected} attendu.")
