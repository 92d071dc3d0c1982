"""Price-cap scenarios through the API: compute, sweep, save, copy, edit, adopt, compare."""

from __future__ import annotations

import math
from typing import Any

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from foncier.scenarios.document import document_json, validate_document
from foncier.scenarios.service import (
    DEFAULT_CAPS,
    DEFAULT_SHARES,
    compare_saved,
    run_scenario,
    saved_result,
    sweep_scenario,
)
from foncier.scenarios.store import (
    adopt,
    copy_scenario,
    list_scenarios,
    save,
    saved_scenario,
    update_clause,
)
from foncier.schemas.fields import FrenchSchema, load, number, text
from foncier.schemas.scenario import CopySchema, ScenarioSchema
from web import store
from web.api.registry import VersionArgs, _body, _problems
from web.context import acting_user
from web.ratelimits import runs, uploads

blp = Blueprint(
    "scenarios",
    __name__,
    url_prefix="/api/v1/scenarios",
    description="Scénarios de plafonnement des prix de sortie d'une opération d'aménagement.",
)


class SweepSchema(FrenchSchema):
    scenario = ma.fields.Nested(ScenarioSchema, required=True)
    caps = ma.fields.List(number(0, strict_min=True, maximum=1), load_default=list(DEFAULT_CAPS))
    shares = ma.fields.List(number(0, maximum=1), load_default=list(DEFAULT_SHARES))


class SaveArgs(FrenchSchema):
    operation = text(128, load_default=None, metadata={"description": "Opération existante"})


class CompareArgs(FrenchSchema):
    refs = ma.fields.List(text(128), required=True)


class SavedSchema(ma.Schema):
    ref = ma.fields.String()
    name = ma.fields.String()
    operation = ma.fields.String()
    version = ma.fields.Integer()
    adopted = ma.fields.Boolean()
    scenario = ma.fields.Dict()


class SweepResultSchema(ma.Schema):
    grid = ma.fields.List(ma.fields.Dict(), metadata={"description": "cap, share, balance…"})
    break_even = ma.fields.List(ma.fields.Dict(), metadata={"description": "cap → share"})


class ComparisonSchema(ma.Schema):
    scenarios = ma.fields.Dict(metadata={"description": "scénario → chiffres clés"})


class ResultSchema(ma.Schema):
    name = ma.fields.String()
    lots = ma.fields.List(ma.fields.Dict(), metadata={"description": "chiffres par lot"})
    balance_before_eur = ma.fields.Float()
    balance_after_eur = ma.fields.Float()
    contribution_needed_eur = ma.fields.Float()
    revenue_loss_eur = ma.fields.Float()
    needs_served = ma.fields.Integer()
    ess_area_m2 = ma.fields.Float(metadata={"description": "SDP ESS (m²)"})
    ess_usable_area_m2 = ma.fields.Float(metadata={"description": "SU ESS (m²)"})
    lots_below_minimum_margin = ma.fields.List(ma.fields.String())
    who_pays = ma.fields.Dict()
    revenue_loss_per_ess_m2_eur = ma.fields.Float(allow_none=True)
    tenant_savings_per_ess_m2_eur = ma.fields.Float(allow_none=True)
    coverage = ma.fields.Dict(metadata={"description": "besoins servis, par filière, trop chers"})


