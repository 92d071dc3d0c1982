"""Folium map builders. Leaflet comes from the app itself; tiles are a setting."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import shapely
from shapely.geometry import mapping

from web.labels import value_label
from web.map_dressing import Sign, dress

SOURCES = (
    ("Communes (28)", "IGN – ADMIN EXPRESS COG 2018 ; Etalab – découpage administratif"),
    ("Quartiers prioritaires (23 QPV)", "ANCT – périmètres des QPV 2024"),
    ("Friches (138 sites)", "Cerema – Cartofriches (état du 02/10/2023)"),
)
CREDITS = " ; ".join(credit for _, credit in SOURCES)
TILES = {
    "osm-fr": (
        "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png",
        "© OpenStreetMap France | © les contributeurs d'OpenStreetMap",
    ),
    "ign-plan": (
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM"
        "&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
        "© IGN – Plan IGN",
    ),
}
STATUT_COLOURS = {
    "disponible": "#1b7837",
    "sous_option": "#e08214",
    "reserve": "#b35806",
    "occupe": "#7f7f7f",
    "retire": "#bdbdbd",
    "ouvert": "#2166ac",
    "en_proposition": "#762a83",
    "satisfait": "#7f7f7f",
    "abandonne": "#bdbdbd",
}
BORDEAUX = (44.8378, -0.5792)


@dataclass(frozen=True)
class MapAssets:
    leaflet_js: str
    leaflet_css: str
    tiles: str
    tiles_attribution: str | None = None
    dressing_js: str = ""  # habillage-carte.js; empty when the page inlines it (dossier)
    communes_url: str | None = None  # the communes' outlines as GeoJSON, served by the app


def tile_source(tiles: str, attribution: str | None) -> tuple[str, str] | None:
    """URL template and attribution of the configured base tiles (None: no base map)."""
    if tiles == "aucun":
        return None
    url, known = TILES.get(tiles, (tiles, attribution))
    return url, known or attribution or tiles


def base_map(
    assets: MapAssets, legend: list[Sign], communes: bool = True, **options: Any
) -> folium.Map:
    """An empty map over the Métropole whose only scripts are the app's own Leaflet and
    habillage-carte.js: metric scale, ``legend``, the communes' outlines when the map does not
    draw them itself (``communes``), and the base tiles once the page has loaded."""
    fmap = folium.Map(location=BORDEAUX, zoom_start=11, tiles=None, zoom_snap=0.25)
    # Without a tile layer Leaflet knows no zoom range (clustering needs one): it is set here.
    fmap.options.update(max_zoom=19, **options)
    fmap.default_js = [("leaflet", assets.leaflet_js)]
    if assets.dressing_js:
        fmap.default_js.append(("habillage", assets.dressing_js))
    fmap.default_css = [("leaflet_css", assets.leaflet_css)]
    outlines = assets.communes_url if communes else None
    dress(fmap, legend, outlines, tile_source(assets.tiles, assets.tiles_attribution))
    return fmap


def status_signs(statuses: list[str], what: str) -> list[Sign]:
    """The colours of the markers by status: "Local disponible", "Besoin ouvert"…"""
    return [Sign(STATUT_COLOURS[s], f"{what} {value_label(s).lower()}") for s in statuses]


PREMISES_STATUSES = ["disponible", "sous_option", "reserve", "occupe", "retire"]
NEED_STATUSES = ["ouvert", "en_proposition", "satisfait", "abandonne"]


OVERVIEW_LEGEND = [
    Sign("#404040", "Commune", "contour"),
    Sign("#c51b7d", "Quartier prioritaire (QPV)", "surface"),
    Sign("#8c510a", "Friche (couche masquée au départ)"),
    *status_signs(PREMISES_STATUSES, "Local"),
    *status_signs(NEED_STATUSES[:2], "Besoin"),
]


def feature(geometry: Any, properties: dict[str, Any]) -> dict[str, Any]:
    geometry = shapely.transform(geometry, _rounded)
    return {"type": "Feature", "geometry": mapping(geometry), "properties": properties}


def _rounded(xy: Any) -> Any:
    """Five decimals of a degree are a metre: more digits only weigh on the answer."""
    return xy.round(5)


def tooltip_fields(fields: list[str], aliases: list[str]) -> list[list[str]]:
    """A tooltip's rows for habillage-carte.js: [property, label] pairs."""
    return [list(pair) for pair in zip(fields, aliases, strict=True)]


