"""Saved operations and scenarios: save, copy, edit, adopt, compare; one transaction each.

A scenario document (the file of ``foncier scenario run``) splits into the operation's part
(perimeter, lots at market, other receipts and expenditures) and the clause (per-lot clause
keys, the scenario's parameters). Stored rows are versioned: a stale edit gets a conflict and
writes nothing; the history triggers keep every state.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import MultiPolygon, mapping
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from foncier.db import transaction
from foncier.errors import Conflict, InvalidInput, NotFound
from foncier.geo import STORE_SRID, to_store, to_wgs84
from foncier.models import Operation, Scenario
from foncier.scenarios.caps import put_in_force
from foncier.scenarios.document import document_json, validate_document
from foncier.schemas.fields import load
from foncier.schemas.scenario import CopySchema

OPERATION_KEYS = ("perimeter", "other_receipts_eur", "other_expenditures_eur")
LOT_CLAUSE_KEYS = (
    "ess_share",
    "cap_price_eur_m2",
    "cap_rent_eur_m2_year",
    "cap_share_of_market",
    "ess_land_charge_eur_m2",
    "unit_sizes_m2",
)


@dataclass(frozen=True)
class ScenarioSummary:
    """A saved scenario as lists show it."""

    ref: str
    name: str
    operation_ref: str
    operation_name: str
    version: int
    adopted: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "name": self.name,
            "operation": self.operation_ref,
            "version": self.version,
            "adopted": self.adopted,
        }


@dataclass(frozen=True)
class SavedScenario(ScenarioSummary):
    """A saved scenario with its validated document."""

    document: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """What the API returns: the document in plain JSON (GeoJSON perimeter)."""
        return {**super().as_json(), "scenario": document_json(self.document)}


def _summary(scenario: Scenario) -> ScenarioSummary:
    operation = scenario.operation
    return ScenarioSummary(
        scenario.ref, scenario.nom, operation.ref, operation.nom, scenario.version, scenario.retenu
    )


def _saved(scenario: Scenario) -> SavedScenario:
    summary = _summary(scenario)
    document = compose(scenario.operation, scenario.clause)
    return SavedScenario(**vars(summary), document=document)


def _in_force(session: Session, scenario: Scenario) -> SavedScenario:
    """Put the scenario's caps in force (adopted), and return it as saved."""
    saved = _saved(scenario)
    put_in_force(session, scenario, saved.document)
    return saved


