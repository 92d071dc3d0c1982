"""Marshmallow fields with French messages, and a GeoJSON geometry field (WGS84)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import shapely
from marshmallow import Schema, ValidationError, fields, validate
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from foncier import limits
from foncier.french import read_number

REQUIRED: dict[str, str] = {"required": "Champ obligatoire.", "null": "Ne peut pas être vide."}


class FrenchSchema(Schema):
    error_messages = {  # noqa: RUF012 (marshmallow reads this class attribute)
        "unknown": "Champ inconnu.",
        "type": "Attendu : un objet JSON.",
    }


Messages = dict[str, str | list[Any] | dict[Any, Any]]


def _messages(**extra: str) -> Messages:
    return {**REQUIRED, **extra}


# Control characters (but tab and line breaks) are never meant, PostgreSQL refuses NUL and
# spreadsheets refuse the others.
NO_NUL = validate.Regexp(
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$", error="Caractère de contrôle interdit."
)


def text(
    max_length: int = limits.MAX_TEXT_LENGTH, *, min_length: int = 0, **kwargs: Any
) -> fields.String:
    """Text of at most ``max_length`` characters: every text has a bound (a 10 MB description
    would slow every list that shows it)."""
    checks: list[validate.Validator] = [
        NO_NUL,
        validate.Length(max=max_length, error="{max} caractères au plus."),
    ]
    if min_length:
        checks.append(validate.Length(min=min_length, error="Ne peut pas être vide."))
    return fields.String(
        validate=checks, error_messages=_messages(invalid="Attendu : du texte."), **kwargs
    )


class FrenchFloat(fields.Float):
    """A number, also read from text as French users type it: "1 250,5", "98,5 m²"."""

    def _format_num(self, value: Any) -> float:
        return float(read_number(value) if isinstance(value, str) else value)


class FrenchInteger(fields.Integer):
    """A whole number, also read from text as French users type it: "1 000"."""

    def _format_num(self, value: Any) -> int:
        if isinstance(value, str):
            number = read_number(value)
            if not number.is_integer():
                raise ValueError(value)
            return int(number)
        return int(value)


# Far beyond any real premises (the largest brownfield is 1.2 km²) or rent, but small enough
# that the matcher's arithmetic never overflows.
PLAUSIBLE_MAX = 1e8


def number(
    minimum: float | None = 0,
    *,
    strict_min: bool = False,
    maximum: float = PLAUSIBLE_MAX,
    **kwargs: Any,
) -> fields.Float:
    """A number, by default ≥ 0 (rents, prices, areas); ``strict_min`` makes it > minimum."""
    checks: list[validate.Validator] = [
        validate.Range(max=maximum, error=f"Doit être au plus {maximum:g}.")
    ]
    if minimum is not None:
        sign = ">" if strict_min else "≥"
        checks.append(
            validate.Range(
                min=minimum, min_inclusive=not strict_min, error=f"Doit être {sign} {minimum:g}."
            )
        )
    check = checks
    return FrenchFloat(
        validate=check,
        allow_nan=False,
        error_messages=_messages(invalid="Attendu : un nombre.", special="Attendu : un nombre."),
        **kwargs,
    )


MAX_INTEGER = 2**31 - 1  # PostgreSQL's integer


def integer(minimum: int | None = 0, maximum: int = MAX_INTEGER, **kwargs: Any) -> fields.Integer:
    low = -MAX_INTEGER - 1 if minimum is None else minimum
    check = validate.Range(min=low, max=maximum, error=f"Doit être un entier de {low} à {maximum}.")
    return FrenchInteger(
        strict=False,
        validate=check,
        error_messages=_messages(invalid="Attendu : un nombre entier."),
        **kwargs,
    )


def boolean(**kwargs: Any) -> fields.Boolean:
    return fields.Boolean(error_messages=_messages(invalid="Attendu : vrai ou faux."), **kwargs)


def day(**kwargs: Any) -> fields.Date:
    """A date between 1900 and 2100: 0001-01-01 or 9999-12-31 are slips, not plans."""
    first, last = limits.FIRST_DATE, limits.LAST_DATE
    in_range = validate.Range(
        min=first,
        max=last,
        error=f"Attendu : une date du {first:%d/%m/%Y} au {last:%d/%m/%Y}.",
    )
    return fields.Date(
        validate=in_range,
        error_messages=_messages(
            invalid="Attendu : une date AAAA-MM-JJ.", format="Attendu : une date AAAA-MM-JJ."
        ),
        **kwargs,
    )


def one_of(enum: type[StrEnum], **kwargs: Any) -> fields.String:
    return fields.String(
        validate=choices([m.value for m in enum]),
        error_messages=_messages(invalid="Attendu : du texte."),
        **kwargs,
    )


def list_of(enum: type[StrEnum] | fields.Field, **kwargs: Any) -> fields.List:
    """A list of codes of ``enum`` (or of values of a field), at most ``MAX_LIST_ITEMS``."""
    item = enum if isinstance(enum, fields.Field) else one_of(enum)
    return fields.List(
        item,
        validate=validate.Length(
            max=limits.MAX_LIST_ITEMS, error=f"{limits.MAX_LIST_ITEMS} éléments au plus."
        ),
        error_messages=_messages(invalid="Attendu : une liste."),
        **kwargs,
    )


def choices(allowed: list[str], shown: list[str] | None = None) -> validate.OneOf:
    """One of ``allowed``; the error names ``shown`` instead (their labels, when accepted)."""
    return validate.OneOf(allowed, error=f"Valeurs permises : {', '.join(shown or allowed)}.")


class Geometry(fields.Field):
    """A GeoJSON geometry in WGS84 (RFC 7946); loads to and dumps from a shapely geometry.

    An invalid polygon is repaired when the repair is trivial (same area within 0.1 %),
    otherwise refused: a silently reshaped wished zone would mislead the matcher.
    """

    default_error_messages = {  # noqa: RUF012
        **REQUIRED,
        "invalid": "Attendu : une géométrie GeoJSON.",
        "kind": "Attendu : une géométrie de type {kinds}.",
        "range": "Coordonnées hors du WGS84 (longitude, latitude en degrés).",
        "unrepairable": "Géométrie invalide (polygone qui se recoupe) : redessinez-la.",
        "vertices": "Géométrie de plus de {limit} sommets : simplifiez-la.",
        "deep": "Coordonnées imbriquées trop profondément.",
    }

    def __init__(self, *kinds: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kinds = kinds
        description = f"Géométrie GeoJSON ({' ou '.join(kinds)}), WGS84"
        self.metadata = {"description": description, **self.metadata}

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else _rounded(dict(mapping(value)))

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> BaseGeometry:
        if not isinstance(value, Mapping):
            raise self.make_error("invalid")
        self._check_size(value)
        try:
            geom = shape(dict(value))
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError):
            raise self.make_error("invalid") from None
        if geom.geom_type not in self.kinds or geom.is_empty:
            raise self.make_error("kind", kinds=" ou ".join(self.kinds))
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise self.make_error("range")
        return self._repaired(geom)

    def _check_size(self, value: Mapping[str, Any]) -> None:
        """Count the vertices before shapely builds anything: GEOS checks on a 20,000-vertex
        zone took gigabytes."""
        try:
            count = count_vertices(value.get("coordinates"))
        except RecursionError:
            raise self.make_error("deep") from None
        if count > limits.MAX_VERTICES:
            raise self.make_error("vertices", limit=limits.grouped(limits.MAX_VERTICES))

    def _repaired(self, geom: BaseGeometry) -> BaseGeometry:
        if geom.is_valid:
            return geom
        polygons = repaired_polygons(geom)
        if polygons:
            return shapely.MultiPolygon(polygons) if "MultiPolygon" in self.kinds else polygons[0]
        raise self.make_error("unrepairable")


def count_vertices(coordinates: Any, depth: int = 0) -> int:
    """Positions in nested GeoJSON coordinates, without building them; stops past a bound."""
    if depth > 4:
        raise RecursionError("coordinates nested deeper than a MultiPolygon")
    if not isinstance(coordinates, list | tuple) or not coordinates:
        return 0
    if not isinstance(coordinates[0], list | tuple):
        return 1  # a position: [x, y]
    total = 0
    for part in coordinates:
        total += count_vertices(part, depth + 1)
        if total > limits.MAX_VERTICES:
            break
    return total


def repaired_polygons(geom: BaseGeometry) -> list[shapely.Polygon]:
    """The polygons of ``make_valid(geom)`` if they keep its area within 0.1 %, else none."""
    fixed = shapely.make_valid(geom)
    polygons = [g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type == "Polygon"]
    if polygons and abs(sum(p.area for p in polygons) - geom.area) <= 0.001 * geom.area:
        return polygons
    return []


COORDINATE_DECIMALS = 7  # 1 cm: beyond it, digits are noise from the Lambert-93 round trip


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, COORDINATE_DECIMALS)
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def quote_errors(messages: Mapping[str, Any], data: Any) -> dict[str, list[str]]:
    """Flatten marshmallow's messages and quote the bad value the user gave, field by field."""
    flat: dict[str, list[str]] = {}
    for field, content in messages.items():
        value = data.get(field) if isinstance(data, Mapping) else None
        for path, message in _flatten(str(field), content, value):
            flat.setdefault(path, []).append(message)
    return flat


def _flatten(path: str, content: Any, value: Any) -> list[tuple[str, str]]:
    if isinstance(content, Mapping):
        found = []
        for key, inner in content.items():
            item = _item(value, key)
            found.extend(_flatten(f"{path}[{key}]", inner, item))
        return found
    texts = content if isinstance(content, list) else [content]
    shown = (
        "" if value is None or isinstance(value, Mapping) else f"« {limits.shortened(value)} » : "
    )
    return [(path, f"{shown}{text}") for text in texts]


def _item(value: Any, key: Any) -> Any:
    """The part of the user's value a nested message is about (a list item, a field)."""
    if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
        return value[key]
    if isinstance(value, Mapping):
        return value.get(key)
    return None


def load(schema: Schema, data: Any, *, partial: bool = False) -> dict[str, Any]:
    """Validate ``data``; on failure raise InvalidInput naming every bad field at once."""
    from foncier.errors import InvalidInput

    try:
        loaded: dict[str, Any] = schema.load(data, partial=partial)
    except ValidationError as error:
        raise InvalidInput.from_errors(quote_errors(error.normalized_messages(), data)) from None
    return loaded
