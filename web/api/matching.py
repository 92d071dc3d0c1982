"""Matching through the API: a stored run, or the quick candidates of one record."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from foncier.errors import InvalidInput
from foncier.matching.runs import MatchRequest, run_matching, top_candidates
from foncier.registry import KINDS, get
from foncier.schemas.fields import FrenchSchema, choices, integer, text
from web import store
from web.api.problems import PROBLEM, ProblemSchema
from web.context import acting_user
from web.kept import cached
from web.ratelimits import runs

blp = Blueprint(
    "appariements",
    __name__,
    url_prefix="/api/v1",
    description="Appariement : passages enregistrés et candidats d'une fiche.",
)


class RunArgs(FrenchSchema):
    need_ref = text(128, allow_none=True)
    premises_ref = text(128, allow_none=True)
    top = integer(1, load_default=5)
    allocate = ma.fields.String(allow_none=True, validate=choices(["optimal", "stable"]))


class TopArgs(FrenchSchema):
    top = integer(1, load_default=10)


class RunSchema(ma.Schema):
    run = ma.fields.Integer()
    algorithm_version = ma.fields.String()
    fingerprint = ma.fields.String()
    settings = ma.fields.Dict()
    pairs = ma.fields.List(ma.fields.Dict())
    allocation = ma.fields.Dict()
    near_misses = ma.fields.List(ma.fields.Dict())
    why_not = ma.fields.List(ma.fields.String())


PROBLEMS = {
    "responses": {
        str(code): {"description": "Problème", "content": {PROBLEM: {"schema": ProblemSchema}}}
        for code in (404, 422, 429)
    }
}


@blp.route("/matches")
class Runs(MethodView):
    @runs
    @blp.arguments(RunArgs)
    @blp.response(201, RunSchema)
    @blp.doc(**PROBLEMS)
    def post(self, args: dict[str, Any]) -> Any:
        if not request.get_data(cache=True).strip():
            # Without a body, webargs fills the defaults: an empty POST stored a full run.
            raise InvalidInput.from_errors(
                {
                    "corps": [
                        "Corps vide ; attendu : un objet JSON, par exemple "
                        '{"need_ref": "B-0001"} pour un besoin, ou {"top": 5} pour un passage '
                        "sur tous les besoins ouverts."
                    ]
                }
            )
        return run_matching(store.session(), MatchRequest(**args), acting_user("api"))


def _candidates(kind: str, record_id: int, top: int) -> Any:
    session = store.session()

    def compute() -> dict[str, Any]:
        get(session, KINDS[kind], record_id)  # 404 when there is no such record
        wanted = (
            MatchRequest(need_id=record_id, top=top)
            if kind == "needs"
            else MatchRequest(premises_id=record_id, top=top)
        )
        return top_candidates(session, wanted)

    # The same answer until the data change (an error is not kept).
    return cached(session, ("top", kind, record_id, top), compute)


@blp.route("/needs/<int:record_id>/candidates")
class NeedCandidates(MethodView):
    @blp.arguments(TopArgs, location="query")
    @blp.response(200, RunSchema)
    @blp.doc(**PROBLEMS)
    def get(self, args: dict[str, Any], record_id: int) -> Any:
        return _candidates("needs", record_id, args["top"])


@blp.route("/premises/<int:record_id>/candidates")
class PremisesCandidates(MethodView):
    @blp.arguments(TopArgs, location="query")
    @blp.response(200, RunSchema)
    @blp.doc(**PROBLEMS)
    def get(self, args: dict[str, Any], record_id: int) -> Any:
        return _candidates("premises", record_id, args["top"])
