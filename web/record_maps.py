"""Maps of the registries: a record's page draws its point inline; a list's map loads its
points from the list's GeoJSON endpoint (cacheable, drawn on a canvas), so that the page stays
light at registry scale (thousands of premises)."""

from __future__ import annotations

import json
from typing import Any

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from web.map_dressing import Sign
from web.maps import (
    NEED_STATUSES,
    PREMISES_STATUSES,
    STATUT_COLOURS,
    MapAssets,
    base_map,
    feature,
    points_layer,
    polygons_layer,
    status_signs,
    tooltip_value,
)

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
ZONE_LAYER = "Zones souhaitées"
ZONE_STYLE = {"color": "#2166ac", "weight": 1, "fillOpacity": 0.08}
OTHER_COLOUR = "#333"


def legend_of(kind: Any) -> list[Sign]:
    if kind.name == "premises":
        return status_signs(PREMISES_STATUSES, "Local")
    if kind.name == "needs":
        return [*status_signs(NEED_STATUSES, "Besoin"), Sign("#2166ac", ZONE_LAYER, "surface")]
    return [Sign(OTHER_COLOUR, "Acteur")]


def records_map(
    records: list[dict[str, Any]],
    kind: Any,
    assets: MapAssets,
    lists: dict[str, dict[str, str]] | None = None,
) -> folium.Map:
    """A record's page: its point (and a need's wished zone), framed; ``lists`` names the codes
    of the database's lists (sectors) in the tooltips."""
    fmap = base_map(assets, legend_of(kind))
    located = [r for r in records if r.get("geometry") is not None]
    fields, aliases = TOOLTIPS[kind.name]
    zones = [r for r in located if kind.zone is not None and r.get(kind.zone) is not None]
    if zones:
        frame = _frame(zones, fields, kind.zone)
        polygons_layer(fmap, frame, ZONE_LAYER, fields[:1], aliases[:1], ZONE_STYLE)
    frame = _frame(located, fields, "geometry")
    for column, lookup in (lists or {}).items():
        if column in frame.columns:
            frame[column] = frame[column].map(lambda v, known=lookup: known.get(v, v))
    if not frame.empty:
        points_layer(fmap, frame, kind.title, fields, aliases)
        shapes = gpd.GeoSeries([*frame.geometry, *(z[kind.zone] for z in zones)], crs=4326)
        minx, miny, maxx, maxy = shapes.total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]], max_zoom=15, padding=(20, 20))
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def _frame(records: list[dict[str, Any]], fields: list[str], geometry: str) -> gpd.GeoDataFrame:
    rows = [{**{f: _plain(r.get(f)) for f in fields}, "id": r["id"]} for r in records]
    return gpd.GeoDataFrame(rows, geometry=[r[geometry] for r in records], crs=4326)


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float | str | type(None)) else str(value)


class RemotePoints(MacroElement):
    """Loads the list's points with ``chargerPoints`` (habillage-carte.js); the promise it
    keeps on the map (``pointsCharges``) resolves once they are drawn."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.pointsCharges = chargerPoints("
        "{{ this._parent.get_name() }}, {{ this.options_json }});"
        "{% endmacro %}"
    )

    def __init__(self, url: str, fields: list[str], aliases: list[str]) -> None:
        super().__init__()
        self._name = "PointsDistants"
        options = {"url": url, "champs": [list(pair) for pair in zip(fields, aliases, strict=True)]}
        self.options_json = json.dumps(options, ensure_ascii=False).replace("</", "<\\/")


def list_map(kind: Any, assets: MapAssets, points_url: str) -> folium.Map:
    """A list's map: scale, legend, communes, and the points loaded from ``points_url``."""
    fmap = base_map(assets, legend_of(kind))
    fields, aliases = TOOLTIPS[kind.name]
    RemotePoints(points_url, fields, aliases).add_to(fmap)
    return fmap


def points_geojson(
    records: list[dict[str, Any]], kind: Any, lists: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """The located records as GeoJSON features named by their layer (``couche``), with the
    French labels of their codes (the page writes them as text, never as HTML) and the colour
    of their status; a need's wished zone is a feature of its own."""
    fields, _ = TOOLTIPS[kind.name]
    features = []
    for record in records:
        if record.get("geometry") is None:
            continue
        properties = {f: tooltip_value(f, record.get(f), lists) for f in fields}
        zone = record.get(kind.zone) if kind.zone else None
        if zone is not None:
            features.append(feature(zone, {"couche": ZONE_LAYER, **properties}))
        colour = STATUT_COLOURS.get(record.get("statut") or "", OTHER_COLOUR)
        properties |= {"couche": kind.title, "id": record["id"], "couleur": colour}
        features.append(feature(record["geometry"], properties))
    return {"type": "FeatureCollection", "features": features}
