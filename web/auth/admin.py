"""Administration: accounts and roles, the audit log, and the persons' rights (RGPD)."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from foncier.accounts.audit import EVENT_LABELS, AuditFilter, search_events
from foncier.accounts.models import Compte
from foncier.accounts.rgpd import erase_contact, export_contact
from foncier.accounts.roles import ROLE_LABELS
from foncier.accounts.rules import Paris
from foncier.accounts.service import add_account, list_accounts, set_active, set_password, set_roles
from foncier.errors import FoncierError, InvalidInput, NotFound
from web import store
from web.auth.guard import current_identity

bp = Blueprint("comptes", __name__)


def _author() -> str:
    identity = current_identity()
    assert identity is not None  # the matrix lets administrators only
    return identity.author


@bp.route("/comptes/", methods=["GET", "POST"])
def index() -> tuple[str, int] | BaseResponse:
    session = store.session()
    message: str | None = None
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            add_account(
                session,
                request.form.get("email", ""),
                request.form.getlist("roles"),
                request.form.get("password", ""),
                _author(),
            )
            return redirect(url_for(".index"), code=303)
        except (InvalidInput, FoncierError) as error:
            errors = getattr(error, "errors", None) or {"compte": [error.message]}
            message = "Le compte n'est pas créé."
    return render_template(
        "comptes.html",
        accounts=list_accounts(session),
        roles=ROLE_LABELS,
        message=message,
        errors=errors,
    ), (422 if errors else 200)


@bp.post("/comptes/<int:account_id>")
def update(account_id: int) -> BaseResponse:
    session = store.session()
    account = session.get(Compte, account_id) if 0 < account_id < 2**31 else None
    if account is None:
        raise NotFound(f"Aucun compte ne porte le numéro « {account_id} ».")
    action, email = request.form.get("action"), account.email
    if action == "roles":
        set_roles(session, email, request.form.getlist("roles"), _author())
    elif action in ("desactiver", "activer"):
        set_active(session, email, action == "activer", _author())
    elif action == "mot_de_passe":
        set_password(session, email, request.form.get("password", ""), _author())
    else:
        raise InvalidInput.from_errors(
            {
                "action": [
                    f"« {action} » : actions permises : roles, desactiver, activer, mot_de_passe."
                ]
            }
        )
    return redirect(url_for(".index"), code=303)


@bp.get("/comptes/journal")
def journal() -> str:
    wanted = AuditFilter(
        evenement=request.args.get("evenement") or None,
        compte=request.args.get("compte") or None,
        du=_date(request.args.get("du"), "du"),
        au=_date(request.args.get("au"), "au"),
    )
    total, events = search_events(store.session(), wanted)
    return render_template(
        "journal.html",
        total=total,
        events=events,
        labels=EVENT_LABELS,
        given=request.args,
        paris=Paris,
    )


def _date(value: str | None, name: str) -> date | None:
    """A date as the date field sends it (2026-11-30) or as typed (30/11/2026)."""
    if not value:
        return None
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value.strip(), form).date()
        except ValueError:
            continue
    raise InvalidInput.from_errors(
        {name: [f"« {value} » n'est pas une date du calendrier (jj/mm/aaaa)."]}
    )


@bp.get("/rgpd/acteurs/<int:record_id>/contact.json")
def contact_export(record_id: int) -> Response:
    """Right of access: the actor's contact and what it is used for, as a file."""
    found = export_contact(store.session(), record_id, _author())
    return Response(
        json.dumps(found, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="contact-acteur-{record_id}.json"'},
    )


@bp.post("/rgpd/acteurs/<int:record_id>/effacer")
def contact_erase(record_id: int) -> BaseResponse:
    erase_contact(store.session(), record_id, _author())
    return redirect(url_for("pages_actors.detail", record_id=record_id), code=303)
