"""Rent caps in everyday matching: what an adopted scenario imposes on registered premises.

Premises inside the operation's perimeter, of a kind the clause covers, are offered at most at
the capped rent: the clause's rent cap, or its share of the premises' own market rent, or, for
a capped sale price, the rent the Foncière solidaire would ask after buying at that price
(price × ``fonciere_yield``, as in the coverage).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from foncier.models import Local, Operation, PlafondLoyer, Scenario
from foncier.scenarios.coverage import KIND_OF_USE
from foncier.scenarios.document import lots_frame
from matching.pricecap.operation import rent_from_price


def rent_caps(document: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Per kind of premises: the lowest rent cap and the lowest share of market of the lots."""
    caps: dict[str, dict[str, float | None]] = {}
    shares = lots_frame(document)["ess_share"].tolist()
    for lot, share in zip(document["lots"], shares, strict=True):
        kind = KIND_OF_USE.get(lot["use"])
        if kind is None or not share > 0:
            continue
        rent = lot.get("cap_rent_eur_m2_year")
        if rent is None and lot.get("cap_price_eur_m2") is not None:
            rent = rent_from_price(lot["cap_price_eur_m2"], document["fonciere_yield"])
        part = lot.get("cap_share_of_market") if rent is None else None
        if rent is None and part is None:
            continue
        found = caps.setdefault(kind, {"loyer_max_m2_an": None, "part_du_marche": None})
        for key, value in (("loyer_max_m2_an", rent), ("part_du_marche", part)):
            if value is not None:
                current = found[key]
                found[key] = value if current is None else min(current, value)
    return caps


def put_in_force(session: Session, scenario: Scenario, document: dict[str, Any]) -> None:
    """Replace the operation's caps by this scenario's (inside the caller's transaction)."""
    siblings = select(Scenario.id).where(Scenario.operation_id == scenario.operation_id)
    session.execute(delete(PlafondLoyer).where(PlafondLoyer.scenario_id.in_(siblings)))
    for kind, values in sorted(rent_caps(document).items()):
        session.add(PlafondLoyer(scenario_id=scenario.id, type_local=kind, **values))


def cap_in_force(session: Session, premises_id: int) -> dict[str, Any] | None:
    """The capped rent a premises is offered at, and the adopted scenario that caps it."""
    capped = func.foncier_loyer_plafond(
        Local.type_local, Local.loyer_m2_an, Local.loyer_marche_m2_an, Local.geom
    )
    row = session.execute(
        select(capped, Scenario.ref, Scenario.nom)
        .select_from(Local)
        .join(Operation, func.ST_Intersects(Operation.perimetre, Local.geom))
        .join(Scenario, (Scenario.operation_id == Operation.id) & Scenario.retenu)
        .where(Local.id == premises_id, Local.loyer_m2_an.is_not(None), capped.is_not(None))
        .order_by(capped)
        .limit(1)
    ).first()
    if row is None or row[0] >= session.get_one(Local, premises_id).loyer_m2_an:
        return None
    return {"loyer_m2_an": float(row[0]), "scenario_ref": row[1], "scenario_nom": row[2]}
