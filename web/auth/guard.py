"""The one hook that enforces the matrix on every request, pages and API alike."""

from __future__ import annotations

from flask import Response, g, redirect, request, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response as BaseResponse

from foncier.accounts.audit import Evenement, record_event
from foncier.accounts.service import Identity
from foncier.db import transaction
from web.api.problems import problem
from web.auth.identity import identify, side_session
from web.auth.matrix import MATRIX, READ_METHODS, permits

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def current_identity() -> Identity | None:
    identity: Identity | None = g.get("identity")
    return identity


def enforce(csrf: CSRFProtect) -> BaseResponse | tuple[Response | str, int] | None:
    """Refuse what the matrix does not allow; unknown addresses go on to their 404/405."""
    identity = identify()
    g.identity = identity  # known on error pages too, so that their menu fits the caller
    if request.routing_exception is not None or request.url_rule is None:
        return None
    roles = identity.roles if identity else None
    if permits(roles, request.endpoint, request.method):
        if _cookie_api_write():
            csrf.protect()  # the API is exempt for tokens only: a browser's cookie needs CSRF
        return None
    if identity is None:
        return _sign_in_first()
    return _forbidden()


def _cookie_api_write() -> bool:
    return request.path.startswith("/api/") and request.method in UNSAFE and not g.via_token


def _sign_in_first() -> BaseResponse:
    if request.path.startswith("/api/"):
        refused = problem(
            401,
            "Authentification requise",
            "Cette API demande un jeton : en-tête « Authorization: Bearer <jeton> » "
            "(foncier users token EMAIL), ou une session ouverte sur /connexion.",
        )
        refused.headers["WWW-Authenticate"] = 'Bearer realm="foncier"'
        return refused
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", suivant=target))


def _forbidden() -> tuple[Response | str, int]:
    from web.errors import render_error

    return render_error(
        403,
        "Accès refusé",
        "Votre rôle ne permet pas d'ouvrir cette page ou de faire cette action.",
    )


def audit_personal_reads(response: BaseResponse) -> BaseResponse:
    """A read or export that carried contacts goes to the audit log."""
    identity = current_identity()
    found = MATRIX.get(request.endpoint or "")
    if (
        identity is None
        or found is None
        or not found.personal
        or request.method not in READ_METHODS
        or response.status_code != 200
        or not identity.sees_personal_data
    ):
        return response
    event = (
        Evenement.EXPORT_DONNEES_PERSONNELLES
        if found.export
        else Evenement.LECTURE_DONNEES_PERSONNELLES
    )
    with side_session() as session, transaction(session, identity.author):
        record_event(
            session, event, identity.email, request.remote_addr, adresse_demandee=request.full_path
        )
    return response
