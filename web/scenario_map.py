"""The Folium map of an operation: its perimeter, its lots and the needs they would serve."""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
from shapely.geometry import LineString, Point

from foncier.scenarios.document import lot_position
from foncier.scenarios.labels import use_label
from web.map_dressing import Sign
from web.maps import (
    SCORE_COLOURS,
    MapAssets,
    base_map,
    points_layer,
    polygons_layer,
    score_colour,
    scored_points,
    tagged_geojson,
)


def operation_map(
    document: dict[str, Any], result: dict[str, Any], assets: MapAssets
) -> folium.Map:
    """Perimeter, lots (ESS m², capped price or rent) and served needs linked to their lot,
    from a validated document (shapely geometries in WGS84)."""
    fmap = base_map(assets, LEGEND)
    perimeter = document["perimeter"]
    frame = gpd.GeoDataFrame([{"nom": document["name"]}], geometry=[perimeter], crs=4326)
    polygons_layer(
        fmap,
        frame,
        "Périmètre",
        ["nom"],
        ["Opération"],
        {"color": "#7a0177", "weight": 3, "fillOpacity": 0.06},
    )
    lots = _lots(document, result)
    if not lots.empty:
        points_layer(
            fmap,
            lots,
            "Lots",
            ["ref", "usage", "sdp_ess", "prix_ess"],
            ["Lot", "Usage", "SDP ESS", "Prix ou loyer ESS"],
            colour="#7a0177",
            radius=9,
        )
    served = result["coverage"]["served"]
    if served:
        where = {row["ref"]: row.geometry for _, row in lots.iterrows()}
        _served(fmap, served, where)
    minx, miny, maxx, maxy = gpd.GeoSeries(
        [perimeter, *_needs_points(served)], crs=4326
    ).total_bounds
    fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(20, 20))
    return fmap


LEGEND = [
    Sign("#7a0177", "Périmètre de l'opération", "contour"),
    Sign("#7a0177", "Lot"),
    Sign(SCORE_COLOURS[-1], "Besoin servi (couleur du score)"),
    Sign(SCORE_COLOURS[0], "Lien besoin → lot", "ligne"),
]


def _lots(document: dict[str, Any], result: dict[str, Any]) -> gpd.GeoDataFrame:
    figures = {lot["ref"]: lot for lot in result["lots"]}
    rows, points = [], []
    for lot in document["lots"]:
        figure = figures[lot["ref"]]
        rows.append(
            {
                "ref": lot["ref"],
                "usage": use_label(lot["use"]),
                "sdp_ess": f"{figure['ess_sdp_m2']:.0f} m²",
                "prix_ess": _price(figure),
            }
        )
        points.append(lot_position(lot, document["perimeter"]))
    return gpd.GeoDataFrame(rows, geometry=points, crs=4326)


def _price(figure: dict[str, Any]) -> str:
    if figure.get("ess_rent_eur_m2_year") is not None:
        return f"{figure['ess_rent_eur_m2_year']:.0f} €/m²/an"
    if figure.get("ess_price_eur_m2") is not None:
        return f"{figure['ess_price_eur_m2']:.0f} €/m²"
    return "—"


def _needs_points(served: list[dict[str, Any]]) -> list[Point]:
    return [Point(s["need_lon"], s["need_lat"]) for s in served]


def _served(fmap: folium.Map, served: list[dict[str, Any]], lots: dict[str, Any]) -> None:
    rows = [
        {
            "besoin": s["need_ref"],
            "local": s["premises_ref"],
            "filiere": s["sector"],
            "surface": f"{s['area_m2']:.0f} m²",
            "score": round(s["score"], 2),
            "couleur": score_colour(s["score"]),
        }
        for s in served
    ]
    needs = gpd.GeoDataFrame(rows, geometry=_needs_points(served), crs=4326)
    links = gpd.GeoDataFrame(
        rows,
        geometry=[
            LineString([p, lots[s["lot_ref"]]]) for p, s in zip(needs.geometry, served, strict=True)
        ],
        crs=4326,
    )
    folium.GeoJson(
        tagged_geojson(links, "Liens"),
        name="Liens",
        style_function=lambda f: {"color": f["properties"]["couleur"], "weight": 2, "opacity": 0.7},
    ).add_to(fmap)
    tooltip = {
        "besoin": "Besoin",
        "filiere": "Filière",
        "local": "Local ESS",
        "surface": "Surface",
        "score": "Score",
    }
    scored_points(fmap, needs, "Besoins servis", tooltip, radius=6)
    folium.LayerControl(collapsed=True).add_to(fmap)
