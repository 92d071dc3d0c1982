"""HTML forms drawn from the same schemas that validate the API and the imports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import fields as mf
from marshmallow import validate
from werkzeug.datastructures import MultiDict

from foncier.french import french_sorted
from foncier.registry import Kind
from web.labels import form_label, form_number, value_label

# Fields the form handles itself (position, version, confirmation) or never shows.
NOT_IN_FORM = {
    "source",
    "version",
    "geometry",
    "zone_souhaitee",
    "hors_metropole_confirme",
    "archive",
}


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    widget: str  # text, textarea, number, integer, date, checkbox, select, checkboxes, email
    required: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)


def form_fields(kind: Kind, choices: dict[str, list[tuple[str, str]]]) -> list[FormField]:
    """The form of a kind; ``choices`` gives the lists that live in the database."""
    found = []
    loaded = kind.schema().load_fields
    # What the record is comes first; its reference and address last.
    order = [n for n in loaded if n not in ("ref", "adresse")]
    order += [n for n in ("adresse", "ref") if n in loaded]  # a need has no address
    for name in order:
        schema_field = loaded[name]
        if name in NOT_IN_FORM:
            continue
        widget, options = _widget(name, schema_field, choices)
        found.append(FormField(name, form_label(name), widget, schema_field.required, options))
    return found


def missing_required(
    kind: Kind, mapped: set[str], choices: dict[str, list[tuple[str, str]]]
) -> list[FormField]:
    """The required fields that no column of a file gives, for the import page to ask once
    for the whole file (an actor given by its reference counts as given)."""
    given = mapped | ({"acteur_id"} if "acteur_ref" in mapped else set())
    return [f for f in form_fields(kind, choices) if f.required and f.name not in given]


def _widget(
    name: str, schema_field: mf.Field, choices: dict[str, list[tuple[str, str]]]
) -> tuple[str, list[tuple[str, str]]]:
    if name in choices:
        return ("checkboxes" if isinstance(schema_field, mf.List) else "select"), choices[name]
    if isinstance(schema_field, mf.List):
        return "checkboxes", _options(schema_field.inner)
    options = _options(schema_field)
    if options:
        return "select", options
    kinds: list[tuple[type[mf.Field], str]] = [
        (mf.Boolean, "checkbox"),
        (mf.Float, "number"),
        (mf.Integer, "integer"),
        (mf.Date, "date"),
        (mf.Email, "email"),
    ]
    for cls, widget in kinds:
        if isinstance(schema_field, cls):
            return widget, []
    return ("textarea" if name == "description" else "text"), []


def _options(schema_field: mf.Field) -> list[tuple[str, str]]:
    for validator in schema_field.validators:
        if isinstance(validator, validate.OneOf):
            return french_sorted((str(c), value_label(c)) for c in validator.choices)
    return []


def payload_from_form(
    fields_: list[FormField], form: MultiDict[str, str], creating: bool
) -> dict[str, Any]:
    """What the user typed, as the use cases take it. On creation an empty box means "not
    given" (defaults apply); on modification it clears the value."""
    payload: dict[str, Any] = {}
    for f in fields_:
        if f.widget == "checkbox":
            payload[f.name] = f.name in form
        elif f.widget == "checkboxes":
            payload[f.name] = form.getlist(f.name)
        elif f.name in form:  # a box the page did not send is left as it is
            value = form[f.name].strip()
            if value or not creating:
                payload[f.name] = _typed(f, value)
    payload["geometry"] = _point(form)
    payload["hors_metropole_confirme"] = "hors_metropole_confirme" in form
    if form.get("version"):
        payload["version"] = form["version"]
    if creating and payload["geometry"] is None:
        payload.pop("geometry")
    return payload


def _typed(f: FormField, value: str) -> Any:
    """An empty box is "not given"; numbers go as typed: the schema reads French numbers."""
    return value or None


def _point(form: MultiDict[str, str]) -> dict[str, Any] | None:
    lon, lat = form.get("lon", "").strip(), form.get("lat", "").strip()
    if not (lon and lat):
        return None
    try:
        return {"type": "Point", "coordinates": [float(lon), float(lat)]}
    except ValueError:
        return {"type": "Point", "coordinates": [lon, lat]}  # the schema names the bad value


def form_values(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record as the form shows it: numbers with a decimal comma, its point as
    lon/lat boxes (the map's script writes those)."""
    shown = {name: form_number(value) for name, value in record.items()}
    point = shown.get("geometry")
    if point is not None and hasattr(point, "x"):
        shown["lon"], shown["lat"] = f"{point.x:.6f}", f"{point.y:.6f}"
    return shown
