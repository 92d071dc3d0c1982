"""One handler for the product's errors: problem+json (RFC 9457) for the API, a page otherwise."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, g, render_template, request
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from foncier import limits
from foncier.errors import FoncierError, InvalidInput, TooLarge
from foncier.files.structured import load_json
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
    503: "Service momentanément indisponible",
    415: "Format non pris en charge",
    422: "Donnée invalide",
    429: "Trop de tentatives",
    500: "Erreur interne",
}
HTTP_MESSAGES = {
    404: "Cette adresse ne correspond à aucune page.",
    405: "Cette adresse n'accepte pas la méthode {method}.",
    413: f"Le fichier dépasse {limits.format_bytes(limits.MAX_UPLOAD_BYTES)} : découpez-le"
    " ou importez-le avec `foncier import`.",
    429: "Trop de tentatives de connexion : réessayez dans quelques minutes.",
}
UNAVAILABLE = (
    "La base de données ne répond pas : le service est momentanément indisponible."
    " Réessayez dans quelques instants ; rien n'a été enregistré par cette requête."
)
RETRY_AFTER_SECONDS = 30


def init_app(app: Flask) -> None:
    app.before_request(_check_json_body)
    app.register_error_handler(FoncierError, _foncier_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_unavailable)


def _check_json_body() -> None:
    """Parse a JSON body within bounds before any view does: without this, 100,000 nested
    ``[`` or a lone UTF-16 surrogate reached the parsers (or PostgreSQL) and gave a 500."""
    if not request.is_json:
        return
    body = request.get_data(cache=True)
    if not body:
        return
    try:
        load_json(body.decode("utf-8"))
    except UnicodeDecodeError as error:
        message = f"Le corps de la requête n'est pas en UTF-8 (octet {error.start + 1})."
        raise InvalidInput(message, errors={"corps": [message]}) from None
    except TooLarge as error:
        error.errors = {"corps": [error.message]}
        raise
    except InvalidInput as error:
        raise InvalidInput(error.message, errors={"corps": [error.message]}) from None


def _database_unavailable(error: OperationalError) -> tuple[Response | str, int]:
    """PostgreSQL down, unreachable or too slow: a 503 the user can retry, never a 500."""
    log.error("Base de données indisponible : %s", error)
    current_app.extensions["foncier.store"].recover()
    # The page is rendered as for an anonymous caller: who is signed in lives in the database.
    g.identity = None
    manager = getattr(current_app, "login_manager", None)
    if manager is not None:
        g._login_user = manager.anonymous_user()
    body, status = _render(503, HTTP_TITLES[503], UNAVAILABLE)
    response = current_app.make_response((body, status))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response, status


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
    if isinstance(error, RateLimitExceeded) and error.limit.error_message:
        # A limit per account (web/ratelimits.py) says which one; Retry-After is added after.
        title, message = "Trop de demandes", str(error.description)
    return _render(status, title, message, errors)


def _webargs_errors(error: HTTPException) -> dict[str, list[str]] | None:
    """Query-string errors found by webargs, quoted like every other validation error."""
    data: Any = getattr(error, "data", None) or {}
    messages = data.get("messages") if isinstance(data, dict) else None
    if not messages:
        return None
    flat: dict[str, list[str]] = {}
    for location, by_field in messages.items():
        if not isinstance(by_field, dict):  # the body as a whole: not JSON, or not an object
            flat["corps"] = ["Attendu : un objet JSON."]
            continue
        source = request.args if location == "query" else request.get_json(silent=True)
        flat.update(quote_errors(by_field, source if isinstance(source, dict) else {}))
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
