"""Maps of the registries: a record's page gives its map its point inline; a list's map loads
its points from the list's GeoJSON endpoint (cacheable), so that the page stays light at
registry scale (thousands of premises). Both are drawn on a canvas by ``chargerPoints``."""

from __future__ import annotations

import json
from typing import Any

import folium
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
    status_signs,
    tooltip_fields,
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
OTHER_COLOUR = "#333"


def legend_of(kind: Any) -> list[Sign]:
    if kind.name == "premises":
        return status_signs(PREMISES_STATUSES, "Local")
    if kind.name == "needs":
        return [*status_signs(NEED_STATUSES, "Besoin"), Sign("#2166ac", ZONE_LAYER, "surface")]
    return [Sign(OTHER_COLOUR, "Acteur")]


def record_map(kind: Any, assets: MapAssets) -> folium.Map:
    """A record's map: scale, legend and communes, the same for every record of a kind (drawn
    once); the page gives it the record's features (:func:`record_points`)."""
    return base_map(assets, legend_of(kind))


def record_points(
    record: dict[str, Any], kind: Any, lists: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """What a record's page draws on its map: its point and a need's wished zone, with their
    tooltips, as ``chargerPoints`` draws a list's (framed on them)."""
    fields, aliases = TOOLTIPS[kind.name]
    return {
        "donnees": points_geojson([record], kind, lists),
        "champs": tooltip_fields(fields, aliases),
        "rayon": 8,  # one point to find, not thousands to tell apart
    }


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
        options = {"url": url, "champs": tooltip_fields(fields, aliases)}
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
