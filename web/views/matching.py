"""Pages of the matching: ranked candidates with their reasons, and their map."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy.orm import Session

from foncier import registry
from foncier.committee.proposals import refused_pairs
from foncier.committee.vocabulary import ObjetProposition
from foncier.errors import FoncierError
from foncier.matching.runs import MatchRequest, top_candidates, why_not_pair
from foncier.registry import KINDS
from matching.settings import CRITERIA_LABELS
from web import store
from web.labels import field_label
from web.maps import candidates_map, score_colour
from web.views.home import map_assets, map_parts

bp = Blueprint("appariement", __name__)
TOP = 10


@bp.get("/besoins/<int:record_id>/candidats")
def need_candidates(record_id: int) -> str:
    return _page("needs", record_id)


@bp.get("/locaux/<int:record_id>/candidats")
def premises_candidates(record_id: int) -> str:
    return _page("premises", record_id)


def _page(kind_name: str, record_id: int) -> str:
    session = store.session()
    kind = KINDS[kind_name]
    record = registry.get(session, kind, record_id)
    wanted = (
        MatchRequest(need_id=record_id, top=TOP)
        if kind_name == "needs"
        else MatchRequest(premises_id=record_id, top=TOP)
    )
    result = top_candidates(session, wanted)
    asked = request.args.get("pourquoi", "").strip()
    reasons, refused = None, None
    if asked:  # "why not this one?": the other record's reference
        pair = (record["ref"], asked) if kind_name == "needs" else (asked, record["ref"])
        try:
            reasons = why_not_pair(session, *pair)
        except FoncierError as error:  # an unknown reference: said on the page, not a 404
            reasons, refused = [], error.message
    other = KINDS["premises" if kind_name == "needs" else "needs"]
    key = "premises_id" if kind_name == "needs" else "need_id"
    candidates = [{**registry.get(session, other, pair[key]), **pair} for pair in result["pairs"]]
    return render_template(
        "candidats.html",
        kind=kind,
        record=record,
        candidates=candidates,
        criteria_labels=CRITERIA_LABELS,
        colour=score_colour,
        label=field_label,
        other_segment="locaux" if kind_name == "needs" else "besoins",
        version=result["algorithm_version"],
        near_misses=result.get("near_misses", []),
        asked=asked,
        reasons=reasons,
        refused=refused,
        committee_refused=_refused_by_committee(session, kind_name, record_id),
        **map_parts(candidates_map(record, candidates, map_assets())),
    )


def _refused_by_committee(session: Session, kind_name: str, record_id: int) -> dict[int, str]:
    """The other side's records the committee refused with this one, unchanged since: id ->
    the proposal refused (the page says so, and they are not proposed again)."""
    objet = ObjetProposition.BESOIN if kind_name == "needs" else ObjetProposition.LOCAL
    return {
        (need if kind_name == "premises" else premises): ref
        for (need, premises), ref in refused_pairs(session, objet, record_id).items()
    }
