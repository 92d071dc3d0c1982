"""The three registries, each described in its own module, gathered by name."""

from __future__ import annotations

from foncier.errors import InvalidInput
from foncier.registry.actors import ACTORS
from foncier.registry.kind import Kind, Link
from foncier.registry.needs import NEEDS
from foncier.registry.premises import PREMISES

__all__ = ["ACTORS", "KINDS", "NEEDS", "PREMISES", "Kind", "Link", "kind_named"]

KINDS = {kind.name: kind for kind in (PREMISES, ACTORS, NEEDS)}


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        allowed = ", ".join(KINDS)
        raise InvalidInput(f"« {name} » n'est pas un registre : choisir parmi {allowed}.") from None
