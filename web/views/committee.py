"""The committee's pages: sessions, their agenda, presence, conflicts, votes and decisions,
the offline dossier and the minutes. Each view parses, calls one use case, and renders.

The secretary is any agent (or administrator): they create sessions, put proposals on the
agenda, open and close, record presence and proxies, and record decisions. Members read the
sessions they sit on, declare their conflicts and cast their own votes (and their proxies')."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from foncier.accounts.roles import Role
from foncier.committee import reading, sessions, votes
from foncier.committee.vocabulary import LABELS, RegleEgalite
from foncier.errors import Forbidden, InvalidInput
from foncier.french import read_number
from web import store
from web.context import acting_user
from web.dossier import dossier_html, minutes_html, minutes_pdf

bp = Blueprint("comite", __name__, url_prefix="/comite")


def _who() -> tuple[int, frozenset[Role]]:
    identity = g.identity
    return identity.account_id, frozenset(identity.roles)


def _view(ref: str) -> dict[str, Any]:
    account_id, roles = _who()
    return reading.session_view(store.session(), ref, account_id, roles)


@bp.get("/")
def index() -> str:
    account_id, roles = _who()
    found = reading.list_sessions(store.session(), account_id, roles)
    return render_template(
        "comite_liste.html", seances=found, labels=LABELS, regles=list(RegleEgalite)
    )


@bp.post("/")
def create() -> BaseResponse:
    form = request.form
    given = sessions.SessionInput(
        ref=form.get("ref", "").strip(),
        titre=form.get("titre", "").strip() or "Comité d'engagement",
        date_seance=_date(form.get("date", "")),
        membres=[e.strip() for e in form.get("membres", "").replace(",", "\n").split() if e],
        quorum=read_number(form.get("quorum", "0,5") or "0,5"),
        regle_egalite=form.get("regle_egalite", RegleEgalite.AJOURNE.value),
        pouvoirs_max=int(read_number(form.get("pouvoirs_max", "1") or "1")),
    )
    ref = sessions.create_session(store.session(), given, acting_user("page"))
    return redirect(url_for("comite.show", ref=ref))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput.from_errors(
            {"date": [f"« {text} » : une date jj/mm/aaaa (ou aaaa-mm-jj) est attendue."]}
        ) from None


@bp.get("/<ref>")
def show(ref: str) -> str:
    view = _view(ref)
    return render_template("comite_seance.html", v=view, labels=LABELS, me=g.identity.email)


@bp.post("/<ref>/ordre-du-jour")
def agenda(ref: str) -> BaseResponse:
    proposal = request.form.get("proposition", "").strip()
    sessions.add_to_agenda(store.session(), ref, proposal, acting_user("page"))
    return redirect(url_for("comite.show", ref=ref))


@bp.post("/<ref>/etat")
def state(ref: str) -> BaseResponse:
    action = request.form.get("action", "")
    if action not in ("ouvrir", "clore"):
        raise InvalidInput(f"« {action} » : actions permises : ouvrir, clore.")
    use_case = sessions.open_session if action == "ouvrir" else sessions.close_session
    use_case(store.session(), ref, acting_user("page"))
    return redirect(url_for("comite.show", ref=ref))


@bp.post("/<ref>/presences")
def presence(ref: str) -> BaseResponse:
    form = request.form
    present = form.getlist("present")
    proxies = {
        key.removeprefix("pouvoir:"): value
        for key, value in form.items()
        if key.startswith("pouvoir:") and value
    }
    sessions.record_presence(store.session(), ref, present, proxies, acting_user("page"))
    return redirect(url_for("comite.show", ref=ref))


@bp.post("/<ref>/conflits")
def conflict(ref: str) -> BaseResponse:
    _view(ref)  # a member declares only in their own sessions
    form = request.form
    email = _self_or_secretary(form.get("membre") or g.identity.email)
    votes.declare_conflict(
        store.session(),
        form.get("proposition", ""),
        email,
        form.get("motif", ""),
        acting_user("page"),
    )
    return redirect(url_for("comite.show", ref=ref))


@bp.post("/<ref>/votes")
def vote(ref: str) -> BaseResponse:
    _view(ref)
    form = request.form
    ballot = votes.Ballot(
        line_id=_int(form.get("ligne", "")),
        holder=g.identity.email,  # one votes as oneself, never as someone else
        voix=form.get("voix", ""),
        for_member=form.get("pour") or None,
    )
    votes.vote(store.session(), ballot, acting_user("page"))
    return redirect(url_for("comite.show", ref=ref))


@bp.post("/<ref>/decisions")
def decide(ref: str) -> BaseResponse:
    form = request.form
    votes.decide(
        store.session(),
        _int(form.get("ligne", "")),
        form.get("motifs", ""),
        acting_user("page"),
        form.get("issue") or None,
    )
    return redirect(url_for("comite.show", ref=ref))


@bp.post("/<ref>/corrections")
def correct(ref: str) -> BaseResponse:
    form = request.form
    votes.correct_decision(
        store.session(),
        _int(form.get("decision", "")),
        form.get("issue", ""),
        form.get("motifs", ""),
        acting_user("page"),
    )
    return redirect(url_for("comite.show", ref=ref))


@bp.get("/<ref>/dossier.html")
def dossier(ref: str) -> Response:
    page = dossier_html(store.session(), _view(ref))
    headers = {"Content-Disposition": f'attachment; filename="dossier-{_safe(ref)}.html"'}
    return Response(page, mimetype="text/html", headers=headers)


@bp.get("/<ref>/proces-verbal")
def minutes(ref: str) -> str:
    return minutes_html(_view(ref))


@bp.get("/<ref>/proces-verbal.pdf")
def minutes_pdf_view(ref: str) -> Response:
    pdf = minutes_pdf(minutes_html(_view(ref)))
    headers = {"Content-Disposition": f'attachment; filename="pv-{_safe(ref)}.pdf"'}
    return Response(pdf, mimetype="application/pdf", headers=headers)


def _safe(ref: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in ref)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"« {text} » : un numéro entier est attendu.") from None


def _self_or_secretary(email: str) -> str:
    """Members speak for themselves; the secretary (agent, administrator) for anyone."""
    _, roles = _who()
    if email.strip().lower() != g.identity.email and not roles & reading.SEES_ALL:
        raise Forbidden("Un membre ne déclare un conflit d'intérêts que pour lui-même.")
    return email
