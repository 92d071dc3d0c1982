"""Home page: counts and the map of communes, QPV, premises and needs."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any, cast

import folium
from branca.element import Figure
from flask import Blueprint, current_app, redirect, render_template, url_for
from sqlalchemy import text
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from foncier.overview import COUNTS, layers
from web import store
from web.auth.headers import with_nonce
from web.home_map import HOME_POINTS, overview_map, overview_points
from web.kept import cached, geojson_response
from web.maps import SOURCES, MapAssets
from web.vendor import leaflet_assets

bp = Blueprint("home", __name__)

# Outlines only: a 20 m simplification is invisible at the scale of a commune.
COMMUNES = text(
    "SELECT code_insee, nom, ST_AsGeoJSON(ST_Transform("
    "ST_SimplifyPreserveTopology(geom, 20), 4326), 5) AS geom FROM communes ORDER BY code_insee"
)


def map_assets() -> MapAssets:
    js, css = leaflet_assets()
    config = current_app.config
    return MapAssets(
        js,
        css,
        config["TILES"],
        config.get("TILES_ATTRIBUTION"),
        dressing_js=url_for("static", filename="habillage-carte.js"),
        communes_url=url_for("home.communes"),
    )


def map_parts(fmap: folium.Map) -> dict[str, str]:
    """A Folium map split to sit in our page: its header links, its div, its script."""
    return with_header_nonce(raw_map_parts(fmap))


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


def with_header_nonce(parts: dict[str, str]) -> dict[str, str]:
    return {**parts, "map_header": with_nonce(parts["map_header"])}


def kept_map_parts(
    session: Session, key: Hashable, draw: Callable[[], folium.Map]
) -> dict[str, str]:
    """A map's parts drawn once per version of the data (Folium takes 10 ms and more)."""
    return with_header_nonce(cached(session, ("carte", key), lambda: raw_map_parts(draw())))


@bp.get("/")
def index() -> str:
    session = store.session()
    assets = map_assets()
    # The map is the same for every reader until the data change: drawn once per version.
    points = url_for("home.points")
    parts = kept_map_parts(
        session,
        ("accueil", assets),
        lambda: overview_map(layers(session, ("communes", "qpv")), assets, points),
    )
    counts = cached(
        session, "comptes", lambda: dict(session.execute(text(COUNTS)).mappings().one())
    )
    return render_template("accueil.html", counts=counts, **parts)


@bp.get("/carte/accueil.geojson")
def points() -> Response:
    """The home map's brownfields, premises and needs, apart from the page (at registry scale
    they weigh megabytes): computed once per data version, revalidated with an ETag."""
    session = store.session()
    frames = [frame for frame, *_ in HOME_POINTS.values()]
    return geojson_response(session, "accueil", lambda: overview_points(layers(session, frames)))


@bp.get("/carte/communes.geojson")
def communes() -> Response:
    session = store.session()
    return geojson_response(session, "communes", lambda: _communes(session))


def _communes(session: Any) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(row.geom),
            "properties": {"nom": row.nom, "code_insee": row.code_insee},
        }
        for row in session.execute(COMMUNES)
    ]
    return {"type": "FeatureCollection", "features": features}


@bp.get("/a-propos")
def about() -> str:
    sources = [{"couche": layer, "credit": credit} for layer, credit in SOURCES]
    return render_template("a_propos.html", sources=sources)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page links: send them to the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), 301)
