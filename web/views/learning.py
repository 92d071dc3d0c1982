"""The weights learned from the committee's decisions, and their adoption, for administrators
(the same use case as ``foncier match learn``)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from foncier.committee.decided import committee_decisions
from foncier.errors import InvalidInput
from foncier.matching.learned_weights import learn_from_decisions
from matching.settings import CRITERIA, CRITERIA_LABELS
from web import store
from web.auth.guard import current_identity

bp = Blueprint("apprentissage", __name__, url_prefix="/reglages")
# Fewer bootstrap draws than the command's 200: the page answers in a few seconds, and the
# intervals it shows are an order of magnitude, not a test.
BOOTSTRAP = 50


@bp.route("/apprentissage", methods=["GET", "POST"])
def index() -> tuple[str, int] | BaseResponse:
    identity = current_identity()
    assert identity is not None  # the matrix lets administrators only
    session, refused = store.session(), ""
    if request.method == "POST":
        try:
            learn_from_decisions(
                session, committee_decisions, adopt=True, user=identity.author,
                bootstrap=BOOTSTRAP,
            )  # fmt: skip
            return redirect(url_for(".index", adoptes=1), code=303)
        except InvalidInput as error:  # too few decisions: the page says why, nothing written
            refused = error.message
    report = learn_from_decisions(
        session, committee_decisions, user=identity.author, bootstrap=BOOTSTRAP
    )
    page = render_template(
        "apprentissage.html",
        learned=report.learned,
        criteria=[(c, CRITERIA_LABELS[c]) for c in CRITERIA],
        refused=refused,
        adopted=request.args.get("adoptes") == "1",
    )
    return page, (422 if refused else 200)
