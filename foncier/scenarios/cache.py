"""A scenario's computed page, kept in ``resultats_scenarios`` until what it read changes.

The key is the scenario's and its operation's versions, the data version of what its
coverage reads (the newest history entry of the needs, actors, sectors and matching
settings: every write there goes through the history triggers) and the day (a scenario
without ``available_from`` offers its premises from today). The reference layers (communes,
QPV) carry no history: reloading them does not show here, hence the computation date the
page states.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from foncier.db import transaction
from foncier.models import Operation, ResultatScenario, Scenario

# Tables whose rows the coverage of a scenario reads (open needs, their actors and sectors,
# the settings the matcher checks and scores with). Not ``operations``: each new scenario
# may add one; the scenario's own operation is in the key by its version.
COVERAGE_TABLES = ("besoins", "acteurs", "filieres", "reglages_appariement")
_DATA_VERSION = text("SELECT COALESCE(MAX(id), 0) FROM historique WHERE table_name = ANY(:t)")


@dataclass(frozen=True)
class Key:
    """What a computed page depends on besides the scenario itself."""

    scenario_id: int
    version: int
    operation_version: int
    data_version: int
    day: date


@dataclass(frozen=True)
class Computed:
    content: dict[str, Any]
    computed_at: datetime


def key_of(session: Session, ref: str) -> Key:
    scenario_id, version, operation_version = session.execute(
        select(Scenario.id, Scenario.version, Operation.version)
        .join(Operation, Operation.id == Scenario.operation_id)
        .where(Scenario.ref == ref)
    ).one()
    data_version = session.execute(_DATA_VERSION, {"t": list(COVERAGE_TABLES)}).scalar_one()
    return Key(scenario_id, version, operation_version, int(data_version), date.today())


def cached(
    session: Session, key: Key, compute: Callable[[], dict[str, Any]], user: str
) -> Computed:
    """The stored page for ``key``, or ``compute()``'s, stored in place of any older one."""
    row = session.get(ResultatScenario, key.scenario_id, populate_existing=True)
    stored = (row.version, row.version_operation, row.version_donnees, row.jour) if row else None
    if stored == (key.version, key.operation_version, key.data_version, key.day) and row:
        return Computed(row.contenu, row.calcule_le)
    content = compute()
    values = {
        "scenario_id": key.scenario_id,
        "version": key.version,
        "version_operation": key.operation_version,
        "version_donnees": key.data_version,
        "jour": key.day,
        "contenu": content,
        "calcule_le": func.now(),
    }
    insertion = insert(ResultatScenario).values(values)
    statement = insertion.on_conflict_do_update(
        index_elements=["scenario_id"],
        set_={k: insertion.excluded[k] for k in values if k != "scenario_id"},
    ).returning(ResultatScenario.calcule_le)
    with transaction(session, user):
        computed_at = session.execute(statement).scalar_one()
    return Computed(content, computed_at)