def tooltip_value(field: str, value: Any, lists: dict[str, dict[str, str]]) -> Any:
    """What a tooltip shows: a label for a code, a number with its decimal comma."""
    if isinstance(value, str) and field in lists:
        return lists[field].get(value, value)
    if isinstance(value, str) and field in CODED_COLUMNS:
        return value_label(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value_label(value)
    return value if isinstance(value, str | type(None)) else str(value)


def polygons_layer(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    name: str,
    fields: list[str],
    aliases: list[str],
    style: dict[str, object],
) -> None:
    folium.GeoJson(
        tagged_geojson(frame, name),
        name=name,
        style_function=lambda _feature: style,
        highlight_function=lambda _feature: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
    ).add_to(fmap)


def points_layer(
    fmap: folium.Map,
    frame: gpd.GeoDataFrame,
    name: str,
    fields: list[str],
    aliases: list[str],
    colour: str | None = None,
    radius: int = 5,
    show: bool = True,
) -> None:
    folium.GeoJson(
        tagged_geojson(frame, name),
        name=name,
        show=show,
        marker=folium.CircleMarker(radius=radius, weight=1, fill=True, fill_opacity=0.85),
        style_function=lambda feature: {
            "color": "#ffffff",
            "fillColor": colour
            or STATUT_COLOURS.get(feature["properties"].get("code_statut"), "#333"),
        },
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
    ).add_to(fmap)


def tagged_geojson(frame: gpd.GeoDataFrame, layer: str) -> str:
    """GeoJSON whose features name their layer (``couche``), for tests and scripts.

    Folium's tooltips insert property values as HTML: every text is escaped here, since
    names come from users and imported files.
    """
    tagged = frame.assign(couche=layer)
    # Five decimals of a degree are a metre: more digits only weigh on the page.
    tagged = tagged.set_geometry(shapely.transform(tagged.geometry.array, _rounded), crs=frame.crs)
    if "statut" in tagged.columns:  # the colour follows the code; the tooltip shows the label
        tagged["code_statut"] = tagged["statut"]
    for column in CODED_COLUMNS & set(tagged.columns):
        tagged[column] = tagged[column].map(lambda v: value_label(v) if isinstance(v, str) else v)
    for column in tagged.columns:
        if column != tagged.geometry.name:
            tagged[column] = tagged[column].map(_escaped)
    return tagged.to_json(na="null", drop_id=True)


# Columns whose values are codes of the closed lists: their tooltips read the French label.
CODED_COLUMNS = {"statut", "type_local", "stade", "origine", "nature"}


def _escaped(value: Any) -> Any:
    return html.escape(value) if isinstance(value, str) else value


SCORE_COLOURS = ("#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850")  # low → high


def scored_points(
    fmap: folium.Map, frame: gpd.GeoDataFrame, name: str, tooltip: dict[str, str], radius: int = 8
) -> None:
    """Points filled with the colour of their score (``couleur``), with a tooltip."""
    folium.GeoJson(
        tagged_geojson(frame, name),
        name=name,
        marker=folium.CircleMarker(radius=radius, weight=1, fill=True, fill_opacity=0.9),
        style_function=lambda f: {"color": "#333", "fillColor": f["properties"]["couleur"]},
        tooltip=folium.GeoJsonTooltip(fields=list(tooltip), aliases=list(tooltip.values())),
    ).add_to(fmap)


def score_colour(score: float) -> str:
    return SCORE_COLOURS[min(int(score * len(SCORE_COLOURS)), len(SCORE_COLOURS) - 1)]


def candidates_drawing(
    centre: dict[str, Any], others: list[dict[str, Any]], wished_communes: Any = None
) -> dict[str, Any]:
    """What a candidates page draws on its map (``chargerCandidats``, habillage-carte.js): a
    need (its wished zone: drawn area and wished communes, its reach and its point) or a
    premises, its candidates coloured by score, and the frame that holds them all."""
    zones = [z for z in (centre.get("zone_souhaitee"), wished_communes) if z is not None]
    zone = shapely.union_all(zones) if zones else None
    reach = centre.get("distance_max_m") if zone is None else None
    located = [c for c in others if c.get("geometry") is not None]
    point = centre.get("geometry")
    shapes = [g for g in [zone, point, *(c["geometry"] for c in located)] if g is not None]
    if point is not None and reach:
        shapes.append(_reach_box(point, reach))
    frame = None
    if shapes:
        minx, miny, maxx, maxy = shapely.GeometryCollection(shapes).bounds
        frame = [[miny, minx], [maxy, maxx]]
    return {
        "zone": feature(zone, {"nom": centre.get("intitule", "")}) if zone is not None else None,
        "candidats": {"type": "FeatureCollection", "features": [_scored(c) for c in located]},
        "champs": tooltip_fields(list(CANDIDATE_FIELDS), list(CANDIDATE_FIELDS.values())),
        "centre": [point.y, point.x] if point is not None else None,
        "portee": reach or None,
        "cadre": frame,
    }


def _scored(candidate: dict[str, Any]) -> dict[str, Any]:
    properties = {
        "couche": "Candidats",
        "rang": candidate["rank"],
        "nom": candidate.get("nom") or candidate.get("intitule"),
        "score": value_label(float(candidate["score"])),
        "couleur": score_colour(candidate["score"]),
    }
    return feature(candidate["geometry"], properties)


def candidates_map(assets: MapAssets, zone: bool, reach: bool) -> folium.Map:
    """The candidates pages' map, one per legend (drawn once): the page gives it its data."""
    return base_map(assets, candidate_legend(zone, reach))


def _reach_box(point: Any, reach_m: float) -> Any:
    """The box around the circle of the maximum distance, in degrees (the frame must hold
    the whole circle, not only its centre)."""
    dlat = reach_m / 111_320
    dlon = reach_m / (111_320 * math.cos(math.radians(point.y)))
    return shapely.box(point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat)


def candidate_legend(zone: bool, reach: bool) -> list[Sign]:
    """The studied record, its zone or its reach when drawn, the candidates' score colours."""
    return [
        Sign("#2166ac", "Fiche étudiée"),
        *([Sign("#2166ac", "Zone souhaitée", "surface")] if zone else []),
        *([Sign("#2166ac", "Distance maximale", "contour")] if reach else []),
        *(
            Sign(colour, f"Candidat, score de {value_label(i / 5)} à {value_label((i + 1) / 5)}")
            for i, colour in enumerate(SCORE_COLOURS)
        ),
    ]


CANDIDATE_FIELDS = {"rang": "Rang", "nom": "Fiche", "score": "Score"}
