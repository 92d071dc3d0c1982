"""One blueprint per registry, built by the same code for premises, actors and needs."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields

from foncier import registry
from foncier.registry import Kind
from foncier.registry.filters import MAX_PAGE_SIZE, Page
from foncier.schemas.fields import FrenchSchema, choices, integer
from foncier.schemas.filters import FILTERS
from web import store
from web.api.problems import PROBLEM, ProblemSchema
from web.context import acting_user, geocoder
from web.downloads import EXPORT_FORMATS, export_response
from web.listing import kept_search


class VersionArgs(FrenchSchema):
    version = integer(1, required=True, metadata={"description": "Version lue de la fiche"})


class HistorySchema(ma.Schema):
    action = ma.fields.String()
    utilisateur = ma.fields.String()
    horodatage = ma.fields.DateTime()
    champs = ma.fields.Dict(metadata={"description": "champ → {avant, apres}"})


def _body(schema: ma.Schema) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _problems(*codes: int) -> dict[str, Any]:
    return {
        "responses": {
            str(code): {"description": "Problème", "content": {PROBLEM: {"schema": ProblemSchema}}}
            for code in codes
        }
    }


def registry_blueprint(kind: Kind) -> Blueprint:
    """The routes of one registry: list, export, record, history."""
    blp = Blueprint(
        kind.name,
        f"{__name__}.{kind.name}",
        url_prefix=f"/api/v1/{kind.name}",
        description=f"{kind.title} : liste filtrée, fiche, création, modification "
        "avec version (409 si elle a changé), retrait.",
    )
    for add_routes in (_collection, _export, _item, _history):
        add_routes(blp, kind)
    return blp


def _collection(blp: Blueprint, kind: Kind) -> None:
    schema = kind.schema

    @blp.route("")
    class Collection(MethodView):
        @blp.arguments(FILTERS[kind.name], location="query")
        @blp.response(200, schema(many=True))
        @blp.paginate(page_size=50, max_page_size=MAX_PAGE_SIZE)
        @blp.doc(**_problems(422))
        def get(self, filters: dict[str, Any], pagination_parameters: Any) -> Any:
            page = Page(pagination_parameters.page, pagination_parameters.page_size)
            total, items = kept_search(store.session(), kind, filters, page)
            pagination_parameters.item_count = total
            return items

        @blp.doc(requestBody=_body(schema()), **_problems(409, 422))
        @blp.response(201, schema)
        def post(self) -> Any:
            payload = request.get_json(silent=True)
            return registry.create(store.session(), kind, payload, acting_user("api"), geocoder())


def _export(blp: Blueprint, kind: Kind) -> None:
    export_format = fields.String(
        load_default="geojson",
        validate=choices(list(EXPORT_FORMATS)),
        metadata={"description": "Format du fichier"},
    )
    export_args = type(
        f"{kind.name.title()}Export", (FILTERS[kind.name],), {"format": export_format}
    )

    @blp.route("/export")
    class Export(MethodView):
        @blp.arguments(export_args, location="query")
        @blp.response(
            200,
            description="Le fichier de la liste filtrée",
            content_type="application/octet-stream",
        )
        @blp.doc(**_problems(422))
        def get(self, args: dict[str, Any]) -> Any:
            extension = args.pop("format")
            return export_response(kind, extension, args)


def _item(blp: Blueprint, kind: Kind) -> None:
    schema = kind.schema

    @blp.route("/<int:record_id>")
    class Item(MethodView):
        @blp.response(200, schema)
        @blp.doc(**_problems(404))
        def get(self, record_id: int) -> Any:
            return registry.get(store.session(), kind, record_id)

        @blp.doc(requestBody=_body(schema(partial=True)), **_problems(404, 409, 422))
        @blp.response(200, schema)
        def patch(self, record_id: int) -> Any:
            payload = request.get_json(silent=True)
            return registry.update(
                store.session(), kind, record_id, payload, acting_user("api"), geocoder()
            )

        @blp.arguments(VersionArgs, location="query")
        @blp.response(200, schema)
        @blp.doc(**_problems(404, 409, 422))
        def delete(self, args: dict[str, Any], record_id: int) -> Any:
            return registry.withdraw(
                store.session(), kind, record_id, args["version"], acting_user("api")
            )


def _history(blp: Blueprint, kind: Kind) -> None:
    @blp.route("/<int:record_id>/history")
    class History(MethodView):
        @blp.response(200, HistorySchema(many=True))
        @blp.doc(**_problems(404))
        def get(self, record_id: int) -> Any:
            return registry.history(store.session(), kind, record_id)
