"""Leaflet served by the app itself (from the XStatic-Leaflet package): maps work offline."""

from __future__ import annotations

from flask import Blueprint, Flask, url_for
from xstatic.pkg import leaflet

bp = Blueprint(
    "vendor", __name__, static_folder=leaflet.BASE_DIR, static_url_path="/vendor/leaflet"
)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def leaflet_assets() -> tuple[str, str]:
    """URLs of leaflet.js and leaflet.css (call inside a request)."""
    return (
        url_for("vendor.static", filename="leaflet.js"),
        url_for("vendor.static", filename="leaflet.css"),
    )
