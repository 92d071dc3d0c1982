"""List filters of the registries, shared by the pages, the API and the exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func

from foncier.registry.kind import Kind
from foncier.registry.ordering import matching

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = 50

    @property
    def offset(self) -> int:
        # Capped to PostgreSQL's bigint: a page past the end is simply empty.
        return min((self.number - 1) * self.size, 2**62)


ALL = Page(1, 10**9)  # exports take the whole filtered list


def apply_filters(kind: Kind, query: Select[Any], f: dict[str, Any]) -> Select[Any]:
    """Only the filters given (None or absent means no condition)."""
    model: Any = kind.model
    conditions = []
    if f.get("commune_insee"):
        conditions.append(model.commune_insee == f["commune_insee"])
    for name in ("source", "ref"):  # typed by hand: "demo-l-0001" is DEMO-L-0001
        if f.get(name):
            conditions.append(func.lower(getattr(model, name)) == f[name].lower())
    if f.get("qpv") is not None:
        conditions.append(model.en_qpv.is_(f["qpv"]))
    if f.get("q"):
        query = matching(kind, query, f["q"])
    return kind.filter(query.where(*conditions), f)
