"""``GET /sante``: whether the app and its database answer, for a process manager or a probe."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from web.errors import RETRY_AFTER_SECONDS

bp = Blueprint("sante", __name__)


@bp.get("/sante")
def health() -> Response:
    """200 when PostgreSQL answers ``SELECT 1``, else 503 with ``Retry-After``."""
    store = current_app.extensions["foncier.store"]
    body: dict[str, Any] = {"application": "ok"}
    try:
        with store.factory()() as session:
            session.execute(text("SELECT 1"))
        body["base"] = "ok"
    except OperationalError:
        store.recover()
        body["base"] = "indisponible"
    response = jsonify(body)
    if body["base"] != "ok":
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response
