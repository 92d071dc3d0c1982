"""Use cases of the registries (premises, actors, needs): each owns its transaction."""

from foncier.registry.kinds import KINDS, Kind, kind_named
from foncier.registry.service import (
    create,
    get,
    get_many,
    history,
    search,
    update,
    withdraw,
)

__all__ = [
    "KINDS",
    "Kind",
    "create",
    "get",
    "get_many",
    "history",
    "kind_named",
    "search",
    "update",
    "withdraw",
]
