"""The planners' forms: a scenario file (or its text) with a perimeter, and the clause form.

What a refused form held comes back with its errors: the name, the scenario's text and the
drawn perimeter (a file input cannot be filled again, so its text goes to the text box).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import request
from werkzeug.utils import secure_filename

from foncier.errors import InvalidInput
from foncier.files.structured import load_json, load_yaml
from foncier.files.text import decoded
from foncier.french import read_number
from foncier.scenarios.document import (
    document_json,
    parse_document,
    parse_scenario_file,
    validate_document,
    with_perimeter,
)
from foncier.scenarios.perimeter import perimeter_geojson
from web.context import parsed_apart

EXAMPLE = Path(__file__).parents[1] / "data" / "scenario-exemple.yaml"
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


@dataclass
class Entered:
    """What the new scenario form holds: kept as typed when the scenario is refused."""

    name: str = ""
    text: str = ""
    file_name: str = ""
    drawn: str = ""
    unreadable: InvalidInput | None = None  # a file that is not text: refused when saved


def entered() -> Entered:
    """The new scenario form's values; a file's text is read (refused if it is not text)."""
    upload = request.files.get("scenario")
    form = Entered(
        name=request.form.get("name", "").strip(),
        text=request.form.get("texte", ""),
        drawn=request.form.get("perimetre_geojson", "").strip(),
    )
    if upload and upload.filename:
        form.file_name = upload.filename
        try:
            form.text = decoded(upload.read(), upload.filename)
        except InvalidInput as error:
            form.unreadable = error
    return form


def new_document(form: Entered) -> dict[str, Any]:
    """The scenario the form describes: its file, else its text, else the example; with the
    name typed and the perimeter drawn or uploaded, if any."""
    if form.unreadable is not None:
        raise form.unreadable
    if form.file_name or form.text.strip():  # an empty file is refused, not the example
        name = form.file_name or "texte du scénario"
        document = parsed_apart(parse_scenario_file, form.text.encode(), name, name=name)
    else:
        document = parse_document(EXAMPLE.read_text(encoding="utf-8"), name=EXAMPLE.name)
    perimeter = _drawn(form.drawn) or _uploaded(request.files.get("perimetre"))
    if perimeter is not None:
        document = with_perimeter(document, perimeter)
    if form.name:
        document = validate_document({**document_json(document), "name": form.name})
    return document


def lots_of(text: str) -> list[dict[str, Any]]:
    """The lots a refused scenario's text lists, if it can be read: errors then name a lot by
    its reference ("lot A1, usage") rather than by its rank."""
    try:
        data = load_yaml(text, "scénario")
    except InvalidInput:
        return []
    lots = data.get("lots") if isinstance(data, dict) else None
    return [lot if isinstance(lot, dict) else {} for lot in lots] if isinstance(lots, list) else []


def _drawn(drawn: str) -> Any:
    """The perimeter drawn on the page's map (GeoJSON text), if any."""
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


def form_version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        raise InvalidInput(
            f"« {request.form.get('version')} » : version attendue (un entier)."
        ) from None


def typed_clause(document: dict[str, Any]) -> dict[str, str]:
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


def box(key: str, value: Any) -> str:
    """A stored value as its box shows it: "30 %" for a fraction, a decimal comma."""
    if value is None:
        return ""
    if key in PERCENT_FIELDS:
        return f"{float(value) * 100:.10g} %".replace(".", ",")
    return f"{value:.10g}".replace(".", ",") if isinstance(value, float) else str(value)
