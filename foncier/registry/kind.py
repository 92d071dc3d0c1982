"""What a registry is: the record, its schema, its life cycle and what only it does.

Each registry describes itself in its own module (``premises``, ``actors``, ``needs``); the use
cases, imports, exports and pages read these descriptions instead of asking which one it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from foncier.models.base import Base
from foncier.schemas.fields import FrenchSchema

Values = dict[str, Any]
Errors = dict[str, list[str]]


@dataclass(frozen=True)
class Link:
    """A field naming a record of another registry: by id in the store, by reference in files
    (ids do not survive a re-import)."""

    ref_field: str  # acteur_ref
    id_field: str  # acteur_id
    model: type[Base]
    label: str  # French, for messages: "acteur"


def _no_place(session: Session, values: Values) -> None:
    """Records placed only by their point or their address."""


@dataclass(frozen=True)
class Kind:
    name: str  # as in the CLI and the API paths: premises, actors, needs
    label: str  # French, singular, for messages
    model: type[Base]
    schema: type[FrenchSchema]
    ref_prefix: str
    withdrawn: tuple[str, object]  # the soft delete: (field, value)
    segment: str  # French plural, in URLs, file and layer names: locaux, acteurs, besoins
    title: str  # French, for page titles and map layers
    # The rules that tie fields together, on the merged record (errors by field).
    check_rules: Callable[[Values, Errors], None]
    # The references a record makes must name existing records (errors by field).
    check_references: Callable[[Session, Values, Errors], None]
    # The conditions (and joins) of this registry's own list filters.
    filter: Callable[[Select[Any], Values], Select[Any]]
    transitions: dict[StrEnum, frozenset[StrEnum]] | None = None
    geocoded: bool = True  # placed from its address; else by ``place``
    place: Callable[[Session, Values], None] = _no_place  # a point when none is given
    point_sources: tuple[str, ...] = ("adresse",)  # changing one of these places it again
    zone: str | None = None  # the field of a wished zone drawn beside the point
    links: tuple[Link, ...] = ()
    identity: tuple[str, ...] = ()  # fields that identify a record when a file has no ref
    ref_keys: tuple[str, ...] = ("nom",)  # else what a derived reference is made of
