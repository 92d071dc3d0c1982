"""The HTML side: blueprints, template helpers, and CSRF protection of every form."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from foncier.registry import KINDS
from web.labels import field_label, french_number, value_label
from web.maps import CREDITS, tile_source
from web.views import (
    committee,
    health,
    home,
    imports,
    learning,
    matching,
    observatory,
    proposals,
    scenarios,
)
from web.views.registry import registry_pages

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    csrf.init_app(app)
    for name, blueprint in app.blueprints.items():
        if name in (
            *KINDS,
            "appariements",
            "scenarios",
        ):  # the JSON API: no cookie session, no CSRF
            csrf.exempt(blueprint)
    app.register_blueprint(home.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(imports.bp)
    app.register_blueprint(matching.bp)
    app.register_blueprint(scenarios.bp)
    app.register_blueprint(committee.bp)
    app.register_blueprint(proposals.bp)
    app.register_blueprint(observatory.bp)
    app.register_blueprint(learning.bp)
    for kind in KINDS.values():
        app.register_blueprint(registry_pages(kind))
    app.jinja_env.globals.update(label=field_label, show=value_label)
    app.jinja_env.filters["nombre"] = french_number
    app.context_processor(lambda: _context(app))


def _context(app: Flask) -> dict[str, Any]:
    source = tile_source(app.config["TILES"], app.config.get("TILES_ATTRIBUTION"))
    return {
        "credits": CREDITS,
        "tiles_url": source[0] if source else "",
        "tiles_attribution": source[1] if source else "",
        "registres": [(f"pages_{k.name}", k.title, k.segment) for k in KINDS.values()],
    }
