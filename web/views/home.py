"""Home page: counts and the map of communes, QPV, premises and needs."""

from __future__ import annotations

from typing import cast

import folium
from branca.element import Figure
from flask import Blueprint, current_app, render_template

from foncier.overview import overview
from web import store
from web.auth.headers import with_nonce
from web.maps import SOURCES, MapAssets, overview_map
from web.vendor import leaflet_assets

bp = Blueprint("home", __name__)


def map_assets() -> MapAssets:
    js, css = leaflet_assets()
    config = current_app.config
    return MapAssets(js, css, config["TILES"], config.get("TILES_ATTRIBUTION"))


def map_parts(fmap: folium.Map) -> dict[str, str]:
    """A Folium map split to sit in our page: its header links, its div, its script."""
    parts = raw_map_parts(fmap)
    return parts | {"map_header": with_nonce(parts["map_header"])}


def raw_map_parts(fmap: folium.Map) -> dict[str, str]:
    """The same, the header without this request's nonce (to keep across requests)."""
    root = cast(Figure, fmap.get_root())
    root.render()
    return {
        "map_header": root.header.render(),
        "map_html": root.html.render(),
        "map_script": root.script.render(),
        "map_name": fmap.get_name(),
    }


@bp.get("/")
def index() -> str:
    view = overview(store.session())
    return render_template(
        "accueil.html", counts=view.counts, **map_parts(overview_map(view.layers, map_assets()))
    )


@bp.get("/a-propos")
def about() -> str:
    sources = [{"couche": layer, "credit": credit} for layer, credit in SOURCES]
    return render_template("a_propos.html", sources=sources)
