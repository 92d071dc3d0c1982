"""The planners' pages: saved scenarios, one scenario's figures, charts and map, comparison."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from foncier.errors import Conflict, InvalidInput
from foncier.files.structured import load_json
from foncier.french import read_number
from foncier.scenarios.charts import balance_heatmap, cap_curves_figure, svg, who_pays_figure
from foncier.scenarios.document import (
    document_json,
    parse_scenario_file,
    validate_document,
    with_perimeter,
)
from foncier.scenarios.perimeter import perimeter_geojson
from foncier.scenarios.service import compare_saved, scenario_page
from foncier.scenarios.store import (
    adopt,
    copy_scenario,
    list_scenarios,
    save,
    saved_scenario,
    update_clause,
)
from web import store
from web.context import acting_user, parsed_apart
from web.ratelimits import uploads
from web.scenario_map import operation_map
from web.views.home import map_assets, map_parts

bp = Blueprint("scenarios_pages", __name__, url_prefix="/scenarios")
EXAMPLE = Path(__file__).parents[2] / "data" / "scenario-exemple.yaml"
# Clause fields the page edits, per lot and for the scenario.
LOT_FIELDS = (
    ("ess_share", "Part ESS (%)"),
    ("cap_share_of_market", "Plafond (% du marché)"),
    ("cap_price_eur_m2", "Prix plafond €/m²"),
    ("cap_rent_eur_m2_year", "Loyer plafond €/m²/an"),
    ("ess_land_charge_eur_m2", "Charge foncière ESS fixée €/m²"),
)
SCENARIO_FIELDS = (
    ("ess_programme_share", "Part ESS du programme, % (au lieu des parts par lot)"),
    ("duration_years", "Durée de la clause (années)"),
    ("discount_rate", "Taux d'actualisation (%)"),
    ("market_rent_growth", "Évolution des loyers de marché (% par an)"),
    ("fonciere_yield", "Rendement de la Foncière (%)"),
    ("min_margin", "Marge minimale du promoteur (%)"),
)
# Fractions in the scenario file, read and typed in % on the page ("50 %" or "50" is 0.5).
PERCENT_FIELDS = frozenset(
    {
        "ess_share",
        "cap_share_of_market",
        "ess_programme_share",
        "discount_rate",
        "market_rent_growth",
        "fonciere_yield",
        "min_margin",
    }
)


@bp.get("/")
def index() -> str:
    return render_template("scenarios_liste.html", scenarios=list_scenarios(store.session()))


@bp.post("/")
@uploads
def upload() -> Response:
    """A scenario file (YAML or JSON), and optionally a perimeter file that replaces its own."""
    scenario_file = request.files.get("scenario")
    if scenario_file and scenario_file.filename:
        name, content = scenario_file.filename, scenario_file.read()
    else:
        name, content = EXAMPLE.name, EXAMPLE.read_bytes()
    document = parsed_apart(parse_scenario_file, content, name, name=name)
    perimeter = _drawn() or _uploaded(request.files.get("perimetre"))
    if perimeter is not None:
        document = with_perimeter(document, perimeter)
    saved = save(store.session(), document, acting_user("web"))
    return redirect(url_for(".show", ref=saved.ref))


def _drawn() -> Any:
    """The perimeter drawn on the page's map (GeoJSON text), if any."""
    drawn = request.form.get("perimetre_geojson", "").strip()
    if not drawn:
        return None
    try:
        return load_json(drawn, "périmètre dessiné")
    except InvalidInput as error:
        raise InvalidInput.from_errors({"perimeter": [error.message]}) from None


def _uploaded(upload: Any) -> dict[str, Any] | None:
    if not upload or not upload.filename:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (secure_filename(upload.filename) or "perimetre")
        upload.save(path)
        return parsed_apart(perimeter_geojson, path, name=upload.filename)


@bp.get("/<ref>")
def show(ref: str) -> str:
    return _page(ref)


@bp.post("/<ref>")
def edit(ref: str) -> Response | tuple[str, int]:
    session = store.session()
    document = document_json(saved_scenario(session, ref).document)
    typed = _typed_clause(document)
    try:
        update_clause(session, ref, validate_document(document), _version(), acting_user("web"))
    except (InvalidInput, Conflict) as error:
        errors = getattr(error, "errors", {}) or {"": [error.message]}
        return _page(ref, typed=typed, errors=errors), error.status
    return redirect(url_for(".show", ref=ref))


def _version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        raise InvalidInput(
            f"« {request.form.get('version')} » : version attendue (un entier)."
        ) from None


def _typed_clause(document: dict[str, Any]) -> dict[str, str]:
    """Apply the form's values to the document (text kept as typed, for a refused form)."""
    typed: dict[str, str] = {}
    document["name"] = typed["name"] = request.form.get("name", document["name"])
    for key, _ in SCENARIO_FIELDS:
        typed[key] = request.form.get(key, "")
        document[key] = _number(typed[key], key in PERCENT_FIELDS)
    for index, lot in enumerate(document["lots"]):
        for key, _ in LOT_FIELDS:
            name = f"lots-{index}-{key}"
            typed[name] = request.form.get(name, "")
            lot[key] = _number(typed[name], key in PERCENT_FIELDS)
        if lot["ess_share"] is None:  # an empty box: no ESS part in this lot
            lot["ess_share"] = 0.0
    return typed


def _number(text: str, percent: bool = False) -> Any:
    """A typed number (decimal comma, grouped thousands, a % sign where the box is in %); an
    empty box means "not given"; anything else goes to the schema as typed, which names it."""
    cleaned = text.strip().removesuffix("%").strip() if percent else text.strip()
    if not cleaned:
        return None
    try:
        value = read_number(cleaned)
    except ValueError:
        return text
    return value / 100 if percent else value


def _box(key: str, value: Any) -> str:
    """A stored value as its box shows it: "30 %" for a fraction, a decimal comma."""
    if value is None:
        return ""
    if key in PERCENT_FIELDS:
        return f"{float(value) * 100:.10g} %".replace(".", ",")
    return f"{value:.10g}".replace(".", ",") if isinstance(value, float) else str(value)


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
    table = compare_saved(store.session(), refs)
    return render_template("scenarios_comparaison.html", table=table)


def _page(
    ref: str, typed: dict[str, str] | None = None, errors: dict[str, list[str]] | None = None
) -> str:
    page = scenario_page(store.session(), ref)
    document, result, sweep = page.saved.document, page.result, page.sweep
    charts = {
        "heatmap": balance_heatmap(sweep["grid"], sweep["break_even"]),
        "curves": cap_curves_figure(page.curves),
        "who_pays": who_pays_figure(result["who_pays"]),
    }
    return render_template(
        "scenario.html",
        saved=page.saved,
        document=document_json(document),
        result=result,
        break_even=sweep["break_even"],
        curves=page.curves,
        charts={name: _data_uri(svg(figure)) for name, figure in charts.items()},
        lot_fields=LOT_FIELDS,
        scenario_fields=SCENARIO_FIELDS,
        box=_box,
        typed=typed or {},
        errors=errors or {},
        **map_parts(operation_map(document, result, map_assets())),
    )


def _data_uri(text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(text.encode()).decode()
