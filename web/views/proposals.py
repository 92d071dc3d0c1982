"""Proposals to the committee (agents put them forward from a candidates page) and the list
of decisions taken."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from foncier.committee import reading
from foncier.committee.proposals import ProposalRequest, propose
from foncier.committee.vocabulary import LABELS
from foncier.errors import InvalidInput
from web import store
from web.context import acting_user
from web.ratelimits import runs

bp = Blueprint("propositions", __name__)


@bp.get("/propositions/")
def index() -> str:
    found = reading.list_proposals(store.session())
    return render_template("propositions.html", propositions=found, labels=LABELS)


@bp.post("/propositions/")
@runs
def create() -> Response:
    form = request.form
    picks = tuple(ref for ref in form.getlist("candidat") if ref.strip())
    try:
        count = int(form.get("nombre", "3") or "3")
    except ValueError:
        raise InvalidInput(
            f"« {form.get('nombre')} » : un nombre de candidats est attendu."
        ) from None
    proposal = ProposalRequest(
        premises_ref=form.get("local") or None,
        need_ref=form.get("besoin") or None,
        picks=picks,
        count=count,
    )
    ref = propose(store.session(), proposal, acting_user("page"))
    return redirect(url_for("propositions.index", _anchor=ref))


@bp.get("/decisions/")
def decisions() -> str:
    identity = g.identity
    found = reading.list_decisions(store.session(), identity.account_id, identity.roles)
    return render_template("decisions.html", decisions=found, labels=LABELS)