def split(document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(programme, clause) of a validated document, both plain JSON."""
    plain = document_json(document)
    programme = {k: plain[k] for k in OPERATION_KEYS if k != "perimeter"}
    programme["lots"] = [
        {k: v for k, v in lot.items() if k not in LOT_CLAUSE_KEYS} for lot in plain["lots"]
    ]
    clause = {k: v for k, v in plain.items() if k not in (*OPERATION_KEYS, "lots")}
    clause["lots"] = {
        lot["ref"]: {k: lot[k] for k in LOT_CLAUSE_KEYS if lot.get(k) is not None}
        for lot in plain["lots"]
    }
    return programme, clause


def compose(operation: Operation, clause: dict[str, Any]) -> dict[str, Any]:
    """The validated document of a stored scenario (defaults filled as in a file)."""
    programme = copy.deepcopy(operation.programme)
    by_ref = clause.get("lots", {})
    lots = [{**lot, **by_ref.get(lot["ref"], {})} for lot in programme.pop("lots")]
    perimeter = mapping(to_wgs84(to_shape(operation.perimetre)))
    top = {k: v for k, v in clause.items() if k != "lots"}
    return validate_document({**top, **programme, "perimeter": perimeter, "lots": lots})


def save(
    session: Session,
    document: dict[str, Any],
    user: str,
    *,
    operation_ref: str | None = None,
    operation_name: str | None = None,
) -> SavedScenario:
    """Save a document as a new scenario, over a new operation or an existing one (by ref).

    An existing operation keeps its programme: the document's must then match it lot for lot.
    """
    programme, clause = split(document)
    with transaction(session, user):
        operation = _find_operation(session, operation_ref) if operation_ref else None
        if operation is None:
            number = _next_id(session, "operations")
            operation = Operation(
                id=number,
                ref=operation_ref or f"OP-{number:04d}",
                nom=operation_name or document["name"],
                perimetre=_store_shape(document["perimeter"]),
                programme=programme,
            )
            session.add(operation)
        elif differing := _differences(operation, programme, document["perimeter"]):
            raise Conflict(
                f"L'opération « {operation.ref} » diffère de ce scénario "
                f"({', '.join(differing)}) : enregistrez-le sous une nouvelle opération."
            )
        number = _next_id(session, "scenarios")
        scenario = Scenario(
            id=number,
            ref=f"SC-{number:04d}",
            nom=document["name"],
            clause=clause,
            operation=operation,
        )
        session.add(scenario)
        session.flush()
        return _saved(scenario)


def copy_scenario(session: Session, ref: str, name: str, user: str) -> SavedScenario:
    """A new scenario with the same clause over the same operation, under a new name."""
    name = load(CopySchema(), {"name": name})["name"]
    with transaction(session, user):
        source = get_scenario(session, ref)
        clause = {**copy.deepcopy(source.clause), "name": name}
        number = _next_id(session, "scenarios")
        scenario = Scenario(
            id=number,
            ref=f"SC-{number:04d}",
            nom=name,
            clause=clause,
            operation_id=source.operation_id,
        )
        session.add(scenario)
        session.flush()
        return _saved(scenario)


def update_clause(
    session: Session, ref: str, document: dict[str, Any], version: int, user: str
) -> SavedScenario:
    """Replace a scenario's clause with the one of ``document`` (same operation, same lots)."""
    with transaction(session, user):
        scenario = get_scenario(session, ref)
        if scenario.version != version:
            raise _stale(ref)
        programme, clause = split(document)
        if differing := _differences(scenario.operation, programme, document["perimeter"]):
            raise InvalidInput.from_errors(
                {
                    key: ["Propre à l'opération : ne se change pas depuis un scénario."]
                    for key in differing
                }
            )
        scenario.clause = clause
        scenario.nom = document["name"]
        _flush(session, ref)
        # An adopted clause that changes changes the caps in force.
        return _in_force(session, scenario) if scenario.retenu else _saved(scenario)


def adopt(session: Session, ref: str, user: str) -> SavedScenario:
    """Make this scenario the operation's clause in force (its caps apply to matching)."""
    with transaction(session, user):
        scenario = get_scenario(session, ref)
        for other in scenario.operation.scenarios:
            other.retenu = other.id == scenario.id
        _flush(session, ref)
        return _in_force(session, scenario)


def saved_scenario(session: Session, ref: str) -> SavedScenario:
    """One saved scenario with its document."""
    return _saved(get_scenario(session, ref))


def get_scenario(session: Session, ref: str) -> Scenario:
    scenario = session.scalars(select(Scenario).where(Scenario.ref == ref)).first()
    if scenario is None:
        raise NotFound(f"Aucun scénario ne porte la référence « {ref} ».")
    return scenario


def list_scenarios(session: Session) -> list[ScenarioSummary]:
    """The saved scenarios (not archived), by operation."""
    query = select(Scenario).where(~Scenario.archive).order_by(Scenario.operation_id, Scenario.id)
    return [_summary(row) for row in session.scalars(query)]


def _differences(operation: Operation, programme: dict[str, Any], perimeter: Any) -> list[str]:
    """What of a document's operation part differs from the stored operation, by key (lots
    by ref): a scenario never silently drops what it was given."""
    stored = operation.programme
    keys = [
        k for k in ("other_receipts_eur", "other_expenditures_eur") if stored[k] != programme[k]
    ]
    before = {lot["ref"]: lot for lot in stored["lots"]}
    after = {lot["ref"]: lot for lot in programme["lots"]}
    keys += [f"lot {ref}" for ref in sorted(before.keys() ^ after.keys())]
    keys += [f"lot {ref}" for ref in before if ref in after and before[ref] != after[ref]]
    stored_shape = to_wgs84(to_shape(operation.perimetre))
    if stored_shape.symmetric_difference(perimeter).area > 1e-10 * max(stored_shape.area, 1e-12):
        keys.append("perimeter")
    return keys


def _find_operation(session: Session, ref: str) -> Operation | None:
    return session.scalars(select(Operation).where(Operation.ref == ref)).first()


def _next_id(session: Session, table: str) -> int:
    """The row's id taken ahead from its sequence, so that its reference (SC-0007) says it."""
    number: int = session.execute(
        text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
    ).scalar_one()
    return number


def _store_shape(perimeter: Any) -> Any:
    shape = to_store(perimeter)
    polygons = shape if isinstance(shape, MultiPolygon) else MultiPolygon([shape])
    return from_shape(polygons, srid=STORE_SRID)


def _flush(session: Session, ref: str) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise _stale(ref) from None


def _stale(ref: str) -> Conflict:
    return Conflict(
        f"Le scénario « {ref} » a été modifié entre-temps : rechargez-le ; rien n'a été enregistré."
    )
