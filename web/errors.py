"""One handler for the product's errors: problem+json (RFC 9457) for the API, a page otherwise."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from foncier.errors import FoncierError

log = logging.getLogger(__name__)
HTTP_TITLES = {404: "Page introuvable", 405: "Méthode non permise", 500: "Erreur interne"}


def init_app(app: Flask) -> None:
    app.register_error_handler(FoncierError, _foncier_error)
    app.register_error_handler(HTTPException, _http_error)


def _foncier_error(error: FoncierError) -> tuple[Response | str, int]:
    log.warning("%s: %s", type(error).__name__, error.detail)
    return _render(error.status, error.title, error.message)


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    title = HTTP_TITLES.get(status, error.name)
    message = "Cette adresse ne correspond à aucune page." if status == 404 else title
    return _render(status, title, message)


def _render(status: int, title: str, message: str) -> tuple[Response | str, int]:
    if request.path.startswith("/api/"):
        problem = jsonify(type="about:blank", title=title, status=status, detail=message)
        problem.mimetype = "application/problem+json"
        return problem, status
    return render_template("erreur.html", title=title, message=message), status
