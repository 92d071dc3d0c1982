"""The observatory's map: unmet m² by commune (choropleth), the QPV, the premises available."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np

from foncier.observatory.geography import DemandMap
from web.map_dressing import Sign
from web.maps import MapAssets, base_map, points_layer, polygons_layer, tagged_geojson

# Light to dark: more m² demanded and not served. Communes with no open need stay grey.
CLASSES = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NONE = "#f0f0f0"
UNMET_LAYER = "Surface demandée non servie"


def class_bounds(values: np.ndarray, classes: int = len(CLASSES)) -> list[float]:
    """Upper bounds of the classes: quantiles of the communes that have some demand."""
    positive = values[values > 0]
    if not len(positive):
        return []
    return [float(np.quantile(positive, (i + 1) / classes)) for i in range(classes)]


def colour_of(value: float, bounds: list[float]) -> str:
    if value <= 0 or not bounds:
        return NONE
    index = int(np.searchsorted(np.asarray(bounds), value, side="left"))
    return CLASSES[min(index, len(CLASSES) - 1)]


def demand_map_view(
    layers: DemandMap, assets: MapAssets
) -> tuple[folium.Map, list[tuple[str, str]]]:
    """The map and its legend (colour, French label of the class)."""
    communes = layers.communes.copy()
    bounds = class_bounds(communes["unmet_m2"].to_numpy(float))
    legend = [Sign(colour, text, "surface") for colour, text in _legend(bounds)]
    legend += [Sign("#c51b7d", "Quartier prioritaire (QPV)", "contour")]
    legend += [Sign("#1b7837", "Local disponible")]
    # The choropleth draws the communes: no outlines on top of it.
    fmap = base_map(assets, legend, communes=False)
    communes["couleur"] = [colour_of(float(v), bounds) for v in communes["unmet_m2"]]
    communes["unmet_m2"] = communes["unmet_m2"].round(0)
    communes["available_m2"] = communes["available_m2"].round(0)
    _choropleth(fmap, communes)
    polygons_layer(
        fmap,
        layers.qpv,
        "Quartiers prioritaires (QPV)",
        ["nom", "code_qp"],
        ["QPV", "Code"],
        {"color": "#c51b7d", "weight": 2, "fill": False, "dashArray": "4 3"},
    )
    points_layer(
        fmap,
        gpd.GeoDataFrame(layers.premises),
        "Locaux disponibles",
        ["nom", "type_local", "surface_m2", "loyer_m2_an"],
        ["Local", "Type", "Surface (m²)", "Loyer (€/m²/an HT HC)"],
        colour="#1b7837",
        radius=4,
    )
    folium.LayerControl(collapsed=False).add_to(fmap)
    if not communes.empty:
        minx, miny, maxx, maxy = communes.total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap, _legend(bounds)


def _choropleth(fmap: folium.Map, communes: gpd.GeoDataFrame) -> None:
    fields = ["nom", "needs", "unmet_m2", "premises", "available_m2"]
    aliases = ["Commune", "Besoins ouverts", "m² demandés", "Locaux disponibles", "m² disponibles"]
    folium.GeoJson(
        tagged_geojson(communes, UNMET_LAYER),
        name=UNMET_LAYER,
        style_function=lambda f: {
            "color": "#404040",
            "weight": 1,
            "fillColor": f["properties"]["couleur"],
            "fillOpacity": 0.75,
        },
        highlight_function=lambda _feature: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
    ).add_to(fmap)


def _legend(bounds: list[float]) -> list[tuple[str, str]]:
    legend = [(NONE, "aucun besoin ouvert")]
    low = 0.0
    for colour, high in zip(CLASSES, bounds, strict=False):
        legend.append((colour, f"{_m2(low)} à {_m2(high)}"))
        low = high
    return legend


def _m2(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") + " m²"
