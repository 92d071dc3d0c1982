"""French labels of fields and values, for lists, detail pages and forms."""

from __future__ import annotations

from typing import Any

from foncier.vocabulary import FIELD_LABELS as FIELDS
from foncier.vocabulary import VALUE_LABELS as VALUES


def field_label(name: str) -> str:
    return FIELDS.get(name, name.replace("_", " "))


# What a form's box says more than the field's name.
FORM_LABELS = {"ref": "Référence (vide : attribuée automatiquement)"}


def form_label(name: str) -> str:
    return FORM_LABELS.get(name, field_label(name))


def french_number(value: float | int | None, decimals: int = 0) -> str:
    """A number as French pages write it: 1 234,56 (narrow no-break space, decimal comma)."""
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def value_label(value: Any, lookup: dict[str, str] | None = None) -> str:
    """A value as a French reader expects it: oui/non, 1 234,5, lists joined; ``lookup``
    names the codes of a list kept in the database (sectors, legal forms, communes)."""
    if lookup and isinstance(value, str) and value in lookup:
        return lookup[value]
    if isinstance(value, list) and lookup:
        return ", ".join(value_label(v, lookup) for v in value) or "—"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", "\u202f").replace(".", ",")
    if isinstance(value, list):
        return ", ".join(value_label(v) for v in value) or "—"
    if hasattr(value, "geom_type"):
        return f"{value.y:.5f}, {value.x:.5f}" if value.geom_type == "Point" else value.geom_type
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else str(value)
    return VALUES.get(str(value), str(value))
