"""The home map: communes and QPV drawn in the page, brownfields, premises and needs loaded
apart from it (at registry scale they weigh megabytes)."""

from __future__ import annotations

import json
from typing import Any

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from web.maps import (
    OVERVIEW_LEGEND,
    STATUT_COLOURS,
    MapAssets,
    base_map,
    feature,
    polygons_layer,
    tooltip_fields,
    tooltip_value,
)

# The home map's points, loaded apart from the page: layer → (its frame in
# :data:`foncier.overview.LAYERS`, tooltip fields and their labels, radius, shown at first).
HOME_POINTS: dict[str, tuple[str, list[str], list[str], int, bool]] = {
    "Friches (Cartofriches)": (
        "friches",
        ["nom", "statut", "surface_m2"],
        ["Friche", "Statut", "Surface (m²)"],
        5,
        False,
    ),
    "Locaux": (
        "locaux",
        ["nom", "type_local", "surface_m2", "loyer_m2_an", "statut", "commune"],
        ["Local", "Type", "Surface (m²)", "Loyer (€/m²/an HT HC)", "Statut", "Commune"],
        5,
        True,
    ),
    "Besoins des acteurs": (
        "besoins",
        ["intitule", "acteur", "statut", "budget_loyer_m2_an", "commune"],
        ["Besoin", "Acteur", "Statut", "Budget (€/m²/an)", "Commune"],
        4,
        True,
    ),
}
FRICHE_COLOUR = "#8c510a"


class RemoteLayers(MacroElement):
    """Loads the home map's points with ``chargerCouches`` (habillage-carte.js), one canvas
    layer each, listed in the map's layer control; ``pointsCharges`` resolves once drawn."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.pointsCharges = chargerCouches("
        "{{ this._parent.get_name() }}, {{ this.control.get_name() }}, {{ this.options_json }});"
        "{% endmacro %}"
    )

    def __init__(self, url: str, control: folium.LayerControl) -> None:
        super().__init__()
        self._name = "CouchesDistantes"
        self.control = control
        layers = [
            {
                "nom": name,
                "champs": tooltip_fields(fields, aliases),
                "rayon": radius,
                "visible": shown,
            }
            for name, (_, fields, aliases, radius, shown) in HOME_POINTS.items()
        ]
        options = {"url": url, "couches": layers}
        self.options_json = json.dumps(options, ensure_ascii=False).replace("</", "<\\/")


def overview_map(
    layers: dict[str, gpd.GeoDataFrame], assets: MapAssets, points_url: str
) -> folium.Map:
    """Communes and QPV drawn in the page; brownfields, premises and needs loaded from
    ``points_url``; each a layer the user can toggle."""
    fmap = base_map(assets, OVERVIEW_LEGEND, communes=False)
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
    control = folium.LayerControl(collapsed=False)
    control.add_to(fmap)
    RemoteLayers(points_url, control).add_to(fmap)
    if not layers["communes"].empty:
        minx, miny, maxx, maxy = layers["communes"].total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def overview_points(layers: dict[str, gpd.GeoDataFrame]) -> dict[str, Any]:
    """The home map's points as GeoJSON features named by their layer (``couche``), with
    their tooltip's values as French text and their colour."""
    features = []
    for name, (frame_name, fields, _, _, _) in HOME_POINTS.items():
        frame = layers[frame_name]
        for row in frame.to_dict("records"):
            properties = {f: tooltip_value(f, row.get(f), {}) for f in fields}
            colour = (
                FRICHE_COLOUR
                if frame_name == "friches"
                else STATUT_COLOURS.get(row.get("statut") or "", "#333")
            )
            properties |= {"couche": name, "couleur": colour}
            features.append(feature(row["geom"], properties))
    return {"type": "FeatureCollection", "features": features}
