"""Thin Flask adapter: pages, JSON API, maps and the command line over the `foncier` domain."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask

from foncier import limits
from foncier.geocoding import DEFAULT_BASE_URL
from web.auth import SESSION_DEFAULTS

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: DATABASE_URL from the environment, else the embedded PostGIS
    "TILES": "osm-fr",  # osm-fr, ign-plan, aucun, or a URL template {z}/{x}/{y}
    "TILES_ATTRIBUTION": None,  # required with a custom URL template
    "JSON_SORT_KEYS": False,
    "MAX_CONTENT_LENGTH": limits.MAX_UPLOAD_BYTES,  # a spreadsheet, not a database dump
    # Uploaded files are parsed in parser processes, within this memory and this time.
    "PARSE_MEMORY_BYTES": limits.MAX_PARSE_MEMORY_BYTES,
    "PARSE_TIMEOUT_S": limits.PARSE_TIMEOUT_S,
    # A request never waits longer on PostgreSQL: a 503 the user can retry beats a hang.
    "STATEMENT_TIMEOUT_S": 30,
    "UPLOAD_DIR": None,  # None: the instance folder's imports/
    # Base Adresse Nationale; "aucun" keeps records with only an address as "à géocoder".
    "GEOCODER_URL": DEFAULT_BASE_URL,
    **SESSION_DEFAULTS,  # session cookie: HttpOnly, SameSite=Lax, 8 hours; rate-limit store
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: reads settings, connects to nothing until a request needs it."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("FONCIER")
    for key in ("SECRET_KEY", "DATABASE_URL"):
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        # Without SECRET_KEY, sessions last as long as the process: fine locally, not in production.
        app.config["SECRET_KEY"] = secrets.token_hex(32)

    from web import api, auth, errors, pages, store, vendor

    store.init_app(app)
    api.init_app(app)
    errors.init_app(app)
    vendor.init_app(app)
    auth.init_app(app)
    pages.init_app(app)
    return app
