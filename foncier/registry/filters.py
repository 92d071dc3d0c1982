"""List filters of the registries, shared by the pages, the API and the exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from foncier.models import Acteur, Besoin, Local
from foncier.registry.kinds import Kind

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
    for name in ("source", "ref", "commune_insee"):
        if f.get(name):
            conditions.append(getattr(model, name) == f[name])
    if f.get("qpv") is not None:
        conditions.append(model.en_qpv.is_(f["qpv"]))
    conditions.extend(_SPECIFIC[kind.name](f))
    needs_actor = kind.name == "needs" and (f.get("filiere") or f.get("stade"))
    if needs_actor:
        query = query.join(Acteur, Acteur.id == Besoin.acteur_id)
    return query.where(*conditions)


def _premises(f: dict[str, Any]) -> list[Any]:
    found = []
    if f.get("type_local"):
        found.append(Local.type_local == f["type_local"])
    if f.get("statut"):
        found.append(Local.statut == f["statut"])
    if f.get("surface_min") is not None:
        found.append(Local.surface_m2 >= f["surface_min"])
    if f.get("surface_max") is not None:
        found.append(Local.surface_m2 <= f["surface_max"])
    if f.get("loyer_max") is not None:
        found.append(Local.loyer_m2_an <= f["loyer_max"])
    return found


def _actors(f: dict[str, Any]) -> list[Any]:
    found = []
    for name in ("filiere", "stade", "forme_juridique"):
        if f.get(name):
            found.append(getattr(Acteur, name) == f[name])
    if f.get("archive") is not None:
        found.append(Acteur.archive.is_(f["archive"]))
    return found


def _needs(f: dict[str, Any]) -> list[Any]:
    found = []
    if f.get("statut"):
        found.append(Besoin.statut == f["statut"])
    if f.get("type_local"):
        found.append(Besoin.types_acceptes.contains([f["type_local"]]))
    if f.get("surface_min") is not None:
        found.append(Besoin.surface_max_m2 >= f["surface_min"])
    if f.get("surface_max") is not None:
        found.append(Besoin.surface_min_m2 <= f["surface_max"])
    if f.get("loyer_max") is not None:
        found.append(Besoin.budget_loyer_m2_an <= f["loyer_max"])
    for name in ("filiere", "stade"):
        if f.get(name):
            found.append(getattr(Acteur, name) == f[name])
    return found


_SPECIFIC = {"premises": _premises, "actors": _actors, "needs": _needs}
