"""Folium map builders. Leaflet comes from the app itself; tiles are a setting."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import shapely

from web.labels import value_label

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


def tile_source(tiles: str, attribution: str | None) -> tuple[str, str] | None:
    """URL template and attribution of the configured base tiles (None: no base map)."""
    if tiles == "aucun":
        return None
    url, known = TILES.get(tiles, (tiles, attribution))
    return url, known or attribution or tiles


def base_map(assets: MapAssets) -> folium.Map:
    """An empty map over the Métropole whose only scripts are the app's own Leaflet."""
    fmap = folium.Map(
        location=BORDEAUX, zoom_start=11, tiles=None, control_scale=True, zoom_snap=0.25
    )
    fmap.default_js = [("leaflet", assets.leaflet_js)]
    fmap.default_css = [("leaflet_css", assets.leaflet_css)]
    if assets.tiles != "aucun":
        url, attribution = TILES.get(assets.tiles, (assets.tiles, assets.tiles_attribution))
        folium.TileLayer(
            url, attr=attribution or assets.tiles, name="Fond de plan", max_zoom=19
        ).add_to(fmap)
    return fmap


def overview_map(layers: dict[str, gpd.GeoDataFrame], assets: MapAssets) -> folium.Map:
    """Communes, QPV, brownfields, premises and needs, each a layer the user can toggle."""
    fmap = base_map(assets)
    polygons_layer(
        fmap,
        layers["communes"],
        "Communes",
        ["nom", "code_insee"],
        ["Commune", "INSEE"],
        {"color": "#404040", "weight": 1, "fillOpacity": 0.02},
    )
    polygons_layer(
        fmap,
        layers["qpv"],
        "Quartiers prioritaires (QPV)",
        ["nom", "code_qp", "communes"],
        ["QPV", "Code", "Communes"],
        {"color": "#c51b7d", "weight": 1.5, "fillColor": "#de77ae", "fillOpacity": 0.35},
    )
    points_layer(
        fmap,
        layers["friches"],
        "Friches (Cartofriches)",
        ["nom", "statut", "surface_m2"],
        ["Friche", "Statut", "Surface (m²)"],
        colour="#8c510a",
        show=False,
    )
    points_layer(
        fmap,
        layers["locaux"],
        "Locaux",
        ["nom", "type_local", "surface_m2", "loyer_m2_an", "statut", "commune"],
        ["Local", "Type", "Surface (m²)", "Loyer (€/m²/an HT HC)", "Statut", "Commune"],
    )
    points_layer(
        fmap,
        layers["besoins"],
        "Besoins des acteurs",
        ["intitule", "acteur", "statut", "budget_loyer_m2_an", "commune"],
        ["Besoin", "Acteur", "Statut", "Budget (€/m²/an)", "Commune"],
        radius=4,
    )
    folium.LayerControl(collapsed=False).add_to(fmap)
    if not layers["communes"].empty:
        minx, miny, maxx, maxy = layers["communes"].total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


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


TOOLTIPS = {
    "premises": (
        ["nom", "type_local", "surface_m2", "loyer_m2_an", "statut"],
        ["Local", "Type", "Surface (m²)", "Loyer (€/m²/an HT HC)", "Statut"],
    ),
    "actors": (["nom", "filiere", "stade"], ["Acteur", "Filière", "Stade"]),
    "needs": (
        ["intitule", "statut", "surface_min_m2", "surface_max_m2"],
        ["Besoin", "Statut", "Surface min (m²)", "Surface max (m²)"],
    ),
}


def records_map(
    records: list[dict[str, Any]],
    kind: Any,
    assets: MapAssets,
    lists: dict[str, dict[str, str]] | None = None,
) -> folium.Map:
    """The records of a list or a detail page, as points (and needs' wished zones);
    ``lists`` names the codes of the database's lists (sectors) in the tooltips."""
    fmap = base_map(assets)
    located = [r for r in records if r.get("geometry") is not None]
    fields, aliases = TOOLTIPS[kind.name]
    if kind.zone is not None:
        zones = [r for r in located if r.get(kind.zone) is not None]
        if zones:
            polygons_layer(
                fmap,
                _frame(zones, fields, kind.zone),
                "Zones souhaitées",
                fields[:1],
                aliases[:1],
                {"color": "#2166ac", "weight": 1, "fillOpacity": 0.08},
            )
    frame = _frame(located, fields, "geometry")
    for column, lookup in (lists or {}).items():
        if column in frame.columns:
            frame[column] = frame[column].map(lambda v, known=lookup: known.get(v, v))
    if not frame.empty:
        points_layer(fmap, frame, kind.title, fields, aliases)
        minx, miny, maxx, maxy = frame.total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], max_zoom=15)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def _frame(records: list[dict[str, Any]], fields: list[str], geometry: str) -> gpd.GeoDataFrame:
    rows = [{**{f: _plain(r.get(f)) for f in fields}, "id": r["id"]} for r in records]
    return gpd.GeoDataFrame(rows, geometry=[r[geometry] for r in records], crs=4326)


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float | str | type(None)) else str(value)


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


def candidates_map(
    centre: dict[str, Any], others: list[dict[str, Any]], assets: MapAssets
) -> folium.Map:
    """A need (its wished zone, its reach and its point) or a premises, and its candidates
    coloured by score, framed together."""
    fmap = base_map(assets)
    zone = centre.get("zone_souhaitee")
    if zone is not None:
        frame = gpd.GeoDataFrame([{"nom": centre.get("intitule", "")}], geometry=[zone], crs=4326)
        style = {"color": "#2166ac", "weight": 2, "fillOpacity": 0.08}
        polygons_layer(fmap, frame, "Zone souhaitée", ["nom"], ["Besoin"], style)
    located = [c for c in others if c.get("geometry") is not None]
    if located:
        scored_points(fmap, _scored_frame(located), "Candidats", CANDIDATE_FIELDS)
    point = centre.get("geometry")
    if point is not None:
        _mark_centre(fmap, point, centre.get("distance_max_m") if zone is None else None)
    shapes = [g for g in [zone, point, *(c["geometry"] for c in located)] if g is not None]
    if shapes:
        minx, miny, maxx, maxy = shapely.GeometryCollection(shapes).bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], max_zoom=15)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


CANDIDATE_FIELDS = {"rang": "Rang", "nom": "Fiche", "score": "Score"}


def _scored_frame(located: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    rows = [
        {
            "nom": c.get("nom") or c.get("intitule"),
            "rang": c["rank"],
            "score": c["score"],
            "couleur": score_colour(c["score"]),
        }
        for c in located
    ]
    return gpd.GeoDataFrame(rows, geometry=[c["geometry"] for c in located], crs=4326)


def _mark_centre(fmap: folium.Map, point: Any, reach_m: float | None) -> None:
    """The record studied, and the circle of its maximum distance when it has one."""
    if reach_m:
        folium.Circle(
            [point.y, point.x],
            radius=reach_m,
            color="#2166ac",
            weight=1,
            fill=False,
            tooltip="Distance maximale",
        ).add_to(fmap)
    folium.CircleMarker(
        [point.y, point.x],
        radius=6,
        color="#000",
        fill=True,
        fill_color="#2166ac",
        tooltip="Fiche étudiée",
    ).add_to(fmap)
