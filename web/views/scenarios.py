"""The planners' pages: saved scenarios, one scenario's figures, charts and map, comparison."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from foncier.errors import Conflict, InvalidInput
from foncier.scenarios.comparison import compare_pages
from foncier.scenarios.document import document_json, parse_document, validate_document
from foncier.scenarios.labels import error_place, use_label
from foncier.scenarios.service import scenario_page
from foncier.scenarios.store import (
    adopt,
    copy_scenario,
    list_scenarios,
    save,
    saved_scenario,
    update_clause,
)
from web import store
from web.context import acting_user
from web.ratelimits import uploads
from web.scenario_forms import (
    EXAMPLE,
    LOT_FIELDS,
    SCENARIO_FIELDS,
    Entered,
    box,
    entered,
    form_version,
    lots_of,
    new_document,
    typed_clause,
)
from web.scenario_map import operation_map
from web.views.home import map_assets, map_parts

PARIS = ZoneInfo("Europe/Paris")
bp = Blueprint("scenarios_pages", __name__, url_prefix="/scenarios")


@bp.get("/")
def index() -> str:
    return _listing(Entered())


@bp.post("/")
@uploads
def upload() -> Response | tuple[str, int]:
    """A scenario file (YAML or JSON) or its text, and optionally a perimeter file or a drawn
    one that replaces its own. Refused: the list again, with the errors and what was typed."""
    form = entered()
    try:
        saved = save(store.session(), new_document(form), acting_user("web"))
    except InvalidInput as error:
        return _listing(form, error), error.status
    return redirect(url_for(".show", ref=saved.ref))


@bp.post("/exemple")
@uploads
def from_example() -> Response:
    """A new scenario from the documented example, to start from."""
    document = parse_document(EXAMPLE.read_text(encoding="utf-8"), name=EXAMPLE.name)
    saved = save(store.session(), document, acting_user("web"))
    return redirect(url_for(".show", ref=saved.ref))


def _listing(form: Entered, error: InvalidInput | None = None) -> str:
    return render_template(
        "scenarios_liste.html",
        scenarios=list_scenarios(store.session()),
        form=form,
        error=error,
        errors=_placed(error.errors if error else {}, lots_of(form.text)),
    )


def _placed(errors: dict[str, list[str]], lots: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each error with where it is, in words ("lot A1, usage")."""
    return [(error_place(f, lots), m) for f, messages in errors.items() for m in messages]


@bp.get("/<ref>")
def show(ref: str) -> str:
    return _page(ref)


@bp.post("/<ref>")
def edit(ref: str) -> Response | tuple[str, int]:
    session = store.session()
    document = document_json(saved_scenario(session, ref).document)
    typed = typed_clause(document)
    try:
        update_clause(session, ref, validate_document(document), form_version(), acting_user("web"))
    except (InvalidInput, Conflict) as error:
        errors = getattr(error, "errors", {}) or {"": [error.message]}
        return _page(ref, typed=typed, errors=errors), error.status
    return redirect(url_for(".show", ref=ref))


@bp.post("/<ref>/copie")
def copy(ref: str) -> Response:
    name = request.form.get("name", "").strip()
    copied = copy_scenario(store.session(), ref, name, acting_user("web"))
    return redirect(url_for(".show", ref=copied.ref))


@bp.post("/<ref>/retenir")
def adopt_view(ref: str) -> Response:
    adopt(store.session(), ref, acting_user("web"))
    return redirect(url_for(".show", ref=ref))


@bp.get("/comparer")
def compare() -> str:
    refs = request.args.getlist("refs")
    if not refs:
        raise InvalidInput("Cochez au moins un scénario à comparer.")
    table = compare_pages(store.session(), refs)
    return render_template("scenarios_comparaison.html", table=table)


def _page(
    ref: str, typed: dict[str, str] | None = None, errors: dict[str, list[str]] | None = None
) -> str:
    page = scenario_page(store.session(), ref, acting_user("web"))
    document = document_json(page.saved.document)
    return render_template(
        "scenario.html",
        saved=page.saved,
        document=document,
        result=page.result,
        break_even=page.sweep["break_even"],
        curves=page.curves,
        computed_at=_when(page.computed_at),
        charts={name: _data_uri(text) for name, text in page.charts.items()},
        lot_fields=LOT_FIELDS,
        scenario_fields=SCENARIO_FIELDS,
        box=box,
        use_label=use_label,
        typed=typed or {},
        errors=[
            (error_place(f, document["lots"]), m) for f, ms in (errors or {}).items() for m in ms
        ],
        field_errors=errors or {},
        **map_parts(operation_map(page.saved.document, page.result, map_assets())),
    )


def _when(moment: datetime) -> str:
    """A moment as a French page writes it, in Bordeaux's time: 30/11/2026 à 23:41."""
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


def _data_uri(text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode()
