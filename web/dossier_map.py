"""The dossier's Folium map: premises by status (clustered), needs' wished zones, lines from
each premises to its candidates coloured by rank, QPV, communes, brownfields, operations and
the unmet ESS demand by commune; a layer control, a legend, popups with each score's
breakdown. Every text a user typed is escaped here, before it reaches a popup."""

from __future__ import annotations

import html
from typing import Any

import folium
import geopandas as gpd
from folium.plugins import MarkerCluster

from web.labels import value_label
from web.map_dressing import Sign
from web.maps import STATUT_COLOURS, MapAssets, base_map, polygons_layer, tagged_geojson

RANK_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")  # rank 1, 2, 3, 4, 5+
DEMAND_COLOURS = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704")
STATUS_LABELS = {
    "disponible": "disponible",
    "sous_option": "sous option",
    "reserve": "réservé",
    "occupe": "occupé",
    "retire": "retiré",
}


def rank_colour(rank: int) -> str:
    return RANK_COLOURS[min(rank, len(RANK_COLOURS)) - 1]


def dossier_map(layers: dict[str, Any], assets: MapAssets) -> folium.Map:
    # The dossier draws its communes; clustering needs the map's zoom range.
    fmap = base_map(assets, _legend(), communes=False, min_zoom=8)
    _demand(fmap, layers["demande"])
    polygons_layer(
        fmap, layers["communes"], "Communes", ["nom", "code_insee"], ["Commune", "INSEE"],
        {"color": "#404040", "weight": 1, "fillOpacity": 0.0},
    )  # fmt: skip
    polygons_layer(
        fmap, layers["qpv"], "Quartiers prioritaires (QPV)", ["nom", "code_qp"], ["QPV", "Code"],
        {"color": "#c51b7d", "weight": 1.5, "fillColor": "#de77ae", "fillOpacity": 0.3},
    )  # fmt: skip
    _operations(fmap, layers["operations"])
    _friches(fmap, layers["friches"])
    _zones(fmap, layers["zones"])
    _pairs(fmap, layers["paires"])
    _premises(fmap, layers["locaux"], layers["paires"])
    folium.LayerControl(collapsed=False).add_to(fmap)
    communes = layers["communes"]
    if not communes.empty:
        minx, miny, maxx, maxy = communes.total_bounds
        fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def _demand(fmap: folium.Map, frame: gpd.GeoDataFrame) -> None:
    """A choropleth drawn with our own colours (Folium's Choropleth legend needs d3 online)."""
    top = max(int(frame["besoins"].max() or 0), 1) if not frame.empty else 1
    folium.GeoJson(
        tagged_geojson(frame, "Demande ESS non satisfaite"),
        name="Demande ESS non satisfaite (besoins ouverts par commune)",
        style_function=lambda f: {
            "color": "#7f2704",
            "weight": 0.5,
            "fillOpacity": 0.55,
            "fillColor": DEMAND_COLOURS[
                min(int(f["properties"]["besoins"] * len(DEMAND_COLOURS) / (top + 1)), 4)
            ],
        },
        tooltip=folium.GeoJsonTooltip(["nom", "besoins"], ["Commune", "Besoins ouverts"]),
    ).add_to(fmap)


def _operations(fmap: folium.Map, frame: gpd.GeoDataFrame) -> None:
    """Operations' perimeters; the layer is listed even when none is registered yet."""
    folium.GeoJson(
        tagged_geojson(frame, "Opérations"),
        name="Opérations d'aménagement",
        style_function=lambda _f: {"color": "#35978f", "weight": 2, "fillOpacity": 0.1},
        tooltip=folium.GeoJsonTooltip(["nom", "ref"], ["Opération", "Réf."])
        if not frame.empty
        else None,
    ).add_to(fmap)


def _friches(fmap: folium.Map, frame: gpd.GeoDataFrame) -> None:
    folium.GeoJson(
        tagged_geojson(frame, "Friches"),
        name="Friches (Cartofriches)",
        marker=folium.CircleMarker(radius=3, weight=1, fill=True, fill_opacity=0.8),
        style_function=lambda _f: {"color": "#8c510a", "fillColor": "#bf812d"},
        tooltip=folium.GeoJsonTooltip(["nom"], ["Friche"]),
    ).add_to(fmap)


