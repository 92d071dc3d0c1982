"""One handler for the product's errors: problem+json (RFC 9457) for the API, a page otherwise."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from foncier.errors import FoncierError, InvalidInput
from foncier.schemas.fields import quote_errors
from web.api.problems import problem

log = logging.getLogger(__name__)
HTTP_TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non permise",
    413: "Fichier trop volumineux",
    415: "Format non pris en charge",
    422: "Donnée invalide",
    429: "Trop de tentatives",
    500: "Erreur interne",
}
HTTP_MESSAGES = {
    404: "Cette adresse ne correspond à aucune page.",
    405: "Cette adresse n'accepte pas la méthode {method}.",
    413: "Le fichier dépasse 20 Mo : découpez-le ou importez-le avec `foncier import`.",
    429: "Trop de tentatives de connexion : réessayez dans quelques minutes.",
}


def init_app(app: Flask) -> None:
    app.register_error_handler(FoncierError, _foncier_error)
    app.register_error_handler(HTTPException, _http_error)


def _foncier_error(error: FoncierError) -> tuple[Response | str, int]:
    log.warning("%s: %s", type(error).__name__, error.detail)
    errors = error.errors if isinstance(error, InvalidInput) else None
    return _render(error.status, error.title, error.message, errors, error.slug)


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    title = HTTP_TITLES.get(status, error.name)
    message = HTTP_MESSAGES.get(status, title).format(method=request.method)
    errors = _webargs_errors(error)
    if errors:
        message = InvalidInput.from_errors(errors).message
    return _render(status, title, message, errors)


def _webargs_errors(error: HTTPException) -> dict[str, list[str]] | None:
    """Query-string errors found by webargs, quoted like every other validation error."""
    data: Any = getattr(error, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if not messages:
        return None
    flat: dict[str, list[str]] = {}
    for location, by_field in messages.items():
        source = request.args if location == "query" else request.get_json(silent=True)
        flat.update(quote_errors(by_field, dict(source) if source else {}))
    return flat


def render_error(
    status: int, title: str, message: str, errors: dict[str, list[str]] | None = None
) -> tuple[Response | str, int]:
    """problem+json for the API, the French error page otherwise."""
    return _render(status, title, message, errors)


def _render(
    status: int,
    title: str,
    message: str,
    errors: dict[str, list[str]] | None = None,
    slug: str | None = None,
) -> tuple[Response | str, int]:
    if request.path.startswith("/api/"):
        return problem(status, title, message, errors, slug), status
    return render_template("erreur.html", title=title, message=message, errors=errors), status