def in_cents(value: Any, key: str = "") -> Any:
    """Amounts in euros (keys with "eur") to the cent: 1392399.999999999 is 1392400.0, the
    noise of floating point is no figure a planner should read."""
    if isinstance(value, dict):
        return {k: in_cents(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [in_cents(v, key) for v in value]
    if isinstance(value, float) and "eur" in key and math.isfinite(value):
        return round(value, 2)
    return value


def _document() -> dict[str, Any]:
    return validate_document(request.get_json(silent=True))


@blp.route("/compute")
class Compute(MethodView):
    @runs
    @blp.doc(requestBody=_body(ScenarioSchema()), **_problems(422, 429))
    @blp.response(200, ResultSchema)
    def post(self) -> Any:
        """Calcule un scénario sans l'enregistrer (le contenu d'un fichier de scénario)."""
        return in_cents(run_scenario(store.session(), _document()))


@blp.route("/sweep")
class Sweep(MethodView):
    @runs
    @blp.doc(requestBody=_body(SweepSchema()), **_problems(422, 429))
    @blp.response(200, SweepResultSchema)
    def post(self) -> Any:
        """Balaye plafond × part ESS ; renvoie la grille et la ligne d'équilibre."""
        args = load(SweepSchema(), request.get_json(silent=True))
        document = validate_document(document_json(args["scenario"]))
        return in_cents(sweep_scenario(document, args["caps"], args["shares"]))


@blp.route("")
class Collection(MethodView):
    @blp.response(200, SavedSchema(many=True))
    def get(self) -> Any:
        """Les scénarios enregistrés."""
        return [summary.as_json() for summary in list_scenarios(store.session())]

    @uploads
    @blp.arguments(SaveArgs, location="query")
    @blp.doc(requestBody=_body(ScenarioSchema()), **_problems(409, 422, 429))
    @blp.response(201, SavedSchema)
    def post(self, args: dict[str, Any]) -> Any:
        """Enregistre un scénario (et son opération si elle est nouvelle)."""
        user = acting_user("api")
        return save(store.session(), _document(), user, operation_ref=args["operation"]).as_json()


@blp.route("/comparison")
class Compare(MethodView):
    @blp.arguments(CompareArgs, location="query")
    @blp.response(200, ComparisonSchema)
    @blp.doc(**_problems(404, 422))
    def get(self, args: dict[str, Any]) -> Any:
        """Les chiffres clés de scénarios enregistrés, côte à côte."""
        return in_cents({"scenarios": compare_saved(store.session(), args["refs"]).to_dict()})


@blp.route("/<ref>")
class Item(MethodView):
    @blp.response(200, SavedSchema)
    @blp.doc(**_problems(404))
    def get(self, ref: str) -> Any:
        """Un scénario enregistré, avec son document complet et sa version."""
        return saved_scenario(store.session(), ref).as_json()

    @uploads
    @blp.arguments(VersionArgs, location="query")
    @blp.doc(requestBody=_body(ScenarioSchema()), **_problems(404, 409, 422, 429))
    @blp.response(200, SavedSchema)
    def put(self, args: dict[str, Any], ref: str) -> Any:
        """Remplace la clause (même opération, mêmes lots) ; 409 si la version a changé."""
        user = acting_user("api")
        return update_clause(store.session(), ref, _document(), args["version"], user).as_json()


@blp.route("/<ref>/result")
class Result(MethodView):
    @blp.response(200, ResultSchema)
    @blp.doc(**_problems(404))
    def get(self, ref: str) -> Any:
        """Calcule un scénario enregistré sur les besoins ouverts d'aujourd'hui."""
        return in_cents(saved_result(store.session(), ref))


@blp.route("/<ref>/copy")
class Copy(MethodView):
    @blp.doc(requestBody=_body(CopySchema()), **_problems(404, 422))
    @blp.response(201, SavedSchema)
    def post(self, ref: str) -> Any:
        """Copie un scénario sous un nouveau nom."""
        name = load(CopySchema(), request.get_json(silent=True))["name"]
        return copy_scenario(store.session(), ref, name, acting_user("api")).as_json()


@blp.route("/<ref>/adopt")
class Adopt(MethodView):
    @blp.response(200, SavedSchema)
    @blp.doc(**_problems(404))
    def post(self, ref: str) -> Any:
        """Retient ce scénario : ses plafonds s'appliquent à l'appariement courant."""
        return adopt(store.session(), ref, acting_user("api")).as_json()