def _zones(fmap: folium.Map, frame: gpd.GeoDataFrame) -> None:
    polygons_layer(
        fmap, frame.dropna(subset=["geometry"]), "Zones souhaitées des besoins",
        ["intitule", "ref"], ["Besoin", "Réf."],
        {"color": "#2166ac", "weight": 1.5, "dashArray": "4", "fillOpacity": 0.06},
    )  # fmt: skip


def _pairs(fmap: folium.Map, pairs: list[dict[str, Any]]) -> None:
    if not pairs:
        return
    frame = gpd.GeoDataFrame(
        [{"rang": p["line"]["rang"], "detail": score_card(p)} for p in pairs],
        geometry=[p["geometry"] for p in pairs],
        crs=4326,
    )
    folium.GeoJson(
        frame.assign(couche="Candidats").to_json(na="null", drop_id=True),
        name="Candidats par rang (lignes local → besoin)",
        style_function=lambda f: {"color": rank_colour(f["properties"]["rang"]), "weight": 3},
        popup=folium.GeoJsonPopup(["detail"], labels=False),
    ).add_to(fmap)


def _premises(
    fmap: folium.Map, premises: list[dict[str, Any]], pairs: list[dict[str, Any]]
) -> None:
    cards: dict[int, list[str]] = {}
    for pair in pairs:
        cards.setdefault(pair["local"]["id"], []).append(score_card(pair))
    for status, label in STATUS_LABELS.items():
        chosen = [p for p in premises if p["statut"] == status and p.get("geometry") is not None]
        if not chosen:
            continue
        cluster = MarkerCluster(name=f"Locaux — {label}")
        cluster.default_js, cluster.default_css = [], []  # inlined by the dossier itself
        cluster.add_to(fmap)
        frame = gpd.GeoDataFrame(
            [
                {"statut": status, "detail": _premises_card(p, cards.get(p["id"], []))}
                for p in chosen
            ],
            geometry=[p["geometry"] for p in chosen],
            crs=4326,
        )
        folium.GeoJson(
            frame.assign(couche="Locaux").to_json(na="null", drop_id=True),
            marker=folium.CircleMarker(radius=7, weight=1, fill=True, fill_opacity=0.9),
            style_function=lambda f: {
                "color": "#222",
                "fillColor": STATUT_COLOURS.get(f["properties"]["statut"], "#333"),
            },
            popup=folium.GeoJsonPopup(["detail"], labels=False),
        ).add_to(cluster)


def _premises_card(premises: dict[str, Any], cards: list[str]) -> str:
    e = html.escape
    head = (
        f"<strong>{e(str(premises['nom']))}</strong> ({e(str(premises['ref']))})<br>"
        f"{value_label(premises['surface_m2'])} m², statut "
        f"{e(STATUS_LABELS.get(premises['statut'], premises['statut']))}"
    )
    return head + "".join(cards)


def score_card(pair: dict[str, Any]) -> str:
    """One pair's score and each criterion's contribution, as escaped HTML."""
    e = html.escape
    line, need = pair["line"], pair["need"]
    actor = line["besoin"]["acteur"]
    rows = "".join(
        f"<tr><td>{e(c['label'])}</td><td>{value_label(round(c['contribution'], 3))}</td></tr>"
        for c in line["criteres"].values()
    )
    return (
        f"<div class='carte-score'><strong>Rang {line['rang']} — {e(actor['nom'])}</strong><br>"
        f"{e(str(need['intitule']))} ({e(str(need['ref']))})<br>"
        f"Score {value_label(round(line['score'], 3))}, complétude "
        f"{value_label(round(line['completude'] * 100, 0))} %"
        f"<table><tr><th>Critère</th><th>Contribution</th></tr>{rows}</table></div>"
    )


def _legend() -> list[Sign]:
    statuses = [Sign(STATUT_COLOURS[s], f"Local {label}") for s, label in STATUS_LABELS.items()]
    ranks = [
        Sign(c, f"Candidat rang {i + 1}{' et plus' if i == 4 else ''}", "ligne")
        for i, c in enumerate(RANK_COLOURS)
    ]
    demand = [
        Sign(DEMAND_COLOURS[1], "Commune : peu de besoins ouverts", "surface"),
        Sign(DEMAND_COLOURS[-1], "Commune : beaucoup de besoins ouverts", "surface"),
    ]
    others = [
        Sign("#404040", "Commune", "contour"),
        Sign("#c51b7d", "Quartier prioritaire (QPV)", "surface"),
        Sign("#2166ac", "Zone souhaitée d'un besoin", "contour"),
        Sign("#8c510a", "Friche"),
    ]
    return statuses + ranks + demand + others
