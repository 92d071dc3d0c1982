"""JSON API /api/v1: premises, actors and needs, described by OpenAPI from their schemas."""

from __future__ import annotations

import marshmallow as ma
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from flask_smorest import Api

from foncier.registry import KINDS
from foncier.schemas.fields import Geometry
from web.api import matching, problems, scenarios
from web.api.problems import ProblemSchema
from web.api.registry import registry_blueprint

SPEC = {
    "API_TITLE": "Foncière solidaire — Bordeaux Métropole",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "Locaux, acteurs ESS et besoins. Géométries GeoJSON en WGS84 "
            "(RFC 7946) ; erreurs en application/problem+json (RFC 9457). Chaque appel "
            "porte un jeton (foncier users token EMAIL) : Authorization: Bearer <jeton>."
        },
        "components": {
            "securitySchemes": {"jeton": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"jeton": []}],
    },
}


class FoncierApi(Api):
    """flask-smorest, with errors left to the product's one handler (problem+json)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        pass


def schema_name(schema: type[ma.Schema] | ma.Schema) -> str:
    """OpenAPI names: Local, and LocalModification for the partial schema of PATCH."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type) and schema.partial:
        name += "Modification"
    return name


def init_app(app: Flask) -> None:
    for key, value in SPEC.items():
        app.config.setdefault(key, value)
    plugin = MarshmallowPlugin(schema_name_resolver=schema_name)
    api = FoncierApi(app, spec_kwargs={"marshmallow_plugin": plugin})
    api.ma_plugin.map_to_openapi_type(Geometry, "object", None)
    for kind in KINDS.values():
        api.register_blueprint(registry_blueprint(kind))
    api.register_blueprint(matching.blp)
    api.register_blueprint(scenarios.blp)
    api.register_blueprint(problems.blp)
