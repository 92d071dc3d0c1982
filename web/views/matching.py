"""Pages of the matching: ranked candidates with their reasons, and their map."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from shapely import from_geojson
from sqlalchemy import text
from sqlalchemy.orm import Session

from foncier.matching.candidates_page import CandidatesPage, candidates_page
from matching.settings import CRITERIA_LABELS
from web import store
from web.kept import cached
from web.labels import field_label
from web.maps import candidates_drawing, candidates_map, score_colour
from web.views.home import kept_map_parts, map_assets

bp = Blueprint("appariement", __name__)


@bp.get("/besoins/<int:record_id>/candidats")
def need_candidates(record_id: int) -> str:
    return _page("needs", record_id)


@bp.get("/locaux/<int:record_id>/candidats")
def premises_candidates(record_id: int) -> str:
    return _page("premises", record_id)


def _page(kind_name: str, record_id: int) -> str:
    asked = request.args.get("pourquoi", "").strip()
    session = store.session()
    assets = map_assets()

    def compute() -> tuple[CandidatesPage, dict[str, Any]]:
        page = candidates_page(session, kind_name, record_id, asked)
        zone = wished_communes(session, page.record)
        return page, candidates_drawing(page.record, page.candidates, zone)

    # Scoring and near misses: 20 ms and more, the same until the data change.
    page, drawing = cached(session, ("candidats", kind_name, record_id, asked), compute)
    # One map per legend, drawn once; the page gives it what to draw.
    legend = (drawing["zone"] is not None, bool(drawing["portee"]))
    parts = kept_map_parts(
        session, ("candidats", *legend, assets), lambda: candidates_map(assets, *legend)
    )
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
        in_zone=lambda c: c.get("distance_m") == 0 and (wished(page.record) or wished(c)),
        drawing=drawing,
        **parts,
    )


def wished(record: dict[str, Any]) -> bool:
    """A need with a wished zone: a distance of 0 m means the premises lies in it."""
    return record.get("zone_souhaitee") is not None or bool(record.get("communes_souhaitees"))


def wished_communes(session: Session, record: dict[str, Any]) -> Any:
    """The union of a need's wished communes, in WGS84, drawn with its zone (None if none)."""
    codes = record.get("communes_souhaitees") or []
    if not codes:
        return None
    found = session.scalar(
        text(
            "SELECT ST_AsGeoJSON(ST_Transform(ST_Union(geom), 4326), 6) FROM communes "
            "WHERE code_insee = ANY(:codes)"
        ),
        {"codes": list(codes)},
    )
    return from_geojson(found) if found else None
