"""Sign in at /connexion, sign out, and change one's own password."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from foncier.accounts.audit import Evenement, record_event
from foncier.accounts.demo import demo_accounts
from foncier.accounts.rules import FAILURES_PER_ACCOUNT, FAILURES_PER_ADDRESS, SESSION_HOURS
from foncier.accounts.service import authenticate, change_own_password
from foncier.db import transaction
from foncier.errors import InvalidInput
from web.auth.guard import current_identity
from web.auth.identity import side_session, signed_in
from web.ratelimits import limiter

bp = Blueprint("auth", __name__)


def _account_key() -> str:
    return "compte:" + (request.form.get("email") or "").strip().lower()[:320]


def _failed(response: Response) -> bool:
    """Only failures count against the limits: a user who signs in is never slowed down."""
    return response.status_code != 303


def _next_page() -> str:
    """Where to go after signing in: a path of this site only, never another site."""
    target = request.values.get("suivant") or ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("home.index")
    return target


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(FAILURES_PER_ADDRESS, methods=["POST"], deduct_when=_failed)
@limiter.limit(FAILURES_PER_ACCOUNT, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login() -> str | Response:
    error = None
    if request.method == "POST":
        with side_session() as db_session:
            account = authenticate(
                db_session,
                request.form.get("email", ""),
                request.form.get("password", ""),
                request.remote_addr,
            )
        if account is not None:
            session.clear()  # a new session id: nothing from before signing in carries over
            session.permanent = True
            login_user(signed_in(account), duration=timedelta(hours=SESSION_HOURS))
            return redirect(_next_page(), code=303)
        error = "Adresse électronique ou mot de passe incorrect, ou compte désactivé."
    return render_template(
        "connexion.html",
        error=error,
        email=request.form.get("email", ""),
        suivant=request.values.get("suivant", ""),
        demo=_demo_accounts(),
    )


def _demo_accounts() -> list[tuple[str, str]]:
    with side_session() as db_session:
        return demo_accounts(db_session)


@bp.post("/deconnexion")
def logout() -> Response:
    identity = current_identity()
    if identity is not None:
        with side_session() as db_session, transaction(db_session, identity.author):
            record_event(db_session, Evenement.DECONNEXION, identity.email, request.remote_addr)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"), code=303)


@bp.route("/mot-de-passe", methods=["GET", "POST"])
def password() -> tuple[str, int] | Response:
    identity = current_identity()
    assert identity is not None  # the matrix lets only accounts in
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        new = request.form.get("new", "")
        if new != request.form.get("confirm", ""):
            errors = {"confirm": ["Les deux saisies du nouveau mot de passe diffèrent."]}
        else:
            try:
                with side_session() as db_session:
                    account = change_own_password(
                        db_session, identity.account_id, request.form.get("current", ""), new
                    )
                login_user(signed_in(account), duration=timedelta(hours=SESSION_HOURS))
                return redirect(url_for("home.index"), code=303)
            except InvalidInput as error:
                errors = error.errors
    return render_template("mot_de_passe.html", errors=errors), (422 if errors else 200)
