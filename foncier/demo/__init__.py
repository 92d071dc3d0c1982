"""The demo dataset: realistic, seeded, and removable without touching anything else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
from geoalchemy2.shape import from_shape
from sqlalchemy import Table, delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from foncier.committee.demo import clear_demo_committee
from foncier.demo._catalogue import DEFAULT_SEED, SOURCE
from foncier.demo._generate import DemoData, generate
from foncier.errors import Conflict, InvalidInput
from foncier.geo import STORE_SRID
from foncier.models import Acteur, Besoin, Local, Proposition
from foncier.models.base import table_of

__all__ = ["DEFAULT_SEED", "SOURCE", "DemoCounts", "clear_demo", "generate", "load_demo"]
GEOMETRIES = ("geom", "zone_souhaitee")


@dataclass(frozen=True)
class DemoCounts:
    locaux: int
    acteurs: int
    besoins: int


def load_demo(session: Session, seed: int = DEFAULT_SEED) -> DemoCounts:
    """Insert the demo records that are not there yet; a record a user edited stays as it is."""
    communes = _frame(session, "SELECT code_insee, nom, population, geom FROM communes")
    if communes.empty:
        raise InvalidInput(
            "Les communes ne sont pas chargées : lancez d'abord `foncier reference load`."
        )
    friches = _frame(
        session,
        "SELECT site_id, nom, statut, activite, surface_m2, commune_insee, geom "
        "FROM friches ORDER BY site_id",
    )
    data = generate(communes.sort_values("code_insee", ignore_index=True), friches, seed=seed)
    locaux = _insert(session, table_of(Local), data.locaux)
    acteurs = _insert(session, table_of(Acteur), data.acteurs)
    besoins = _insert(session, table_of(Besoin), _with_actor_ids(session, data))
    return DemoCounts(locaux, acteurs, besoins)


def clear_demo(session: Session) -> DemoCounts:
    """Delete the demo records, and nothing else."""
    foreign = session.scalar(
        select(func.count())
        .select_from(Besoin)
        .join(Acteur)
        .where(Acteur.source == SOURCE, Besoin.source != SOURCE)
    )
    if foreign:
        raise Conflict(
            f"{foreign} besoin(s) saisi(s) hors démo sont rattachés à des acteurs de démo : "
            "rattachez-les à un autre acteur avant de vider la démo."
        )
    # Proposals of demo records were made on demo data: they go with it (runs stay).
    demo_needs = select(Besoin.id).where(Besoin.source == SOURCE)
    demo_premises = select(Local.id).where(Local.source == SOURCE)
    clear_demo_committee(session, demo_needs, demo_premises)
    session.execute(
        delete(Proposition).where(
            Proposition.besoin_id.in_(demo_needs) | Proposition.local_id.in_(demo_premises)
        )
    )
    counts = [
        session.execute(delete(model).where(model.source == SOURCE)).rowcount  # type: ignore[attr-defined]
        for model in (Besoin, Acteur, Local)
    ]
    return DemoCounts(locaux=counts[2], acteurs=counts[1], besoins=counts[0])


def _frame(session: Session, query: str) -> gpd.GeoDataFrame:
    frame = gpd.read_postgis(text(query), session.connection(), geom_col="geom")
    return frame.rename_geometry("geometry")


def _with_actor_ids(session: Session, data: DemoData) -> list[dict[str, Any]]:
    query = select(Acteur.ref, Acteur.id).where(Acteur.source == SOURCE)
    ids = {ref: acteur_id for ref, acteur_id in session.execute(query)}
    rows = []
    for besoin in data.besoins:
        row = {k: v for k, v in besoin.items() if k != "acteur_ref"}
        row["acteur_id"] = ids[besoin["acteur_ref"]]
        rows.append(row)
    return rows


def _insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> int:
    prepared = [_prepare(row) for row in rows]
    columns = {c.name for c in table.columns}
    defaults = {c: _default(table, c) for c in set().union(*prepared) if c in columns}
    values = [{**defaults, **{k: v for k, v in row.items() if k in columns}} for row in prepared]
    statement = (
        insert(table).values(values).on_conflict_do_nothing(index_elements=["source", "ref"])
    )
    return len(session.execute(statement.returning(table.c.id)).all())


def _default(table: Table, column: str) -> Any:
    """The column's Python-side default, for rows that leave it out of a multi-row insert."""
    default = table.c[column].default
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]


def _prepare(row: dict[str, Any]) -> dict[str, Any]:
    prepared = {k: v for k, v in row.items() if not k.startswith("_")}
    prepared["source"] = SOURCE
    for key in GEOMETRIES:
        if prepared.get(key) is not None:
            prepared[key] = from_shape(prepared[key], srid=STORE_SRID)
    return prepared
