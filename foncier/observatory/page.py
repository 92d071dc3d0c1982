"""The observatory's screens and exports: one use case each, read-only, no personal data.

Needs appear by reference, sector and commune only; no actor's name or contact is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from sqlalchemy.orm import Session

from foncier.db.kept import kept
from foncier.errors import NotFound
from foncier.observatory.crossing import sector_by_commune
from foncier.observatory.demand import (
    DIMENSIONS,
    DemandSummary,
    demand_by,
    demand_tables,
)
from foncier.observatory.geography import DemandMap, demand_map
from foncier.observatory.granted import time_to_favourable
from foncier.observatory.priced_out import priced_out
from foncier.observatory.served import served_per_month
from foncier.observatory.table import Table


@dataclass(frozen=True)
class Observatory:
    """Everything the page shows (priced-out needs have their own page: they cost a candidate
    search per open need)."""

    summary: DemandSummary
    demand: dict[str, Table]  # by DIMENSIONS
    served: Table
    granted: Table  # time from registration to a favourable decision
    crossing: Table
    map: DemandMap

    def tables(self) -> dict[str, Table]:
        every = (*self.demand.values(), self.served, self.granted, self.crossing)
        return {t.name: t for t in (*every, self.map.table())}


def observatory(session: Session, today: date | None = None) -> Observatory:
    """The page's figures (reads only: the caller's session, no transaction of its own),
    computed again only when the data has changed (:mod:`foncier.db.kept`)."""
    return kept(session, ("page", today), partial(_observatory, session, today))


def _observatory(session: Session, today: date | None) -> Observatory:
    summary, demand = demand_tables(session, today)
    return Observatory(
        summary=summary,
        demand=demand,
        served=served_per_month(session),
        granted=time_to_favourable(session),
        crossing=sector_by_commune(session),
        map=demand_map(session),
    )


def _table_readers(today: date | None) -> dict[str, Callable[[Session], Table]]:
    readers: dict[str, Callable[[Session], Table]] = {
        d: partial(_demand, dimension=d, today=today) for d in DIMENSIONS
    }
    readers |= {
        "servis": served_per_month,
        "delais": time_to_favourable,
        "trop_chers": priced_out,
        "filieres_communes": sector_by_commune,
        "carte": lambda s: demand_map(s).table(),
    }
    return readers


def _demand(session: Session, *, dimension: str, today: date | None) -> Table:
    return demand_by(session, dimension, today)


TABLES = tuple(_table_readers(None))


def observatory_table(session: Session, name: str, today: date | None = None) -> Table:
    """One table of the page, for its export; an unknown name says which ones exist."""
    readers = _table_readers(today)
    if name not in readers:
        raise NotFound(
            f"Tableau inconnu de l'observatoire : « {name} » ; tableaux : {', '.join(readers)}."
        )
    return kept(session, (f"table:{name}", today), partial(readers[name], session))


def priced_out_page(session: Session) -> Table:
    """The needs a rent cap would serve, and by how much (their own screen)."""
    return kept(session, "table:trop_chers", partial(priced_out, session))
