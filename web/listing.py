"""What a registry list page shows beside its rows: the filter boxes with their options in
French order, the sortable headers, the count, and the query every link keeps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from foncier import registry
from foncier.french import french_sorted
from foncier.registry import Kind
from foncier.registry.filters import Page
from foncier.registry.lists import code_of
from foncier.schemas.filters import FILTERS, SORTABLE
from web.kept import cached
from web.labels import field_label, french_number, value_label

FILTER_LABELS = {
    "surface_min": "Surface min (m²)",
    "surface_max": "Surface max (m²)",
    "loyer_max": "Loyer max (€/m²/an)",
    "qpv": "En QPV",
}
# Given on the page apart from the filter boxes: the search box, and the sort by the headers.
NOT_BOXES = ("q", "tri")
# Filters whose options are a list kept in the database.
LISTED = ("filiere", "forme_juridique", "commune_insee")
# What the search box looks in, by registry (see foncier.registry.ordering).
SEARCH_HINTS = {
    "premises": "nom, adresse, référence",
    "actors": "nom, adresse, référence, SIREN ou SIRET",
    "needs": "intitulé, acteur, référence",
}
ARROWS = {"ascending": "▲", "descending": "▼"}


@dataclass(frozen=True)
class Header:
    """A column's header: its label, the link that sorts by it, the order it shows now."""

    name: str
    label: str
    query: str | None  # None: the column does not sort
    order: str | None  # "ascending", "descending" or None (aria-sort's words)

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.order or "", "")


def filter_fields(
    kind: Kind, lists: dict[str, dict[str, str]], given: dict[str, str]
) -> list[dict[str, Any]]:
    """The filter boxes, every list of options in the French order of its labels; a value
    given by its label in a link (``?commune_insee=bordeaux``) selects its option."""
    shown = []
    for name, schema_field in FILTERS[kind.name]().load_fields.items():
        if name in NOT_BOXES:
            continue
        codes = [o for v in schema_field.validators for o in getattr(v, "choices", [])]
        options = lists.get(name, {}) if name in LISTED else {c: value_label(c) for c in codes}
        shown.append(
            {
                "name": name,
                "label": FILTER_LABELS.get(name, field_label(name)),
                "choices": french_sorted(options.items()),
                "selected": code_of(options, given[name]) if name in given else None,
                "boolean": type(schema_field).__name__ == "Boolean",
            }
        )
    return shown


def headers(kind: Kind, columns: list[str], given: dict[str, str]) -> list[Header]:
    """A click sorts by the column ascending, a second click descending; back to page 1."""
    current = given.get("tri", "")
    found = []
    for name in columns:
        order = None
        if current.removeprefix("-") == name:
            order = "descending" if current.startswith("-") else "ascending"
        query = None
        if name in SORTABLE[kind.name]:
            sort = f"-{name}" if order == "ascending" else name
            query = urlencode({**given, "tri": sort})
        found.append(Header(name, field_label(name), query, order))
    return found


def count_text(kind: Kind, total: int) -> str:
    """« 34 locaux », « 1 local », « 0 besoin »: French counts 0 and 1 in the singular."""
    noun = kind.label if total <= 1 else kind.segment
    return f"{french_number(total)} {noun}"


def kept_search(
    session: Session, kind: Kind, filters: dict[str, Any], page: Page
) -> tuple[int, list[dict[str, Any]]]:
    """A page of a filtered list, searched once per version of the data (pages and API)."""
    key = ("recherche", kind.name, repr(sorted(filters.items())), page)
    return cached(session, key, lambda: registry.search(session, kind, filters, page))
