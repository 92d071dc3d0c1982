"""The history keeps every version, with its geometries bounded (migration 0012)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from foncier.db import make_sessionmaker, unit_of_work
from foncier.limits import MAX_HISTORY_GEOMETRY_BYTES
from foncier.registry import KINDS
from foncier.registry.service import history

EDITS = 30
ZONE_EVERY = 5  # one edit in five draws a new zone; the others change the budget
# A 4,000-vertex zone (the bound is 5,000) is about 160 KB of GeoJSON: 10 MB of history for
# these edits before.
ROW_BOUND = 2 * MAX_HISTORY_GEOMETRY_BYTES + 8 * 1024  # two images, plus the other fields


def _copy_a_need(engine: Engine, ref: str) -> int:
    with engine.connect() as conn:
        columns = conn.scalars(
            text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'besoins'"
                " AND column_name NOT IN ('id', 'ref') ORDER BY ordinal_position"
            )
        ).all()
    listed = ", ".join(columns)
    with unit_of_work(make_sessionmaker(engine), "tests") as session:
        found = session.execute(
            text(
                f"INSERT INTO besoins (ref, {listed}) SELECT :ref, {listed} FROM besoins"
                " WHERE geom IS NOT NULL ORDER BY id LIMIT 1 RETURNING id"
            ),
            {"ref": ref},
        ).scalar_one()
    return int(found)


def _edit(engine: Engine, need_id: int, step: int) -> None:
    """A zone of 4,001 vertices (a buffer of the need's point), new every ZONE_EVERY edits."""
    zone = "ST_Multi(ST_Buffer(geom, 800 + :step, 1000))"
    with unit_of_work(make_sessionmaker(engine), "agent:camille") as session:
        session.execute(
            text(
                "UPDATE besoins SET budget_loyer_m2_an = 100 + :step, zone_souhaitee = CASE"
                f" WHEN :step % {ZONE_EVERY} = 0 THEN {zone} ELSE zone_souhaitee END"
                " WHERE id = :id"
            ),
            {"id": need_id, "step": step},
        )


@pytest.fixture
def need_id(loaded: Engine) -> Iterator[int]:
    """A need of its own, deleted after (its history stays, as any other's)."""
    found = _copy_a_need(loaded, "HIST-ZONE-1")
    yield found
    with unit_of_work(make_sessionmaker(loaded), "tests") as session:
        session.execute(text("DELETE FROM besoins WHERE id = :id"), {"id": found})


def test_a_large_zone_edited_many_times_keeps_a_bounded_history(
    loaded: Engine, need_id: int
) -> None:
    for step in range(EDITS):
        _edit(loaded, need_id, step)
    with loaded.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT octet_length(coalesce(avant::text, '') || coalesce(apres::text, '')),"
                " apres -> 'zone_souhaitee' FROM historique"
                " WHERE table_name = 'besoins' AND record_id = :id ORDER BY id"
            ),
            {"id": str(need_id)},
        ).all()
        exact, point = conn.execute(
            text("SELECT ST_NPoints(zone_souhaitee), to_jsonb(geom) FROM besoins WHERE id = :id"),
            {"id": need_id},
        ).one()
        last_point = conn.scalar(
            text(
                "SELECT apres -> 'geom' FROM historique WHERE table_name = 'besoins'"
                " AND record_id = :id ORDER BY id DESC LIMIT 1"
            ),
            {"id": str(need_id)},
        )
    assert last_point == point, "a small geometry stays exact"
    assert len(rows) == 1 + EDITS
    assert all(size <= ROW_BOUND for size, _ in rows), max(size for size, _ in rows)
    assert sum(size for size, _ in rows) <= (1 + EDITS) * ROW_BOUND
    zone = rows[-1][1]
    assert zone["type"] == "MultiPolygon" and zone["simplifiee"]["sommets"] == exact == 4001
    assert zone["simplifiee"]["octets"] > MAX_HISTORY_GEOMETRY_BYTES
    # Each version is still there: its budget, and a new (simplified) zone when it changed.
    with make_sessionmaker(loaded)() as session:
        changes = history(session, KINDS["needs"], need_id)
    assert len(changes) == 1 + EDITS
    budgets = [c["champs"]["budget_loyer_m2_an"]["apres"] for c in changes[1:]]
    assert budgets == [100 + step for step in range(EDITS)]
    zones = [c for c in changes[1:] if "zone_souhaitee" in c["champs"]]
    assert len(zones) == EDITS // ZONE_EVERY


def test_the_migration_states_the_same_bound() -> None:
    versions = Path(__file__).parents[2] / "foncier" / "migrations" / "versions"
    source = (versions / "0012_historique_compact.py").read_text(encoding="utf-8")
    found = re.search(r"MAX_HISTORY_GEOMETRY_BYTES = (\d+) \* 1024", source)
    assert found and int(found.group(1)) * 1024 == MAX_HISTORY_GEOMETRY_BYTES
