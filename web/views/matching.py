"""Pages of the matching: ranked candidates with their reasons, and their map."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from foncier.matching.candidates_page import candidates_page
from matching.settings import CRITERIA_LABELS
from web import store
from web.labels import field_label
from web.maps import candidates_map, score_colour
from web.views.home import map_assets, map_parts

bp = Blueprint("appariement", __name__)


@bp.get("/besoins/<int:record_id>/candidats")
def need_candidates(record_id: int) -> str:
    return _page("needs", record_id)


@bp.get("/locaux/<int:record_id>/candidats")
def premises_candidates(record_id: int) -> str:
    return _page("premises", record_id)


def _page(kind_name: str, record_id: int) -> str:
    asked = request.args.get("pourquoi", "").strip()
    page = candidates_page(store.session(), kind_name, record_id, asked)
    return render_template(
        "candidats.html",
        kind=page.kind,
        record=page.record,
        candidates=page.candidates,
        criteria_labels=CRITERIA_LABELS,
        colour=score_colour,
        label=field_label,
        other_segment="locaux" if kind_name == "needs" else "besoins",
        version=page.algorithm_version,
        near_misses=page.near_misses,
        asked=page.asked,
        reasons=page.reasons,
        refused=page.refused,
        committee_refused=page.committee_refused,
        **map_parts(candidates_map(page.record, page.candidates, map_assets())),
    )
